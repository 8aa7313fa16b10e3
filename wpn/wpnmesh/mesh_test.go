package wpnmesh

import (
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/revival-net/revival/wpn"
	"github.com/revival-net/revival/wpn/wpntest"
)

var cmpOpts = cmp.Options{cmpopts.EquateComparable(netip.Addr{}), cmpopts.EquateEmpty()}

// A search on A finds files on C, two hops away, with C's handle, so
// that whois, PMs, browse and downloads can follow.
func TestSearchTwoHops(t *testing.T) {
	a, _, c := line(t, nil)
	alice := a.h.Login("alice123")
	carol := c.h.Login("carol123")
	shareMusic(carol)

	alice.Send(&wpn.Search{SearchID: 7, Query: "beatles help"})
	hit := wpntest.Expect[*wpn.SearchHit](alice)
	if hit.SearchID != 7 || hit.Path != `C:\Music\The Beatles\Help.mp3` || hit.UserName != carol.FullName ||
		hit.Handle() != c.handle() || hit.Handle().String() != carol.Handle || hit.Size != 3_000_000 {
		t.Fatalf("hit %+v", hit)
	}
	barrier(alice)

	// A hash search too.
	var sum [wpn.HashSize16]byte
	copy(sum[:], "fedcba9876543210")
	alice.Send(&wpn.HashSearch{SearchID: 8, Hash: sum})
	if hit := wpntest.Expect[*wpn.SearchHit](alice); hit.SearchID != 8 || !strings.HasSuffix(hit.Path, "Yesterday.mp3") {
		t.Fatalf("hash hit %+v", hit)
	}
}

// Whois, PMs with receipts both ways, browse and a brokered download
// between users two primaries apart (wpn.md §3.7–§3.11).
func TestRequestsAcrossPrimaries(t *testing.T) {
	a, _, c := line(t, nil)
	alice := a.h.Login("alice123")
	carol := c.h.LoginWith("carol123", wpn.LineCable, 7000)
	shareMusic(carol)
	carol.Send(&wpn.Status{Status: "8995 5 in queue (0 of 3 available)"})
	barrier(carol)

	t.Run("whois", func(t *testing.T) {
		alice.Send(&wpn.Whois{Target: carol.Target()})
		got := wpntest.Expect[*wpn.WhoisReply](alice)
		got.OnlineSeconds = 0
		want := &wpn.WhoisReply{Target: carol.Target(), LineType: wpn.LineCable, Files: 2, Status: "8995 5 in queue (0 of 3 available)"}
		if diff := cmp.Diff(want, got, cmpOpts); diff != "" {
			t.Fatalf("whois (-want +got):\n%s", diff)
		}
		nobody := wpn.Target{Handle: carol.Handle, Name: "nobody000_00001"}
		alice.Send(&wpn.Whois{Target: nobody})
		if f := wpntest.Expect[*wpn.WhoisFailed](alice); f.Target != nobody {
			t.Fatalf("failed whois %+v", f)
		}
	})

	t.Run("pm", func(t *testing.T) {
		alice.Send(&wpn.PrivateMessage{Target: carol.Target(), Text: "hi carol"})
		in := wpntest.Expect[*wpn.IncomingPM](carol)
		if in.Target != alice.Target() || in.Text != "hi carol" {
			t.Fatalf("incoming PM %+v, want from %+v", in, alice.Target())
		}
		carol.Send(&wpn.PMReceipt{Target: in.Target, ID: in.ID, Status: "SENT"})
		if diff := cmp.Diff(&wpn.PMStatus{Target: carol.Target(), Status: wpn.PMSent}, wpntest.Expect[*wpn.PMStatus](alice)); diff != "" {
			t.Fatal(diff)
		}
		// And back, to the handle the PM came from.
		carol.Send(&wpn.PrivateMessage{Target: in.Target, Text: "hi alice"})
		back := wpntest.Expect[*wpn.IncomingPM](alice)
		if back.Target != carol.Target() || back.Text != "hi alice" {
			t.Fatalf("reply PM %+v", back)
		}
		alice.Send(&wpn.PMReceipt{Target: back.Target, ID: back.ID, Status: "User is ignoring you"})
		if st := wpntest.Expect[*wpn.PMStatus](carol); st.Status != wpn.PMIgnoring || st.Target != alice.Target() {
			t.Fatalf("status %+v", st)
		}
		// Nobody by that name on C: "Ofline" comes back from C.
		alice.Send(&wpn.PrivateMessage{Target: wpn.Target{Handle: carol.Handle, Name: "gone000_00009"}, Text: "x"})
		if st := wpntest.Expect[*wpn.PMStatus](alice); st.Status != wpn.PMOffline || st.Name != "gone000_00009" {
			t.Fatalf("offline status %+v", st)
		}
	})

	t.Run("browse", func(t *testing.T) {
		alice.Send(&wpn.Browse{Target: carol.Target()})
		var names []string
		for {
			p := alice.Next()
			if e, ok := p.(*wpn.BrowseEntry); ok {
				if e.Target != carol.Target() {
					t.Fatalf("entry names %+v", e.Target)
				}
				names = append(names, e.FileName)
				continue
			}
			if _, ok := p.(*wpn.BrowseDone); !ok {
				t.Fatalf("got %T", p)
			}
			break
		}
		want := []string{`C:\Music\The Beatles\Help.mp3`, `C:\Music\The Beatles\Yesterday.mp3`}
		if diff := cmp.Diff(want, names); diff != "" {
			t.Fatalf("browse (-want +got):\n%s", diff)
		}
	})

	t.Run("download", func(t *testing.T) {
		file := `C:\Music\The Beatles\Help.mp3`
		alice.Send(&wpn.DownloadRequest{Target: carol.Target(), FileName: file})
		in := wpntest.Expect[*wpn.IncomingDownload](carol)
		if in.Name != alice.FullName || in.Handle != alice.Handle || in.FileName != file {
			t.Fatalf("0x1FB8 %+v", in)
		}
		carol.Send(&wpn.UploadReady{Target: in.Target, FileName: file})
		got := wpntest.Expect[*wpn.StartDownload](alice)
		want := &wpn.StartDownload{Requester: alice.FullName, Target: carol.Target(), FileName: file, IP: loopback, Port: 7000}
		if diff := cmp.Diff(want, got, cmpOpts); diff != "" {
			t.Fatalf("0x1FC2 (-want +got):\n%s", diff)
		}
		alice.Send(&wpn.DownloadRequest{Target: carol.Target(), FileName: `C:\secret.txt`})
		if f := wpntest.Expect[*wpn.DownloadFailed](alice); f.Status != wpn.DownloadNotShared {
			t.Fatalf("status %q", f.Status)
		}
	})
}

