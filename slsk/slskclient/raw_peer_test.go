package slskclient

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/revival-net/revival/slsk"
	"github.com/revival-net/revival/slsk/slsktest"
)

// rawPeer is a hand-driven peer socket, to check our bytes against the
// spec and to send what a well-behaved client never would.
type rawPeer struct {
	t    *testing.T
	conn net.Conn
}

func dialRaw(t *testing.T, c *Client) *rawPeer {
	t.Helper()
	conn, err := net.Dial("tcp", c.ListenAddr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return &rawPeer{t: t, conn: conn}
}

func (r *rawPeer) write(b []byte) {
	r.t.Helper()
	r.conn.SetWriteDeadline(time.Now().Add(testTimeout))
	if _, err := r.conn.Write(b); err != nil {
		r.t.Fatal(err)
	}
}

func (r *rawPeer) next() slsk.PeerMessage {
	r.t.Helper()
	r.conn.SetReadDeadline(time.Now().Add(testTimeout))
	body, err := readFrame(r.conn, slsk.MaxPeerFrame)
	if err != nil {
		r.t.Fatalf("reading a peer message: %v", err)
	}
	m, err := slsk.DecodePeer(body)
	if err != nil {
		r.t.Fatal(err)
	}
	return m
}

// expectClosed checks that the client closed the socket.
func (r *rawPeer) expectClosed() {
	r.t.Helper()
	r.conn.SetReadDeadline(time.Now().Add(testTimeout))
	_, err := io.Copy(io.Discard, r.conn)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		r.t.Fatal("the client did not close the socket")
	}
}

// TestLegacyDownloadRequest plays a Soulseek.NET-style downloader that
// sends TransferRequest direction 0 (spec §3.4 legacy flow), then checks
// the uploader's whole F-connection conversation byte by byte: PeerInit
// "F", raw u32 token, our raw u64 offset, the bytes from that offset, and
// the uploader waiting for us to close.
func TestLegacyDownloadRequest(t *testing.T) {
	dir := t.TempDir()
	data := pattern(50_000)
	if err := os.WriteFile(filepath.Join(dir, "f.bin"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	alice := newTestPeer(t, "alice", Options{ShareDir: dir, ShareName: "S"})
	fl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer fl.Close()
	alice.addrHook = func(string) (string, error) { return fl.Addr().String(), nil }

	p := dialRaw(t, alice)
	p.write(slsk.AppendInitFrame(nil, &slsk.PeerInit{Username: "legacy", Type: "P", Token: 99}))
	p.write(slsk.AppendPeerFrame(nil, &slsk.TransferRequest{Direction: slsk.TransferDownload, Token: 5, Filename: `S\f.bin`}))
	if diff := cmp.Diff(&slsk.TransferResponse{Token: 5, Reason: slsk.ReasonQueued}, p.next()); diff != "" {
		t.Fatalf("answer to the legacy request (-want +got):\n%s", diff)
	}
	tr, ok := p.next().(*slsk.TransferRequest)
	if !ok || tr.Direction != slsk.TransferUpload || tr.Filename != `S\f.bin` || tr.Size != uint64(len(data)) {
		t.Fatalf("then %+v, want an upload TransferRequest", tr)
	}
	p.write(slsk.AppendPeerFrame(nil, &slsk.TransferResponse{Token: tr.Token, Allowed: true}))

	fl.(*net.TCPListener).SetDeadline(time.Now().Add(testTimeout))
	f, err := fl.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	f.SetDeadline(time.Now().Add(testTimeout))
	body, err := readFrame(f, slsk.MaxInitFrame)
	if err != nil {
		t.Fatal(err)
	}
	init, err := slsk.DecodeInit(body)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&slsk.PeerInit{Username: "alice", Type: "F"}, init); diff != "" {
		t.Errorf("F PeerInit (-want +got):\n%s", diff)
	}
	var tok [4]byte
	if _, err := io.ReadFull(f, tok[:]); err != nil || binary.LittleEndian.Uint32(tok[:]) != tr.Token {
		t.Fatalf("F token %x (err %v), want %d", tok, err, tr.Token)
	}
	const off = 1234
	f.Write(binary.LittleEndian.AppendUint64(nil, off))
	got := make([]byte, len(data)-off)
	if _, err := io.ReadFull(f, got); err != nil || !bytes.Equal(got, data[off:]) {
		t.Fatalf("file bytes from offset: err %v, equal %v", err, bytes.Equal(got, data[off:]))
	}
	// The uploader must not close first (spec §3.4 step 7): its upload is
	// not finished until we close.
	select {
	case ev := <-alice.Events():
		t.Fatalf("event %+v before the downloader closed", ev)
	default:
	}
	f.Close()
	ev := waitEvent(t, alice, func(ev Event) bool { _, ok := ev.(UploadFinished); return ok }).(UploadFinished)
	if ev.Err != nil || ev.Bytes != int64(len(data)-off) || ev.User != "legacy" {
		t.Errorf("upload event %+v", ev)
	}

	// A legacy request for a file we do not share is refused.
	p.write(slsk.AppendPeerFrame(nil, &slsk.TransferRequest{Direction: slsk.TransferDownload, Token: 6, Filename: `S\nope`}))
	if diff := cmp.Diff(&slsk.TransferResponse{Token: 6, Reason: slsk.ReasonFileNotShared}, p.next()); diff != "" {
		t.Errorf("refusal (-want +got):\n%s", diff)
	}
}

// TestPeerInputRobustness sends malformed input to the listener: each
// socket must be closed, and the client must keep serving.
func TestPeerInputRobustness(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"a.mp3": "a"})
	alice := newTestPeer(t, "alice", Options{ShareDir: dir})
	huge := binary.LittleEndian.AppendUint32(nil, 1<<31)
	tests := []struct {
		name  string
		bytes []byte
	}{
		{"huge init frame", huge},
		{"unknown init code", []byte{1, 0, 0, 0, 9}},
		{"empty init frame", []byte{0, 0, 0, 0}},
		{"truncated PeerInit", []byte{5, 0, 0, 0, 1, 200, 0, 0, 0}},
		{"unknown PierceFirewall token", slsk.AppendInitFrame(nil, &slsk.PierceFirewall{Token: 424242})},
		{"D connection", slsk.AppendInitFrame(nil, &slsk.PeerInit{Username: "x", Type: "D"})},
		{"huge P frame", append(slsk.AppendInitFrame(nil, &slsk.PeerInit{Username: "x", Type: "P"}), huge...)},
		{"malformed TransferRequest", append(slsk.AppendInitFrame(nil, &slsk.PeerInit{Username: "x", Type: "P"}), 8, 0, 0, 0, 40, 0, 0, 0, 1, 0, 0, 0)},
		{"F token for no download", append(slsk.AppendInitFrame(nil, &slsk.PeerInit{Username: "x", Type: "F"}), 1, 2, 3, 4)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := dialRaw(t, alice)
			p.write(tc.bytes)
			p.expectClosed()
		})
	}
	// Unknown P codes are skipped, not fatal: the socket still answers.
	p := dialRaw(t, alice)
	p.write(slsk.AppendInitFrame(nil, &slsk.PeerInit{Username: "x", Type: "P"}))
	p.write([]byte{4, 0, 0, 0, 0x39, 0x05, 0, 0})
	p.write(slsk.AppendPeerFrame(nil, &slsk.QueueUpload{Filename: `nope`}))
	if diff := cmp.Diff(&slsk.UploadDenied{Filename: "nope", Reason: slsk.ReasonFileNotShared}, p.next()); diff != "" {
		t.Errorf("after an unknown code (-want +got):\n%s", diff)
	}
}

