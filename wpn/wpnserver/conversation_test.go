package wpnserver_test

import (
	"context"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/revival-net/revival/wpn"
	"github.com/revival-net/revival/wpn/wpnserver"
	"github.com/revival-net/revival/wpn/wpntest"
)

var cmpOpts = cmp.Options{cmpopts.EquateComparable(netip.Addr{}), cmpopts.EquateEmpty()}

var loopback = netip.MustParseAddr("127.0.0.1")

// sync is a barrier: a whois of oneself is answered only after every
// packet c sent before it was handled.
func sync(c *wpntest.Secondary) {
	c.T.Helper()
	c.Send(&wpn.Whois{Target: c.Target()})
	for {
		if _, ok := c.Next().(*wpn.WhoisReply); ok {
			return
		}
	}
}

// wpn.md §3.2: 0x0460 comes first, then the node list with this primary
// first; ids are unique, so full names are too.
func TestLoginSequence(t *testing.T) {
	h := wpntest.Start(t)
	a := h.Login("Gumdrop609")
	b := h.Login("Gumdrop609")
	if a.ID == b.ID || a.FullName == b.FullName {
		t.Fatalf("same id for two secondaries: %d %d", a.ID, b.ID)
	}
	if !strings.HasPrefix(a.FullName, "Gumdrop609_") || len(a.FullName) != len("Gumdrop609_")+5 {
		t.Fatalf("full name %q", a.FullName)
	}
	want := wpn.Handle{IP: loopback, UDPPort: 6257}.String()
	if a.Handle != want {
		t.Fatalf("handle %q, want %q", a.Handle, want)
	}
	if h.Srv.Online() != 2 {
		t.Fatalf("online %d", h.Srv.Online())
	}
}

// A rename (0x03E9 again) keeps the id (wpn.md §3.2 Rename).
func TestRenameKeepsID(t *testing.T) {
	h := wpntest.Start(t)
	a := h.Login("alice123")
	a.Send(&wpn.Login{BaseName: "alicia456", LineType: wpn.LineCable, TransferPort: 6699})
	ack := wpntest.Expect[*wpn.LoginAck](a)
	if ack.ClientID != a.ID {
		t.Fatalf("id %d after rename, was %d", ack.ClientID, a.ID)
	}
	a.FullName = wpn.FullName("alicia456", a.ID)
	b := h.Login("bob123")
	b.Send(&wpn.Whois{Target: a.Target()})
	r := wpntest.Expect[*wpn.WhoisReply](b)
	if r.Name != a.FullName || r.LineType != wpn.LineCable {
		t.Fatalf("whois after rename: %+v", r)
	}
}

// wpn.md §3.8: whois answers line type, time online, file count and the
// last status string; an unknown user gets 0x138B.
func TestWhois(t *testing.T) {
	h := wpntest.Start(t)
	alice := h.Login("alice123")
	bob := h.Login("bob123")
	bob.Send(&wpn.Status{Status: "8995 5 in queue (0 of 3 available)"})
	bob.Send(&wpn.ShareFolder{Folder: `C:\Music`, Files: []wpn.SharedFile{{Name: "a.mp3", Size: 1}, {Name: "b.mp3", Size: 2}}})
	sync(bob)

	alice.Send(&wpn.Whois{Target: bob.Target()})
	got := wpntest.Expect[*wpn.WhoisReply](alice)
	got.OnlineSeconds = 0
	want := &wpn.WhoisReply{Target: bob.Target(), LineType: wpn.LineDSL, Files: 2, Status: "8995 5 in queue (0 of 3 available)"}
	if diff := cmp.Diff(want, got, cmpOpts); diff != "" {
		t.Fatalf("whois (-want +got):\n%s", diff)
	}

	nobody := wpn.Target{Handle: bob.Handle, Name: "nobody000_00001"}
	alice.Send(&wpn.Whois{Target: nobody})
	failed := wpntest.Expect[*wpn.WhoisFailed](alice)
	if failed.Target != nobody {
		t.Fatalf("failed whois names %+v", failed.Target)
	}
}

