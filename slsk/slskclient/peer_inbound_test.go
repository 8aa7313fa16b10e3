package slskclient

import (
	"bytes"
	"encoding/binary"
	"errors"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/revival-net/revival/internal/wire"
	"github.com/revival-net/revival/slsk"
)

// bombEntries is the number of empty file entries in the issue 5 bomb:
// 3.2 million 21-byte entries, just over the 64 MiB share-list cap once
// inflated, about 350 MiB once decoded into slsk.File values.
const bombEntries = 3_200_000

// shareListBomb returns the body (code and payload) of the issue 5
// SharedFileListResponse: about 160 KiB of zlib. Built once: deflating
// 64 MiB is the costly part of the tests that use it.
var shareListBomb = sync.OnceValue(func() []byte {
	entry := []byte{1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0} // code 1, "", size 0, "", no attributes
	var plain bytes.Buffer
	plain.Write(binary.LittleEndian.AppendUint32(nil, 1)) // one directory
	plain.Write(binary.LittleEndian.AppendUint32(nil, 1))
	plain.WriteString("d")
	plain.Write(binary.LittleEndian.AppendUint32(nil, bombEntries))
	plain.Write(bytes.Repeat(entry, bombEntries))
	plain.Write(make([]byte, 4)) // the always-0 u32
	return append(binary.LittleEndian.AppendUint32(nil, uint32(slsk.PeerCodeSharedFileListResponse)), wire.Deflate(plain.Bytes())...)
})

// framed prefixes a frame body with its u32 length.
func framed(body []byte) []byte {
	return append(binary.LittleEndian.AppendUint32(nil, uint32(len(body))), body...)
}

