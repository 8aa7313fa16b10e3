package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/revival-net/revival/slsk/slskclient"
	"github.com/revival-net/revival/slsk/slsktest"
)

// lineWriter collects output and signals every complete line, so tests
// wait for a line instead of sleeping.
type lineWriter struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	lines chan string
}

func newLineWriter() *lineWriter { return &lineWriter{lines: make(chan string, 100)} }

func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	for {
		i := bytes.IndexByte(w.buf.Bytes(), '\n')
		if i < 0 {
			return len(p), nil
		}
		line := string(w.buf.Next(i + 1))
		select {
		case w.lines <- strings.TrimSuffix(line, "\n"):
		default:
		}
	}
}

// waitLine waits for a line containing substr.
func (w *lineWriter) waitLine(t *testing.T, substr string) string {
	t.Helper()
	timeout := time.NewTimer(20 * time.Second)
	defer timeout.Stop()
	for {
		select {
		case l := <-w.lines:
			if strings.Contains(l, substr) {
				return l
			}
		case <-timeout.C:
			t.Fatalf("no output line containing %q", substr)
		}
	}
}

// runBackground runs a long-lived `revival slsk` command until the test
// cancels it, and returns its stdout and a stop function that waits for
// the command's exit code.
func runBackground(t *testing.T, args ...string) (*lineWriter, func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out, errw := newLineWriter(), &bytes.Buffer{}
	done := make(chan int, 1)
	go func() { done <- runSlsk(ctx, args, out, errw) }()
	var once sync.Once
	code := 0
	stop := func() int {
		once.Do(func() {
			cancel()
			select {
			case code = <-done:
			case <-time.After(20 * time.Second):
				t.Errorf("%v did not stop", args)
			}
		})
		return code
	}
	t.Cleanup(func() { stop() })
	return out, stop
}

func runSlskOK(t *testing.T, args ...string) (stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if code := runSlsk(ctx, args, &o, &e); code != 0 {
		t.Fatalf("revival slsk %s: exit %d, stderr:\n%s", strings.Join(args, " "), code, e.String())
	}
	return o.String(), e.String()
}

func TestSlskCommands(t *testing.T) {
	h := slsktest.Start(t)
	dir := filepath.Join(t.TempDir(), "Music")
	data := bytes.Repeat([]byte("0123456789"), 30_000)
	if err := os.MkdirAll(filepath.Join(dir, "Artist"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "Artist", "test_song.mp3"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	as := func(user string, args ...string) []string {
		return append(args, "--server", h.Addr, "--user", user, "--password", "pw-"+user)
	}

	// A library client watches what the commands do from the outside.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	carol, err := slskclient.Dial(ctx, h.Addr, slskclient.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer carol.Close()
	if _, err := carol.Login(ctx, "carol", "pw-carol"); err != nil {
		t.Fatal(err)
	}

	shareOut, stopShare := runBackground(t, as("alice", "share", dir)...)
	shareOut.waitLine(t, "sharing 1 files in 2 folders")

	out, errOut := runSlskOK(t, as("bob", "search", "--wait", "2s", "artist", "song")...)
	want := fmt.Sprintf("alice\t%d\tMusic\\Artist\\test_song.mp3\n", len(data))
	if out != want {
		t.Errorf("search printed %q, want %q", out, want)
	}
	if !strings.Contains(errOut, "1 files from 1 users") {
		t.Errorf("search summary: %q", errOut)
	}
	shareOut.waitLine(t, `search "artist song" from bob: 1 files`)

	outDir := t.TempDir()
	// A size other than the one search printed is refused (issue 5
	// finding 11), and nothing is published.
	var getOut, getErr bytes.Buffer
	wrong := fmt.Sprint(len(data) + 1)
	if code := runSlsk(ctx, as("bob", "get", "--out", outDir, "--size", wrong, "alice", `Music\Artist\test_song.mp3`), &getOut, &getErr); code == 0 || !strings.Contains(getErr.String(), "unacceptable size") {
		t.Errorf("get --size %s: exit %d, stderr %q; want a size refusal", wrong, code, getErr.String())
	}
	if _, err := os.Stat(filepath.Join(outDir, "test_song.mp3")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused download left test_song.mp3: %v", err)
	}
	out, errOut = runSlskOK(t, as("bob", "get", "--out", outDir, "--size", fmt.Sprint(len(data)), "alice", `Music\Artist\test_song.mp3`)...)
	got, err := os.ReadFile(filepath.Join(outDir, "test_song.mp3"))
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("downloaded file: %d bytes, err %v; want %d bytes", len(got), err, len(data))
	}
	if strings.TrimSpace(out) != filepath.Join(outDir, "test_song.mp3") {
		t.Errorf("get printed %q", out)
	}
	if !strings.Contains(errOut, "(100%)") {
		t.Errorf("no final progress line in %q", errOut)
	}
	shareOut.waitLine(t, "uploaded Music\\Artist\\test_song.mp3 to bob")

	out, _ = runSlskOK(t, as("bob", "browse", "alice")...)
	if want := fmt.Sprintf("%d\tMusic\\Artist\\test_song.mp3\n", len(data)); out != want {
		t.Errorf("browse printed %q, want %q", out, want)
	}

	if _, err := carol.JoinRoom(ctx, "lobby"); err != nil {
		t.Fatal(err)
	}
	runSlskOK(t, as("bob", "say", "lobby", "hello", "room")...)
	waitFor(t, carol, func(ev slskclient.Event) bool {
		m, ok := ev.(slskclient.RoomMessage)
		return ok && m == slskclient.RoomMessage{Room: "lobby", User: "bob", Text: "hello room"}
	})

	runSlskOK(t, as("bob", "pm", "carol", "psst")...)
	waitFor(t, carol, func(ev slskclient.Event) bool {
		m, ok := ev.(slskclient.PrivateMessage)
		return ok && m.User == "bob" && m.Text == "psst"
	})

	watchOut, stopWatch := runBackground(t, as("bob", "watch", "carol")...)
	watchOut.waitLine(t, "carol\tonline")
	if err := carol.SetStatus(1); err != nil {
		t.Fatal(err)
	}
	watchOut.waitLine(t, "carol\taway")
	if code := stopWatch(); code != 0 {
		t.Errorf("watch exited with %d", code)
	}
	if code := stopShare(); code != 0 {
		t.Errorf("share exited with %d", code)
	}
}

func TestSlskUsage(t *testing.T) {
	tests := [][]string{
		nil,
		{"nope"},
		{"get", "only-user"},
		{"say", "room"},
		{"search", "--server"},
	}
	for _, args := range tests {
		var o, e bytes.Buffer
		if code := runSlsk(context.Background(), args, &o, &e); code != 2 {
			t.Errorf("runSlsk(%q) = %d, want 2 (stderr %q)", args, code, e.String())
		}
	}
	var o, e bytes.Buffer
	if code := runSlsk(context.Background(), []string{"pm", "--user", "x", "--password", "", "--server", "127.0.0.1:1", "u", "t"}, &o, &e); code != 2 {
		t.Errorf("--user without a password: exit %d, want 2 (stderr %q)", code, e.String())
	}
}

func waitFor(t *testing.T, c *slskclient.Client, ok func(slskclient.Event) bool) {
	t.Helper()
	timeout := time.NewTimer(20 * time.Second)
	defer timeout.Stop()
	for {
		select {
		case ev := <-c.Events():
			if ok(ev) {
				return
			}
		case <-timeout.C:
			t.Fatal("timed out waiting for an event")
		}
	}
}
