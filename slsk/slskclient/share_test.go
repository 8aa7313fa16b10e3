package slskclient

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// writeTree creates files (slash paths relative to dir) with the given
// contents.
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for rel, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestIndexShare(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"Artist/Album/01 Song.MP3": "12345",
		"Artist/cover.jpg":         "ab",
		"top.flac":                 "xyz",
		".hidden/secret.mp3":       "no",
		"Artist/.partial":          "no",
		`odd\name.mp3`:             "no",
	})
	if err := os.Mkdir(filepath.Join(dir, "Empty"), 0o755); err != nil {
		t.Fatal(err)
	}
	outside := filepath.Join(t.TempDir(), "outside.mp3")
	if err := os.WriteFile(outside, []byte("secret"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "link.mp3")); err != nil {
		t.Fatal(err)
	}

	idx, err := indexShare(dir, "Music", 0)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		Dir   string
		Files []string
	}
	var got []row
	for _, d := range idx.dirs {
		r := row{Dir: d.virtual}
		for _, f := range d.files {
			r.Files = append(r.Files, f.name)
		}
		got = append(got, r)
	}
	want := []row{
		{Dir: "Music", Files: []string{"top.flac"}},
		{Dir: `Music\Artist`, Files: []string{"cover.jpg"}},
		{Dir: `Music\Artist\Album`, Files: []string{"01 Song.MP3"}},
		{Dir: `Music\Empty`},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("dirs (-want +got):\n%s", diff)
	}
	if idx.files != 3 || idx.dirCount() != 4 {
		t.Errorf("files=%d dirs=%d, want 3 and 4", idx.files, idx.dirCount())
	}
	e, ok := idx.lookup(`Music\Artist\Album\01 Song.MP3`)
	if !ok {
		t.Fatal("lookup of a shared file failed")
	}
	if e.size != 5 || e.ext != "mp3" || e.rel != "Artist/Album/01 Song.MP3" {
		t.Errorf("entry = %+v", e)
	}
}

func TestIndexShareDefaultNameAndLimit(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "Shared Stuff")
	writeTree(t, dir, map[string]string{"a.mp3": "a", "b.mp3": "b", "c.mp3": "c"})
	idx, err := indexShare(dir, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := idx.lookup(`Shared Stuff\b.mp3`); !ok {
		t.Errorf("default virtual name: %q not found; dirs=%v", `Shared Stuff\b.mp3`, idx.dirs[0].virtual)
	}
	if _, err := indexShare(dir, "", 2); err == nil {
		t.Error("indexShare with maxFiles=2 over 3 files: want error")
	}
	if _, err := indexShare(filepath.Join(dir, "a.mp3"), "", 0); err == nil {
		t.Error("indexShare of a regular file: want error")
	}
}

// TestSharePathSafety checks that a peer cannot reach anything outside the
// shared folder: crafted virtual paths are not found, and a file swapped
// for an outside symlink after the scan cannot be opened.
func TestSharePathSafety(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, "share")
	writeTree(t, dir, map[string]string{"sub/song.mp3": "music"})
	writeTree(t, base, map[string]string{"secret.txt": "secret"})
	idx, err := indexShare(dir, "Shared", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{
		`Shared\..\secret.txt`,
		`Shared\sub\..\..\secret.txt`,
		`..\secret.txt`,
		`Shared/sub/song.mp3`,
		`shared\sub\song.mp3`,
		filepath.Join(base, "secret.txt"),
		"",
	} {
		if _, ok := idx.lookup(p); ok {
			t.Errorf("lookup(%q) found a file", p)
		}
	}
	e, ok := idx.lookup(`Shared\sub\song.mp3`)
	if !ok {
		t.Fatal("shared file not found")
	}
	f, err := idx.open(e)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(f)
	f.Close()
	if string(b) != "music" {
		t.Errorf("read %q", b)
	}

	// Swap the file for a symlink that leaves the share.
	p := filepath.Join(dir, "sub", "song.mp3")
	if err := os.Remove(p); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(base, "secret.txt"), p); err != nil {
		t.Fatal(err)
	}
	if f, err := idx.open(e); err == nil {
		f.Close()
		t.Error("open followed a symlink out of the share")
	}
	// Swap the parent directory for a symlink that leaves the share.
	if err := os.RemoveAll(filepath.Join(dir, "sub")); err != nil {
		t.Fatal(err)
	}
	writeTree(t, base, map[string]string{"evil/song.mp3": "secret"})
	if err := os.Symlink(filepath.Join(base, "evil"), filepath.Join(dir, "sub")); err != nil {
		t.Fatal(err)
	}
	if f, err := idx.open(e); err == nil {
		f.Close()
		t.Error("open followed a directory symlink out of the share")
	}
}
