package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/revival-net/revival/internal/hub"
	"github.com/revival-net/revival/internal/store"
	"github.com/revival-net/revival/internal/store/sqlstore"
	"github.com/revival-net/revival/slsk"
)

// `revival slsk rooms purge` on the store reaches a running server (issue
// 5, finding 2): the owner inside the purged private room is taken out as
// when a room is disbanded, and the room is gone from the store.
func TestSlskRoomsPurgeReachesRunningServer(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(t.Context())
	pr, pw := io.Pipe()
	done := make(chan int)
	go func() {
		done <- run(ctx, []string{"serve", "--data", dir, "--slsk", "127.0.0.1:0", "--wpn", "off", "--wpn-cache", "off", "--admin", "off", "--bcrypt-cost", "4"}, io.Discard, pw)
	}()
	addr := waitListening(t, pr, "soulseek")["soulseek"]

	olga, fr := slskLogin(t, addr, "olga", "pw")
	next := func(what string) slsk.ServerMessage {
		t.Helper()
		for {
			body, err := fr.Next()
			if errors.Is(err, os.ErrDeadlineExceeded) {
				t.Fatalf("olga: no %s", what)
			}
			if err != nil {
				t.Fatalf("olga: %v", err)
			}
			if m, err := slsk.DecodeServerReply(body); err == nil {
				return m
			}
		}
	}
	olga.Write(slsk.AppendServerFrame(nil, &slsk.JoinRoom{Room: "club", Private: true}))
	for { // the JoinRoom reply comes once the room is stored
		if r, ok := next("JoinRoom reply").(*slsk.JoinRoomReply); ok && r.Room == "club" {
			break
		}
	}

	var out strings.Builder
	if code := run(t.Context(), []string{"slsk", "rooms", "list", "--data", dir}, &out, &out); code != 0 || !strings.Contains(out.String(), "club") || !strings.Contains(out.String(), "olga") {
		t.Fatalf("rooms list: exit %d:\n%s", code, out.String())
	}
	out.Reset()
	if code := run(t.Context(), []string{"slsk", "rooms", "purge", "club", "--data", dir}, &out, &out); code != 0 || out.String() != "club: purged\n" {
		t.Fatalf("rooms purge club: exit %d:\n%s", code, out.String())
	}
	olga.SetDeadline(time.Now().Add(20 * time.Second))
	for {
		m := next("LeaveRoom after the purge")
		if l, ok := m.(*slsk.LeaveRoom); ok && l.Room == "club" {
			break
		}
	}
	out.Reset()
	if code := run(t.Context(), []string{"slsk", "rooms", "list", "--data", dir}, &out, &out); code != 0 || strings.Contains(out.String(), "club") {
		t.Fatalf("rooms list after the purge: exit %d:\n%s", code, out.String())
	}

	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("serve exited %d", code)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not shut down")
	}
}

// list filters, and purge by owner, by emptiness and by name; unknown
// names fail the command after the known ones are purged. Each purge is
// recorded in the change log for a running server.
func TestSlskRoomsListAndPurge(t *testing.T) {
	dir := t.TempDir()
	st, err := sqlstore.OpenDir(t.Context(), dir, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []store.Room{
		{Name: "spam1", Private: true, Owner: "spammer"},
		{Name: "spam2", Private: true, Owner: "spammer", Members: []string{"olga"}},
		{Name: "club", Private: true, Owner: "olga", Members: []string{"mike"}},
		{Name: "den", Private: true, Owner: "mike"},
		{Name: "news"},
	} {
		r.Network = hub.NetworkSoulseek
		if err := st.Rooms().Put(t.Context(), r); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Rooms().SetTicker(t.Context(), hub.NetworkSoulseek, "news", "olga", "hi"); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	rooms := func(t *testing.T, args ...string) (int, string) {
		t.Helper()
		var out strings.Builder
		code := run(t.Context(), append(append([]string{"slsk", "rooms"}, args...), "--data", dir), &out, &out)
		return code, out.String()
	}
	names := func(listing string) []string {
		var out []string
		for _, l := range strings.Split(strings.TrimSpace(listing), "\n")[1:] {
			out = append(out, strings.Fields(l)[0])
		}
		return out
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"list"}, "club den news spam1 spam2"},
		{[]string{"list", "--private"}, "club den spam1 spam2"},
		{[]string{"list", "--owner", "spammer"}, "spam1 spam2"},
	} {
		code, out := rooms(t, tc.args...)
		if got := strings.Join(names(out), " "); code != 0 || got != tc.want {
			t.Errorf("%q: exit %d, rooms %q, want %q:\n%s", tc.args, code, got, tc.want, out)
		}
	}
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"purge"}, 2, ""},
		{[]string{"purge", "club", "--empty"}, 2, ""},
		{[]string{"purge", "--owner", "spammer"}, 0, "spam1: purged\nspam2: purged\n"},
		{[]string{"purge", "--empty"}, 0, "den: purged\n"},
		{[]string{"purge", "nowhere", "club"}, 1, "club: purged\n"},
	} {
		code, out := rooms(t, tc.args...)
		if code != tc.code || tc.want != "" && !strings.HasSuffix(out, tc.want) {
			t.Errorf("%q: exit %d, want %d; output:\n%s", tc.args, code, tc.code, out)
		}
	}
	code, out := rooms(t, "list")
	if got := strings.Join(names(out), " "); code != 0 || got != "news" {
		t.Errorf("after the purges: rooms %q, want news:\n%s", got, out)
	}
	st, err = sqlstore.OpenDir(t.Context(), dir, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	log, err := st.Changes().After(t.Context(), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var purged []string
	for _, c := range log {
		if c.Kind == store.ChangeRoomPurged && c.Network == hub.NetworkSoulseek {
			purged = append(purged, c.Name)
		}
	}
	if got := strings.Join(purged, " "); got != "spam1 spam2 den club" {
		t.Errorf("change log of purges: %q, want %q", got, "spam1 spam2 den club")
	}
}
