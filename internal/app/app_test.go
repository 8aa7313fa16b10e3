package app

import (
	"context"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/revival-net/revival/internal/config"
)

func testConfig(t *testing.T) config.Config {
	cfg := config.Default()
	cfg.Data = t.TempDir()
	cfg.Slsk.Listen = "127.0.0.1:0"
	cfg.WPN.Listen = "127.0.0.1:0"
	cfg.WPN.Cache = "off" // started by the WPN app tests, not every test
	cfg.Admin.Listen = "127.0.0.1:0"
	cfg.Accounts.BcryptCost = 4
	return cfg
}

// A listener that fails ends Run (with its error) instead of leaving it
// waiting for a signal that never comes.
func TestRunReturnsWhenAListenerFails(t *testing.T) {
	a, err := New(t.Context(), testConfig(t), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- a.Run(context.Background()) }()
	a.mu.Lock()
	a.listeners["slsk"].Close()
	a.mu.Unlock()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("Run returned no error after its listener failed")
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Run did not return after its listener failed")
	}
}

// A port already in use fails New with the address in the message, and
// what New had opened is closed again.
func TestNewFailsOnPortInUse(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	cfg := testConfig(t)
	cfg.Admin.Listen = busy.Addr().String()
	if _, err := New(t.Context(), cfg, slog.New(slog.DiscardHandler)); err == nil || !strings.Contains(err.Error(), busy.Addr().String()) {
		t.Fatalf("New on a port in use: %v, want an error naming %s", err, busy.Addr())
	}
	cfg.Admin.Listen = "127.0.0.1:0" // the store was closed: it opens again
	a, err := New(t.Context(), cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("second New on the same data directory: %v", err)
	}
	a.closeAll()
}