// allocatedDuring returns the bytes the process allocated while f ran.
// slskclient tests run one at a time, so this is f's cost (and that of
// the client goroutines it drives) plus noise far below the margins the
// tests use.
func allocatedDuring(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// barrier sends a QueueUpload for a file nobody shares and waits for the
// UploadDenied: everything p sent before was handled.
func (p *rawPeer) barrier() {
	p.t.Helper()
	p.write(slsk.AppendPeerFrame(nil, &slsk.QueueUpload{Filename: "barrier"}))
	p.expect(&slsk.UploadDenied{Filename: "barrier", Reason: slsk.ReasonFileNotShared})
}

// TestUnsolicitedAnswersDroppedUnread is issue 5 finding 1: a peer sends
// the client, unasked, the share-list bomb and every other kind of
// answer. Each is dropped without being inflated or even read into
// memory (an 8 MiB UserInfoResponse costs nothing), is counted, and the
// socket keeps working. Before the fix the bomb alone allocated over
// 300 MiB.
func TestUnsolicitedAnswersDroppedUnread(t *testing.T) {
	bob := newTestPeer(t, "bob", Options{})
	bomb := framed(shareListBomb())
	answers := [][]byte{
		bomb,
		slsk.AppendPeerFrame(nil, &slsk.UserInfoResponse{Description: "x", Picture: make([]byte, 8<<20)}),
		slsk.AppendPeerFrame(nil, &slsk.FolderContentsResponse{Token: 1, Folder: `S\A`}),
		slsk.AppendPeerFrame(nil, &slsk.FileSearchResponse{Username: "m", Token: 1, Files: make([]slsk.File, 10)}),
		slsk.AppendPeerFrame(nil, &slsk.TransferResponse{Token: 1, Allowed: true}),
		slsk.AppendPeerFrame(nil, &slsk.PlaceInQueueResponse{Filename: "f", Place: 1}),
		slsk.AppendPeerFrame(nil, &slsk.UploadFailed{Filename: "f"}),
		slsk.AppendPeerFrame(nil, &slsk.UploadDenied{Filename: "f", Reason: "no"}),
	}
	p := dialRaw(t, bob)
	p.write(slsk.AppendInitFrame(nil, &slsk.PeerInit{Username: "mallory", Type: "P", Token: 1}))
	p.barrier()
	got := allocatedDuring(func() {
		for range 12 {
			p.write(bomb)
		}
		for _, a := range answers {
			p.write(a)
		}
		p.barrier()
	})
	want := PeerStats{Unsolicited: 12 + int64(len(answers))}
	if st := bob.PeerStats(); st != want {
		t.Errorf("PeerStats = %+v, want %+v", st, want)
	}
	if got > 4<<20 {
		t.Errorf("dropping unsolicited answers allocated %d bytes; want under 4 MiB", got)
	}
}

// TestAnswerWithWrongTokenDropped: while a FolderContents request and a
// search are running, answers echoing other tokens are dropped after
// peeking at their first bytes, without being inflated; the right ones
// are delivered.
func TestAnswerWithWrongTokenDropped(t *testing.T) {
	bob := newTestPeer(t, "bob", Options{})
	carol := newRawRemote(t, bob, "carol")
	s := searchOn(bob, 777, 8)
	type result struct {
		resp *slsk.FolderContentsResponse
		err  error
	}
	out := make(chan result, 1)
	go func() {
		resp, err := bob.FolderContents(testCtx(t), "carol", `S\A`)
		out <- result{resp, err}
	}()
	p := carol.accept()
	req, ok := p.next().(*slsk.FolderContentsRequest)
	if !ok {
		t.Fatalf("got %T, want FolderContentsRequest", req)
	}
	p.write(slsk.AppendPeerFrame(nil, &slsk.FolderContentsResponse{Token: req.Token + 1, Folder: `S\B`}))
	p.write(slsk.AppendPeerFrame(nil, &slsk.FileSearchResponse{Token: 778, Files: make([]slsk.File, 10)}))
	p.barrier()
	if st := bob.PeerStats(); st != (PeerStats{Unsolicited: 2}) {
		t.Errorf("after two answers to no request: PeerStats = %+v, want 2 unsolicited, none inflated", st)
	}
	p.write(slsk.AppendPeerFrame(nil, &slsk.FolderContentsResponse{Token: req.Token, Folder: `S\A`}))
	if r := waitResult(t, out); r.err != nil || r.resp.Folder != `S\A` {
		t.Fatalf("FolderContents = %+v, %v", r.resp, r.err)
	}
	p.write(slsk.AppendPeerFrame(nil, &slsk.FileSearchResponse{Token: 777, Files: []slsk.File{{Code: 1, Name: "a"}}}))
	if r := firstResult(t, s); r.User != "carol" || len(r.Files) != 1 {
		t.Errorf("search result %+v", r)
	}
	if st := bob.PeerStats(); st != (PeerStats{Unsolicited: 2, Inflated: 2}) {
		t.Errorf("PeerStats = %+v, want 2 unsolicited, 2 inflated", st)
	}
}

// TestSolicitedBombRefused: a share list we asked for is refused at its
// type's cap, as soon as inflating passes it or its entries pass their
// budget: Browse returns the reason, the socket is closed, and the
// refusal allocates a bounded amount where the bomb would decode to
// 350 MiB. The caps are lowered (1 MiB inflated, 1000 entries) so the
// test stays cheap; slsk's tests check the defaults per type.
func TestSolicitedBombRefused(t *testing.T) {
	for _, tc := range []struct {
		name  string
		limit slsk.ZlibLimit
		want  error
	}{
		{"inflated size", slsk.ZlibLimit{Inflated: 1 << 20, Entries: 1 << 30, Decoded: 1 << 40}, wire.ErrInflateTooLarge},
		{"entries", slsk.ZlibLimit{Inflated: 1 << 30, Entries: 1000, Decoded: 1 << 40}, slsk.ErrTooManyEntries},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bob := newTestPeer(t, "bob", Options{})
			bob.peerIn.limit = func(slsk.PeerCode) slsk.ZlibLimit { return tc.limit }
			carol := newRawRemote(t, bob, "carol")
			bomb := framed(shareListBomb())
			errc := make(chan error, 1)
			go func() {
				_, err := bob.Browse(testCtx(t), "carol")
				errc <- err
			}()
			p := carol.accept()
			if _, ok := p.next().(*slsk.SharedFileListRequest); !ok {
				t.Fatal("no SharedFileListRequest")
			}
			var err error
			got := allocatedDuring(func() {
				p.write(bomb)
				err = waitResult(t, errc)
			})
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), "SharedFileListResponse") {
				t.Fatalf("Browse = %v, want %v naming SharedFileListResponse", err, tc.want)
			}
			p.expectClosed()
			if st := bob.PeerStats(); st != (PeerStats{Refused: 1, Inflated: 1}) {
				t.Errorf("PeerStats = %+v, want 1 refused, 1 inflated", st)
			}
			// Inflating stops at the cap; entries stop at the budget, but
			// the whole 64 MiB stream is inflated first (the default cap).
			if max := uint64(24 << 20); tc.want == wire.ErrInflateTooLarge && got > max {
				t.Errorf("refusing the bomb allocated %d bytes; want under %d", got, max)
			}
		})
	}
}

