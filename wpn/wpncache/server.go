package wpncache

import (
	"cmp"
	"context"
	"crypto/rand"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"slices"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/revival-net/revival/internal/netconn"
	"github.com/revival-net/revival/wpn"
	"github.com/revival-net/revival/wpn/wpnconn"
)

// Options configures a cache. All fields are optional.
type Options struct {
	Logger     *slog.Logger
	Registerer prometheus.Registerer
	// Local returns this process's own primaries, asked on every reply so
	// their free-slot counts are current. local is the address the client
	// connected to: a primary without a configured public address
	// announces that one.
	Local func(local netip.AddrPort) []wpn.NodeEntry
	// MaxConnsPerIP caps simultaneous connections per host (default 8;
	// a client needs one, briefly).
	MaxConnsPerIP int
	// MaxLearnt bounds the primaries learnt from elsewhere (default 1,000).
	MaxLearnt int
	// ProbeEvery, if set, checks every learnt primary that often: a
	// primary that does not complete a secondary's key exchange is
	// forgotten (wpn.md §5.3's suggestion).
	ProbeEvery time.Duration
	// LingerFor is how long a client may keep the connection open after
	// the reply (some send a key block of their own); default 5 s.
	LingerFor time.Duration
	Now       func() time.Time // tests
}

// Server is a running peer cache.
type Server struct {
	opts Options
	log  *slog.Logger
	net  *netconn.Server

	mu     sync.Mutex
	learnt map[netip.AddrPort]learnt // by IP and TCP port

	replies prometheus.Counter
	stop    chan struct{}
	once    sync.Once
	loops   sync.WaitGroup
}

type learnt struct {
	entry   wpn.NodeEntry
	expires time.Time
}

// New returns a cache; call Serve with each listener.
func New(opts Options) *Server {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.MaxConnsPerIP == 0 {
		opts.MaxConnsPerIP = 8
	}
	if opts.MaxLearnt <= 0 {
		opts.MaxLearnt = 1000
	}
	if opts.LingerFor <= 0 {
		opts.LingerFor = 5 * time.Second
	}
	s := &Server{
		opts:   opts,
		log:    opts.Logger,
		learnt: map[netip.AddrPort]learnt{},
		stop:   make(chan struct{}),
		replies: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: "revival", Subsystem: "wpn_cache", Name: "replies_total",
			Help: "Node lists sent by the peer cache.",
		}),
	}
	s.net = netconn.New(netconn.Options{
		Handle:     s.handle,
		Logger:     s.log,
		Proto:      "wpn_cache",
		Registerer: opts.Registerer,
		Limits:     netconn.Limits{MaxConnsPerIP: opts.MaxConnsPerIP},
	})
	if opts.Registerer != nil {
		opts.Registerer.MustRegister(s.replies, prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Namespace: "revival", Subsystem: "wpn_cache", Name: "learnt_primaries",
			Help: "Primaries the cache has learnt of and not yet forgotten.",
		}, func() float64 { return float64(s.learntCount()) }))
	}
	if opts.ProbeEvery > 0 {
		s.loops.Go(s.probeLoop)
	}
	return s
}

// Serve answers connections on ln until Shutdown or Close.
func (s *Server) Serve(ln net.Listener) error { return s.net.Serve(ln) }

// ErrServerClosed is returned by Serve after Shutdown or Close.
var ErrServerClosed = netconn.ErrServerClosed

// Addrs returns the listeners' addresses.
func (s *Server) Addrs() []net.Addr { return s.net.Addrs() }

// Shutdown stops accepting and waits for open connections (or ctx).
func (s *Server) Shutdown(ctx context.Context) error {
	s.stopLoops()
	return s.net.Shutdown(ctx)
}

// Close closes everything at once.
func (s *Server) Close() error {
	s.stopLoops()
	return s.net.Close()
}

func (s *Server) stopLoops() {
	s.once.Do(func() { close(s.stop) })
	s.loops.Wait()
}

// handle sends the reply without waiting for the client (wpn.md §5.1:
// RoboMX, WPCC and MediaDefender send nothing), then reads and discards
// whatever it sends until it closes or LingerFor passes.
func (s *Server) handle(c *netconn.Conn) {
	reply, err := wpn.NewCacheReply(rand.Reader, s.Entries(c.Local()))
	if err != nil {
		s.log.Error("building a cache reply failed", "err", err)
		return
	}
	c.LoggedIn() // nothing to log in to: the reply is the whole service
	if c.Send(reply[:]) != nil {
		return
	}
	s.replies.Inc()
	_ = c.SetReadDeadline(time.Now().Add(s.opts.LingerFor))
	_, _ = io.Copy(io.Discard, io.LimitReader(c, 4096))
}

