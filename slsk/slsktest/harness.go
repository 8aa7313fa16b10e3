// Package slsktest runs a real Soulseek server on 127.0.0.1:0 over a
// temporary SQLite store and drives it with scripted raw-protocol clients,
// so tests read like the conversations in the spec:
//
//	h := slsktest.Start(t)
//	alice := h.Login("alice")
//	alice.Send(&slsk.JoinRoom{Room: "retro"})
//	alice.Expect(&slsk.UserJoinedRoom{…}, &slsk.JoinRoomReply{…})
//	bob.ExpectNothing()
//
// It is used by the server's own tests, the client library's tests and the
// integration tests. It is test support, not a production API.
package slsktest

import (
	"context"
	"log/slog"
	"net"
	"os"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/revival-net/revival/internal/hub"
	"github.com/revival-net/revival/internal/netlimit"
	"github.com/revival-net/revival/internal/store/sqlstore"
	"github.com/revival-net/revival/slsk/slskserver"
)

// Harness is one running server with its store.
type Harness struct {
	T      testing.TB
	Dir    string // data directory of the SQLite store
	Addr   string // host:port the server listens on
	Server *slskserver.Server
	Hub    *hub.Hub
	Store  *sqlstore.Store

	opts []func(*slskserver.Options)
}

// Start runs a server with default options, changed by opts, and stops it
// when the test ends. Passwords are hashed at bcrypt's minimum cost so
// tests that register many users stay fast.
func Start(t testing.TB, opts ...func(*slskserver.Options)) *Harness {
	t.Helper()
	h := &Harness{T: t, Dir: t.TempDir(), opts: opts}
	h.start()
	t.Cleanup(h.stop)
	return h
}

func (h *Harness) start() {
	t := h.T
	t.Helper()
	ctx := context.Background()
	logger := slog.New(slog.DiscardHandler)
	if os.Getenv("REVIVAL_TEST_LOG") != "" {
		logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	st, err := sqlstore.OpenDir(ctx, h.Dir, logger)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	h.Store = st
	key, err := hub.LoadOrCreateKey(h.Dir) // as the app does: verifiers survive Restart
	if err != nil {
		t.Fatalf("login key: %v", err)
	}
	h.Hub = hub.New(st, hub.AccountsOptions{BcryptCost: bcrypt.MinCost, VerifierKey: key})
	o := slskserver.Options{Hub: h.Hub, Logger: logger, Greeting: "Revival test server"}
	o.Limits.MaxConnsPerIP = -1
	// Every test client registers from 127.0.0.1.
	o.Limits.HostRegistrations = netlimit.Rate{PerSecond: -1}
	o.Limits.Registrations = netlimit.Rate{PerSecond: -1}
	for _, f := range h.opts {
		f(&o)
	}
	srv, err := slskserver.New(ctx, o)
	if err != nil {
		t.Fatalf("new server: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	h.Server = srv
	h.Addr = ln.Addr().String()
	go func() { _ = srv.Serve(ln) }()
}

func (h *Harness) stop() {
	if h.Server == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := h.Server.Shutdown(ctx); err != nil {
		h.T.Errorf("shutdown: %v", err)
	}
	if err := h.Store.Close(); err != nil {
		h.T.Errorf("close store: %v", err)
	}
	h.Server = nil
}

// Restart stops the server and starts a new one on the same data
// directory (and a new port), to check what survives a restart.
func (h *Harness) Restart() {
	h.T.Helper()
	h.stop()
	h.start()
}
