package slskclient

import (
	"bufio"
	"encoding/binary"
	"net"
	"net/netip"
	"time"

	"github.com/revival-net/revival/slsk"
)

const (
	// maxChildQueue bounds the bytes waiting to be written to one child.
	// A search frame is about a hundred bytes, so this holds thousands; a
	// child that falls that far behind is dropped rather than buffered
	// without bound.
	maxChildQueue = 512 << 10
	// maxConnsPerChild is how many D sockets one child may hold at once:
	// the race of spec §3.2 opens two (its PeerInit and our
	// PierceFireWall) and the child closes the loser, so both are kept
	// until then, counted as one child; and a child that tries us again
	// at once (it lost the parent it chose instead) opens two more while
	// we may not have seen the first two close yet. A further socket from
	// the same host replaces the oldest (replacedChildLocked).
	maxConnsPerChild = 4
)

// distChild is one D connection to a child. Searches are queued on q and
// written by the child's writer goroutine, so a slow child never stalls
// our parent's reader or the server reader.
type distChild struct {
	user string
	host netip.Addr // the remote host of conn
	seq  uint64     // order of acceptance, to find the oldest socket
	conn net.Conn
	q    *sendQueue
	done chan struct{} // closed when the child is removed
}

// wantChildrenLocked reports whether we have room for another child, the
// AcceptChildren value the server should hear (spec §4.2). Caller holds
// dist.mu.
func (c *Client) wantChildrenLocked() bool {
	return !c.opts.DisableDistributed && c.opts.MaxChildren > 0 &&
		len(c.dist.childNamesLocked()) < c.opts.MaxChildren
}

// updateAcceptingLocked sends AcceptChildren when our room for children
// changed: AcceptChildren(0) once full, (1) when a child left (spec §4.2,
// "children limit"). Caller holds dist.mu.
func (c *Client) updateAcceptingLocked() {
	want := c.wantChildrenLocked()
	if want != c.dist.accepting && c.isLoggedIn() {
		c.dist.accepting = want
		c.send(&slsk.AcceptChildren{Accept: want})
	}
}

// canAcceptLocked reports whether a D socket from user at host may become
// (or, with a second socket from the race, stay) our child: children are
// enabled, we are logged in, it is not ourselves or our parent (a cycle),
// and it is already a child or there is room. A child that holds
// maxConnsPerChild sockets already is accepted from one of their hosts:
// the new socket replaces the oldest (replacedChildLocked). Caller holds
// dist.mu.
func (c *Client) canAcceptLocked(user string, host netip.Addr) bool {
	d := &c.dist
	if user == "" || c.opts.DisableDistributed || c.opts.MaxChildren <= 0 || !c.isLoggedIn() || user == c.Username() {
		return false
	}
	if d.parent != nil && d.parent.user == user {
		return false
	}
	n, fromHost := 0, false
	for ch := range d.children {
		if ch.user == user {
			n++
			fromHost = fromHost || ch.host == host
		}
	}
	if n > 0 {
		return n < maxConnsPerChild || fromHost
	}
	return len(d.childNamesLocked()) < c.opts.MaxChildren
}

// replacedChildLocked returns the socket a new one from user at host
// replaces, or nil: when user holds maxConnsPerChild sockets, the oldest
// from host. A child opens D sockets only while it looks for a parent, so
// when it opens more, most of the ones it holds are leftovers of attempts
// it gave up: closed on its side while our readers have not seen it yet.
// Refusing the new socket until they catch up made the child's next
// search for a parent fail. The oldest is the likeliest leftover, though
// not surely one (a pierce for an attempt the child gave up can come
// after the new attempt's socket), hence room for two attempts before
// any is replaced. Only a socket from the same host is replaced, so a
// peer elsewhere that claims the child's name cannot cut its link.
// Caller holds dist.mu.
func (c *Client) replacedChildLocked(user string, host netip.Addr) *distChild {
	var oldest *distChild
	n := 0
	for ch := range c.dist.children {
		if ch.user != user {
			continue
		}
		n++
		if ch.host == host && (oldest == nil || ch.seq < oldest.seq) {
			oldest = ch
		}
	}
	if n < maxConnsPerChild {
		return nil
	}
	return oldest
}

// containsChild reports whether user is one of our children. Caller holds
// d.mu.
func containsChild(d *distNet, user string) bool {
	for ch := range d.children {
		if ch.user == user {
			return true
		}
	}
	return false
}

// acceptChild takes a D socket from user (its PeerInit "D", or our
// PierceFireWall answering its ConnectToPeer) as a child if there is
// room, sends it our branch level and root (spec §4.2: a parent sends both
// right after accepting), and starts its reader and writer. It returns
// false, leaving conn to the caller, when the child is refused.
func (c *Client) acceptChild(conn net.Conn, user string) bool {
	host := remoteHost(conn)
	d := &c.dist
	d.mu.Lock()
	if !c.canAcceptLocked(user, host) {
		d.mu.Unlock()
		return false
	}
	before := len(d.childNamesLocked())
	old := c.replacedChildLocked(user, host)
	if old != nil {
		delete(d.children, old) // closed below; its reader finds it gone
	}
	d.childSeq++
	ch := &distChild{user: user, host: host, seq: d.childSeq, conn: conn, q: newSendQueue(maxChildQueue), done: make(chan struct{})}
	if d.children == nil {
		d.children = map[*distChild]struct{}{}
	}
	d.children[ch] = struct{}{}
	c.putChildLocked(ch, c.branchFrameLocked())
	c.updateAcceptingLocked()
	names := d.childNamesLocked()
	d.mu.Unlock()
	if old != nil {
		c.log.Debug("slsk: distributed child reconnected; closing its oldest socket", "user", user)
		c.closeChild(old)
	}
	if len(names) != before {
		c.events.push(ChildrenChanged{Children: names})
	}
	if !c.spawn(func() { c.writeChild(ch) }) || !c.spawn(func() { c.readChild(ch) }) {
		c.removeChild(ch)
	}
	return true
}

