package wpnserver

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/netip"
	"sync"
	"time"

	"github.com/revival-net/revival/internal/netconn"
	"github.com/revival-net/revival/wpn"
	"github.com/revival-net/revival/wpn/wpnconn"
	"github.com/revival-net/revival/wpn/wpnserver/shareindex"
)

// Server is one WPN primary.
type Server struct {
	opts    Options
	lim     Limits
	log     *slog.Logger
	now     func() time.Time
	net     *netconn.Server
	dir     *directory
	index   *shareindex.Index
	metrics *metrics

	brokerMu sync.Mutex
	gets     map[getKey]*pendingGet // downloads waiting for the uploader's 0x1F68

	stop     chan struct{}
	stopOnce sync.Once
	loops    sync.WaitGroup
}

// ErrServerClosed is returned by Serve after Shutdown or Close.
var ErrServerClosed = netconn.ErrServerClosed

// New returns a primary; call Serve with its TCP listener.
func New(opts Options) (*Server, error) {
	if opts.Hub == nil {
		return nil, errors.New("wpnserver: Options.Hub is required")
	}
	opts.Limits.setDefaults()
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.UDPPort == 0 {
		opts.UDPPort = 6257
	}
	if opts.PublicIP.IsValid() {
		opts.PublicIP = opts.PublicIP.Unmap()
		if !opts.PublicIP.Is4() {
			return nil, errors.New("wpnserver: the public address must be IPv4 (WinMX handles hold four bytes)")
		}
	}
	s := &Server{
		opts:  opts,
		lim:   opts.Limits,
		log:   opts.Logger,
		now:   opts.Now,
		dir:   newDirectory(opts.Limits.MaxSecondaries),
		index: shareindex.New(shareindex.Limits{}),
		gets:  map[getKey]*pendingGet{},
		stop:  make(chan struct{}),
	}
	s.metrics = newMetrics(opts.Registerer, s)
	s.net = netconn.New(netconn.Options{
		Handle:     s.handle,
		Logger:     s.log,
		Proto:      "wpn",
		Registerer: opts.Registerer,
		Limits: netconn.Limits{
			MaxConns:      s.lim.MaxConns,
			MaxPreLogin:   s.lim.MaxPreLogin,
			MaxConnsPerIP: s.lim.MaxConnsPerIP,
		},
	})
	s.loops.Go(s.keepAlive)
	return s, nil
}

// Serve accepts connections on ln until Shutdown or Close.
func (s *Server) Serve(ln net.Listener) error { return s.net.Serve(ln) }

// Addrs returns the listeners' addresses.
func (s *Server) Addrs() []net.Addr { return s.net.Addrs() }

// Online returns how many secondaries are logged in.
func (s *Server) Online() int { return s.dir.count() }

// Shutdown stops accepting, closes every connection after its queue is
// flushed (or ctx ends) and stops the background loops.
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
	s.stopOnce.Do(func() { close(s.stop) })
	s.loops.Wait()
}

// handle dispatches a new connection on what follows 0x31 (wpn.md §1.2).
func (s *Server) handle(c *netconn.Conn) {
	in, err := wpnconn.Greet(c)
	if err != nil {
		s.metrics.badOpenings.Inc()
		s.log.Debug("bad opening", "remote", c.Remote(), "err", err)
		return
	}
	switch {
	case in.Transfer != "":
		// A primary shares nothing itself: transfers go between
		// secondaries. A downloader dialling us by mistake is closed.
		s.metrics.openings.WithLabelValues("transfer").Inc()
	case in.ID == wpn.KeySecondaryClient:
		s.metrics.openings.WithLabelValues("secondary").Inc()
		s.serveSecondary(c, in)
	case in.ID == wpn.KeyChatClient && s.opts.Chat != nil:
		s.metrics.openings.WithLabelValues("chat").Inc()
		s.opts.Chat.ServeChat(c, in)
	case in.ID == wpn.KeyPrimaryClient && s.opts.Links != nil:
		s.metrics.openings.WithLabelValues("primary").Inc()
		s.opts.Links.ServeLink(c, in)
	default:
		s.metrics.openings.WithLabelValues("refused").Inc()
	}
}

// selfIP is the IPv4 address this primary announces to a secondary that
// connected to local: the configured public one, else the one it dialled.
func (s *Server) selfIP(local netip.AddrPort) netip.Addr {
	if s.opts.PublicIP.IsValid() {
		return s.opts.PublicIP
	}
	if a := local.Addr().Unmap(); a.Is4() {
		return a
	}
	return netip.IPv4Unspecified()
}

// NodeEntry describes this primary as node lists and peer caches carry
// it (wpn.md §2.6): the free secondary slots are real, capped at 255.
func (s *Server) NodeEntry(local netip.AddrPort) wpn.NodeEntry {
	tcp := s.opts.TCPPort
	if tcp == 0 {
		tcp = local.Port()
	}
	free := s.lim.MaxSecondaries - s.dir.count()
	return wpn.NodeEntry{
		IP:            s.selfIP(local),
		UDPPort:       s.opts.UDPPort,
		TCPPort:       tcp,
		FreePrimary:   3, // room listers want at least 3 (wpn.md §2.6)
		FreeSecondary: uint8(max(0, min(free, 255))),
	}
}

// nodeList is the 0x03A1 frame for a secondary connected to local: this
// primary first, then up to seven others (wpn.md §3.3).
func (s *Server) nodeList(local netip.AddrPort) []byte {
	nodes := []wpn.NodeEntry{s.NodeEntry(local)}
	if s.opts.Nodes != nil {
		for _, n := range s.opts.Nodes() {
			if len(nodes) == wpn.MaxNodeListEntries {
				break
			}
			if n.IP != nodes[0].IP || n.TCPPort != nodes[0].TCPPort {
				nodes = append(nodes, n)
			}
		}
	}
	return wpn.AppendPacket(nil, &wpn.NodeList{Nodes: nodes})
}

// keepAlive sends every secondary the node list every NodeListEvery: it
// is WinMX's keep-alive, answered with 0x0384 (wpn.md §3.2 step 9). One
// loop for the whole primary, not a timer per secondary.
func (s *Server) keepAlive() {
	t := time.NewTicker(s.lim.NodeListEvery)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
		}
		frames := map[netip.AddrPort][]byte{}
		var targets []*session
		s.dir.each(func(ss *session) { targets = append(targets, ss) })
		for _, ss := range targets {
			f, ok := frames[ss.local]
			if !ok {
				f = s.nodeList(ss.local)
				frames[ss.local] = f
			}
			_ = ss.c.SendOptional(f)
		}
		s.expireGets()
	}
}
