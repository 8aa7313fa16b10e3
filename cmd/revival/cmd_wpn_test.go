package main

import (
	"context"
	"io"
	"net"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/revival-net/revival/internal/hub"
	"github.com/revival-net/revival/internal/netconn"
	"github.com/revival-net/revival/internal/store"
	"github.com/revival-net/revival/internal/store/sqlstore"
	"github.com/revival-net/revival/wpn"
	"github.com/revival-net/revival/wpn/wpnchat"
	"github.com/revival-net/revival/wpn/wpnclient"
)

// `revival wpn room add|list|remove` writes the store and the change log
// a running server reads.
func TestWPNRoomCommands(t *testing.T) {
	dir := t.TempDir()
	var out strings.Builder
	runOK := func(args ...string) string {
		t.Helper()
		out.Reset()
		if code := run(t.Context(), args, &out, &out); code != 0 {
			t.Fatalf("%v: exit %d:\n%s", args, code, out.String())
		}
		return out.String()
	}
	runOK("user", "add", "alice", "--password", "pw", "--data", dir)
	runOK("wpn", "room", "add", "Retro Lounge", "--topic", "90s", "--owner", "alice", "--password", "sesame", "--limit", "20", "--data", dir)
	if code := run(t.Context(), []string{"wpn", "room", "add", "retro lounge", "--data", dir}, &out, &out); code == 0 {
		t.Error("a second room differing only in case was added")
	}
	if code := run(t.Context(), []string{"wpn", "room", "add", "Other", "--owner", "nobody", "--data", dir}, &out, &out); code == 0 {
		t.Error("a room with an unknown owner was added")
	}
	if code := run(t.Context(), []string{"wpn", "room", "add", strings.Repeat("x", 41), "--data", dir}, &out, &out); code != 2 {
		t.Errorf("a 41-character name: exit %d", code)
	}
	list := runOK("wpn", "room", "list", "--data", dir)
	if !strings.Contains(list, "Retro Lounge") || !strings.Contains(list, "alice") || !strings.Contains(list, "true") || !strings.Contains(list, "20") {
		t.Errorf("list:\n%s", list)
	}
	runOK("wpn", "room", "remove", "RETRO LOUNGE", "--data", dir)
	if list := runOK("wpn", "room", "list", "--data", dir); strings.Contains(list, "Retro") {
		t.Errorf("list after remove:\n%s", list)
	}

	st, err := sqlstore.OpenDir(t.Context(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cs, err := st.Changes().After(t.Context(), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var rooms []string
	for _, c := range cs {
		if c.Kind == store.ChangeWPNRoom {
			rooms = append(rooms, c.Name)
		}
	}
	if strings.Join(rooms, "|") != "Retro Lounge|RETRO LOUNGE" {
		t.Errorf("changes %q", rooms)
	}
}

// The terminal chat loop sends typed lines and prints the room.
func TestWPNChatLoop(t *testing.T) {
	ctx := t.Context()
	st, err := sqlstore.OpenDir(ctx, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.WPNRooms().Create(ctx, store.WPNRoom{Name: "Lounge", Topic: "hi"}); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ap := netip.MustParseAddrPort(ln.Addr().String())
	host, err := wpnchat.New(ctx, wpnchat.Options{Hub: hub.New(st, hub.AccountsOptions{BcryptCost: 4}), Addr: func() netip.AddrPort { return ap }})
	if err != nil {
		t.Fatal(err)
	}
	srv := netconn.New(netconn.Options{Handle: wpnchat.Handler(host), Limits: netconn.Limits{MaxConnsPerIP: -1}})
	go srv.Serve(ln)
	defer srv.Close()
	defer host.Close()
	room := wpn.RoomAddr{Base: "Lounge", IP: ap.Addr(), Port: ap.Port()}.RoomName()

	dctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	other, err := wpnclient.DialChat(dctx, room, wpnclient.ChatOptions{Name: "bob_00002"})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	me, err := wpnclient.DialChat(dctx, room, wpnclient.ChatOptions{Name: "me_00001"})
	if err != nil {
		t.Fatal(err)
	}
	// The loop's own echo of the action comes after the topic on the
	// same connection: once printed, everything before it was too.
	out := &echoWriter{want: "* me_00001 waves", seen: make(chan struct{})}
	pr, pw := io.Pipe()
	done := make(chan error)
	go func() { done <- wpnChatLoop(ctx, me, pr, out) }()
	_, _ = pw.Write([]byte("hello\n/me waves\n"))
	select {
	case <-out.seen:
	case <-dctx.Done():
		t.Fatalf("no echo; printed:\n%s", out.String())
	}
	_, _ = pw.Write([]byte("/quit\n"))
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for len(seen) < 2 {
		select {
		case ev := <-other.Events():
			switch ev := ev.(type) {
			case wpnclient.ChatText:
				seen["text:"+ev.Text] = true
			case wpnclient.ChatAction:
				seen["action:"+ev.Text] = true
			}
		case <-dctx.Done():
			t.Fatalf("bob saw only %v", seen)
		}
	}
	if !seen["text:hello"] || !seen["action:waves"] {
		t.Errorf("bob saw %v", seen)
	}
	for _, want := range []string{"-- joined " + room, "-- topic: hi"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if got := wpnChatLine(wpnclient.ChatText{Name: "x", Text: "a\x03\x04red\nline", Rank: new(uint8)}); got != `<x> "ared\nline"` {
		t.Errorf("printed %s", got)
	}
}

// echoWriter collects output and closes seen when a write holds want.
type echoWriter struct {
	mu   sync.Mutex
	b    strings.Builder
	want string
	seen chan struct{}
}

func (w *echoWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.b.Write(p)
	if w.want != "" && strings.Contains(w.b.String(), w.want) {
		w.want = ""
		close(w.seen)
	}
	return len(p), nil
}

func (w *echoWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}
