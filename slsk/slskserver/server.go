package slskserver

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/revival-net/revival/internal/netlimit"
	"github.com/revival-net/revival/internal/wire"
)

// Server is a Soulseek server. Create it with New, run it with Serve, stop
// it with Shutdown or Close (the net/http lifecycle).
type Server struct {
	opts    Options
	log     *slog.Logger
	metrics *metrics
	perIP   *netlimit.PerIP
	login   *loginState // login budgets, refusal logging, returning-login caches
	started time.Time

	nextConnID atomic.Uint64
	nextMsgID  atomic.Uint32 // fallback ids when the store is unavailable

	lnMu      sync.Mutex
	listeners map[net.Listener]struct{}
	conns     map[*conn]struct{}
	shutdown  bool
	wg        sync.WaitGroup

	// mu guards the shared state below. Lock order: mu, then a conn's wmu
	// (sendFrame takes only wmu, so it may be called with mu held).
	mu         sync.Mutex
	users      map[string]*session              // online sessions by name
	watchers   map[string]map[*session]struct{} // watched name → sessions watching it
	rooms      map[string]*room                 // rooms by name (joined or persisted)
	index      roomIndex                        // public rooms, and private rooms by user (see roomIndex)
	globalFeed map[*session]struct{}            // JoinGlobalRoom subscribers
	privileged map[string]time.Time             // privileged users and when it ends
	excluded   []string                         // excluded search phrases (lower case)

	stop chan struct{} // closed by Shutdown; ends background loops

	// privMu serialises GivePrivileges (read, store, apply). Lock order:
	// privMu, then mu.
	privMu sync.Mutex
}

// New returns a server. It loads persisted rooms and privileges from the
// store, so it needs a context.
func New(ctx context.Context, opts Options) (*Server, error) {
	if opts.Hub == nil {
		return nil, errors.New("slskserver: Options.Hub is required")
	}
	opts.Limits.setDefaults()
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Greeting == "" {
		opts.Greeting = "Welcome to Revival"
	}
	s := &Server{
		opts:       opts,
		log:        opts.Logger.With("proto", "slsk"),
		perIP:      netlimit.NewPerIP(opts.Limits.MaxConnsPerIP),
		login:      newLoginState(opts),
		started:    opts.Now(),
		listeners:  map[net.Listener]struct{}{},
		conns:      map[*conn]struct{}{},
		users:      map[string]*session{},
		watchers:   map[string]map[*session]struct{}{},
		rooms:      map[string]*room{},
		index:      newRoomIndex(),
		globalFeed: map[*session]struct{}{},
		privileged: map[string]time.Time{},
		stop:       make(chan struct{}),
	}
	s.metrics = newMetrics(opts.Metrics, s)
	s.setExcluded(opts.ExcludedPhrases)
	if err := s.loadRooms(ctx); err != nil {
		return nil, err
	}
	if err := s.loadPrivileged(ctx); err != nil {
		return nil, err
	}
	if opts.Distributed == DistribTree {
		go s.every(parentOfferInterval, s.offerParentsToOrphans)
	}
	go s.every(statsFlushInterval, s.flushStats)
	opts.Hub.OnAccountChange(s.accountChanged)
	return s, nil
}

// ErrServerClosed is returned by Serve after Shutdown or Close.
var ErrServerClosed = errors.New("slskserver: server closed")

