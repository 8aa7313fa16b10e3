package slskclient

import (
	"fmt"
	"io"
	"net"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/revival-net/revival/internal/wire"
	"github.com/revival-net/revival/slsk"
	"github.com/revival-net/revival/slsk/slskserver"
	"github.com/revival-net/revival/slsk/slsktest"
)

// treeServer starts a server that builds a real distributed tree (spec
// §4.3 strategy c): users without a parent are offered PossibleParents and
// get searches as code 93 only while they have none.
func treeServer(t *testing.T) *slsktest.Harness {
	return slsktest.Start(t, func(o *slskserver.Options) { o.Distributed = slskserver.DistribTree })
}

// loginAt is login through addr, which may be a recording proxy.
func loginAt(t *testing.T, addr, user string, opts Options) *Client {
	t.Helper()
	opts.ListenAddr = "127.0.0.1:0"
	ctx := testCtx(t)
	c, err := Dial(ctx, addr, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if _, err := c.Login(ctx, user, "pw-"+user); err != nil {
		t.Fatalf("login %s: %v", user, err)
	}
	return c
}

// serverBarrier returns once the server has handled everything c sent
// before (it reads each connection in order) and c has handled every
// message the server queued for it before its answer. It asks for c's own
// address: the server never pushes code 3 unasked, so unlike a status or
// stats request the answer cannot be a report already on its way.
func serverBarrier(t *testing.T, c *Client) {
	t.Helper()
	if _, err := c.GetPeerAddress(testCtx(t), c.Username()); err != nil {
		t.Fatal(err)
	}
}

// distRecorder is a TCP proxy between one client and the server that
// records the distributed-tree messages the client sends (spec §4.2), so
// a test can check what the server was told.
type distRecorder struct {
	addr   string
	mu     sync.Mutex
	msgs   []slsk.ServerMessage
	next   int           // messages before next were matched already
	notify chan struct{} // capacity 1: something was recorded
}

func startRecorder(t *testing.T, server string) *distRecorder {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	r := &distRecorder{addr: ln.Addr().String(), notify: make(chan struct{}, 1)}
	go func() {
		cl, err := ln.Accept()
		if err != nil {
			return
		}
		defer cl.Close()
		srv, err := net.Dial("tcp", server)
		if err != nil {
			return
		}
		defer srv.Close()
		go func() { io.Copy(cl, srv); cl.Close() }()
		fr := wire.NewFrameReader(io.TeeReader(cl, srv), 1<<20)
		for {
			body, err := fr.Next()
			if err != nil {
				return
			}
			m, err := slsk.DecodeServerRequest(body)
			if err != nil {
				continue
			}
			switch m.(type) {
			case *slsk.HaveNoParent, *slsk.BranchLevel, *slsk.BranchRoot, *slsk.AcceptChildren:
				r.mu.Lock()
				r.msgs = append(r.msgs, m)
				r.mu.Unlock()
				select {
				case r.notify <- struct{}{}:
				default:
				}
			}
		}
	}()
	return r
}

// expect waits until the client has sent want, in this order and with
// no other tree message in between, after what earlier calls matched.
func (r *distRecorder) expect(t *testing.T, want ...slsk.ServerMessage) {
	t.Helper()
	timer := time.NewTimer(testTimeout)
	defer timer.Stop()
	for {
		r.mu.Lock()
		for i := r.next; i+len(want) <= len(r.msgs); i++ {
			if cmp.Equal(want, r.msgs[i:i+len(want)]) {
				r.next = i + len(want)
				r.mu.Unlock()
				return
			}
		}
		got := append([]slsk.ServerMessage(nil), r.msgs[r.next:]...)
		r.mu.Unlock()
		select {
		case <-r.notify:
		case <-timer.C:
			t.Fatalf("the client did not report %s to the server; it sent %s", describe(want), describe(got))
		}
	}
}

func describe(ms []slsk.ServerMessage) string {
	s := "["
	for _, m := range ms {
		s += fmt.Sprintf(" %T%+v", m, m)
	}
	return s + " ]"
}

// waitParent waits for the ParentChanged event that names parent ("" for
// losing one) and returns it.
func waitParent(t *testing.T, c *Client, parent string) ParentChanged {
	t.Helper()
	return waitEvent(t, c, func(ev Event) bool {
		pc, ok := ev.(ParentChanged)
		return ok && pc.Parent == parent
	}).(ParentChanged)
}

// firstResult waits for one result of s.
func firstResult(t *testing.T, s *Search) SearchResult {
	t.Helper()
	select {
	case r, ok := <-s.Results():
		if !ok {
			t.Fatal("search ended without a result")
		}
		return r
	case <-time.After(testTimeout):
		t.Fatal("no search result")
	}
	return SearchResult{}
}

// TestDistribTreeSearch builds the tree p ← {c, s} on a tree-mode server
// and checks the whole path of spec §4.2: c adopts the parent the server
// offers and reports HaveNoParent(0), BranchRoot(p), BranchLevel(1); s's
// search reaches only the root p as code 93, p passes it over D to c, and
// c answers s directly with a FileSearchResponse.
func TestDistribTreeSearch(t *testing.T) {
	h := treeServer(t)
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"Artist/deep song.mp3": "abc", "Artist/other.mp3": "x"})

	p := login(t, h, "p", Options{MaxChildren: 2})
	serverBarrier(t, p) // the server knows p accepts children
	rec := startRecorder(t, h.Addr)
	c := loginAt(t, rec.addr, "c", Options{ShareDir: dir, ShareName: "C"})
	rec.expect(t, &slsk.HaveNoParent{NoParent: true}, &slsk.BranchRoot{Root: "c"},
		&slsk.BranchLevel{Level: 0}, &slsk.AcceptChildren{Accept: false})

	if diff := cmp.Diff(ParentChanged{Parent: "p", Level: 1, Root: "p"}, waitParent(t, c, "p")); diff != "" {
		t.Errorf("c's parent (-want +got):\n%s", diff)
	}
	rec.expect(t, &slsk.HaveNoParent{NoParent: false}, &slsk.BranchRoot{Root: "p"}, &slsk.BranchLevel{Level: 1})
	serverBarrier(t, c) // the server has handled c's HaveNoParent(0)

	// s is offered p too (c refuses children) and joins it.
	s := login(t, h, "s", Options{})
	waitParent(t, s, "p")
	waitEvent(t, p, func(ev Event) bool {
		cc, ok := ev.(ChildrenChanged)
		return ok && cmp.Equal(cc.Children, []string{"c", "s"})
	})

	before := c.Tree()
	ctx := testCtx(t)
	search, err := s.Search(ctx, "deep song")
	if err != nil {
		t.Fatal(err)
	}
	serverBarrier(t, s) // the server has routed the search
	serverBarrier(t, c) // c has read any code 93 the server sent it
	r := firstResult(t, search)
	want := SearchResult{User: "c", Token: search.Token, SlotFree: true,
		Files: []slsk.File{{Code: 1, Name: `C\Artist\deep song.mp3`, Size: 3}}}
	if diff := cmp.Diff(want, r); diff != "" {
		t.Errorf("result (-want +got):\n%s", diff)
	}

	got := c.Tree()
	if got.ServerSearches != before.ServerSearches {
		t.Errorf("c got %d searches from the server after adopting p; the server should send them only to roots",
			got.ServerSearches-before.ServerSearches)
	}
	if got.ParentSearches != before.ParentSearches+1 {
		t.Errorf("c got %d searches from p, want 1", got.ParentSearches-before.ParentSearches)
	}
	if diff := cmp.Diff(TreeState{Parent: "p", Level: 1, Root: "p", ParentSearches: got.ParentSearches}, got); diff != "" {
		t.Errorf("c's tree state (-want +got):\n%s", diff)
	}
	pt := p.Tree()
	if pt.ServerSearches == 0 {
		t.Error("p, the root, did not get the search from the server")
	}
	if diff := cmp.Diff(TreeState{Level: 0, Root: "p", Children: []string{"c", "s"}, ServerSearches: pt.ServerSearches}, pt); diff != "" {
		t.Errorf("p's tree state (-want +got):\n%s", diff)
	}
}

