package netconn

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/revival-net/revival/internal/netlimit"
)

// Options configures a Server. Handle is required.
type Options struct {
	// Handle serves one connection in its own goroutine: it reads with the
	// protocol's framing and handles messages in order. When it returns
	// (or panics) the connection is flushed and closed.
	Handle func(*Conn)
	Logger *slog.Logger // nil: discard; carries the proto attribute
	Proto  string       // the proto label of the metrics NewMetrics makes
	Limits Limits
	// Metrics are the collectors to count into. Nil: New makes the
	// standard set (NewMetrics) and registers it on Registerer, if any.
	Metrics    *Metrics
	Registerer prometheus.Registerer
}

// Server accepts connections and tracks them until they end.
type Server struct {
	opts    Options
	lim     Limits
	log     *slog.Logger
	metrics *Metrics
	perIP   *netlimit.PerIP
	refusal *sampler

	nextID   atomic.Uint64
	open     atomic.Int64 // sockets not yet closed (MaxConns)
	preLogin atomic.Int64 // open sockets not logged in (MaxPreLogin)

	mu        sync.Mutex // leaf lock: listeners, conns, shutdown
	listeners map[net.Listener]struct{}
	conns     map[*Conn]struct{}
	shutdown  bool
	wg        sync.WaitGroup
}

// ErrServerClosed is returned by Serve after Shutdown or Close.
var ErrServerClosed = errors.New("netconn: server closed")

// New returns a server; opts.Limits get their defaults.
func New(opts Options) *Server {
	if opts.Handle == nil {
		panic("netconn: Options.Handle is required")
	}
	opts.Limits.SetDefaults()
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{
		opts:      opts,
		lim:       opts.Limits,
		log:       opts.Logger,
		metrics:   opts.Metrics,
		perIP:     netlimit.NewPerIP(opts.Limits.MaxConnsPerIP),
		refusal:   newSampler(refusalLogEvery),
		listeners: map[net.Listener]struct{}{},
		conns:     map[*Conn]struct{}{},
	}
	if s.metrics == nil {
		s.metrics = NewMetrics(opts.Registerer, opts.Proto, s)
	}
	s.metrics.fill(opts.Proto)
	return s
}

// Limits returns the limits in force, defaults filled in.
func (s *Server) Limits() Limits { return s.lim }

// Serve accepts connections on ln until it fails or the server is shut
// down. Several listeners may be served at once.
func (s *Server) Serve(ln net.Listener) error {
	s.mu.Lock()
	if s.shutdown {
		s.mu.Unlock()
		return ErrServerClosed
	}
	s.listeners[ln] = struct{}{}
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.listeners, ln)
		s.mu.Unlock()
	}()
	var backoff time.Duration
	for {
		nc, err := ln.Accept()
		if err != nil {
			if s.isShutdown() {
				return ErrServerClosed
			}
			// Out of descriptors: wait for some to free instead of spinning
			// or giving up (net/http does the same).
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() || errors.Is(err, syscall.EMFILE) || errors.Is(err, syscall.ENFILE) {
				backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
				s.refusal.warn(s.log, "accept", "accept failed; retrying", "err", err, "backoff", backoff)
				time.Sleep(backoff)
				continue
			}
			return err
		}
		backoff = 0
		s.accept(nc)
	}
}

func (s *Server) isShutdown() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.shutdown
}

// accept applies the caps in the order that tells an operator most: the
// total cap (the process is near its descriptor limit), then the global
// pre-login cap (many hosts holding unauthenticated sockets), then the
// per-host cap.
func (s *Server) accept(nc net.Conn) {
	remote := remoteAddr(nc)
	if reason := s.reserve(remote); reason != "" {
		s.metrics.Refused.WithLabelValues(reason).Inc()
		s.refusal.warn(s.log, reason, "connection refused", "reason", reason, "remote", remote)
		_ = nc.Close()
		return
	}
	if tc, ok := nc.(*net.TCPConn); ok && s.lim.KeepAlive > 0 {
		_ = tc.SetKeepAlive(true)
		_ = tc.SetKeepAlivePeriod(s.lim.KeepAlive)
	}
	c := &Conn{srv: s, nc: nc, id: s.nextID.Add(1), remote: remote}
	s.mu.Lock()
	if s.shutdown {
		s.mu.Unlock()
		c.Close("server shutting down")
		return
	}
	s.conns[c] = struct{}{}
	s.wg.Add(1)
	s.mu.Unlock()
	go s.serve(c)
}

// reserve takes a slot under every cap, or returns the refusal reason
// (a metrics label) and takes none.
func (s *Server) reserve(remote netip.Addr) string {
	if n, limit := s.open.Add(1), s.lim.MaxConns; limit > 0 && n > int64(limit) {
		s.open.Add(-1)
		return "total_cap"
	}
	if n, limit := s.preLogin.Add(1), s.lim.MaxPreLogin; limit > 0 && n > int64(limit) {
		s.preLogin.Add(-1)
		s.open.Add(-1)
		return "prelogin_cap"
	}
	if !s.perIP.Acquire(remote) {
		s.preLogin.Add(-1)
		s.open.Add(-1)
		return "per_ip_cap"
	}
	return ""
}

// release gives back what reserve took; Conn.close calls it once, before
// the socket closes, so a peer that sees EOF knows its slot is free.
func (s *Server) release(c *Conn, loggedIn bool) {
	s.perIP.Release(c.remote)
	if !loggedIn {
		s.preLogin.Add(-1)
	}
	s.open.Add(-1)
}

func remoteAddr(nc net.Conn) netip.Addr {
	if ta, ok := nc.RemoteAddr().(*net.TCPAddr); ok {
		if a, ok := netip.AddrFromSlice(ta.IP); ok {
			return a.Unmap()
		}
	}
	return netip.Addr{}
}

// serve runs the handler with its panics contained: a bug in one handler
// closes one connection, never the process.
func (s *Server) serve(c *Conn) {
	defer func() {
		if r := recover(); r != nil {
			s.metrics.Panics.Inc()
			s.log.Error("panic in connection handler", "conn", c.id, "panic", r, "stack", string(debug.Stack()))
		}
		// Flush what is queued (a login refusal, a kick reason) before the
		// socket closes; the writer closes it when done.
		c.CloseAfterFlush("connection ended")
		s.mu.Lock()
		delete(s.conns, c)
		s.mu.Unlock()
		s.wg.Done()
	}()
	s.opts.Handle(c)
}

// Addrs returns the addresses being served, for tests that listen on :0.
func (s *Server) Addrs() []net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []net.Addr
	for ln := range s.listeners {
		out = append(out, ln.Addr())
	}
	return out
}

// Count returns how many connections are being served.
func (s *Server) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns)
}

// PreLogin returns how many open sockets have not logged in.
func (s *Server) PreLogin() int { return int(s.preLogin.Load()) }

// Shutdown stops accepting, closes every connection and waits for the
// handlers to return until ctx ends.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.shutdown = true
	for ln := range s.listeners {
		_ = ln.Close()
	}
	conns := make([]*Conn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	for _, c := range conns {
		c.Close("server shutting down")
	}
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("netconn: shutdown: %w", ctx.Err())
	}
}

// Close is Shutdown without waiting.
func (s *Server) Close() error {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_ = s.Shutdown(ctx)
	return nil
}
