package slskclient

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/revival-net/revival/slsk"
)

// rawRemote is a hand-driven remote user: c reaches it through addrHook
// on a listener the test accepts from, and it opens F connections to c's
// listener as an uploader does (spec §3.4).
type rawRemote struct {
	t    *testing.T
	c    *Client
	name string
	ln   net.Listener
}

func newRawRemote(t *testing.T, c *Client, name string) *rawRemote {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	c.addrHook = func(user string) (string, error) {
		if user == name {
			return ln.Addr().String(), nil
		}
		return "", fmt.Errorf("no such user %q", user)
	}
	return &rawRemote{t: t, c: c, name: name, ln: ln}
}

// accept takes the P connection c opens to us and checks its PeerInit.
func (r *rawRemote) accept() *rawPeer {
	r.t.Helper()
	r.ln.(*net.TCPListener).SetDeadline(time.Now().Add(testTimeout))
	conn, err := r.ln.Accept()
	if err != nil {
		r.t.Fatal(err)
	}
	r.t.Cleanup(func() { conn.Close() })
	conn.SetReadDeadline(time.Now().Add(testTimeout))
	body, err := readFrame(conn, slsk.MaxInitFrame)
	if err != nil {
		r.t.Fatal(err)
	}
	init, err := slsk.DecodeInit(body)
	if err != nil {
		r.t.Fatal(err)
	}
	if pi, ok := init.(*slsk.PeerInit); !ok || pi.Type != slsk.ConnTypePeer {
		r.t.Fatalf("first message %+v, want a P PeerInit", init)
	}
	return &rawPeer{t: r.t, conn: conn}
}

// openF opens an F connection to c for the transfer token.
func (r *rawRemote) openF(token uint32) *rawPeer {
	r.t.Helper()
	p := dialRaw(r.t, r.c)
	p.write(append(slsk.AppendInitFrame(nil, &slsk.PeerInit{Username: r.name, Type: slsk.ConnTypeFile}), slsk.AppendFileToken(nil, token)...))
	return p
}

// expect reads the next message and compares it with want.
func (p *rawPeer) expect(want slsk.PeerMessage) {
	p.t.Helper()
	if diff := cmp.Diff(want, p.next()); diff != "" {
		p.t.Fatalf("peer message (-want +got):\n%s", diff)
	}
}

// downloadResult is what a Download running in a goroutine returned.
type downloadResult struct {
	n    int64
	err  error
	data []byte
}

func startDownload(ctx context.Context, c *Client, user, path string) <-chan downloadResult {
	out := make(chan downloadResult, 1)
	go func() {
		var buf bytes.Buffer
		n, err := c.Download(ctx, user, path, &buf, nil)
		out <- downloadResult{n, err, buf.Bytes()}
	}()
	return out
}

func waitResult[T any](t *testing.T, ch <-chan T) T {
	t.Helper()
	timer := time.NewTimer(testTimeout)
	defer timer.Stop()
	select {
	case v := <-ch:
		return v
	case <-timer.C:
		t.Fatal("timed out")
		panic("unreachable")
	}
}

// TestDownloadTakesNewOffer: an uploader that offers the file again
// before its F connection (a new token and size) is answered Allowed, the
// F connection with the new token is served, and one with the old token
// is refused (review finding 6).
func TestDownloadTakesNewOffer(t *testing.T) {
	bob := newTestPeer(t, "bob", Options{})
	carol := newRawRemote(t, bob, "carol")
	data := pattern(5000)
	const file = `S\f.bin`
	done := startDownload(testCtx(t), bob, "carol", file)

	p := carol.accept()
	p.expect(&slsk.QueueUpload{Filename: file})
	p.write(slsk.AppendPeerFrame(nil, &slsk.TransferRequest{Direction: slsk.TransferUpload, Token: 1, Filename: file, Size: 10}))
	p.expect(&slsk.TransferResponse{Token: 1, Allowed: true})
	p.write(slsk.AppendPeerFrame(nil, &slsk.TransferRequest{Direction: slsk.TransferUpload, Token: 2, Filename: file, Size: uint64(len(data))}))
	p.expect(&slsk.TransferResponse{Token: 2, Allowed: true})

	carol.openF(1).expectClosed()
	f := carol.openF(2)
	f.conn.SetDeadline(time.Now().Add(testTimeout))
	off, err := slsk.ReadFileOffset(f.conn)
	if err != nil || off != 0 {
		t.Fatalf("offset %d, %v; want 0", off, err)
	}
	f.write(data)
	res := waitResult(t, done)
	if res.err != nil || res.n != int64(len(data)) || !bytes.Equal(res.data, data) {
		t.Fatalf("Download = %d bytes, %v (equal %v); want %d bytes", res.n, res.err, bytes.Equal(res.data, data), len(data))
	}
}