// wpn.md §3.9: the recipient gets 0x13F6 with a 12-character id and the
// sender's handle and name; its 0x144F receipt returns to the sender as
// 0x13ED with the status.
func TestPrivateMessageAndReceipt(t *testing.T) {
	h := wpntest.Start(t)
	alice := h.Login("alice123")
	bob := h.Login("bob123")

	alice.Send(&wpn.PrivateMessage{Target: bob.Target(), Text: "hi bob"})
	in := wpntest.Expect[*wpn.IncomingPM](bob)
	if in.Target != alice.Target() || in.Text != "hi bob" {
		t.Fatalf("incoming PM %+v", in)
	}
	for _, ch := range in.ID {
		if ch < 0x21 || ch > 0x7E {
			t.Fatalf("message id %q is not printable", in.ID)
		}
	}
	bob.Send(&wpn.PMReceipt{Target: alice.Target(), ID: in.ID, Status: "SENT"})
	st := wpntest.Expect[*wpn.PMStatus](alice)
	if diff := cmp.Diff(&wpn.PMStatus{Target: bob.Target(), Status: wpn.PMSent}, st); diff != "" {
		t.Fatal(diff)
	}

	// An auto-reply travels back as the status.
	alice.Send(&wpn.PrivateMessage{Target: bob.Target(), Text: "again"})
	in = wpntest.Expect[*wpn.IncomingPM](bob)
	bob.Send(&wpn.PMReceipt{Target: alice.Target(), ID: in.ID, Status: "User is ignoring you"})
	if st := wpntest.Expect[*wpn.PMStatus](alice); st.Status != wpn.PMIgnoring {
		t.Fatalf("status %q", st.Status)
	}

	// A receipt nobody waits for is ignored; an unknown recipient is
	// "Ofline" at once.
	bob.Send(&wpn.PMReceipt{Target: alice.Target(), ID: in.ID, Status: "SENT"})
	alice.Send(&wpn.PrivateMessage{Target: wpn.Target{Handle: bob.Handle, Name: "gone000_00009"}, Text: "x"})
	st = wpntest.Expect[*wpn.PMStatus](alice)
	if st.Status != wpn.PMOffline || st.Name != "gone000_00009" {
		t.Fatalf("offline status %+v", st)
	}
}

// A recipient that leaves without a receipt: its senders hear "Ofline".
func TestPMRecipientLeaves(t *testing.T) {
	h := wpntest.Start(t)
	alice := h.Login("alice123")
	bob := h.Login("bob123")
	alice.Send(&wpn.PrivateMessage{Target: bob.Target(), Text: "are you there"})
	wpntest.Expect[*wpn.IncomingPM](bob)
	_ = bob.S.Close()
	if st := wpntest.Expect[*wpn.PMStatus](alice); st.Status != wpn.PMOffline || st.Name != bob.FullName {
		t.Fatalf("status %+v", st)
	}
}

func shareMusic(c *wpntest.Secondary) {
	var h1, h2 [wpn.HashSize]byte
	copy(h1[:], "0123456789abcdef")
	copy(h2[:], "fedcba9876543210")
	c.Send(&wpn.ShareFolder{Folder: `C:\Music\The Beatles`, Files: []wpn.SharedFile{
		{Name: "Help.mp3", Hash: h1, Size: 3_000_000, Media: wpn.Media{Bitrate: 192, SampleFreq: 44100, PlayTime: 140}},
		{Name: "Yesterday.mp3", Hash: h2, Size: 2_000_000, Media: wpn.Media{Bitrate: 128, SampleFreq: 44100, PlayTime: 125}},
	}})
	c.Send(&wpn.ShareFile{Path: `C:\Video\help tutorial.avi`, Size: 9_000_000})
	sync(c)
}

// wpn.md §3.6: a term search is answered from the index, one 0x177A per
// hit, with the owner's handle, line, name and status.
func TestTermSearch(t *testing.T) {
	h := wpntest.Start(t)
	alice := h.Login("alice123")
	bob := h.Login("bob123")
	shareMusic(bob)

	alice.Send(&wpn.Search{SearchID: 7, Query: "beatles help"})
	hit := wpntest.Expect[*wpn.SearchHit](alice)
	if hit.SearchID != 7 || hit.Path != `C:\Music\The Beatles\Help.mp3` || hit.Size != 3_000_000 ||
		hit.UserName != bob.FullName || hit.Status != "9006 6 of 6 available" || hit.LineType != uint8(wpn.LineDSL) ||
		hit.Handle().String() != bob.Handle || hit.Media == nil || hit.Media.Bitrate != 192 {
		t.Fatalf("hit %+v", hit)
	}
	// Only one file matches both words: the next packet answers the
	// barrier, not another hit.
	sync(alice)

	// The searcher's own files are not offered back to it.
	bob.Send(&wpn.Search{SearchID: 8, Query: "yesterday"})
	sync(bob)

	// Min line type above the owner's: nothing.
	alice.Send(&wpn.Search{SearchID: 9, Query: "yesterday", MinLineType: uint8(wpn.LineT3)})
	sync(alice)
}

