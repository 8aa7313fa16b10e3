package slskclient

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// A file queued again while its previous upload to the same user is still
// running gets a fresh offer once that upload ends, instead of being taken
// for a duplicate and never answered (the second Download would wait
// forever).
func TestQueueAgainWhileRunning(t *testing.T) {
	dir := t.TempDir()
	data := pattern(8 << 20)
	if err := os.WriteFile(filepath.Join(dir, "big.bin"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	_, bob := newPeerPair(t, dir)
	ctx := testCtx(t)
	var first, second bytes.Buffer
	secondDone := make(chan error, 1)
	started := false
	if _, err := bob.Download(ctx, "alice", `Shared\big.bin`, &first, func(done, total int64) {
		if !started && done > 0 {
			started = true // the first upload is running: ask again
			go func() {
				_, err := bob.Download(ctx, "alice", `Shared\big.bin`, &second, nil)
				secondDone <- err
			}()
		}
	}); err != nil {
		t.Fatal(err)
	}
	if err := <-secondDone; err != nil {
		t.Fatalf("second download: %v", err)
	}
	if !bytes.Equal(first.Bytes(), data) || !bytes.Equal(second.Bytes(), data) {
		t.Fatal("downloaded bytes differ from the file")
	}
}