// TestConnectFailsFast checks the race gives up when both paths failed:
// the user is offline (no address) and the server relays
// CantConnectToPeer, long before the connect timeout.
func TestConnectFailsFast(t *testing.T) {
	h := slsktest.Start(t)
	bob := login(t, h, "bob", Options{PeerConnectTimeout: time.Hour})
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	_, err := bob.Browse(ctx, "ghost")
	if err == nil || errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Browse(ghost) = %v, want a connection failure before the deadline", err)
	}
}

func TestEventQueueDropsOldest(t *testing.T) {
	q := newEventQueue(2)
	for i := range 5 {
		q.push(AdminMessage{Text: string(rune('a' + i))})
	}
	q.close(Disconnected{})
	var got []Event
	for ev := range q.ch {
		got = append(got, ev)
	}
	want := []Event{AdminMessage{Text: "e"}, Disconnected{}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	if n := q.dropped.Load(); n != 4 {
		t.Errorf("dropped %d, want 4", n)
	}
	q.push(AdminMessage{}) // after close: ignored, no panic
}

func TestSendQueueBound(t *testing.T) {
	q := newSendQueue(10)
	if err := q.put(make([]byte, 6)); err != nil {
		t.Fatal(err)
	}
	if err := q.put(make([]byte, 6)); !errors.Is(err, errSendQueueFull) {
		t.Errorf("put past the limit: %v, want errSendQueueFull", err)
	}
	if b := q.take(); len(b) != 6 {
		t.Errorf("take returned %d bytes", len(b))
	}
	ch := q.drained()
	if ch == nil {
		t.Fatal("drained is nil while a write is in progress")
	}
	q.written()
	select {
	case <-ch:
	default:
		t.Error("drained not closed after the write")
	}
	q.close()
	if err := q.put([]byte{1}); !errors.Is(err, ErrClosed) {
		t.Errorf("put after close: %v", err)
	}
}
