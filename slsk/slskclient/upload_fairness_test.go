package slskclient

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/revival-net/revival/slsk"
)

// rawDownloader is a hand-driven downloader: a P socket to the uploader
// and a listener where the uploader's F connections arrive (the uploader
// resolves the user's address to it).
type rawDownloader struct {
	*rawPeer
	name string
	fl   *net.TCPListener
}

// shareFiles shares n files `S\fK.bin` of 10 bytes each.
func shareFiles(t *testing.T, n int) string {
	t.Helper()
	dir := t.TempDir()
	for i := range n {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%d.bin", i)), []byte("0123456789"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func sharedPath(i int) string { return fmt.Sprintf(`S\f%d.bin`, i) }

// newRawDownloaders points up's address lookup at one F listener per
// name and connects a P socket for each.
func newRawDownloaders(t *testing.T, up *Client, names ...string) map[string]*rawDownloader {
	t.Helper()
	ds := map[string]*rawDownloader{}
	for _, n := range names {
		fl, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { fl.Close() })
		ds[n] = &rawDownloader{name: n, fl: fl.(*net.TCPListener)}
	}
	up.addrHook = func(user string) (string, error) {
		if d, ok := ds[user]; ok {
			return d.fl.Addr().String(), nil
		}
		return "", fmt.Errorf("no such user %q", user)
	}
	for _, n := range names {
		ds[n].connect(t, up)
	}
	return ds
}

// connect opens a new P socket to up as d.
func (d *rawDownloader) connect(t *testing.T, up *Client) {
	d.rawPeer = dialRaw(t, up)
	d.write(slsk.AppendInitFrame(nil, &slsk.PeerInit{Username: d.name, Type: slsk.ConnTypePeer}))
}

func (d *rawDownloader) queue(paths ...string) {
	for _, p := range paths {
		d.write(slsk.AppendPeerFrame(nil, &slsk.QueueUpload{Filename: p}))
	}
}

// await reads P messages until one satisfies ok, skipping the others.
func (r *rawPeer) await(ok func(slsk.PeerMessage) bool) slsk.PeerMessage {
	r.t.Helper()
	for {
		if m := r.next(); ok(m) {
			return m
		}
	}
}

// awaitOffer waits for the uploader's TransferRequest (spec §3.4 step 2).
func (d *rawDownloader) awaitOffer() *slsk.TransferRequest {
	d.t.Helper()
	return d.await(func(m slsk.PeerMessage) bool {
		tr, ok := m.(*slsk.TransferRequest)
		return ok && tr.Direction == slsk.TransferUpload
	}).(*slsk.TransferRequest)
}

// placeInQueue asks for path's place and returns the answer.
func (d *rawDownloader) placeInQueue(path string) *slsk.PlaceInQueueResponse {
	d.t.Helper()
	d.write(slsk.AppendPeerFrame(nil, &slsk.PlaceInQueueRequest{Filename: path}))
	return d.await(func(m slsk.PeerMessage) bool {
		_, ok := m.(*slsk.PlaceInQueueResponse)
		return ok
	}).(*slsk.PlaceInQueueResponse)
}

// allow answers tr with allowed and accepts the F connection that
// follows, checking its PeerInit and token (spec §3.4 steps 3-4).
func (d *rawDownloader) allow(tr *slsk.TransferRequest) net.Conn {
	d.t.Helper()
	d.write(slsk.AppendPeerFrame(nil, &slsk.TransferResponse{Token: tr.Token, Allowed: true}))
	d.fl.SetDeadline(time.Now().Add(testTimeout))
	f, err := d.fl.Accept()
	if err != nil {
		d.t.Fatal(err)
	}
	d.t.Cleanup(func() { f.Close() })
	f.SetDeadline(time.Now().Add(testTimeout))
	body, err := readFrame(f, slsk.MaxInitFrame)
	if err != nil {
		d.t.Fatal(err)
	}
	if init, err := slsk.DecodeInit(body); err != nil || init.(*slsk.PeerInit).Type != slsk.ConnTypeFile {
		d.t.Fatalf("F connection began with %v (err %v)", init, err)
	}
	var tok [4]byte
	if _, err := io.ReadFull(f, tok[:]); err != nil || binary.LittleEndian.Uint32(tok[:]) != tr.Token {
		d.t.Fatalf("F token %x (err %v), want %d", tok, err, tr.Token)
	}
	return f
}

// receive sends offset 0 on an F connection, reads the 10-byte file and
// closes (spec §3.4 steps 5-7).
func receive(t *testing.T, f net.Conn) {
	t.Helper()
	f.Write(binary.LittleEndian.AppendUint64(nil, 0))
	got := make([]byte, 10)
	if _, err := io.ReadFull(f, got); err != nil || !bytes.Equal(got, []byte("0123456789")) {
		t.Fatalf("file bytes %q, err %v", got, err)
	}
	f.Close()
}

func isUploadFinished(user, path string) func(Event) bool {
	return func(ev Event) bool {
		up, ok := ev.(UploadFinished)
		return ok && up.User == user && up.Path == path
	}
}

// TestUploadQueueLimitsPerUser checks that one user cannot fill the
// queue: past its own file or byte limit it is denied (spec §3.3 reasons
// "Too many files", "Too many megabytes"), and another user is still
// served.
func TestUploadQueueLimitsPerUser(t *testing.T) {
	tests := []struct {
		name  string
		files int
		bytes int64
		want  string
	}{
		{"files", 2, 1 << 30, slsk.ReasonTooManyFiles},
		{"bytes", 100, 25, slsk.ReasonTooManyMegabytes},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			alice := newTestPeer(t, "alice", Options{ShareDir: shareFiles(t, 4), ShareName: "S"})
			alice.mu.Lock()
			alice.up.userFiles, alice.up.userBytes = tc.files, tc.bytes
			alice.mu.Unlock()
			ds := newRawDownloaders(t, alice, "greedy", "other")

			ds["greedy"].queue(sharedPath(0), sharedPath(1), sharedPath(2))
			got := ds["greedy"].await(func(m slsk.PeerMessage) bool { _, ok := m.(*slsk.UploadDenied); return ok })
			if diff := cmp.Diff(&slsk.UploadDenied{Filename: sharedPath(2), Reason: tc.want}, got); diff != "" {
				t.Errorf("third file (-want +got):\n%s", diff)
			}
			ds["other"].queue(sharedPath(0))
			if tr := ds["other"].awaitOffer(); tr.Filename != sharedPath(0) {
				t.Errorf("other was offered %q", tr.Filename)
			}
		})
	}
}