// TestDownloadGiveUpClosesFileConn: a Download that gives up just as its F
// connection is handed over still closes that socket (review finding 8).
func TestDownloadGiveUpClosesFileConn(t *testing.T) {
	bob := newTestPeer(t, "bob", Options{})
	carol := newRawRemote(t, bob, "carol")
	ctx, cancel := context.WithCancel(testCtx(t))
	defer cancel()
	const file = `S\f.bin`
	done := startDownload(ctx, bob, "carol", file)

	p := carol.accept()
	p.expect(&slsk.QueueUpload{Filename: file})
	p.write(slsk.AppendPeerFrame(nil, &slsk.TransferRequest{Direction: slsk.TransferUpload, Token: 3, Filename: file, Size: 100}))
	p.expect(&slsk.TransferResponse{Token: 3, Allowed: true})

	gaveUp := make(chan downloadResult, 1)
	bob.mu.Lock()
	if len(bob.downloads) != 1 {
		bob.mu.Unlock()
		t.Fatalf("%d downloads, want 1", len(bob.downloads))
	}
	for d := range bob.downloads {
		d.afterClaim = func() { // on bob's goroutine: no t.Fatal here
			cancel()
			timer := time.NewTimer(testTimeout)
			defer timer.Stop()
			select {
			case r := <-done:
				gaveUp <- r
			case <-timer.C:
			}
		}
	}
	bob.mu.Unlock()

	f := carol.openF(3)
	res := waitResult(t, gaveUp)
	if !errors.Is(res.err, context.Canceled) {
		t.Errorf("Download error %v, want context.Canceled", res.err)
	}
	f.expectClosed()
}

// cancelOnWrite is an F socket whose first write finds the Download's
// context ended: the caller gave up while the offset was being sent.
type cancelOnWrite struct {
	net.Conn
	cancel func()
}

func (c *cancelOnWrite) Write([]byte) (int, error) {
	c.cancel()
	return 0, net.ErrClosed
}

// TestDownloadGiveUpWhileSendingOffset: a Download whose context ends as
// it sends the offset reports the context's error, not the closed socket
// (TestDownloadGiveUpClosesFileConn failed now and then that way).
func TestDownloadGiveUpWhileSendingOffset(t *testing.T) {
	bob := newTestPeer(t, "bob", Options{})
	carol := newRawRemote(t, bob, "carol")
	ctx, cancel := context.WithCancel(testCtx(t))
	defer cancel()
	const file = `S\f.bin`
	done := startDownload(ctx, bob, "carol", file)
	carol.accept().expect(&slsk.QueueUpload{Filename: file})

	ours, theirs := net.Pipe()
	defer theirs.Close()
	bob.mu.Lock()
	for d := range bob.downloads {
		d.offered, d.claimed = true, true
		d.fconn <- &cancelOnWrite{Conn: ours, cancel: cancel}
	}
	bob.mu.Unlock()
	if res := waitResult(t, done); !errors.Is(res.err, context.Canceled) {
		t.Errorf("Download error %v, want context.Canceled", res.err)
	}
}

