// Package wpntest runs a WPN primary for tests and drives it with
// scripted raw secondaries, so conversations read like wpn.md §3.
package wpntest

import (
	"context"
	"log/slog"
	"net"
	"os"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/revival-net/revival/internal/hub"
	"github.com/revival-net/revival/internal/store/sqlstore"
	"github.com/revival-net/revival/wpn/wpnserver"
)

// Timeout bounds every wait for a packet; tests never sleep.
var Timeout = 10 * time.Second

// Harness is a running primary over a SQLite store in a temp dir.
type Harness struct {
	T     testing.TB
	Dir   string
	Addr  string // TCP listener, 127.0.0.1:port
	Hub   *hub.Hub
	Store *sqlstore.Store
	Srv   *wpnserver.Server
}

// Start runs a primary; opts adjust its options before New.
func Start(t testing.TB, opts ...func(*wpnserver.Options)) *Harness {
	t.Helper()
	ctx := context.Background()
	h := &Harness{T: t, Dir: t.TempDir()}
	logger := slog.New(slog.DiscardHandler)
	if os.Getenv("REVIVAL_TEST_LOG") != "" {
		logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	st, err := sqlstore.OpenDir(ctx, h.Dir, logger)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	h.Store = st
	h.Hub = hub.New(st, hub.AccountsOptions{BcryptCost: bcrypt.MinCost})
	o := wpnserver.Options{Hub: h.Hub, Logger: logger}
	o.Limits.MaxConnsPerIP = -1
	for _, f := range opts {
		f(&o)
	}
	srv, err := wpnserver.New(o)
	if err != nil {
		t.Fatalf("new primary: %v", err)
	}
	h.Srv = srv
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	h.Addr = ln.Addr().String()
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() {
		_ = srv.Close()
		_ = st.Close()
	})
	return h
}