// wpn.md §3.6: a hash search carries the 16-byte checksum part of the
// 20-byte share hash.
func TestHashSearch(t *testing.T) {
	h := wpntest.Start(t)
	alice := h.Login("alice123")
	bob := h.Login("bob123")
	shareMusic(bob)
	var want [wpn.HashSize16]byte
	copy(want[:], "fedcba9876543210")
	alice.Send(&wpn.HashSearch{SearchID: 3, Hash: want})
	hit := wpntest.Expect[*wpn.SearchHit](alice)
	if hit.SearchID != 3 || !strings.HasSuffix(hit.Path, "Yesterday.mp3") {
		t.Fatalf("hit %+v", hit)
	}
	sync(alice)
}

// wpn.md §3.7: browse streams 0x1BBC entries then 0x1BC6; an unknown
// user gets 0x1BD0.
func TestBrowse(t *testing.T) {
	h := wpntest.Start(t)
	alice := h.Login("alice123")
	bob := h.Login("bob123")
	shareMusic(bob)
	alice.Send(&wpn.Browse{Target: bob.Target()})
	var names []string
	for {
		p := alice.Next()
		if e, ok := p.(*wpn.BrowseEntry); ok {
			if e.Target != bob.Target() {
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
	want := []string{`C:\Music\The Beatles\Help.mp3`, `C:\Music\The Beatles\Yesterday.mp3`, `C:\Video\help tutorial.avi`}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Fatalf("browse (-want +got):\n%s", diff)
	}
	alice.Send(&wpn.Browse{Target: wpn.Target{Handle: bob.Handle, Name: "gone000_00001"}})
	wpntest.Expect[*wpn.BrowseError](alice)

	// Unsharing a folder empties it from browse and search.
	bob.Send(&wpn.UnshareFolder{Folder: `C:\Music\The Beatles`})
	sync(bob)
	alice.Send(&wpn.Search{SearchID: 1, Query: "yesterday"})
	sync(alice)
}

// wpn.md §3.11: 0x1F41 reaches the uploader as 0x1FB8; its 0x1F68
// reaches the downloader as 0x1FC2 with the uploader's address and port.
func TestTransferBrokering(t *testing.T) {
	h := wpntest.Start(t)
	alice := h.Login("alice123")
	bob := h.LoginWith("bob123", wpn.LineCable, 7000)
	shareMusic(bob)
	file := `C:\Music\The Beatles\Help.mp3`

	alice.Send(&wpn.DownloadRequest{Target: bob.Target(), FileName: file})
	in := wpntest.Expect[*wpn.IncomingDownload](bob)
	if in.Name != alice.FullName || in.FileName != file {
		t.Fatalf("0x1FB8 %+v", in)
	}
	bob.Send(&wpn.UploadReady{Target: alice.Target(), FileName: file})
	got := wpntest.Expect[*wpn.StartDownload](alice)
	want := &wpn.StartDownload{Requester: alice.FullName, Target: bob.Target(), FileName: file, IP: loopback, Port: 7000}
	if diff := cmp.Diff(want, got, cmpOpts); diff != "" {
		t.Fatalf("0x1FC2 (-want +got):\n%s", diff)
	}

	// A file bob does not share fails at once.
	alice.Send(&wpn.DownloadRequest{Target: bob.Target(), FileName: `C:\secret.txt`})
	if f := wpntest.Expect[*wpn.DownloadFailed](alice); f.Status != wpn.DownloadNotShared {
		t.Fatalf("status %q", f.Status)
	}
	// A 0x1F68 nobody asked for opens nothing.
	bob.Send(&wpn.UploadReady{Target: alice.Target(), FileName: file})
	sync(bob)
	sync(alice)
}

// A passive uploader (port 0) pushes to a downloader that accepts
// connections: both get a 0x1FC2 naming the other.
func TestTransferToFirewalledUploader(t *testing.T) {
	h := wpntest.Start(t)
	alice := h.LoginWith("alice123", wpn.LineDSL, 6699)
	bob := h.LoginWith("bob123", wpn.LineDSL, 0)
	shareMusic(bob)
	file := `C:\Video\help tutorial.avi`
	alice.Send(&wpn.DownloadRequest{Target: bob.Target(), FileName: file})
	wpntest.Expect[*wpn.IncomingDownload](bob)
	bob.Send(&wpn.UploadReady{Target: alice.Target(), FileName: file})
	if got := wpntest.Expect[*wpn.StartDownload](alice); got.Port != 0 || got.Name != bob.FullName {
		t.Fatalf("downloader's 0x1FC2 %+v", got)
	}
	push := wpntest.Expect[*wpn.StartDownload](bob)
	if push.Name != alice.FullName || push.Port != 6699 || push.IP != loopback || push.FileName != file {
		t.Fatalf("uploader's push 0x1FC2 %+v", push)
	}

	// Both passive: nobody can connect.
	carol := h.LoginWith("carol123", wpn.LineDSL, 0)
	carol.Send(&wpn.DownloadRequest{Target: bob.Target(), FileName: file})
	wpntest.Expect[*wpn.IncomingDownload](bob)
	bob.Send(&wpn.UploadReady{Target: carol.Target(), FileName: file})
	if f := wpntest.Expect[*wpn.DownloadFailed](carol); !strings.Contains(f.Status, "firewalled") {
		t.Fatalf("status %q", f.Status)
	}
}

// The uploader leaving fails its pending downloads.
func TestTransferUploaderLeaves(t *testing.T) {
	h := wpntest.Start(t)
	alice := h.Login("alice123")
	bob := h.Login("bob123")
	shareMusic(bob)
	alice.Send(&wpn.DownloadRequest{Target: bob.Target(), FileName: `C:\Video\help tutorial.avi`})
	wpntest.Expect[*wpn.IncomingDownload](bob)
	_ = bob.S.Close()
	if f := wpntest.Expect[*wpn.DownloadFailed](alice); f.Status != wpn.DownloadTimedOut {
		t.Fatalf("status %q", f.Status)
	}
}

type rooms []wpn.RoomListEntry

func (r rooms) AppendRoomList(dst []wpn.RoomListEntry) []wpn.RoomListEntry { return append(dst, r...) }

// wpn.md §3.10: one 0x238E per room, for an empty or a 4-byte request.
func TestRoomList(t *testing.T) {
	list := rooms{
		{Users: 42, Limit: 500, Name: "WinMXWorld.com Help_EDB41354BABE", Topic: "help"},
		{Users: 1, Limit: 50, Name: "Revival_0100007F1A2B", Topic: "hi"},
	}
	h := wpntest.Start(t, func(o *wpnserver.Options) { o.Rooms = list })
	a := h.Login("alice123")
	a.Send(&wpn.RoomListRequest{})
	for i := range list {
		got := wpntest.Expect[*wpn.RoomListEntry](a)
		if diff := cmp.Diff(&list[i], got); diff != "" {
			t.Fatal(diff)
		}
	}
	if err := a.S.SendFrame(uint16(wpn.TypeRoomListRequest), nil); err != nil { // WPCC's empty form
		t.Fatal(err)
	}
	wpntest.Expect[*wpn.RoomListEntry](a)
	wpntest.Expect[*wpn.RoomListEntry](a)
}

// Anything but 0x03E9 first, or a bad name, is refused without an answer.
func TestLoginRefusals(t *testing.T) {
	h := wpntest.Start(t)
	for name, first := range map[string]wpn.Packet{
		"status first":  &wpn.Status{Status: "x"},
		"empty name":    &wpn.Login{BaseName: ""},
		"long name":     &wpn.Login{BaseName: strings.Repeat("a", 43)},
		"control bytes": &wpn.Login{BaseName: "evil\x1b[2Jname"},
	} {
		c := h.Dial()
		c.FullName = name
		c.Send(first)
		c.ExpectClosed()
	}
}

// A full primary completes the key exchange and closes, so the client
// moves to its next primary (wpn.md §3.13 "Limits").
func TestFullPrimaryCloses(t *testing.T) {
	h := wpntest.Start(t, func(o *wpnserver.Options) { o.Limits.MaxSecondaries = 1 })
	h.Login("alice123")
	c := h.Dial()
	c.Send(&wpn.Login{BaseName: "bob123", LineType: wpn.LineDSL})
	c.ExpectClosed()
}

// Garbage after the handshake decrypts to junk frames: unknown types are
// skipped, undecodable ones counted, and after ten the link is closed;
// the primary goes on serving others.
func TestGarbageAfterLogin(t *testing.T) {
	h := wpntest.Start(t)
	alice := h.Login("alice123")
	evil := h.Login("evil123")
	for range 12 {
		// A search whose id is cut short fails to decode.
		if err := evil.S.SendFrame(uint16(wpn.TypeSearch), []byte{1, 2}); err != nil {
			break
		}
	}
	evil.ExpectClosed()
	sync(alice)
}

// A banned account's name is refused at login and kicked when banned.
func TestBannedName(t *testing.T) {
	h := wpntest.Start(t)
	ctx := context.Background()
	if _, err := h.Hub.Accounts.Register(ctx, "mallory123", "pw"); err != nil {
		t.Fatal(err)
	}
	m := h.Login("mallory123")
	if err := h.Hub.Ban(ctx, "mallory123", time.Now().Add(time.Hour), "spam"); err != nil {
		t.Fatal(err)
	}
	m.ExpectClosed()
	c := h.Dial()
	c.Send(&wpn.Login{BaseName: "mallory123", LineType: wpn.LineDSL})
	c.ExpectClosed()
}
