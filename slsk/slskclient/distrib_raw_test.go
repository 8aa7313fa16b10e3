package slskclient

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/revival-net/revival/slsk"
)

// rawD is a hand-driven socket playing a distributed parent or child, to
// check our D bytes against the spec (§4.1, §4.2).
type rawD struct {
	t    *testing.T
	conn net.Conn
}

// dialChild connects to c's listener as the would-be child user.
func dialChild(t *testing.T, c *Client, user string) *rawD {
	t.Helper()
	r := &rawD{t: t, conn: dialRaw(t, c).conn}
	r.write(slsk.AppendInitFrame(nil, &slsk.PeerInit{Username: user, Type: slsk.ConnTypeDistrib}))
	return r
}

// listenParent offers c a parent candidate named user listening on a
// fresh port and returns the socket c opens to it (spec §4.2 step 1).
func listenParent(t *testing.T, c *Client, user string) *rawD {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	a := ln.Addr().(*net.TCPAddr)
	c.handleServer(&slsk.PossibleParents{Parents: []slsk.PossibleParent{{Username: user, IP: a.AddrPort().Addr(), Port: uint32(a.Port)}}})
	ln.(*net.TCPListener).SetDeadline(time.Now().Add(testTimeout))
	conn, err := ln.Accept()
	if err != nil {
		t.Fatalf("%s was not contacted: %v", user, err)
	}
	t.Cleanup(func() { conn.Close() })
	return &rawD{t: t, conn: conn}
}

func (r *rawD) write(b []byte) {
	r.t.Helper()
	r.conn.SetWriteDeadline(time.Now().Add(testTimeout))
	if _, err := r.conn.Write(b); err != nil {
		r.t.Fatal(err)
	}
}

func (r *rawD) send(ms ...slsk.DistribMessage) {
	r.t.Helper()
	var b []byte
	for _, m := range ms {
		b = slsk.AppendDistribFrame(b, m)
	}
	r.write(b)
}

// expect reads exactly len(want) bytes and compares them.
func (r *rawD) expect(want []byte) {
	r.t.Helper()
	r.conn.SetReadDeadline(time.Now().Add(testTimeout))
	got := make([]byte, len(want))
	if _, err := io.ReadFull(r.conn, got); err != nil {
		r.t.Fatalf("reading %d bytes: %v", len(want), err)
	}
	if !bytes.Equal(got, want) {
		r.t.Fatalf("got bytes\n% x\nwant\n% x", got, want)
	}
}

// expectClosed checks that the other side closed the socket.
func (r *rawD) expectClosed() {
	r.t.Helper()
	(&rawPeer{t: r.t, conn: r.conn}).expectClosed()
}

func branchBytes(level int32, root string) []byte {
	b := slsk.AppendDistribFrame(nil, &slsk.DistribBranchLevel{Level: level})
	return slsk.AppendDistribFrame(b, &slsk.DistribBranchRoot{Root: root})
}

func waitChildren(t *testing.T, c *Client, want ...string) {
	t.Helper()
	waitEvent(t, c, func(ev Event) bool {
		cc, ok := ev.(ChildrenChanged)
		return ok && cmp.Equal(cc.Children, want)
	})
}

// TestDistribChildBytes plays two children of a root with room for one:
// the first gets DistribBranchLevel(0) and DistribBranchRoot(self) right
// away, then the server's search (the capture's code 93 from spec §4.2)
// as a plain DistribSearch; a second socket from the same child (the race
// of spec §3.2) is accepted, a second child is refused, and a child that
// announces an oversized frame is dropped.
func TestDistribChildBytes(t *testing.T) {
	alice := newTestPeer(t, "alice", Options{MaxChildren: 1})
	kid := dialChild(t, alice, "kid")
	kid.expect(unhex(t, `05000000 04 00000000 0a000000 05 05000000 "alice"`))
	waitChildren(t, alice, "kid")

	// spec §4.2: EmbeddedMessage 20000000 5d000000 | 03 | 31000000 ...
	search := unhex(t, `03 31000000 05000000 "ghost" 09030000 06000000 "artist"`)
	alice.handleServer(&slsk.EmbeddedMessage{Code: search[0], Payload: search[1:]})
	kid.expect(append(unhex(t, `1c000000`), search...))
	if got := alice.Tree().ServerSearches; got != 1 {
		t.Errorf("ServerSearches = %d, want 1", got)
	}

	twin := dialChild(t, alice, "kid")
	twin.expect(branchBytes(0, "alice"))
	dialChild(t, alice, "other").expectClosed()
	twin.conn.Close()
	alice.handleServer(&slsk.EmbeddedMessage{Code: search[0], Payload: search[1:]})
	kid.expect(append(unhex(t, `1c000000`), search...))

	kid.write(unhex(t, `01000100`)) // length 0x10001 > maxDistribFrame
	kid.expectClosed()
	waitChildren(t, alice)
}