// TestDistribParentLoss: when the parent goes, the child finds out from
// its D socket closing, reports HaveNoParent(1), BranchLevel(0),
// BranchRoot(self), and is a root again: the server's next search reaches
// it as code 93 (spec §4.3 item 4).
func TestDistribParentLoss(t *testing.T) {
	h := treeServer(t)
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"song.mp3": "abc"})

	p := login(t, h, "p", Options{MaxChildren: 1})
	serverBarrier(t, p)
	rec := startRecorder(t, h.Addr)
	c := loginAt(t, rec.addr, "c", Options{ShareDir: dir, ShareName: "C"})
	waitParent(t, c, "p")
	rec.expect(t, &slsk.HaveNoParent{NoParent: false}, &slsk.BranchRoot{Root: "p"}, &slsk.BranchLevel{Level: 1})
	s := login(t, h, "s", Options{DisableDistributed: true})

	p.Close()
	if diff := cmp.Diff(ParentChanged{Level: 0, Root: "c"}, waitParent(t, c, "")); diff != "" {
		t.Errorf("after losing p (-want +got):\n%s", diff)
	}
	rec.expect(t, &slsk.HaveNoParent{NoParent: true}, &slsk.BranchLevel{Level: 0}, &slsk.BranchRoot{Root: "c"})
	serverBarrier(t, c) // the server has handled c's HaveNoParent(1)

	before := c.Tree()
	if before.Parent != "" || before.Level != 0 || before.Root != "c" {
		t.Errorf("c's tree state after losing p: %+v", before)
	}
	search, err := s.Search(testCtx(t), "song")
	if err != nil {
		t.Fatal(err)
	}
	if r := firstResult(t, search); r.User != "c" || len(r.Files) != 1 {
		t.Errorf("result %+v, want c's song", r)
	}
	if got := c.Tree().ServerSearches; got != before.ServerSearches+1 {
		t.Errorf("c got %d searches from the server as a root again, want 1", got-before.ServerSearches)
	}
}

