package slskclient

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/revival-net/revival/slsk"
)

// offerAndExpectRefusal runs a Download of file from carol (sized when
// size >= 0), offers it at offered bytes, and checks the offer is
// answered "Cancelled" and the Download fails with ErrBadSize.
func offerAndExpectRefusal(t *testing.T, opts Options, size int64, offered uint64) {
	t.Helper()
	bob := newTestPeer(t, "bob", opts)
	carol := newRawRemote(t, bob, "carol")
	const file = `@@x\f.bin`
	out := make(chan downloadResult, 1)
	go func() {
		var buf bytes.Buffer
		var n int64
		var err error
		if size >= 0 {
			n, err = bob.DownloadSizedAt(testCtx(t), "carol", file, uint64(size), 0, &buf, nil)
		} else {
			n, err = bob.Download(testCtx(t), "carol", file, &buf, nil)
		}
		out <- downloadResult{n, err, buf.Bytes()}
	}()
	p := carol.accept()
	p.expect(&slsk.QueueUpload{Filename: file})
	p.write(slsk.AppendPeerFrame(nil, &slsk.TransferRequest{Direction: slsk.TransferUpload, Token: 7, Filename: file, Size: offered}))
	p.expect(&slsk.TransferResponse{Token: 7, Reason: slsk.ReasonCancelled})
	if res := waitResult(t, out); !errors.Is(res.err, ErrBadSize) || res.n != 0 {
		t.Fatalf("Download = %d bytes, %v; want ErrBadSize", res.n, res.err)
	}
}

// TestDownloadRefusesHugeSizes is issue 5 finding 11: an uploader that
// announces 2^63 bytes or more (which overflowed int64 and "finished" at
// once with nothing written), or more than Options.MaxDownloadSize, is
// refused.
func TestDownloadRefusesHugeSizes(t *testing.T) {
	t.Run("2^63", func(t *testing.T) { offerAndExpectRefusal(t, Options{}, -1, 1<<63) })
	t.Run("2^64-1", func(t *testing.T) { offerAndExpectRefusal(t, Options{}, -1, 1<<64-1) })
	t.Run("default cap", func(t *testing.T) { offerAndExpectRefusal(t, Options{}, -1, 64<<30+1) })
	t.Run("MaxDownloadSize", func(t *testing.T) { offerAndExpectRefusal(t, Options{MaxDownloadSize: 1000}, -1, 1001) })
}

// TestDownloadRefusesOtherSize: a download started from a search result
// refuses an offer of another size than the result said.
func TestDownloadRefusesOtherSize(t *testing.T) {
	offerAndExpectRefusal(t, Options{}, 5000, 5001)
}

// TestDownloadSizedAccepts: the size the result said, within the cap, is
// accepted and downloaded.
func TestDownloadSizedAccepts(t *testing.T) {
	bob := newTestPeer(t, "bob", Options{MaxDownloadSize: 5000})
	carol := newRawRemote(t, bob, "carol")
	data := pattern(5000)
	const file = `@@x\f.bin`
	out := make(chan downloadResult, 1)
	go func() {
		var buf bytes.Buffer
		n, err := bob.DownloadSizedAt(testCtx(t), "carol", file, uint64(len(data)), 0, &buf, nil)
		out <- downloadResult{n, err, buf.Bytes()}
	}()
	p := carol.accept()
	p.expect(&slsk.QueueUpload{Filename: file})
	p.write(slsk.AppendPeerFrame(nil, &slsk.TransferRequest{Direction: slsk.TransferUpload, Token: 7, Filename: file, Size: uint64(len(data))}))
	p.expect(&slsk.TransferResponse{Token: 7, Allowed: true})
	f := carol.openF(7)
	f.conn.SetDeadline(time.Now().Add(testTimeout))
	if off, err := slsk.ReadFileOffset(f.conn); err != nil || off != 0 {
		t.Fatalf("offset %d, %v", off, err)
	}
	f.write(data)
	if res := waitResult(t, out); res.err != nil || !bytes.Equal(res.data, data) {
		t.Fatalf("Download = %d bytes, %v", res.n, res.err)
	}
}

// TestDownloadFileNoDotFiles: a peer's `@@x\.bashrc` is saved as
// `_bashrc`; no file whose name starts with '.' is created in
// DownloadDir (issue 5 finding 11).
func TestDownloadFileNoDotFiles(t *testing.T) {
	dir := t.TempDir()
	bob := newTestPeer(t, "bob", Options{DownloadDir: dir})
	carol := newRawRemote(t, bob, "carol")
	data := []byte("echo pwned\n")
	const file = `@@x\.bashrc`
	type result struct {
		name string
		err  error
	}
	out := make(chan result, 1)
	go func() {
		name, err := bob.DownloadFileSized(testCtx(t), "carol", file, uint64(len(data)), nil)
		out <- result{name, err}
	}()
	p := carol.accept()
	p.expect(&slsk.QueueUpload{Filename: file})
	p.write(slsk.AppendPeerFrame(nil, &slsk.TransferRequest{Direction: slsk.TransferUpload, Token: 3, Filename: file, Size: uint64(len(data))}))
	p.expect(&slsk.TransferResponse{Token: 3, Allowed: true})
	f := carol.openF(3)
	f.conn.SetDeadline(time.Now().Add(testTimeout))
	if _, err := slsk.ReadFileOffset(f.conn); err != nil {
		t.Fatal(err)
	}
	f.write(data)
	res := waitResult(t, out)
	if res.err != nil || res.name != filepath.Join(dir, "_bashrc") {
		t.Fatalf("DownloadFile = %q, %v; want %s", res.name, res.err, filepath.Join(dir, "_bashrc"))
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != incompleteDir && e.Name()[0] == '.' {
			t.Errorf("DownloadFile created %s", e.Name())
		}
	}
	if got, err := os.ReadFile(res.name); err != nil || !bytes.Equal(got, data) {
		t.Errorf("_bashrc holds %q, %v", got, err)
	}
}