// TestDistribParentBytes plays alice's parent: alice connects with
// PeerInit "D" (spec §4.2 step 1), adopts it on level and root, takes
// over level changes and passes them to her own child, answers and
// forwards searches (plain and in SoulseekQt's embedded form, spec §4.1),
// and becomes a root again when the parent sends garbage.
func TestDistribParentBytes(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"Artist/song.mp3": "12345"})
	alice := newTestPeer(t, "alice", Options{ShareDir: dir, ShareName: "Shared", MaxChildren: 1})
	bob := newTestPeer(t, "bob", Options{})
	addrs := map[string]string{"alice": alice.ListenAddr().String(), "bob": bob.ListenAddr().String()}
	hook := func(user string) (string, error) { return addrs[user], nil }
	alice.addrHook, bob.addrHook = hook, hook
	s := &Search{c: bob, Token: 777, Query: "song", out: make(chan SearchResult, 4)}
	bob.mu.Lock()
	bob.searches[s.Token] = s
	bob.mu.Unlock()

	papa := listenParent(t, alice, "papa")
	papa.expect(unhex(t, `13000000 01 05000000 "alice" 01000000 "D" 00000000`))
	papa.send(&slsk.DistribBranchLevel{Level: 3}, &slsk.DistribBranchRoot{Root: "top"})
	if diff := cmp.Diff(ParentChanged{Parent: "papa", Level: 4, Root: "top"}, waitParent(t, alice, "papa")); diff != "" {
		t.Errorf("adoption (-want +got):\n%s", diff)
	}

	kid := dialChild(t, alice, "kid")
	kid.expect(branchBytes(4, "top"))
	waitChildren(t, alice, "kid")
	papa.send(&slsk.DistribBranchLevel{Level: 5})
	kid.expect(branchBytes(6, "top"))
	waitParent(t, alice, "papa") // the level change

	ds := slsk.AppendDistribFrame(nil, &slsk.DistribSearch{Unknown: 49, Username: "bob", Token: 777, Query: "song"})
	papa.write(ds)
	kid.expect(ds)
	want := SearchResult{User: "alice", Token: 777, SlotFree: true, Files: []slsk.File{{Code: 1, Name: `Shared\Artist\song.mp3`, Size: 5}}}
	if diff := cmp.Diff(want, firstResult(t, s)); diff != "" {
		t.Errorf("answer to the parent's search (-want +got):\n%s", diff)
	}
	// SoulseekQt form: 00 00 00 before the embedded code (spec §4.1). A
	// new search token: a search keeps one answer per user.
	s2 := &Search{c: bob, Token: 778, Query: "song", out: make(chan SearchResult, 4)}
	bob.mu.Lock()
	bob.searches[s2.Token] = s2
	bob.mu.Unlock()
	ds2 := slsk.AppendDistribFrame(nil, &slsk.DistribSearch{Unknown: 49, Username: "bob", Token: 778, Query: "song"})
	papa.write(slsk.AppendDistribFrame(nil, &slsk.DistribEmbeddedMessage{Code: ds2[4], Payload: ds2[5:]}))
	kid.expect(ds2)
	firstResult(t, s2)
	if got := alice.Tree(); got.ParentSearches != 2 || got.ServerSearches != 0 {
		t.Errorf("searches from parent %d, from server %d; want 2 and 0", got.ParentSearches, got.ServerSearches)
	}

	papa.write(unhex(t, `03000000 04 0102`)) // a level two bytes short
	papa.expectClosed()
	if diff := cmp.Diff(ParentChanged{Root: "alice"}, waitParent(t, alice, "")); diff != "" {
		t.Errorf("after the bad message (-want +got):\n%s", diff)
	}
	kid.expect(branchBytes(0, "alice"))
}

// TestDistribParentRefused checks candidates alice must not adopt: a
// branch rooted at herself (a cycle), impossible levels, one that closes
// before telling its place.
func TestDistribParentRefused(t *testing.T) {
	tests := []struct {
		name string
		send []slsk.DistribMessage
	}{
		{"own branch", []slsk.DistribMessage{&slsk.DistribBranchLevel{Level: 2}, &slsk.DistribBranchRoot{Root: "alice"}}},
		{"negative level", []slsk.DistribMessage{&slsk.DistribBranchLevel{Level: -1}, &slsk.DistribBranchRoot{Root: "x"}}},
		{"too deep", []slsk.DistribMessage{&slsk.DistribBranchLevel{Level: maxBranchLevel}, &slsk.DistribBranchRoot{Root: "x"}}},
		{"silent", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			alice := newTestPeer(t, "alice", Options{})
			papa := listenParent(t, alice, "papa")
			papa.expect(unhex(t, `13000000 01 05000000 "alice" 01000000 "D" 00000000`))
			if tc.send != nil {
				papa.send(tc.send...)
			} else {
				papa.conn.(*net.TCPConn).CloseWrite()
			}
			papa.expectClosed()
			if tr := alice.Tree(); tr.Parent != "" || tr.Level != 0 || tr.Root != "alice" {
				t.Errorf("tree state %+v, want a root", tr)
			}
		})
	}
}