// branchFrameLocked encodes DistribBranchLevel and DistribBranchRoot with
// our current values, the pair a parent sends its children.
func (c *Client) branchFrameLocked() []byte {
	d := &c.dist
	root := d.root
	if root == "" { // not set by Login (a client without a server)
		root = c.Username()
	}
	b := slsk.AppendDistribFrame(nil, &slsk.DistribBranchLevel{Level: d.level})
	return slsk.AppendDistribFrame(b, &slsk.DistribBranchRoot{Root: root})
}

// sendBranchLocked resends our level and root to every child after they
// changed (spec §4.2). Caller holds dist.mu.
func (c *Client) sendBranchLocked() {
	if len(c.dist.children) == 0 {
		return
	}
	frame := c.branchFrameLocked()
	for ch := range c.dist.children {
		c.putChildLocked(ch, frame)
	}
}

// forwardSearch passes a distributed message (code byte and payload, as
// received) to every child unchanged (spec §4.1: "forward raw to
// children").
func (c *Client) forwardSearch(body []byte) {
	d := &c.dist
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.children) == 0 {
		return
	}
	frame := binary.LittleEndian.AppendUint32(make([]byte, 0, 4+len(body)), uint32(len(body)))
	frame = append(frame, body...)
	for ch := range d.children {
		c.putChildLocked(ch, frame)
	}
}

// putChildLocked queues frame for ch; a child whose queue is full is
// disconnected (its reader then removes it). frame is shared between
// children and must not be changed afterwards.
func (c *Client) putChildLocked(ch *distChild, frame []byte) {
	if err := ch.q.put(frame); err != nil {
		ch.conn.Close()
	}
}

// writeChild drains ch's queue into its socket until the child is
// removed; a failed write closes the socket.
func (c *Client) writeChild(ch *distChild) {
	for {
		select {
		case <-ch.q.wake:
		case <-ch.done:
			return
		}
		buf := ch.q.take()
		if buf == nil {
			continue
		}
		ch.conn.SetWriteDeadline(time.Now().Add(c.opts.WriteTimeout))
		if _, err := ch.conn.Write(buf); err != nil {
			ch.conn.Close()
			return
		}
		ch.q.written()
	}
}

// readChild reads a child's socket only to notice when it closes:
// children have nothing to tell a parent today (DistribChildDepth is
// obsolete, spec §4.1), so frames are dropped. A frame above
// maxDistribFrame ends the connection. No idle deadline: a child listens
// quietly; TCP keepalive finds a dead one.
func (c *Client) readChild(ch *distChild) {
	defer c.removeChild(ch)
	br := bufio.NewReader(ch.conn)
	for {
		if _, err := readFrame(br, maxDistribFrame); err != nil {
			return
		}
	}
}

// removeChild forgets ch, closes its socket, stops its writer and tells
// the server if we have room for children again. It is idempotent.
func (c *Client) removeChild(ch *distChild) {
	d := &c.dist
	d.mu.Lock()
	if _, ok := d.children[ch]; !ok {
		d.mu.Unlock()
		return
	}
	before := len(d.childNamesLocked())
	delete(d.children, ch)
	c.updateAcceptingLocked()
	names := d.childNamesLocked()
	d.mu.Unlock()
	c.closeChild(ch)
	if len(names) != before {
		c.events.push(ChildrenChanged{Children: names})
	}
}

// closeChild closes the socket of a child already taken out of
// dist.children and stops its writer. Whoever took it out calls it, once.
func (c *Client) closeChild(ch *distChild) {
	close(ch.done)
	ch.q.close()
	c.untrackConn(ch.conn)
}

// onChildConnectToPeer answers a ConnectToPeer of type D relayed by the
// server: a would-be child could not (or will not only) reach us
// directly, so we connect to it and send PierceFireWall (spec §3.2 step 4)
// and, once through, treat the socket as the child's. Without room we
// answer CantConnectToPeer at once. Bounded by connectSem like P and F.
func (c *Client) onChildConnectToPeer(m *slsk.ConnectToPeerReply) {
	cant := &slsk.CantConnectToPeer{Token: m.Token, Username: m.Username}
	c.dist.mu.Lock()
	ok := c.canAcceptLocked(m.Username, m.IP.Unmap()) // we dial m.IP
	c.dist.mu.Unlock()
	if !ok || m.Port == 0 || m.Port > 65535 {
		c.send(cant)
		return
	}
	select {
	case c.connectSem <- struct{}{}:
	default:
		c.send(cant)
		return
	}
	started := c.spawn(func() {
		defer func() { <-c.connectSem }()
		ctx, cancel := c.peerContext(c.opts.DialTimeout)
		defer cancel()
		conn, err := c.dialPeerAddr(ctx, netip.AddrPortFrom(m.IP, uint16(m.Port)).String())
		if err == nil {
			if err = c.writeInit(conn, &slsk.PierceFirewall{Token: m.Token}); err != nil {
				c.untrackConn(conn)
			}
		}
		if err != nil {
			c.log.Debug("slsk: cannot pierce to child", "user", m.Username, "err", err)
			c.send(cant)
			return
		}
		if !c.acceptChild(conn, m.Username) { // filled up meanwhile
			c.untrackConn(conn)
		}
	})
	if !started {
		<-c.connectSem
	}
}