// Node lists (0x03A1) carry the other primaries of the mesh, so a
// secondary has somewhere to go when its primary dies.
func TestNodeListsCarryTheMesh(t *testing.T) {
	a, b, c := line(t, nil)
	s := a.h.Dial()
	s.Send(&wpn.Login{BaseName: "dave123", LineType: wpn.LineDSL})
	wpntest.Expect[*wpn.LoginAck](s)
	nl := wpntest.Expect[*wpn.NodeList](s)
	var got []wpn.Handle
	for _, n := range nl.Nodes {
		got = append(got, wpn.Handle{IP: n.IP, UDPPort: n.UDPPort})
	}
	want := []wpn.Handle{a.handle(), b.handle(), c.handle()}
	if diff := cmp.Diff(want, got, cmpOpts); diff != "" {
		t.Fatalf("node list (-want +got):\n%s", diff)
	}
}

// With a hop limit of 1 a search from A reaches B but not C; the same
// search with the default limit finds C's files (TestSearchTwoHops).
func TestSearchHopLimit(t *testing.T) {
	a, b, c := line(t, func(l *Limits) { l.SearchTTL = 1 })
	alice := a.h.Login("alice123")
	bob := b.h.Login("bob123")
	carol := c.h.Login("carol123")
	shareMusic(bob)
	shareMusic(carol)

	alice.Send(&wpn.Search{SearchID: 1, Query: "beatles help"})
	if hit := wpntest.Expect[*wpn.SearchHit](alice); hit.UserName != bob.FullName {
		t.Fatalf("hit %+v", hit)
	}
	// A whois of carol goes A→B→C→B→A behind the search: had B passed
	// the search on, C's hit would arrive before the answer.
	alice.Send(&wpn.Whois{Target: carol.Target()})
	if p := alice.Next(); p.PacketType() != wpn.TypeWhoisReply {
		t.Fatalf("got %T %+v, want only the whois answer", p, p)
	}
	if n := c.m.stats.answered.Load(); n != 0 {
		t.Fatalf("C answered %d searches", n)
	}
}

// In a triangle every search reaches each primary twice; the second copy
// is dropped, so each primary answers once and each hit arrives once.
func TestTriangleLoopSuppression(t *testing.T) {
	a := startNode(t, 7001, nodeOpts{})
	b := startNode(t, 7002, nodeOpts{peers: []*node{a}})
	c := startNode(t, 7003, nodeOpts{peers: []*node{a, b}})
	linked(t, 2, a, b, c)
	knowsAll(t, a, b, c)
	alice := a.h.Login("alice123")
	bob := b.h.Login("bob123")
	carol := c.h.Login("carol123")
	shareMusic(bob)
	shareMusic(carol)

	alice.Send(&wpn.Search{SearchID: 1, Query: "beatles"})
	var got []string
	for range 4 {
		hit := wpntest.Expect[*wpn.SearchHit](alice)
		got = append(got, hit.UserName+" "+hit.Path)
	}
	slices.Sort(got)
	want := []string{
		bob.FullName + ` C:\Music\The Beatles\Help.mp3`, bob.FullName + ` C:\Music\The Beatles\Yesterday.mp3`,
		carol.FullName + ` C:\Music\The Beatles\Help.mp3`, carol.FullName + ` C:\Music\The Beatles\Yesterday.mp3`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("hits (-want +got):\n%s", diff)
	}
	// The flood is over when both second copies were dropped: four
	// copies travel (A→B, A→C, and one between B and C each way or
	// back to A), two of them are news.
	waitUntil(t, "the search's duplicates", func() bool {
		return a.m.stats.searchDuplicates.Load()+b.m.stats.searchDuplicates.Load()+c.m.stats.searchDuplicates.Load() >= 2
	}, a, b, c)
	if n := a.m.stats.searchDuplicates.Load() + b.m.stats.searchDuplicates.Load() + c.m.stats.searchDuplicates.Load(); n != 2 {
		t.Fatalf("%d copies of the search dropped, want 2", n)
	}
	if nb, nc := b.m.stats.answered.Load(), c.m.stats.answered.Load(); nb != 1 || nc != 1 {
		t.Fatalf("answered: B %d, C %d; want once each", nb, nc)
	}
	barrier(alice)
}