// TestFolderContentsConcurrent: two FolderContents calls to one user, and
// an answer with a token nobody asked for; each call gets the answer to
// its own request (review finding 3).
func TestFolderContentsConcurrent(t *testing.T) {
	bob := newTestPeer(t, "bob", Options{})
	carol := newRawRemote(t, bob, "carol")
	ctx := testCtx(t)
	type result struct {
		folder string
		resp   *slsk.FolderContentsResponse
		err    error
	}
	out := make(chan result, 2)
	for _, folder := range []string{`S\A`, `S\B`} {
		go func() {
			resp, err := bob.FolderContents(ctx, "carol", folder)
			out <- result{folder, resp, err}
		}()
	}
	p := carol.accept()
	tokens := map[string]uint32{}
	for range 2 {
		req, ok := p.next().(*slsk.FolderContentsRequest)
		if !ok {
			t.Fatalf("got %T, want FolderContentsRequest", req)
		}
		tokens[req.Folder] = req.Token
	}
	if len(tokens) != 2 || tokens[`S\A`] == tokens[`S\B`] {
		t.Fatalf("requests %v, want two folders with distinct tokens", tokens)
	}
	answer := func(token uint32, folder string) {
		p.write(slsk.AppendPeerFrame(nil, &slsk.FolderContentsResponse{Token: token, Folder: folder,
			Dirs: []slsk.Dir{{Name: folder, Files: []slsk.File{{Code: 1, Name: "in " + folder}}}}}))
	}
	answer(tokens[`S\A`]^tokens[`S\B`]|1<<30, `S\X`) // a token nobody used
	answer(tokens[`S\B`], `S\B`)
	answer(tokens[`S\A`], `S\A`)
	for range 2 {
		r := waitResult(t, out)
		if r.err != nil {
			t.Fatalf("FolderContents(%s): %v", r.folder, r.err)
		}
		if r.resp.Folder != r.folder || r.resp.Token != tokens[r.folder] {
			t.Errorf("FolderContents(%s) got the answer for %s (token %d)", r.folder, r.resp.Folder, r.resp.Token)
		}
	}
}