// Serve accepts connections on ln until it fails or the server is shut
// down. Several listeners may be served at once.
func (s *Server) Serve(ln net.Listener) error {
	s.lnMu.Lock()
	if s.shutdown {
		s.lnMu.Unlock()
		return ErrServerClosed
	}
	s.listeners[ln] = struct{}{}
	s.lnMu.Unlock()
	defer func() {
		s.lnMu.Lock()
		delete(s.listeners, ln)
		s.lnMu.Unlock()
	}()
	var backoff time.Duration
	for {
		nc, err := ln.Accept()
		if err != nil {
			s.lnMu.Lock()
			down := s.shutdown
			s.lnMu.Unlock()
			if down {
				return ErrServerClosed
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() || errors.Is(err, syscall.EMFILE) || errors.Is(err, syscall.ENFILE) {
				backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
				s.log.Warn("accept failed; retrying", "err", err, "backoff", backoff)
				time.Sleep(backoff)
				continue
			}
			return err
		}
		backoff = 0
		s.accept(nc)
	}
}

func (s *Server) accept(nc net.Conn) {
	remote := remoteAddr(nc)
	if !s.perIP.Acquire(remote) {
		s.metrics.refused.WithLabelValues("per_ip_cap").Inc()
		s.log.Warn("too many connections from one address", "remote", remote)
		_ = nc.Close()
		return
	}
	if tc, ok := nc.(*net.TCPConn); ok {
		_ = tc.SetKeepAlive(true)
		_ = tc.SetKeepAlivePeriod(60 * time.Second)
	}
	c := &conn{s: s, nc: nc, id: s.nextConnID.Add(1), remote: remote}
	s.lnMu.Lock()
	if s.shutdown {
		s.lnMu.Unlock()
		s.perIP.Release(remote)
		_ = nc.Close()
		return
	}
	s.conns[c] = struct{}{}
	s.wg.Add(1)
	s.lnMu.Unlock()
	go s.serveConn(c)
}

func remoteAddr(nc net.Conn) netip.Addr {
	if ta, ok := nc.RemoteAddr().(*net.TCPAddr); ok {
		if a, ok := netip.AddrFromSlice(ta.IP); ok {
			return a.Unmap()
		}
	}
	return netip.Addr{}
}

// serveConn is the connection's reader goroutine: login, then read, decode
// and handle frames in order until the connection ends.
func (s *Server) serveConn(c *conn) {
	var u *session
	defer func() {
		if r := recover(); r != nil {
			s.metrics.panics.Inc()
			s.log.Error("panic in connection handler", "conn", c.id, "panic", r, "stack", string(debug.Stack()))
		}
		// Flush what is queued (a login refusal, a kick reason) before the
		// socket closes; the writer closes it when done.
		c.closeAfterFlush("connection ended")
		if u != nil {
			s.logout(u)
		}
		s.perIP.Release(c.remote)
		s.lnMu.Lock()
		delete(s.conns, c)
		s.lnMu.Unlock()
		s.wg.Done()
	}()
	fr := wire.NewFrameReader(c.nc, s.opts.Limits.MaxFrame)
	u = s.loginPhase(c, fr)
	if u == nil {
		return
	}
	for {
		if d := s.opts.Limits.IdleTimeout; d > 0 {
			_ = c.nc.SetReadDeadline(time.Now().Add(d))
		}
		body, err := fr.Next()
		if err != nil {
			s.readFailed(c, u, err)
			return
		}
		if err := s.dispatch(u, body); err != nil {
			s.log.Info("disconnecting client", "conn", c.id, "user", u.name, "reason", err)
			c.closeAfterFlush(err.Error())
			return
		}
		if c.isClosing() {
			return
		}
	}
}

// readFailed logs why reading stopped, at a level that matches whose fault
// it was: EOF is normal, an oversized frame is the peer's misbehaviour.
func (s *Server) readFailed(c *conn, u *session, err error) {
	name := ""
	if u != nil {
		name = u.name
	}
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, net.ErrClosed):
		s.log.Debug("connection closed", "conn", c.id, "user", name)
	case errors.Is(err, wire.ErrFrameTooLarge):
		s.metrics.protocolErrors.WithLabelValues("frame_too_large").Inc()
		s.log.Warn("frame too large; disconnecting", "conn", c.id, "remote", c.remote, "user", name, "err", err)
	case isTimeout(err):
		s.metrics.protocolErrors.WithLabelValues("timeout").Inc()
		s.log.Info("read timeout; disconnecting", "conn", c.id, "remote", c.remote, "user", name)
	default:
		s.log.Debug("read failed", "conn", c.id, "user", name, "err", err)
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// Addrs returns the addresses being served, for tests that listen on :0.
func (s *Server) Addrs() []net.Addr {
	s.lnMu.Lock()
	defer s.lnMu.Unlock()
	var out []net.Addr
	for ln := range s.listeners {
		out = append(out, ln.Addr())
	}
	return out
}

// Shutdown stops accepting, disconnects every client and waits for their
// goroutines until ctx ends. State that must survive is already in the
// store: every acknowledged write went there before it was acknowledged.
func (s *Server) Shutdown(ctx context.Context) error {
	s.lnMu.Lock()
	if !s.shutdown {
		close(s.stop)
	}
	s.shutdown = true
	for ln := range s.listeners {
		_ = ln.Close()
	}
	conns := make([]*conn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.lnMu.Unlock()
	for _, c := range conns {
		c.close("server shutting down")
	}
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("slskserver: shutdown: %w", ctx.Err())
	}
}

// Close is Shutdown without waiting.
func (s *Server) Close() error {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_ = s.Shutdown(ctx)
	return nil
}

// Online returns how many users are logged in.
func (s *Server) Online() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.users)
}

// parentOfferInterval is how often users without a parent are offered
// candidates in tree mode (spec §4.3: roughly every 60 s).
const parentOfferInterval = 60 * time.Second

// every runs f every d until Shutdown.
func (s *Server) every(d time.Duration, f func()) {
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			f()
		case <-s.stop:
			return
		}
	}
}