// TestSearchAnswerOverCap: an answer to a running search is inflated
// under the search answer's own cap (slsk.DefaultZlibLimit, far below a
// share list's): 10 files of 1 MiB names are refused whole, counted in
// Dropped and PeerStats, and the socket is closed.
func TestSearchAnswerOverCap(t *testing.T) {
	bob := newTestPeer(t, "bob", Options{})
	s := searchOn(bob, 777, 8)
	name := strings.Repeat("n", 1<<20)
	files := make([]slsk.File, 10)
	for i := range files {
		files[i] = slsk.File{Code: 1, Name: name}
	}
	p := dialRaw(t, bob)
	p.write(slsk.AppendInitFrame(nil, &slsk.PeerInit{Username: "mallory", Type: "P", Token: 1}))
	p.write(slsk.AppendPeerFrame(nil, &slsk.FileSearchResponse{Token: 777, Files: files}))
	p.expectClosed()
	if st := bob.PeerStats(); st != (PeerStats{Refused: 1, Inflated: 1}) {
		t.Errorf("PeerStats = %+v, want 1 refused, 1 inflated", st)
	}
	if n := s.Dropped(); n != 1 {
		t.Errorf("Dropped = %d, want 1", n)
	}
	select {
	case r := <-s.Results():
		t.Errorf("an answer over the cap was kept: %d files", len(r.Files))
	default:
	}
}

// TestSolicitedBadZlib: an answer we asked for that does not inflate
// ends the socket, and Browse says why instead of waiting for its ctx.
func TestSolicitedBadZlib(t *testing.T) {
	bob := newTestPeer(t, "bob", Options{})
	carol := newRawRemote(t, bob, "carol")
	errc := make(chan error, 1)
	go func() {
		_, err := bob.Browse(testCtx(t), "carol")
		errc <- err
	}()
	p := carol.accept()
	if _, ok := p.next().(*slsk.SharedFileListRequest); !ok {
		t.Fatal("no SharedFileListRequest")
	}
	p.write([]byte{8, 0, 0, 0, 5, 0, 0, 0, 'n', 'o', 'p', 'e'})
	if err := waitResult(t, errc); err == nil {
		t.Fatal("Browse of a bad zlib stream succeeded")
	}
	p.expectClosed()
}

// TestInflationSlots: ten answers we asked for arrive at once on ten
// sockets; at most maxInflating are inflated at a time, the others wait
// for a slot, and all are delivered.
func TestInflationSlots(t *testing.T) {
	const n = 10
	bob := newTestPeer(t, "bob", Options{})
	entered, waiting := make(chan struct{}, n), make(chan struct{}, n)
	release := make(chan struct{})
	bob.peerIn.entered = func() { entered <- struct{}{}; <-release }
	bob.peerIn.waiting = func() { waiting <- struct{}{} }
	carol := newRawRemote(t, bob, "carol")
	ctx := testCtx(t)
	type result struct {
		resp *slsk.FolderContentsResponse
		err  error
	}
	out := make(chan result, n)
	for range n {
		go func() {
			resp, err := bob.FolderContents(ctx, "carol", `S\A`)
			out <- result{resp, err}
		}()
	}
	first := carol.accept()
	socks := []*rawPeer{first}
	for len(socks) < n {
		p := dialRaw(t, bob)
		p.write(slsk.AppendInitFrame(nil, &slsk.PeerInit{Username: "carol", Type: "P", Token: 1}))
		socks = append(socks, p)
	}
	for i := range n {
		req, ok := first.next().(*slsk.FolderContentsRequest)
		if !ok {
			t.Fatalf("got %T, want FolderContentsRequest", req)
		}
		socks[i].write(slsk.AppendPeerFrame(nil, &slsk.FolderContentsResponse{Token: req.Token, Folder: `S\A`}))
	}
	in, queued := 0, 0
	for in+queued < n {
		select {
		case <-entered:
			in++
		case <-waiting:
			queued++
		}
	}
	if in != maxInflating {
		t.Errorf("%d answers inflating at once (%d waiting), want %d", in, queued, maxInflating)
	}
	close(release)
	for range n {
		if r := waitResult(t, out); r.err != nil {
			t.Errorf("FolderContents: %v", r.err)
		}
	}
}