// A primary that dies: requests in flight to its users fail, it leaves
// every route table and node list, and new requests fail at once.
func TestPrimaryDies(t *testing.T) {
	a, b, c := line(t, nil)
	alice := a.h.Login("alice123")
	carol := c.h.Login("carol123")
	shareMusic(carol)
	file := `C:\Music\The Beatles\Help.mp3`
	alice.Send(&wpn.DownloadRequest{Target: carol.Target(), FileName: file})
	wpntest.Expect[*wpn.IncomingDownload](carol) // the request is at C, waiting

	c.m.Close()
	_ = c.h.Srv.Close()

	if f := wpntest.Expect[*wpn.DownloadFailed](alice); f.Status != wpn.DownloadTimedOut || f.FileName != file {
		t.Fatalf("failure %+v", f)
	}
	waitUntil(t, "C to leave the mesh", func() bool {
		return !a.m.routes.has(c.handle()) && !b.m.routes.has(c.handle())
	}, a, b)
	for _, n := range a.m.Nodes() {
		if n.UDPPort == c.udp {
			t.Fatalf("A still lists C: %+v", a.m.Nodes())
		}
	}
	alice.Send(&wpn.Whois{Target: carol.Target()})
	wpntest.Expect[*wpn.WhoisFailed](alice)
	alice.Send(&wpn.PrivateMessage{Target: carol.Target(), Text: "still there?"})
	if st := wpntest.Expect[*wpn.PMStatus](alice); st.Status != wpn.PMOffline {
		t.Fatalf("status %+v", st)
	}
	alice.Send(&wpn.Browse{Target: carol.Target()})
	wpntest.Expect[*wpn.BrowseError](alice)
}

// Rooms hosted on C are listed on A after a room query round.
func TestRoomListAcrossPrimaries(t *testing.T) {
	roomsC := rooms{{Users: 3, Limit: 40, Name: "Revival_0100007F1B5B", Topic: "on C"}}
	// A room claiming another host's address is not listed.
	roomsC = append(roomsC, wpn.RoomListEntry{Users: 1, Limit: 9, Name: "Spoof_0200000A1B5B", Topic: "elsewhere"})
	roomsA := rooms{{Users: 1, Limit: 10, Name: "Local_0100007F1B59", Topic: "on A"}}
	a := startNode(t, 7001, nodeOpts{rooms: roomsA})
	c := startNode(t, 7003, nodeOpts{rooms: roomsC})
	b := startNode(t, 7002, nodeOpts{peers: []*node{a, c}})
	knowsAll(t, a, b, c)
	a.m.RefreshRooms()
	waitUntil(t, "C's room on A", func() bool { return len(a.m.AppendRoomList(nil)) == 2 }, a)
	want := []wpn.RoomListEntry{roomsA[0], roomsC[0]}
	if diff := cmp.Diff(want, a.m.AppendRoomList(nil)); diff != "" {
		t.Fatalf("rooms (-want +got):\n%s", diff)
	}
	alice := a.h.Login("alice123")
	alice.Send(&wpn.RoomListRequest{})
	for i := range want {
		if diff := cmp.Diff(&want[i], wpntest.Expect[*wpn.RoomListEntry](alice)); diff != "" {
			t.Fatal(diff)
		}
	}
}

type rooms []wpn.RoomListEntry

func (r rooms) AppendRoomList(dst []wpn.RoomListEntry) []wpn.RoomListEntry { return append(dst, r...) }

// Stopping a search (0x1775) stops the relaying of its hits on every
// primary it reached.
func TestStopSearchCancelsRelays(t *testing.T) {
	a, b, c := line(t, nil)
	alice := a.h.Login("alice123")
	carol := c.h.Login("carol123")
	shareMusic(carol)
	alice.Send(&wpn.Search{SearchID: 5, Query: "yesterday"})
	wpntest.Expect[*wpn.SearchHit](alice)
	alice.Send(&wpn.StopSearch{SearchID: 5})
	waitUntil(t, "the search to be forgotten on B", func() bool {
		b.m.mu.Lock()
		defer b.m.mu.Unlock()
		for _, f := range b.m.floods {
			if f.kind == kindSearch {
				return false
			}
		}
		return true
	}, a, b)
}
