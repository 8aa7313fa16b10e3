package slskclient

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/revival-net/revival/slsk"
)

// testTimeout bounds every wait in these tests; nothing sleeps for a fixed
// time, each step waits for its event with this deadline.
const testTimeout = 120 * time.Second

// newPeerPair returns two server-less clients, "alice" sharing aliceDir
// and "bob" sharing nothing, that reach each other by direct connection
// only (no ConnectToPeer relay: there is no server).
func newPeerPair(t *testing.T, aliceDir string) (alice, bob *Client) {
	t.Helper()
	alice = newTestPeer(t, "alice", Options{ShareDir: aliceDir, ShareName: "Shared"})
	bob = newTestPeer(t, "bob", Options{})
	addrs := map[string]string{"alice": alice.ListenAddr().String(), "bob": bob.ListenAddr().String()}
	hook := func(user string) (string, error) {
		if a, ok := addrs[user]; ok {
			return a, nil
		}
		return "", fmt.Errorf("no such user %q", user)
	}
	alice.addrHook, bob.addrHook = hook, hook
	return alice, bob
}

func newTestPeer(t *testing.T, user string, opts Options) *Client {
	t.Helper()
	opts.ListenAddr = "127.0.0.1:0"
	c, err := newClient(opts)
	if err != nil {
		t.Fatal(err)
	}
	c.user, c.loggedIn = user, true
	t.Cleanup(func() { c.Close() })
	return c
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	t.Cleanup(cancel)
	return ctx
}

// pattern returns n bytes that differ at every offset modulo 251, so a
// misplaced resume offset is caught.
func pattern(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i % 251)
	}
	return b
}

func TestPeerBrowse(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"Album/01.mp3": "abc", "top.flac": "12345"})
	alice, bob := newPeerPair(t, dir)
	ctx := testCtx(t)

	got, err := bob.Browse(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	want := []slsk.Dir{
		{Name: "Shared", Files: []slsk.File{{Code: 1, Name: "top.flac", Size: 5}}},
		{Name: `Shared\Album`, Files: []slsk.File{{Code: 1, Name: "01.mp3", Size: 3}}},
	}
	if diff := cmp.Diff(want, got.Dirs); diff != "" {
		t.Errorf("share list (-want +got):\n%s", diff)
	}

	info, err := bob.GetUserInfo(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if !info.SlotsFree {
		t.Errorf("user info: %+v, want free slots", info)
	}
	fc, err := bob.FolderContents(ctx, "alice", `Shared\Album`)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want[1:], fc.Dirs); diff != "" {
		t.Errorf("folder contents (-want +got):\n%s", diff)
	}
	// One P connection each way is enough: bob's second and third
	// requests reused the first connection.
	alice.mu.Lock()
	_, has := alice.peers["bob"]
	alice.mu.Unlock()
	if !has {
		t.Error("alice has no registered P connection to bob")
	}
}

