package slskclient

import (
	"net"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/revival-net/revival/slsk"
)

// The distributed search network (spec §4) in three files: this one holds
// the tree state and what the server says about it; distrib_parent.go finds
// and follows a parent (our role as a child); distrib_children.go accepts
// children and passes searches down (our role as a parent).

const (
	// maxDistribFrame bounds one frame on a D connection. D traffic is
	// searches and branch level/root, each far below a kilobyte (queries
	// are capped at 256 bytes by servers, spec §2 code 26).
	maxDistribFrame = 64 << 10
	// maxBranchLevel is the deepest level we accept. Real branches are a
	// handful of levels deep; a parent whose level keeps growing is part
	// of a cycle (each member re-announcing level+1 to the next), so we
	// leave it instead of circulating level updates for ever.
	maxBranchLevel = 256
	// maxParentTries is how many candidates of one PossibleParents we
	// try at once: the server sends at most 10 (spec §4.3 item 3), and a
	// longer list must not cost a goroutine and sockets per entry.
	maxParentTries = 10
)

// distNet is our place in the distributed tree (spec §4.2). Its mutex is
// taken before Client.mu, never the other way round, and messages to the
// server and to children are queued while holding it, so they leave in
// the order of the state changes they report.
type distNet struct {
	mu        sync.Mutex
	parent    *distParent // nil while we are a branch root
	seek      uint64      // the running search for a parent (seekParent), 0 when none
	seeks     uint64      // searches for a parent started, to number them
	level     int32       // 0 as a root, else the parent's level + 1
	root      string      // the root of our branch; ourselves as a root
	children  map[*distChild]struct{}
	childSeq  uint64 // numbers child sockets in order of acceptance
	accepting bool   // the AcceptChildren value the server last heard

	fromServer atomic.Uint64 // searches the server embedded in code 93
	fromParent atomic.Uint64 // searches our parent passed down
}

// distParent is the D connection to our parent (spec §4.2).
type distParent struct {
	user string
	conn net.Conn
}

// TreeState is our place in the distributed search tree (spec §4), as
// returned by Client.Tree.
type TreeState struct {
	Parent   string   // our parent; "" while we are a branch root
	Level    int32    // 0 as a root, else the parent's level + 1
	Root     string   // the root of our branch (ourselves as a root)
	Children []string // the users we pass searches to, sorted
	// ServerSearches counts the searches the server sent us as a branch
	// root (EmbeddedMessage, code 93); ParentSearches those our parent
	// passed down. Once we have a parent the server stops the first kind.
	ServerSearches uint64
	ParentSearches uint64
}

// ParentChanged reports that we adopted a distributed parent or lost it
// (Parent "", we are a branch root again), with our new level and root
// (spec §4.2).
type ParentChanged struct {
	Parent string
	Level  int32
	Root   string
}

// ChildrenChanged reports the users we now pass searches to after a
// distributed child joined or left (spec §4.2).
type ChildrenChanged struct{ Children []string }

func (ParentChanged) event()   {}
func (ChildrenChanged) event() {}

// Tree returns our place in the distributed search tree.
func (c *Client) Tree() TreeState {
	d := &c.dist
	d.mu.Lock()
	st := TreeState{Level: d.level, Root: d.root, Children: d.childNamesLocked()}
	if d.parent != nil {
		st.Parent = d.parent.user
	}
	d.mu.Unlock()
	if st.Root == "" {
		st.Root = c.Username()
	}
	st.ServerSearches = d.fromServer.Load()
	st.ParentSearches = d.fromParent.Load()
	return st
}

// distLogin resets the tree state for a new login as user, a branch root
// (spec §4.2: Login reports HaveNoParent(1), BranchRoot(self),
// BranchLevel(0)), and returns the AcceptChildren value to report.
func (c *Client) distLogin(user string) bool {
	d := &c.dist
	d.mu.Lock()
	defer d.mu.Unlock()
	d.level, d.root = 0, user
	d.accepting = c.wantChildrenLocked()
	return d.accepting
}

// onPossibleParents handles the server's parent candidates (spec §4.2,
// code 102): unless we already have a parent or are looking for one, try
// them all at once in the background; the first that sends its level and
// root becomes our parent.
func (c *Client) onPossibleParents(m *slsk.PossibleParents) {
	if c.opts.DisableDistributed || !c.isLoggedIn() {
		return
	}
	self := c.Username()
	d := &c.dist
	d.mu.Lock()
	if d.parent != nil || d.seek != 0 {
		d.mu.Unlock()
		c.log.Debug("slsk: ignoring parent offer", "have_parent", d.parent != nil, "offers", len(m.Parents))
		return
	}
	children := d.childNamesLocked()
	var cands []slsk.PossibleParent
	for _, p := range m.Parents {
		if len(cands) == maxParentTries {
			break
		}
		// Never ourselves or one of our children (a cycle), nor an
		// address nobody can dial.
		if p.Username == "" || p.Username == self || slices.Contains(children, p.Username) ||
			!p.IP.IsValid() || p.IP.IsUnspecified() || p.Port == 0 || p.Port > 65535 ||
			slices.ContainsFunc(cands, func(q slsk.PossibleParent) bool { return q.Username == p.Username }) {
			continue
		}
		cands = append(cands, p)
	}
	if len(cands) == 0 {
		d.mu.Unlock()
		return
	}
	c.log.Debug("slsk: looking for a distributed parent", "candidates", len(cands))
	d.seeks++
	id := d.seeks
	d.seek = id
	d.mu.Unlock()
	if !c.spawn(func() { c.seekParent(id, cands) }) {
		d.endSeek(id)
	}
}

// endSeek records that the search for a parent numbered id is over,
// unless a newer one runs already.
func (d *distNet) endSeek(id uint64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.seek == id {
		d.seek = 0
	}
}

// onResetDistributed handles ResetDistributed (code 130): the server found
// our branch stale (our root is offline, spec §4.3 item 4). We leave our
// parent and children and become a root again, asking for a new parent.
func (c *Client) onResetDistributed() {
	d := &c.dist
	d.mu.Lock()
	p := d.parent
	kids := make([]*distChild, 0, len(d.children))
	for ch := range d.children {
		kids = append(kids, ch)
	}
	d.mu.Unlock()
	if p != nil {
		c.dropParent(p)
	}
	for _, ch := range kids {
		ch.conn.Close() // its reader removes it
	}
}

// onServerSearch handles a search the server embedded in code 93 because
// it sees us as a branch root (spec §4.2): pass it to our children as the
// plain distributed message it carries, and answer it. body is that
// distributed message (code byte and payload).
func (c *Client) onServerSearch(body []byte, s *slsk.DistribSearch) {
	c.dist.fromServer.Add(1)
	c.forwardSearch(body)
	c.answerSearch(s.Username, s.Token, s.Query)
}

// childNamesLocked returns the distinct users among our child sockets,
// sorted (the race of spec §3.2 can leave a child two sockets briefly).
func (d *distNet) childNamesLocked() []string {
	var names []string
	for ch := range d.children {
		if !slices.Contains(names, ch.user) {
			names = append(names, ch.user)
		}
	}
	slices.Sort(names)
	return names
}