// TestDistribDisabled: with DisableDistributed parent offers are ignored,
// and without MaxChildren (the default) D sockets are closed at once.
func TestDistribDisabled(t *testing.T) {
	off := newTestPeer(t, "off", Options{DisableDistributed: true, MaxChildren: 5})
	off.handleServer(&slsk.PossibleParents{Parents: []slsk.PossibleParent{{Username: "papa", IP: netip.MustParseAddr("127.0.0.1"), Port: 1}}})
	off.dist.mu.Lock()
	seeking := off.dist.seek != 0
	off.dist.mu.Unlock()
	if seeking {
		t.Error("a client with DisableDistributed looks for a parent")
	}
	dialChild(t, off, "kid").expectClosed()
	dialChild(t, newTestPeer(t, "plain", Options{}), "kid").expectClosed()
}

// TestDistribReset: ResetDistributed (spec §4.3 item 4) drops the parent
// and every child.
func TestDistribReset(t *testing.T) {
	alice := newTestPeer(t, "alice", Options{MaxChildren: 2})
	papa := listenParent(t, alice, "papa")
	papa.send(&slsk.DistribBranchLevel{Level: 0}, &slsk.DistribBranchRoot{Root: "papa"})
	waitParent(t, alice, "papa")
	kid := dialChild(t, alice, "kid")
	waitChildren(t, alice, "kid")
	alice.handleServer(&slsk.ResetDistributed{})
	papa.expectClosed()
	waitParent(t, alice, "")
	kid.expectClosed()
	waitChildren(t, alice)
}

// TestDistribChildReconnects: a child that comes back while its sockets
// from an earlier attempt are still open here (it gave up on them, our
// readers have not seen them close yet) is accepted: a child may hold two
// attempts' sockets, and one more replaces the oldest. Refusing it until
// our readers caught up made the child's next search for a parent fail
// (TestDistribReparent hung). A socket claiming the child's name from
// another host replaces nothing.
func TestDistribChildReconnects(t *testing.T) {
	alice := newTestPeer(t, "alice", Options{MaxChildren: 1})
	var socks []*rawD
	for range maxConnsPerChild {
		s := dialChild(t, alice, "kid")
		s.expect(branchBytes(0, "alice"))
		socks = append(socks, s)
	}
	waitChildren(t, alice, "kid")

	fresh := dialChild(t, alice, "kid")
	fresh.expect(branchBytes(0, "alice"))
	socks[0].expectClosed()
	search := unhex(t, `03 31000000 05000000 "ghost" 09030000 06000000 "artist"`)
	alice.handleServer(&slsk.EmbeddedMessage{Code: search[0], Payload: search[1:]})
	for _, s := range append(socks[1:], fresh) {
		s.expect(append(unhex(t, `1c000000`), search...))
	}

	elsewhere, far := net.Pipe() // its remote host is not 127.0.0.1
	defer far.Close()
	if alice.acceptChild(elsewhere, "kid") {
		t.Error("another socket for kid from another host was accepted")
	}
	elsewhere.Close()
	if tr := alice.Tree(); !cmp.Equal(tr.Children, []string{"kid"}) {
		t.Errorf("children %v, want [kid]", tr.Children)
	}
}

// TestDistribOfferAfterAdoption: adopting a parent ends the search for
// one, even while the attempts that lost are still being wound down. A
// parent lost in that window makes us report HaveNoParent(1), and the
// offer the server answers with must start a new search; it was ignored
// as an offer during the old one, and the child stayed a root until the
// server's next periodic round (TestDistribReparent hung).
func TestDistribOfferAfterAdoption(t *testing.T) {
	alice := newTestPeer(t, "alice", Options{})
	d := &alice.dist
	d.mu.Lock()
	d.seeks++
	id := d.seeks
	d.seek = id // a search whose losing attempts are still open
	d.mu.Unlock()

	ours, papa := net.Pipe()
	defer papa.Close()
	if !alice.adoptParent(&parentOffer{user: "papa", conn: ours, br: bufio.NewReader(ours), level: 0, root: "papa"}) {
		t.Fatal("papa not adopted")
	}
	waitParent(t, alice, "papa")
	papa.Close()
	waitParent(t, alice, "")

	next := listenParent(t, alice, "nana") // the server's next offer
	next.expect(unhex(t, `13000000 01 05000000 "alice" 01000000 "D" 00000000`))
	d.endSeek(id) // the old search ends last and must not end the new one
	d.mu.Lock()
	running := d.seek != 0
	d.mu.Unlock()
	if !running {
		t.Error("the end of the old search ended the new one")
	}
}
