// Package app wires Revival together: configuration → store → hub →
// protocol servers → admin HTTP. It is the only package besides cmd that
// imports everything (the dependency rules are checked in deps_test.go).
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/revival-net/revival/internal/config"
	"github.com/revival-net/revival/internal/hub"
	"github.com/revival-net/revival/internal/netlimit"
	"github.com/revival-net/revival/internal/store/sqlstore"
	"github.com/revival-net/revival/slsk/slskserver"
	"github.com/revival-net/revival/wpn/wpncache"
	"github.com/revival-net/revival/wpn/wpnchat"
	"github.com/revival-net/revival/wpn/wpnmesh"
	"github.com/revival-net/revival/wpn/wpnserver"
)

// App is one running Revival: its store, hub and listeners.
type App struct {
	cfg      config.Config
	log      *slog.Logger
	store    *sqlstore.Store
	hub      *hub.Hub
	registry *prometheus.Registry
	slsk     *slskserver.Server
	wpn      *wpnserver.Server
	wpnCache *wpncache.Server
	wpnMesh  *wpnmesh.Mesh
	wpnChat  *wpnchat.Host
	watcher  *changeWatcher // applies the CLI's changes (see accountwatch.go)

	mu        sync.Mutex
	listeners map[string]net.Listener // by network name
}

// OpenStore opens the configured store: SQLite in the data directory, or
// PostgreSQL. The CLI's user commands use it too, so they work while a
// server runs on the same data directory (SQLite WAL allows it).
func OpenStore(ctx context.Context, cfg config.Config, logger *slog.Logger) (*sqlstore.Store, error) {
	if cfg.Store.Driver == "postgres" {
		return sqlstore.Open(ctx, "postgres", cfg.Store.DSN, logger)
	}
	return sqlstore.OpenDir(ctx, cfg.Data, logger)
}

// New opens the store and builds every enabled server; it binds the
// listeners, so ports in use fail here rather than later.
func New(ctx context.Context, cfg config.Config, logger *slog.Logger) (*App, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	st, err := OpenStore(ctx, cfg, logger)
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	a := &App{cfg: cfg, log: logger, store: st, registry: prometheus.NewRegistry(), listeners: map[string]net.Listener{}}
	a.registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	// The key that seals returning-login verifiers in the store lives
	// beside it in the data directory (hub.LoadOrCreateKey).
	key, err := hub.LoadOrCreateKey(cfg.Data)
	if err != nil {
		_ = st.Close()
		return nil, err
	}
	a.hub = hub.New(st, hub.AccountsOptions{BcryptCost: cfg.Accounts.BcryptCost, VerifierKey: key})
	a.watcher = newChangeWatcher(ctx, a) // before the servers load their state
	if err := a.build(ctx); err != nil {
		a.closeAll()
		return nil, err
	}
	return a, nil
}

func (a *App) build(ctx context.Context) error {
	if config.Enabled(a.cfg.Slsk.Listen) {
		mode, err := slskserver.ParseDistribMode(a.cfg.Slsk.Distributed)
		if err != nil {
			return err
		}
		srv, err := slskserver.New(ctx, slskserver.Options{
			Hub:             a.hub,
			Logger:          a.log,
			Metrics:         a.registry,
			Greeting:        a.cfg.Slsk.Greeting,
			PrivateMode:     a.cfg.Slsk.PrivateMode,
			MaxUsers:        a.cfg.Slsk.MaxUsers,
			Distributed:     mode,
			ExcludedPhrases: a.cfg.Slsk.ExcludedPhrases,
			Limits: slskserver.Limits{
				MaxConnsPerIP: a.cfg.Slsk.MaxConnsPerIP,
				IdleTimeout:   a.cfg.Slsk.IdleTimeout.Duration,
				MaxConns:      a.cfg.Slsk.MaxConns,
				MaxPreLogin:   a.cfg.Slsk.MaxPreLogin,
				ConnReserve:   a.cfg.Slsk.ConnReserve,

				MaxRooms:           a.cfg.Slsk.MaxRooms,
				MaxRoomsPerAccount: a.cfg.Slsk.MaxRoomsPerAccount,
				RoomCreations:      slskserver.RoomCreationRate(a.cfg.Slsk.RoomsPerHost, a.cfg.Slsk.RoomsPerHostWindow.Duration),
				MaxRoomListRooms:   a.cfg.Slsk.RoomListMax,

				HostRegistrations: perPeriod(a.cfg.Slsk.RegistrationsPerHostHour, time.Hour),
				Registrations:     perPeriod(a.cfg.Slsk.RegistrationsPerMinute, time.Minute),
			},
		})
		if err != nil {
			return fmt.Errorf("soulseek server: %w", err)
		}
		a.slsk = srv
		if err := a.listen("slsk", a.cfg.Slsk.Listen); err != nil {
			return err
		}
	}
	if err := a.buildWPN(ctx); err != nil {
		return err
	}
	if config.Enabled(a.cfg.Admin.Listen) {
		if err := a.listen("admin", a.cfg.Admin.Listen); err != nil {
			return err
		}
	}
	return nil
}

