//go:build unix

package sqlstore

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// wantMode fails the test unless p exists with permissions want.
func wantMode(t *testing.T, p string, want fs.FileMode) {
	t.Helper()
	fi, err := os.Stat(p)
	if err != nil {
		t.Errorf("%s: %v", filepath.Base(p), err)
		return
	}
	if got := fi.Mode().Perm(); got != want {
		t.Errorf("%s: mode %04o, want %04o", filepath.Base(p), got, want)
	}
}

// write makes the store write, which creates the -wal and -shm files.
func write(t *testing.T, s *Store) {
	t.Helper()
	if err := s.Settings().Set(context.Background(), "", "k", "v"); err != nil {
		t.Fatal(err)
	}
}

// The data directory is 0700 and the database, -wal and -shm files 0600
// even under a permissive umask: they hold password hashes and private
// messages, and were 0644 (issue 5, finding 11).
func TestNewStoreFilesArePrivate(t *testing.T) {
	old := syscall.Umask(0o022) // the usual default, which made them 0644
	defer syscall.Umask(old)
	dir := filepath.Join(t.TempDir(), "data")
	s, err := OpenDir(context.Background(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	db := filepath.Join(dir, DBFileName)
	wantMode(t, dir, 0o700)
	wantMode(t, db, 0o600)
	write(t, s)
	for _, p := range []string{db, db + "-wal", db + "-shm"} {
		wantMode(t, p, 0o600)
	}
}

// Files and a directory left readable by an earlier version are made
// private when the store is opened, the WAL files too (they outlive a
// killed server).
func TestExistingStoreFilesAreMadePrivate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	first, err := OpenDir(context.Background(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	write(t, first) // keeps -wal and -shm while first is open
	db := filepath.Join(dir, DBFileName)
	for p, mode := range map[string]fs.FileMode{dir: 0o755, db: 0o644, db + "-wal": 0o644, db + "-shm": 0o644} {
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
	}
	second, err := OpenDir(context.Background(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	wantMode(t, dir, 0o700)
	for _, p := range []string{db, db + "-wal", db + "-shm"} {
		wantMode(t, p, 0o600)
	}
}

// sqliteFilePath finds the file in both forms of dsn Open accepts.
func TestSQLiteFilePath(t *testing.T) {
	for dsn, want := range map[string]string{
		"revival.db":                         "revival.db",
		"/var/lib/revival/revival.db":        "/var/lib/revival/revival.db",
		"file:rel/x.db?cache=shared":         "rel/x.db",
		"file:/abs/x.db":                     "/abs/x.db",
		"file:///abs/a%20b.db?mode=rwc":      "/abs/a b.db",
		"file://localhost/abs/x.db":          "/abs/x.db",
		"file://elsewhere/abs/x.db":          "",
		"file:" + escapeURIPath("/t/?#%.db"): "/t/?#%.db",
	} {
		if got := sqliteFilePath(dsn); got != want {
			t.Errorf("sqliteFilePath(%q) = %q, want %q", dsn, got, want)
		}
	}
}