func TestPeerDownload(t *testing.T) {
	dir := t.TempDir()
	data := pattern(300_000)
	if err := os.WriteFile(filepath.Join(dir, "song.mp3"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	alice, bob := newPeerPair(t, dir)
	ctx := testCtx(t)

	var mu sync.Mutex
	var lastDone, lastTotal int64
	var buf bytes.Buffer
	n, err := bob.Download(ctx, "alice", `Shared\song.mp3`, &buf, func(done, total int64) {
		mu.Lock()
		lastDone, lastTotal = done, total
		mu.Unlock()
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != int64(len(data)) || !bytes.Equal(buf.Bytes(), data) {
		t.Fatalf("got %d bytes, equal=%v; want %d", n, bytes.Equal(buf.Bytes(), data), len(data))
	}
	if lastDone != int64(len(data)) || lastTotal != int64(len(data)) {
		t.Errorf("last progress %d/%d, want %d/%d", lastDone, lastTotal, len(data), len(data))
	}
	ev := waitEvent(t, alice, func(ev Event) bool { _, ok := ev.(UploadFinished); return ok })
	if up := ev.(UploadFinished); up.Err != nil || up.Bytes != int64(len(data)) || up.User != "bob" {
		t.Errorf("upload event %+v", up)
	}

	// Resume: ask for the rest from an offset.
	buf.Reset()
	const off = 123_457
	n, err = bob.DownloadAt(ctx, "alice", `Shared\song.mp3`, off, &buf, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n != int64(len(data)-off) || !bytes.Equal(buf.Bytes(), data[off:]) {
		t.Fatalf("resume got %d bytes, want %d from offset %d", n, len(data)-off, off)
	}
}

func TestPeerDownloadFile(t *testing.T) {
	dir := t.TempDir()
	data := pattern(70_000)
	if err := os.WriteFile(filepath.Join(dir, "a.bin"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	_, bob := newPeerPair(t, dir)
	bob.opts.DownloadDir = t.TempDir()
	// An old-style partial file is ignored: partial files now live in
	// .incomplete/ under a name that includes a hash of user and path
	// (resuming is tested in TestDownloadFileSafety).
	if err := os.WriteFile(filepath.Join(bob.opts.DownloadDir, "a.bin.part"), data[:1000], 0o644); err != nil {
		t.Fatal(err)
	}
	name, err := bob.DownloadFile(testCtx(t), "alice", `Shared\a.bin`, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, data) {
		t.Errorf("downloaded file differs (%d bytes, want %d)", len(got), len(data))
	}
	if _, err := bob.DownloadFile(testCtx(t), "alice", `Shared\a.bin`, nil); err == nil {
		t.Error("second DownloadFile overwrote the finished file")
	}
}

func TestPeerDownloadDenied(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, "share")
	writeTree(t, dir, map[string]string{"ok.mp3": "x"})
	writeTree(t, base, map[string]string{"secret.txt": "secret"})
	_, bob := newPeerPair(t, dir)
	ctx := testCtx(t)
	for _, p := range []string{`Shared\missing.mp3`, `Shared\..\secret.txt`, filepath.Join(base, "secret.txt")} {
		var buf bytes.Buffer
		_, err := bob.Download(ctx, "alice", p, &buf, nil)
		var de *DeniedError
		if !errors.As(err, &de) || de.Reason != slsk.ReasonFileNotShared {
			t.Errorf("Download(%q) error = %v, want UploadDenied %q", p, err, slsk.ReasonFileNotShared)
		}
		if buf.Len() != 0 {
			t.Errorf("Download(%q) wrote %d bytes", p, buf.Len())
		}
	}
}

func TestPeerSearchAnswer(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"Artist/Song One.mp3": "1", "Artist/Other.mp3": "22", "Live/Song Two.mp3": "333"})
	alice, bob := newPeerPair(t, dir)
	ctx := testCtx(t)

	// Register a search on bob by hand (there is no server to send it
	// to), then deliver the query to alice as the server would, embedded
	// in code 93.
	s := &Search{c: bob, Token: 777, Query: "song -live", out: make(chan SearchResult, 4)}
	bob.mu.Lock()
	bob.searches[s.Token] = s
	bob.mu.Unlock()
	payload := slsk.AppendDistribFrame(nil, &slsk.DistribSearch{Unknown: slsk.DistribSearchUnknown, Username: "bob", Token: 777, Query: "song -live"})
	alice.handleServer(&slsk.EmbeddedMessage{Code: payload[4], Payload: payload[5:]})

	select {
	case r := <-s.Results():
		want := SearchResult{User: "alice", Token: 777, SlotFree: true, Files: []slsk.File{{Code: 1, Name: `Shared\Artist\Song One.mp3`, Size: 1}}}
		if diff := cmp.Diff(want, r); diff != "" {
			t.Errorf("result (-want +got):\n%s", diff)
		}
	case <-ctx.Done():
		t.Fatal("no search result")
	}
	// A search with no match, and one from ourselves, get no answer;
	// the excluded-phrase filter applies. (A new search: a search keeps
	// one answer per user.)
	s2 := &Search{c: bob, Token: 778, Query: "song", out: make(chan SearchResult, 4)}
	bob.mu.Lock()
	bob.searches[s2.Token] = s2
	bob.mu.Unlock()
	alice.handleServer(&slsk.ExcludedSearchPhrases{Phrases: []string{"ONE"}})
	alice.handleServer(&slsk.FileSearchReply{Username: "bob", Token: 778, Query: "song"})
	select {
	case r := <-s2.Results():
		if len(r.Files) != 1 || r.Files[0].Name != `Shared\Live\Song Two.mp3` {
			t.Errorf("with excluded phrase: %+v", r.Files)
		}
	case <-ctx.Done():
		t.Fatal("no search result")
	}
}

// waitEvent waits for the first event matching ok.
func waitEvent(t *testing.T, c *Client, ok func(Event) bool) Event {
	t.Helper()
	timer := time.NewTimer(testTimeout)
	defer timer.Stop()
	for {
		select {
		case ev, open := <-c.Events():
			if !open {
				t.Fatal("events channel closed")
			}
			if ok(ev) {
				return ev
			}
		case <-timer.C:
			t.Fatal("timed out waiting for an event")
		}
	}
}
