package app

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/revival-net/revival/slsk"
	"github.com/revival-net/revival/slsk/slsktest"
)

// The room caps of the configuration (config keys and serve flags) reach
// the Soulseek server's Limits.
func TestRoomCapsFromConfig(t *testing.T) {
	cfg := testConfig(t)
	cfg.Admin.Listen = "off"
	cfg.Slsk.MaxRoomsPerAccount = 1
	cfg.Slsk.RoomsPerHost = -1
	a, err := New(t.Context(), cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	h := &slsktest.Harness{T: t, Addr: a.Addr("slsk")}
	alice := h.Login("alice")
	alice.Send(&slsk.JoinRoom{Room: "one"})
	alice.SkipUntil(slsk.CodeRoomTickers)
	alice.Send(&slsk.JoinRoom{Room: "two"})
	got := alice.Next()
	if m, ok := got.(*slsk.MessageUserReply); !ok || !strings.Contains(m.Message, "(at most 1)") {
		t.Errorf("second room: got %#v, want the per-account refusal", got)
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
