package slskclient

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"time"

	"github.com/revival-net/revival/slsk"
)

// parentOffer is a candidate that connected and told us its place in the
// tree, ready to be adopted.
type parentOffer struct {
	user    string
	conn    net.Conn
	br      *bufio.Reader // holds any bytes read past the branch messages
	level   int32         // the candidate's own level
	root    string
	pending []byte // a search that arrived with the branch messages, or nil
}

// seekParent, the search for a parent numbered id, tries all candidates
// at once (spec §4.2 step 1) and adopts the first that sends its branch
// level and root; the other sockets are closed. The whole search is
// bounded by PeerConnectTimeout. If no candidate works we stay a root; the
// server offers again later (about every 60 s, spec §4.3 item 3).
//
// The search is over once a parent is adopted (adoptParent ends it), not
// when the losing attempts have wound down: a parent lost meanwhile makes
// us report HaveNoParent(1), and the server's immediate answer must start
// the next search, not be ignored as an offer during this one.
func (c *Client) seekParent(id uint64, cands []slsk.PossibleParent) {
	d := &c.dist
	defer d.endSeek(id)
	ctx, cancel := c.peerContext(c.opts.PeerConnectTimeout)
	defer cancel()
	results := make(chan *parentOffer, len(cands))
	started := 0
	for _, p := range cands {
		if c.spawn(func() { results <- c.tryParent(ctx, p) }) {
			started++
		}
	}
	adopted := false
	for range started {
		o := <-results
		if o == nil {
			continue
		}
		if !adopted && c.adoptParent(o) {
			adopted = true
			cancel() // the other attempts are no longer needed
			continue
		}
		c.untrackConn(o.conn)
	}
}

// errNotParent rejects a candidate that cannot be our parent.
var errNotParent = errors.New("slskclient: unusable distributed parent")

// tryParent connects to one candidate with the race of spec §3.2 (a
// direct PeerInit "D" to the address the server gave, plus ConnectToPeer
// type D through the server) and reads until the candidate has sent
// DistribBranchLevel and DistribBranchRoot (spec §4.2 step 2). It returns
// nil when the candidate fails.
func (c *Client) tryParent(ctx context.Context, p slsk.PossibleParent) *parentOffer {
	addr := netip.AddrPortFrom(p.IP, uint16(p.Port)).String()
	conn, err := c.connectTo(ctx, p.Username, slsk.ConnTypeDistrib, addr)
	if err != nil {
		c.log.Debug("slsk: cannot reach parent candidate", "user", p.Username, "err", err)
		return nil
	}
	o, err := c.readBranch(ctx, p.Username, conn)
	if err != nil {
		c.log.Debug("slsk: parent candidate refused", "user", p.Username, "err", err)
		c.untrackConn(conn)
		return nil
	}
	return o
}

// readBranch reads a candidate's first messages until its level and root
// are known. Like aioslsk we adopt as soon as both arrive; a search that
// comes after the level but before any root (older SoulseekQt roots omit
// the root at level 0, spec §4.1) also completes the offer, with the
// candidate as root. The read ends with ctx.
func (c *Client) readBranch(ctx context.Context, user string, conn net.Conn) (*parentOffer, error) {
	if dl, ok := ctx.Deadline(); ok {
		conn.SetReadDeadline(dl)
	}
	stop := context.AfterFunc(ctx, func() { conn.SetReadDeadline(time.Now()) })
	o := &parentOffer{user: user, conn: conn, br: bufio.NewReader(conn), level: -1}
	haveRoot := false
	for o.level < 0 || !haveRoot {
		body, err := readFrame(o.br, maxDistribFrame)
		if err != nil {
			stop()
			return nil, err
		}
		m, err := slsk.DecodeDistrib(body)
		if errors.Is(err, slsk.ErrUnknownCode) {
			continue
		}
		if err != nil {
			stop()
			return nil, err
		}
		switch m := m.(type) {
		case *slsk.DistribBranchLevel:
			if m.Level < 0 || m.Level >= maxBranchLevel {
				stop()
				return nil, fmt.Errorf("%w: level %d", errNotParent, m.Level)
			}
			o.level = m.Level
		case *slsk.DistribBranchRoot:
			o.root, haveRoot = m.Root, true
		case *slsk.DistribSearch, *slsk.DistribEmbeddedMessage:
			if o.level >= 0 {
				o.pending, haveRoot = body, true
			}
		}
	}
	if !stop() { // ctx ended meanwhile and the deadline is being set
		return nil, ctx.Err()
	}
	conn.SetReadDeadline(time.Time{}) // a parent may be quiet for hours
	if o.root == "" {
		o.root = user
	}
	if o.root == c.Username() {
		return nil, fmt.Errorf("%w: its branch is ours", errNotParent)
	}
	return o, nil
}