// TestUploadSilentPeerHoldsNoSlot checks that a downloader that never
// answers our TransferRequest does not keep the only slot: the next user
// is offered it (after the offer's patience) and downloads.
func TestUploadSilentPeerHoldsNoSlot(t *testing.T) {
	alice := newTestPeer(t, "alice", Options{ShareDir: shareFiles(t, 2), ShareName: "S", UploadSlots: 1, TransferTimeout: time.Hour})
	alice.mu.Lock()
	alice.up.patience = time.Millisecond
	alice.mu.Unlock()
	ds := newRawDownloaders(t, alice, "silent", "other")

	ds["silent"].queue(sharedPath(0))
	ds["silent"].awaitOffer() // and never answered
	ds["other"].queue(sharedPath(1))
	tr := ds["other"].awaitOffer()
	receive(t, ds["other"].allow(tr))
	ev := waitEvent(t, alice, isUploadFinished("other", sharedPath(1))).(UploadFinished)
	if ev.Err != nil || ev.Bytes != 10 {
		t.Errorf("other's upload: %+v", ev)
	}
}

// TestUploadRoundRobin checks that users take turns (the user served least
// recently first) and that PlaceInQueueResponse gives each file's own
// place in that order (spec §3.3 codes 44, 51).
func TestUploadRoundRobin(t *testing.T) {
	alice := newTestPeer(t, "alice", Options{ShareDir: shareFiles(t, 4), ShareName: "S", UploadSlots: 1})
	alice.mu.Lock()
	alice.up.patience = time.Hour // only the turn order decides who is offered
	alice.mu.Unlock()
	ds := newRawDownloaders(t, alice, "greedy", "other")
	greedy, other := ds["greedy"], ds["other"]

	greedy.queue(sharedPath(0), sharedPath(1), sharedPath(2))
	tr := greedy.awaitOffer()
	if tr.Filename != sharedPath(0) {
		t.Fatalf("first offer %q", tr.Filename)
	}
	f := greedy.allow(tr) // the only slot is now busy until f is done
	other.queue(sharedPath(3))

	// Asked on other's socket first, so other's QueueUpload was handled.
	if got := other.placeInQueue(sharedPath(3)); got.Place != 1 {
		t.Errorf("other's place %d, want 1 (it has not been served yet)", got.Place)
	}
	// A file greedy did not queue gets no answer: the next answer is for
	// the file asked after it.
	greedy.write(slsk.AppendPeerFrame(nil, &slsk.PlaceInQueueRequest{Filename: sharedPath(3)}))
	places := []struct {
		path string
		want uint32
	}{{sharedPath(1), 2}, {sharedPath(2), 3}, {sharedPath(0), 0}}
	for _, p := range places {
		if diff := cmp.Diff(&slsk.PlaceInQueueResponse{Filename: p.path, Place: p.want}, greedy.placeInQueue(p.path)); diff != "" {
			t.Errorf("greedy's place (-want +got):\n%s", diff)
		}
	}

	receive(t, f)
	if tr := other.awaitOffer(); tr.Filename != sharedPath(3) {
		t.Errorf("after greedy's first file other was offered %q", tr.Filename)
	}
}

