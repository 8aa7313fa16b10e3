package app

import (
	"context"
	"log/slog"
	"net/netip"
	"testing"
	"time"

	"github.com/revival-net/revival/internal/store"
	"github.com/revival-net/revival/wpn"
	"github.com/revival-net/revival/wpn/wpncache"
	"github.com/revival-net/revival/wpn/wpnclient"
	"github.com/revival-net/revival/wpn/wpntest"
)

// `revival serve` runs the WinMX primary and a peer cache that lists it
// with its real port, as WinMX 3.5x finds it (wpn.md §5.1, §3.2 step 1).
func TestWPNCacheListsThePrimary(t *testing.T) {
	cfg := testConfig(t)
	cfg.Admin.Listen = "off"
	cfg.WPN.Cache = "127.0.0.1:0,127.0.0.1:0"
	a, err := New(t.Context(), cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()

	primary := netip.MustParseAddrPort(a.Addr("wpn"))
	for _, cache := range []string{a.Addr("wpn-cache"), a.Addr("wpn-cache-2")} {
		list, err := wpncache.Fetch(t.Context(), cache)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || list[0].IP != primary.Addr() || list[0].TCPPort != primary.Port() ||
			list[0].UDPPort != 6257 || list[0].FreeSecondary == 0 {
			t.Fatalf("cache %s lists %+v, want the primary %s", cache, list, primary)
		}
	}
	h := &wpntest.Harness{T: t, Addr: a.Addr("wpn")}
	alice := h.Login("alice123")
	if alice.Handle != (wpn.Handle{IP: primary.Addr(), UDPPort: 6257}).String() {
		t.Fatalf("handle %q", alice.Handle)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Run did not return")
	}
}

// A room an operator creates is hosted on the primary's port: it shows in
// a secondary's room list (0x238E) with the primary's address in its
// name, and a chat client joins it there (wpn.md §6.1, §6.3).
func TestWPNHostedRoomListedAndJoinable(t *testing.T) {
	cfg := testConfig(t)
	cfg.Admin.Listen = "off"
	a, err := New(t.Context(), cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	if err := a.wpnChat.CreateRoom(t.Context(), store.WPNRoom{Name: "Revival Lobby", Topic: "hello"}); err != nil {
		t.Fatal(err)
	}
	h := &wpntest.Harness{T: t, Addr: a.Addr("wpn")}
	alice := h.Login("alice123")
	alice.Send(&wpn.RoomListRequest{})
	room := wpntest.Expect[*wpn.RoomListEntry](alice)
	primary := netip.MustParseAddrPort(a.Addr("wpn"))
	want := wpn.RoomAddr{Base: "Revival Lobby", IP: primary.Addr(), Port: primary.Port()}
	if ra, err := wpn.ParseRoomName(room.Name); err != nil || ra != want || room.Topic != "hello" {
		t.Fatalf("room %+v (%v), want one hosted at %v", room, err, want)
	}
	c, err := wpnclient.DialChat(t.Context(), room.Name, wpnclient.ChatOptions{Name: alice.FullName})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Say("hi"); err != nil {
		t.Fatal(err)
	}
	cancel()
	<-done
}