// adoptParent makes o our parent unless we found one meanwhile, and tells
// the server (spec §4.2 step 3: HaveNoParent(0), BranchRoot, BranchLevel,
// in Nicotine+'s order) and our children (their level and root changed).
func (c *Client) adoptParent(o *parentOffer) bool {
	d := &c.dist
	d.mu.Lock()
	if d.parent != nil || !c.isLoggedIn() || containsChild(d, o.user) {
		d.mu.Unlock()
		return false
	}
	p := &distParent{user: o.user, conn: o.conn}
	d.parent = p
	d.seek = 0 // the search is over (seekParent)
	d.level, d.root = o.level+1, o.root
	c.sendAll(&slsk.HaveNoParent{NoParent: false}, &slsk.BranchRoot{Root: d.root}, &slsk.BranchLevel{Level: d.level})
	c.sendBranchLocked()
	ev := ParentChanged{Parent: p.user, Level: d.level, Root: d.root}
	d.mu.Unlock()
	c.log.Debug("slsk: adopted distributed parent", "user", p.user, "level", ev.Level, "root", ev.Root)
	c.events.push(ev)
	if !c.spawn(func() { c.readParent(p, o.br, o.pending) }) {
		c.untrackConn(p.conn) // shutting down
	}
	return true
}

// readParent reads our parent's D connection until it ends, then makes us
// a root again. It sets no idle deadline: a parent sends only searches and
// may be silent for long; TCP keepalive finds a dead one.
func (c *Client) readParent(p *distParent, br *bufio.Reader, pending []byte) {
	defer c.dropParent(p)
	if pending != nil && !c.onParentMessage(p, pending) {
		return
	}
	for {
		body, err := readFrame(br, maxDistribFrame)
		if err != nil {
			c.log.Debug("slsk: distributed parent gone", "user", p.user, "err", err)
			return
		}
		if !c.onParentMessage(p, body) {
			return
		}
	}
}

// onParentMessage handles one frame from our parent and reports whether to
// keep the parent. Searches are answered and passed to our children
// unchanged (spec §4.2); new level or root values are taken over.
// Unknown codes are skipped; a malformed message drops the parent.
func (c *Client) onParentMessage(p *distParent, body []byte) bool {
	m, err := slsk.DecodeDistrib(body)
	if errors.Is(err, slsk.ErrUnknownCode) {
		return true
	}
	if err != nil {
		c.log.Debug("slsk: malformed message from distributed parent", "user", p.user, "err", err)
		return false
	}
	switch m := m.(type) {
	case *slsk.DistribSearch:
		c.onParentSearch(body, m)
	case *slsk.DistribEmbeddedMessage:
		// A SoulseekQt root passes the server's code 93 on as it came
		// (spec §4.1); our children get the plain message inside.
		inner, err := m.Message()
		if errors.Is(err, slsk.ErrUnknownCode) {
			return true
		}
		if err != nil {
			c.log.Debug("slsk: malformed embedded message from parent", "user", p.user, "err", err)
			return false
		}
		if s, ok := inner.(*slsk.DistribSearch); ok {
			c.onParentSearch(append([]byte{m.Code}, m.Payload...), s)
		}
	case *slsk.DistribBranchLevel:
		return c.parentBranch(p, &m.Level, nil)
	case *slsk.DistribBranchRoot:
		return c.parentBranch(p, nil, &m.Root)
	}
	return true
}

// onParentSearch answers a search our parent passed down and passes it on.
func (c *Client) onParentSearch(body []byte, s *slsk.DistribSearch) {
	c.dist.fromParent.Add(1)
	c.forwardSearch(body)
	c.answerSearch(s.Username, s.Token, s.Query)
}

// parentBranch takes over a new level or root from our parent (spec §4.2:
// a parent resends them when its own change), reporting ours to the
// server and our children. It refuses (drop the parent) a level past
// maxBranchLevel or a root that is ourselves: both mean a cycle.
func (c *Client) parentBranch(p *distParent, level *int32, root *string) bool {
	self := c.Username()
	d := &c.dist
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.parent != p {
		return false
	}
	changed := false
	if level != nil {
		if *level < 0 || *level >= maxBranchLevel {
			return false
		}
		if d.level != *level+1 {
			d.level, changed = *level+1, true
			c.send(&slsk.BranchLevel{Level: d.level})
		}
	}
	if root != nil {
		r := *root
		if r == "" {
			r = p.user
		}
		if r == self {
			return false
		}
		if d.root != r {
			d.root, changed = r, true
			c.send(&slsk.BranchRoot{Root: d.root})
		}
	}
	if changed {
		c.sendBranchLocked()
		c.events.push(ParentChanged{Parent: p.user, Level: d.level, Root: d.root})
	}
	return true
}

// dropParent ends our link to p. If p was still our parent we are a root
// again: the server hears HaveNoParent(1), BranchLevel(0), BranchRoot(self)
// (it then offers new candidates and sends us searches, spec §4.3 item 2
// and 4) and our children hear our new level and root.
func (c *Client) dropParent(p *distParent) {
	defer c.untrackConn(p.conn)
	self := c.Username()
	d := &c.dist
	d.mu.Lock()
	if d.parent != p {
		d.mu.Unlock()
		return
	}
	d.parent = nil
	d.level, d.root = 0, self
	c.sendAll(&slsk.HaveNoParent{NoParent: true}, &slsk.BranchLevel{Level: 0}, &slsk.BranchRoot{Root: self})
	c.sendBranchLocked()
	d.mu.Unlock()
	c.events.push(ParentChanged{Root: self})
}