// TestDistribReparent: after losing its parent a child that reports
// HaveNoParent(1) is offered parents at once in tree mode and adopts
// another one, without waiting for the server's periodic offer. The
// server offers one user parents at most every 2 s (minOfferGap), so the
// test moves the server's clock past that instead of sleeping.
func TestDistribReparent(t *testing.T) {
	var clock struct {
		sync.Mutex
		now time.Time
	}
	clock.now = time.Now()
	h := slsktest.Start(t, func(o *slskserver.Options) {
		o.Distributed = slskserver.DistribTree
		o.Now = func() time.Time {
			clock.Lock()
			defer clock.Unlock()
			return clock.now
		}
	})
	// The parents form one shape, p2 below p1, before c comes: p1 reports
	// an upload speed, so the server offers p1 to p2 and never p2 to p1
	// (a candidate is at least as fast as the user it is offered to, spec
	// §4.3 item 3). When they were offered each other at once, one could
	// adopt the other after c had chosen its parent, be reset for naming
	// a root that had just gone (spec §4.3 item 4), and close c's new D
	// socket with its children: c stayed a root until the server's
	// periodic round, past the test's timeout.
	// Room for three: c's attempt at the parent it does not choose holds
	// a D socket there for a moment. With less room that parent could
	// report AcceptChildren(0) just when the server picks c's new
	// candidates.
	p1 := login(t, h, "p1", Options{MaxChildren: 3})
	if err := p1.Send(&slsk.SendUploadSpeed{Speed: 1000}); err != nil {
		t.Fatal(err)
	}
	serverBarrier(t, p1)
	p2 := login(t, h, "p2", Options{MaxChildren: 3})
	waitParent(t, p2, "p1")
	serverBarrier(t, p2) // the server knows p2's place
	c := login(t, h, "c", Options{})
	first := waitEvent(t, c, func(ev Event) bool {
		pc, ok := ev.(ParentChanged)
		return ok && pc.Parent != ""
	}).(ParentChanged)
	parents := map[string]*Client{"p1": p1, "p2": p2}
	other := map[string]string{"p1": "p2", "p2": "p1"}[first.Parent]
	if other == "" {
		t.Fatalf("c adopted %q, want p1 or p2", first.Parent)
	}
	clock.Lock()
	clock.now = clock.now.Add(time.Minute)
	clock.Unlock()
	parents[first.Parent].Close()
	waitParent(t, c, "")
	// c may adopt other while other still hangs below the closed parent
	// (it has not read that socket's end yet): c is then at level 2 under
	// a root that is gone, until other reports its new place, or the
	// server resets c's branch for naming an offline root (spec §4.3 item
	// 4) and c adopts other again. Either way c settles as other's child.
	want := ParentChanged{Parent: other, Level: 1, Root: other}
	waitEvent(t, c, func(ev Event) bool { return ev == Event(want) })
}

// TestDistribPierce: when the child cannot reach the candidate directly,
// its ConnectToPeer type D goes through the server and the parent
// connects back with PierceFireWall (spec §3.2 step 4); that socket
// becomes the D connection. The offer is injected so its address can be
// a dead one; the server runs in roots mode so it offers nothing itself.
func TestDistribPierce(t *testing.T) {
	h := slsktest.Start(t)
	p := login(t, h, "p", Options{MaxChildren: 1})
	c := login(t, h, "c", Options{})
	dead := netip.MustParseAddrPort(deadAddr(t))
	c.handleServer(&slsk.PossibleParents{Parents: []slsk.PossibleParent{{Username: "p", IP: dead.Addr(), Port: uint32(dead.Port())}}})
	waitParent(t, c, "p")
	waitEvent(t, p, func(ev Event) bool {
		cc, ok := ev.(ChildrenChanged)
		return ok && cmp.Equal(cc.Children, []string{"c"})
	})

	// p is now full: a second would-be child asking through the server
	// is refused with CantConnectToPeer at once (spec §3.2 step 6).
	q := h.Login("q")
	q.Send(&slsk.ConnectToPeer{Token: 4242, Username: "p", Type: slsk.ConnTypeDistrib})
	if diff := cmp.Diff(&slsk.CantConnectToPeerReply{Token: 4242}, q.SkipUntil(slsk.CodeCantConnectToPeer)); diff != "" {
		t.Errorf("refusal (-want +got):\n%s", diff)
	}
	if tr := p.Tree(); !cmp.Equal(tr.Children, []string{"c"}) {
		t.Errorf("p's children %v, want [c]", tr.Children)
	}
}
