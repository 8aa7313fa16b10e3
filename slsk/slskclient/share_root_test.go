package slskclient

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestIndexShareSymlinkedRoot checks review finding 10: a share folder
// that is a symlink (a music folder linked from another disk) is shared,
// under the link's own name, and its files open.
func TestIndexShareSymlinkedRoot(t *testing.T) {
	base := t.TempDir()
	real := filepath.Join(base, "disk2", "music")
	writeTree(t, real, map[string]string{"Artist/song.mp3": "12345", "top.flac": "1"})
	link := filepath.Join(base, "Music")
	if err := os.Symlink(real, link); err != nil {
		t.Skipf("cannot create a symlink: %v", err)
	}
	idx, err := indexShare(link, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if idx.files != 2 || idx.name != "Music" {
		t.Fatalf("indexed %d files under %q, want 2 under Music", idx.files, idx.name)
	}
	e, ok := idx.lookup(`Music\Artist\song.mp3`)
	if !ok {
		t.Fatal(`Music\Artist\song.mp3 not found`)
	}
	f, err := idx.open(e)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if b, _ := io.ReadAll(f); string(b) != "12345" {
		t.Errorf("read %q", b)
	}
}

// TestShareWarnsWhenNothingShared checks that a non-empty folder that
// yields no file is reported through the logger, and an empty one is not.
func TestShareWarnsWhenNothingShared(t *testing.T) {
	onlyLinks := t.TempDir()
	if err := os.Symlink("/etc/hostname", filepath.Join(onlyLinks, "a.mp3")); err != nil {
		t.Skipf("cannot create a symlink: %v", err)
	}
	writeTree(t, onlyLinks, map[string]string{".hidden.mp3": "x"})
	tests := []struct {
		name string
		dir  string
		warn bool
	}{
		{"only a symlink and a hidden file", onlyLinks, true},
		{"empty", t.TempDir(), false},
	}
	for _, tc := range tests {
		var buf bytes.Buffer
		c := newTestPeer(t, "alice", Options{ShareDir: tc.dir, Logger: slog.New(slog.NewTextHandler(&buf, nil))})
		// No server in this test: the counts cannot be reported.
		if err := c.Rescan(); err != nil && !errors.Is(err, ErrNotConnected) {
			t.Fatal(err)
		}
		if got := strings.Contains(buf.String(), "no regular file"); got != tc.warn {
			t.Errorf("%s: warned %v, want %v (log %q)", tc.name, got, tc.warn, buf.String())
		}
	}
}
