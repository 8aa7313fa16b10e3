package slskserver

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/revival-net/revival/internal/netconn"
	"github.com/revival-net/revival/internal/wire"
)

// Server is a Soulseek server. Create it with New, run it with Serve, stop
// it with Shutdown or Close (the net/http lifecycle).
type Server struct {
	opts    Options
	log     *slog.Logger
	metrics *metrics
	net     *netconn.Server // accept loop, caps, write queues (internal/netconn)
	login   *loginState     // login budgets, refusal logging, returning-login caches
	started time.Time

	// beforePending, set only by tests (SetBeforePending), runs before a
	// login reads its pending messages, to order a race deterministically.
	beforePending atomic.Pointer[func(name string)]

	nextMsgID atomic.Uint32 // fallback ids when the store is unavailable

	// mu guards the shared state below. Lock order: mu, then a conn's wmu
	// (sendFrame takes only wmu, so it may be called with mu held).
	mu         sync.Mutex
	users      map[string]*session              // online sessions by name
	watchers   map[string]map[*session]struct{} // watched name → sessions watching it
	rooms      map[string]*room                 // rooms by name (joined or persisted)
	index      roomIndex                        // public rooms, and private rooms by user (see roomIndex)
	caps       roomCaps                         // who may create rooms (see roomCaps)
	globalFeed map[*session]struct{}            // JoinGlobalRoom subscribers
	privileged map[string]time.Time             // privileged users and when it ends
	excluded   []string                         // excluded search phrases (lower case)

	stop     chan struct{} // closed by Shutdown; ends background loops
	stopOnce sync.Once

	// privMu serialises GivePrivileges (read, store, apply). Lock order:
	// privMu, then mu.
	privMu sync.Mutex

	// interestsMu serialises interest saves (saveInterests). Lock order:
	// interestsMu, then mu.
	interestsMu sync.Mutex
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
		login:      newLoginState(opts),
		started:    opts.Now(),
		users:      map[string]*session{},
		watchers:   map[string]map[*session]struct{}{},
		rooms:      map[string]*room{},
		index:      newRoomIndex(),
		globalFeed: map[*session]struct{}{},
		privileged: map[string]time.Time{},
		stop:       make(chan struct{}),
	}
	s.metrics = newMetrics(opts.Metrics, s)
	s.net = netconn.New(netconn.Options{
		Handle: s.handle,
		Logger: s.log,
		Proto:  "slsk",
		Metrics: &netconn.Metrics{Refused: s.metrics.refused, SlowConsumers: s.metrics.slowConsumers,
			Panics: s.metrics.panics, OptionalDrops: s.metrics.optionalDrops, Oversized: s.metrics.oversized},
		Limits: opts.Limits.conn(),
	})
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
	err := s.net.Serve(ln)
	if errors.Is(err, netconn.ErrServerClosed) {
		return ErrServerClosed
	}
	return err
}

// handle runs in the connection's goroutine (netconn contains its panics
// and flushes and closes the connection when it returns).
func (s *Server) handle(nc *netconn.Conn) {
	s.serveConn(&conn{s: s, nc: nc, id: nc.ID(), remote: nc.Remote()})
}

// serveConn is the connection's reader: login, then read, decode and
// handle frames in order until the connection ends.
func (s *Server) serveConn(c *conn) {
	var u *session
	defer func() {
		// Flush what is queued (a login refusal, a kick reason) before the
		// socket closes; the writer closes it when done. Also on a panic,
		// which netconn recovers after this.
		c.closeAfterFlush("connection ended")
		if u != nil {
			s.logout(u)
		}
	}()
	fr := wire.NewFrameReader(c.nc, s.opts.Limits.MaxFrame)
	fr.OnStart = c.nc.FrameStarted
	u = s.loginPhase(c, fr)
	if u == nil {
		return
	}
	for {
		c.nc.AwaitFrame(s.opts.Limits.IdleTimeout)
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
func (s *Server) Addrs() []net.Addr { return s.net.Addrs() }

// Shutdown stops accepting, disconnects every client and waits for their
// goroutines until ctx ends. State that must survive is already in the
// store: every acknowledged write went there before it was acknowledged.
func (s *Server) Shutdown(ctx context.Context) error {
	s.stopOnce.Do(func() { close(s.stop) })
	if err := s.net.Shutdown(ctx); err != nil {
		return fmt.Errorf("slskserver: shutdown: %w", ctx.Err())
	}
	return nil
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

// conn maps the Soulseek limits onto the connection layer's.
func (l Limits) conn() netconn.Limits {
	return netconn.Limits{
		MaxConns:          l.MaxConns,
		Reserve:           l.ConnReserve,
		MaxPreLogin:       l.MaxPreLogin,
		MaxConnsPerIP:     l.MaxConnsPerIP,
		MaxQueueBytes:     l.MaxQueueBytes,
		MaxSendFrame:      l.MaxSendFrame,
		OptionalHighWater: l.OptionalHighWater,
		WriteTimeout:      l.WriteTimeout,
		FrameTimeout:      l.FrameTimeout,
	}
}