// TestUploadQueueDroppedWithPeer checks that a user's waiting uploads end
// when its last P connection closes, and that it can queue again after.
func TestUploadQueueDroppedWithPeer(t *testing.T) {
	alice := newTestPeer(t, "alice", Options{ShareDir: shareFiles(t, 3), ShareName: "S", UploadSlots: 1, TransferTimeout: time.Hour})
	ds := newRawDownloaders(t, alice, "gone")
	gone := ds["gone"]
	gone.queue(sharedPath(0), sharedPath(1), sharedPath(2))
	gone.awaitOffer()
	gone.conn.Close()

	want := map[string]bool{sharedPath(0): true, sharedPath(1): true, sharedPath(2): true}
	for len(want) > 0 {
		ev := waitEvent(t, alice, func(ev Event) bool { _, ok := ev.(UploadFinished); return ok }).(UploadFinished)
		if !want[ev.Path] || !errors.Is(ev.Err, errPeerGone) {
			t.Fatalf("unexpected %+v", ev)
		}
		delete(want, ev.Path)
	}
	gone.connect(t, alice)
	gone.queue(sharedPath(1))
	if tr := gone.awaitOffer(); tr.Filename != sharedPath(1) {
		t.Errorf("after reconnecting, offered %q", tr.Filename)
	}
}

// TestQueuePlaceEvent checks the downloader's side of spec §3.3 code 44:
// the uploader's PlaceInQueueResponse about a file we are waiting for is
// reported as a QueuePlace event, one about anything else is ignored, and
// PlaceInQueue sends the request.
func TestQueuePlaceEvent(t *testing.T) {
	bob := newTestPeer(t, "bob", Options{})
	pl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pl.Close()
	bob.addrHook = func(string) (string, error) { return pl.Addr().String(), nil }
	ctx, cancel := context.WithCancel(testCtx(t))
	done := make(chan error, 1)
	go func() {
		_, err := bob.Download(ctx, "up", `S\x.bin`, io.Discard, nil)
		done <- err
	}()
	defer func() { cancel(); <-done }()

	pl.(*net.TCPListener).SetDeadline(time.Now().Add(testTimeout))
	conn, err := pl.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	up := &rawPeer{t: t, conn: conn}
	conn.SetReadDeadline(time.Now().Add(testTimeout))
	if _, err := readFrame(conn, slsk.MaxInitFrame); err != nil { // bob's PeerInit
		t.Fatal(err)
	}
	if m, ok := up.next().(*slsk.QueueUpload); !ok || m.Filename != `S\x.bin` {
		t.Fatalf("bob sent %+v, want QueueUpload", m)
	}
	up.write(slsk.AppendPeerFrame(nil, &slsk.PlaceInQueueResponse{Filename: `S\other.bin`, Place: 1}))
	up.write(slsk.AppendPeerFrame(nil, &slsk.PlaceInQueueResponse{Filename: `S\x.bin`, Place: 7}))
	ev := waitEvent(t, bob, func(ev Event) bool { _, ok := ev.(QueuePlace); return ok })
	if diff := cmp.Diff(QueuePlace{User: "up", Path: `S\x.bin`, Place: 7}, ev); diff != "" {
		t.Errorf("event (-want +got):\n%s", diff)
	}
	if err := bob.PlaceInQueue(testCtx(t), "up", `S\x.bin`); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&slsk.PlaceInQueueRequest{Filename: `S\x.bin`}, up.next()); diff != "" {
		t.Errorf("request (-want +got):\n%s", diff)
	}
}