// TestDownloadFileSafety covers DownloadFile's local file handling (review
// finding 2).
func TestDownloadFileSafety(t *testing.T) {
	share := t.TempDir()
	one, two := pattern(70_000), bytes.Repeat([]byte("two "), 5000)
	writeTree(t, share, map[string]string{"one/x.bin": string(one), "two/x.bin": string(two)})
	const oneX, twoX = `Shared\one\x.bin`, `Shared\two\x.bin`
	alice, bob := newPeerPair(t, share)
	ctx := testCtx(t)
	fresh := func(t *testing.T) string {
		bob.opts.DownloadDir = t.TempDir()
		if err := os.MkdirAll(filepath.Join(bob.opts.DownloadDir, incompleteDir), 0o755); err != nil {
			t.Fatal(err)
		}
		return bob.opts.DownloadDir
	}
	partOf := func(dir, user, path string) string {
		return filepath.Join(dir, incompleteDir, partName(user, path, "x.bin"))
	}
	readFile := func(t *testing.T, name string) []byte {
		t.Helper()
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}

	t.Run("other partial files are not resumed", func(t *testing.T) {
		dir := fresh(t)
		garbage := bytes.Repeat([]byte{0xee}, 1000)
		for _, p := range []string{filepath.Join(dir, "x.bin.part"), partOf(dir, "carol", oneX), partOf(dir, "alice", twoX)} {
			if err := os.WriteFile(p, garbage, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		name, err := bob.DownloadFile(ctx, "alice", oneX, nil)
		if err != nil {
			t.Fatal(err)
		}
		if name != filepath.Join(dir, "x.bin") || !bytes.Equal(readFile(t, name), one) {
			t.Errorf("DownloadFile wrote %s, not the bytes of %s", name, oneX)
		}
	})

	t.Run("own partial file is resumed", func(t *testing.T) {
		dir := fresh(t)
		part := partOf(dir, "alice", oneX)
		if err := os.WriteFile(part, one[:1000], 0o644); err != nil {
			t.Fatal(err)
		}
		first := int64(-1)
		name, err := bob.DownloadFile(ctx, "alice", oneX, func(done, total int64) {
			if first < 0 {
				first = done
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		if first != 1000 || !bytes.Equal(readFile(t, name), one) {
			t.Errorf("resumed from %d (want 1000); content equal %v", first, bytes.Equal(readFile(t, name), one))
		}
		if _, err := os.Lstat(part); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("partial file left behind: %v", err)
		}
		ev := waitEvent(t, alice, func(ev Event) bool { up, ok := ev.(UploadFinished); return ok && up.Bytes == int64(len(one)-1000) })
		if up := ev.(UploadFinished); up.Err != nil {
			t.Errorf("upload event %+v", up)
		}
	})

	t.Run("symlinked partial file is refused", func(t *testing.T) {
		dir := fresh(t)
		victim := filepath.Join(dir, "victim")
		if err := os.WriteFile(victim, []byte("keep"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(filepath.Join("..", "victim"), partOf(dir, "alice", oneX)); err != nil {
			t.Fatal(err)
		}
		if _, err := bob.DownloadFile(ctx, "alice", oneX, nil); err == nil {
			t.Error("DownloadFile wrote through a symbolic link")
		}
		if got := readFile(t, victim); string(got) != "keep" {
			t.Errorf("the link's target now holds %d bytes", len(got))
		}
	})

	t.Run("a file that appears meanwhile is not replaced", func(t *testing.T) {
		dir := fresh(t)
		final := filepath.Join(dir, "x.bin")
		created := false
		_, err := bob.DownloadFile(ctx, "alice", oneX, func(done, total int64) {
			if !created {
				created = true
				if err := os.WriteFile(final, []byte("theirs"), 0o644); err != nil {
					t.Error(err)
				}
			}
		})
		if err == nil {
			t.Error("DownloadFile succeeded over a file created during the download")
		}
		if got := readFile(t, final); string(got) != "theirs" {
			t.Errorf("the file created meanwhile now holds %d bytes", len(got))
		}
		if got := readFile(t, partOf(dir, "alice", oneX)); !bytes.Equal(got, one) {
			t.Errorf("the downloaded data is not kept in the partial file")
		}
	})

	t.Run("one local name at a time", func(t *testing.T) {
		dir := fresh(t)
		var inner error
		asked := false
		name, err := bob.DownloadFile(ctx, "alice", oneX, func(done, total int64) {
			if !asked {
				asked = true
				_, inner = bob.DownloadFile(ctx, "alice", twoX, nil)
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		if !errors.Is(inner, ErrDownloadBusy) {
			t.Errorf("second DownloadFile to x.bin during the first: %v, want ErrDownloadBusy", inner)
		}
		if !bytes.Equal(readFile(t, name), one) {
			t.Error("x.bin does not hold the first download")
		}
		if _, err := bob.DownloadFile(ctx, "alice", twoX, nil); err == nil {
			t.Error("DownloadFile replaced the finished x.bin")
		}
		if got := readFile(t, filepath.Join(dir, "x.bin")); !bytes.Equal(got, one) {
			t.Error("x.bin changed")
		}
	})
}

func TestLocalName(t *testing.T) {
	tests := []struct{ in, want string }{
		{`Music\Album\01 Song.mp3`, "01 Song.mp3"},
		{`a/b/c.flac`, "c.flac"},
		{`Music\..`, ""},
		{`Music\.`, ""},
		{`Music\`, ""},
		{"Music\\two\nlines.mp3", "two_lines.mp3"},
		{"Music\\\x1b[31mred\x1b[0m.mp3", "_[31mred_[0m.mp3"},
		{"Music\\nul\x00.mp3", "nul_.mp3"},
		{"Music\\c1\u0085\u009b.mp3", "c1__.mp3"},
		{"Music\\\u202egpj.exe", "_gpj.exe"},
		{"Music\\iso\u2066late\u2069.mp3", "iso_late_.mp3"},
		{"Music\\line\u2028sep.mp3", "line_sep.mp3"},
		{"Music\\bad\xffutf8.mp3", "bad_utf8.mp3"},
		{"Music\\Björk – Jóga.mp3", "Björk – Jóga.mp3"},
		{`@@x\.bashrc`, "_bashrc"},
		{`@@x\..hidden`, "__hidden"},
		{`@@x\...`, "___"},
		{`@@x\.incomplete`, "_incomplete"},
		{`@@x\a.b.`, "a.b."},
	}
	for _, tc := range tests {
		if got := localName(tc.in); got != tc.want {
			t.Errorf("localName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestPartName(t *testing.T) {
	a := partName("alice", `S\one\x.bin`, "x.bin")
	for _, other := range []string{partName("bob", `S\one\x.bin`, "x.bin"), partName("alice", `S\two\x.bin`, "x.bin")} {
		if other == a {
			t.Errorf("partName collides: %q", a)
		}
	}
	if a != partName("alice", `S\one\x.bin`, "x.bin") {
		t.Error("partName is not stable")
	}
	long := string(bytes.Repeat([]byte("é"), 200)) // 400 bytes
	if p := partName("u", long, long); len(p) > 255 || !bytes.HasPrefix([]byte(p), []byte("éé")) {
		t.Errorf("partName of a long name: %d bytes %q", len(p), p)
	}
	if got := truncateUTF8("aé", 2); got != "a" {
		t.Errorf("truncateUTF8 split a character: %q", got)
	}
}