// Entries returns the list a client that connected to local gets now (wpn.md §5.2): primaries with
// free secondary slots, most free slots first, then fewest free primary
// slots; local ones win ties; at most ten. Primaries with no free slot
// are left out: clients give up on a list whose best entry has none.
func (s *Server) Entries(local netip.AddrPort) []wpn.NodeEntry {
	type cand struct {
		e     wpn.NodeEntry
		local bool
	}
	var all []cand
	seen := map[netip.AddrPort]bool{}
	add := func(e wpn.NodeEntry, local bool) {
		k := key(e)
		if seen[k] || e.FreeSecondary == 0 || !e.IP.Is4() || e.IP.IsUnspecified() || e.TCPPort == 0 {
			return
		}
		seen[k] = true
		all = append(all, cand{e, local})
	}
	if s.opts.Local != nil {
		for _, e := range s.opts.Local(local) {
			add(e, true)
		}
	}
	now := s.opts.Now()
	s.mu.Lock()
	for k, l := range s.learnt {
		if now.After(l.expires) {
			delete(s.learnt, k)
			continue
		}
		add(l.entry, false)
	}
	s.mu.Unlock()
	slices.SortStableFunc(all, func(a, b cand) int {
		if c := cmp.Compare(b.e.FreeSecondary, a.e.FreeSecondary); c != 0 {
			return c
		}
		if c := cmp.Compare(a.e.FreePrimary, b.e.FreePrimary); c != 0 {
			return c
		}
		switch {
		case a.local && !b.local:
			return -1
		case b.local && !a.local:
			return 1
		}
		return cmp.Compare(key(a.e).String(), key(b.e).String())
	})
	out := make([]wpn.NodeEntry, 0, wpn.FrontCodeEntries)
	for _, c := range all {
		if len(out) == wpn.FrontCodeEntries {
			break
		}
		c.e.Reserved = 0 // always 0 in cache lists (wpn.md §2.6)
		out = append(out, c.e)
	}
	return out
}

func key(e wpn.NodeEntry) netip.AddrPort { return netip.AddrPortFrom(e.IP, e.TCPPort) }

// Learn adds or refreshes a primary learnt from elsewhere (the mesh); it
// is listed until ttl passes without another Learn. Past MaxLearnt, the
// entry closest to expiry makes room.
func (s *Server) Learn(e wpn.NodeEntry, ttl time.Duration) {
	if !e.IP.Is4() || e.TCPPort == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	k := key(e)
	if _, ok := s.learnt[k]; !ok && len(s.learnt) >= s.opts.MaxLearnt {
		var oldest netip.AddrPort
		var at time.Time
		for kk, l := range s.learnt {
			if at.IsZero() || l.expires.Before(at) {
				oldest, at = kk, l.expires
			}
		}
		delete(s.learnt, oldest)
	}
	s.learnt[k] = learnt{entry: e, expires: s.opts.Now().Add(ttl)}
}

// Forget drops a learnt primary (it went away).
func (s *Server) Forget(addr netip.AddrPort) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.learnt, netip.AddrPortFrom(addr.Addr().Unmap(), addr.Port()))
}

func (s *Server) learntCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.learnt)
}

// probeLoop checks learnt primaries every ProbeEvery.
func (s *Server) probeLoop() {
	t := time.NewTicker(s.opts.ProbeEvery)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			s.ProbeOnce(context.Background())
		}
	}
}

// ProbeOnce checks every learnt primary now: each must complete a
// secondary's key exchange (0x31, our 0x52 block, its 0x53 block) within
// five seconds, or it is forgotten.
func (s *Server) ProbeOnce(ctx context.Context) {
	s.mu.Lock()
	addrs := make([]netip.AddrPort, 0, len(s.learnt))
	for k := range s.learnt {
		addrs = append(addrs, k)
	}
	s.mu.Unlock()
	var wg sync.WaitGroup
	sem := make(chan struct{}, 16)
	for _, a := range addrs {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			defer cancel()
			sess, err := wpnconn.Dial(pctx, a.String(), wpn.KeySecondaryClient)
			if err != nil {
				s.log.Info("peer cache forgets a primary that did not answer", "addr", a, "err", err)
				s.Forget(a)
				return
			}
			_ = sess.Close()
		})
	}
	wg.Wait()
}
