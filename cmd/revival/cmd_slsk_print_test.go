package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/revival-net/revival/slsk/slskclient"
	"github.com/revival-net/revival/slsk/slsktest"
)

func TestPrintable(t *testing.T) {
	tests := []struct{ in, want string }{
		{`Music\Artist\song.mp3`, `Music\Artist\song.mp3`},
		{"Café – naïve.flac", "Café – naïve.flac"},
		{"two\nlines", `"two\nlines"`},
		{"tab\there", `"tab\there"`},
		{"\x1b[2Jclear", `"\x1b[2Jclear"`},
		{"bad \xff utf8", `"bad \xff utf8"`},
		{"", ""},
	}
	for _, tc := range tests {
		if got := printable(tc.in); got != tc.want {
			t.Errorf("printable(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
	err := printableError{errors.New("denied:\nfake line")}
	if err.Error() != `"denied:\nfake line"` || !errors.Is(err, err.err) {
		t.Errorf("printableError = %s", err.Error())
	}
}

// TestSlskPrintsPeerNamesSafely checks review finding 13 end to end: a
// shared file whose name holds a newline prints as one quoted line in
// search and browse output, not as a forged second line.
func TestSlskPrintsPeerNamesSafely(t *testing.T) {
	h := slsktest.Start(t)
	dir := filepath.Join(t.TempDir(), "Music")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	evil := "evil\nbob\t1\tfake.mp3"
	if err := os.WriteFile(filepath.Join(dir, evil), []byte("abc"), 0o644); err != nil {
		t.Skipf("cannot create a file named %q: %v", evil, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	alice, err := slskclient.Dial(ctx, h.Addr, slskclient.Options{ShareDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer alice.Close()
	if _, err := alice.Login(ctx, "alice", "pw-alice"); err != nil {
		t.Fatal(err)
	}
	as := func(args ...string) []string {
		return append(args, "--server", h.Addr, "--user", "bob", "--password", "pw-bob")
	}
	quoted := `"Music\\evil\nbob\t1\tfake.mp3"`
	out, _ := runSlskOK(t, as("search", "--wait", "2s", "evil")...)
	if want := "alice\t3\t" + quoted + "\n"; out != want {
		t.Errorf("search printed %q, want %q", out, want)
	}
	out, _ = runSlskOK(t, as("browse", "alice")...)
	if want := "3\t" + quoted + "\n"; out != want {
		t.Errorf("browse printed %q, want %q", out, want)
	}
	if strings.Count(out, "\n") != 1 {
		t.Errorf("browse printed %d lines for one file", strings.Count(out, "\n"))
	}
}