func (a *App) listen(name, addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("%s: listen on %s: %w", name, addr, err)
	}
	a.mu.Lock()
	a.listeners[name] = ln
	a.mu.Unlock()
	return nil
}

// Addr returns the bound address of a network's listener ("slsk",
// "admin"), or "" when it is off. Tests configure ":0" and ask here.
func (a *App) Addr(name string) string {
	a.mu.Lock()
	defer a.mu.Unlock()
	if ln := a.listeners[name]; ln != nil {
		return ln.Addr().String()
	}
	return ""
}

// Hub returns the shared domain services.
func (a *App) Hub() *hub.Hub { return a.hub }

// Run serves until ctx is cancelled, then shuts everything down and closes
// the store. Every listener logs one line with its address.
func (a *App) Run(ctx context.Context) error {
	// A failing listener ends the run too: cancel stops the ban watcher.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, 8)
	var wg sync.WaitGroup
	var admin *http.Server
	if ln := a.listeners["slsk"]; ln != nil {
		a.log.Info("listening", "network", "soulseek", "addr", ln.Addr().String())
		wg.Go(func() {
			if err := a.slsk.Serve(ln); err != nil && !errors.Is(err, slskserver.ErrServerClosed) {
				errc <- fmt.Errorf("soulseek: %w", err)
			}
		})
	}
	if a.wpnMesh != nil {
		a.wpnMesh.Start(ctx)
	}
	a.serveWPN(func(network string, ln net.Listener, serve func(net.Listener) error, closed error) {
		a.log.Info("listening", "network", network, "addr", ln.Addr().String())
		wg.Go(func() {
			if err := serve(ln); err != nil && !errors.Is(err, closed) {
				errc <- fmt.Errorf("%s: %w", network, err)
			}
		})
	})
	if ln := a.listeners["admin"]; ln != nil {
		admin = &http.Server{Handler: a.adminHandler(), ReadHeaderTimeout: 10 * time.Second}
		a.log.Info("listening", "network", "admin", "addr", ln.Addr().String(), "paths", "/metrics /healthz")
		wg.Go(func() {
			if err := admin.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				errc <- fmt.Errorf("admin: %w", err)
			}
		})
	}
	wg.Go(func() { a.watchAccounts(ctx) })
	var runErr error
	select {
	case <-ctx.Done():
	case runErr = <-errc:
	}
	cancel()
	a.log.Info("shutting down")
	sctx, stop := context.WithTimeout(context.Background(), 10*time.Second)
	defer stop()
	if a.slsk != nil {
		if err := a.slsk.Shutdown(sctx); err != nil {
			a.log.Warn("soulseek shutdown", "err", err)
		}
	}
	if a.wpn != nil {
		if err := a.wpn.Shutdown(sctx); err != nil {
			a.log.Warn("wpn shutdown", "err", err)
		}
	}
	if a.wpnMesh != nil {
		a.wpnMesh.Close()
	}
	if a.wpnChat != nil {
		_ = a.wpnChat.Shutdown(sctx)
	}
	if a.wpnCache != nil {
		_ = a.wpnCache.Shutdown(sctx)
	}
	if admin != nil {
		_ = admin.Shutdown(sctx)
	}
	wg.Wait()
	if err := a.store.Close(); err != nil && runErr == nil {
		runErr = err
	}
	return runErr
}

// closeAll undoes a New that failed half-way: the server's background
// loops stop, listeners close, then the store.
func (a *App) closeAll() {
	if a.slsk != nil {
		_ = a.slsk.Close()
	}
	if a.wpn != nil {
		_ = a.wpn.Close()
	}
	if a.wpnCache != nil {
		_ = a.wpnCache.Close()
	}
	if a.wpnMesh != nil {
		a.wpnMesh.Close()
	}
	if a.wpnChat != nil {
		_ = a.wpnChat.Close()
	}
	a.mu.Lock()
	for _, ln := range a.listeners {
		_ = ln.Close()
	}
	a.mu.Unlock()
	_ = a.store.Close()
}

func (a *App) adminHandler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(a.registry, promhttp.HandlerOpts{}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		if err := a.store.Ping(r.Context()); err != nil {
			http.Error(w, "store: "+err.Error(), http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ok")
	})
	return mux
}

// perPeriod turns "n per period" from the configuration into a rate with
// a burst of n; -1 (no limit) becomes a rate that allows everything.
func perPeriod(n int, period time.Duration) netlimit.Rate {
	if n < 0 {
		return netlimit.Rate{PerSecond: -1}
	}
	return netlimit.Rate{PerSecond: float64(n) / period.Seconds(), Burst: float64(n)}
}
