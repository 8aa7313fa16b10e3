package wpnmesh

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/revival-net/revival/wpn"
	"github.com/revival-net/revival/wpn/wpnserver"
)

// Mesh is this primary's part of the network of Revival primaries. It is
// safe for concurrent use.
type Mesh struct {
	opts    Options
	lim     Limits
	log     *slog.Logger
	metrics *metrics

	srv    atomic.Pointer[wpnserver.Server]
	seen   *seen
	routes *routes
	seq    atomic.Uint32 // this primary's announcement sequence

	mu      sync.Mutex
	links   map[*link]struct{}
	pending map[qkey]*pending // forwarded requests awaiting answers
	floods  map[qkey]*flood   // searches and room queries whose answers are relayed
	closed  bool

	roomMu sync.Mutex
	rooms  map[string]learntRoom

	ctx      context.Context
	cancel   context.CancelFunc
	wg       sync.WaitGroup
	started  atomic.Bool
	announce chan struct{} // a re-announcement is due (someone declared us gone)
	linkIDs  atomic.Uint64

	watchMu sync.Mutex
	watchCh chan struct{} // closed and replaced on every change (tests, observers)
	stats   stats
}

// stats are counters tests wait on (the metrics carry the same facts).
type stats struct {
	duplicates       atomic.Int64 // flooded messages dropped as already seen
	searchDuplicates atomic.Int64 // of which searches
	answered         atomic.Int64 // searches from peers answered from the local index
}

var (
	_ wpnserver.Mesh        = (*Mesh)(nil)
	_ wpnserver.LinkHandler = (*Mesh)(nil)
	_ wpnserver.RoomSource  = (*Mesh)(nil)
)

// New returns a mesh. The primary needs it in its Options (Mesh, Links,
// Rooms, Nodes: m.Nodes), so make the mesh first, then the server, then
// call Attach and Start.
func New(opts Options) *Mesh {
	opts.Limits.setDefaults()
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	ctx, cancel := context.WithCancel(context.Background())
	m := &Mesh{
		opts:     opts,
		lim:      opts.Limits,
		log:      opts.Logger,
		seen:     newSeen(opts.Limits.SeenFor, opts.Limits.MaxSeen),
		routes:   newRoutes(maxNodes),
		links:    map[*link]struct{}{},
		pending:  map[qkey]*pending{},
		floods:   map[qkey]*flood{},
		rooms:    map[string]learntRoom{},
		ctx:      ctx,
		cancel:   cancel,
		announce: make(chan struct{}, 1),
		watchCh:  make(chan struct{}),
	}
	// Sequences start at the clock so a restarted primary's
	// announcements are newer than its last life's (wpn-mesh.md "Routes").
	m.seq.Store(uint32(time.Now().Unix()))
	m.metrics = newMetrics(opts.Registerer, m)
	return m
}

// Attach gives the mesh the primary it serves. Incoming links are refused
// and nothing is dialled until then.
func (m *Mesh) Attach(srv *wpnserver.Server) { m.srv.Store(srv) }

// Start dials the configured peers (and keeps dialling them) and runs the
// periodic announcements, room queries and expiries until Close or ctx
// ends.
func (m *Mesh) Start(ctx context.Context) {
	if !m.started.CompareAndSwap(false, true) {
		return
	}
	stop := context.AfterFunc(ctx, m.cancel)
	m.wg.Go(func() {
		<-m.ctx.Done()
		stop()
	})
	for _, addr := range m.opts.Peers {
		m.wg.Go(func() { m.dialLoop(addr) })
	}
	m.wg.Go(m.tickLoop)
}

// Close drops every link and stops the background work.
func (m *Mesh) Close() {
	m.cancel()
	m.mu.Lock()
	m.closed = true
	links := make([]*link, 0, len(m.links))
	for l := range m.links {
		links = append(links, l)
	}
	m.mu.Unlock()
	for _, l := range links {
		l.close("mesh closed")
	}
	m.wg.Wait()
}

func (m *Mesh) now() time.Time { return time.Now() }

// Nodes returns the other primaries of the mesh, nearest first, for the
// 0x03A1 node lists secondaries keep as their backup primaries
// (wpnserver.Options.Nodes) and for the peer cache.
func (m *Mesh) Nodes() []wpn.NodeEntry { return m.routes.nodes() }

// newQID is a fresh query id. Ids are random, so two primaries' ids
// collide about once in 2^32; keys also carry the origin handle.
func newQID() uint32 {
	for {
		if q := rand.Uint32(); q != 0 {
			return q
		}
	}
}

// isSelf reports whether h names this primary, with the server's rule
// (wpnserver resolve): without a public address any handle with our UDP
// port is ours, since we may be reached by several addresses.
func (m *Mesh) isSelf(h wpn.Handle) bool {
	srv := m.srv.Load()
	if srv == nil || !h.IP.Is4() {
		return false
	}
	return srv.Handle(netip.AddrPortFrom(h.IP, 0)) == h
}

// selfEntry is this primary's node entry as the peer of l knows it: the
// address l runs on and the port the primary listens on.
func (m *Mesh) selfEntry(l *link) wpn.NodeEntry {
	srv := m.srv.Load()
	port := l.local.Port()
	if l.outgoing {
		for _, a := range srv.Addrs() {
			if t, ok := a.(*net.TCPAddr); ok {
				port = uint16(t.Port)
				break
			}
		}
	}
	return srv.NodeEntry(netip.AddrPortFrom(l.local.Addr(), port))
}

func (m *Mesh) selfHandle(l *link) wpn.Handle {
	return m.srv.Load().Handle(l.local)
}

// peerLinks returns the links to Revival primaries, except skip.
func (m *Mesh) peerLinks(skip *link) []*link {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]*link, 0, len(m.links))
	for l := range m.links {
		if l != skip && l.isPeer() {
			out = append(out, l)
		}
	}
	return out
}

func (m *Mesh) allLinks() []*link {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]*link, 0, len(m.links))
	for l := range m.links {
		out = append(out, l)
	}
	return out
}

// addLink registers l unless the mesh is closed or full.
func (m *Mesh) addLink(l *link) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed || len(m.links) >= m.lim.MaxLinks {
		return false
	}
	m.links[l] = struct{}{}
	return true
}

// changed wakes everyone waiting in watch.
func (m *Mesh) changed() {
	m.watchMu.Lock()
	close(m.watchCh)
	m.watchCh = make(chan struct{})
	m.watchMu.Unlock()
}

// watch returns a channel closed at the next change of routes, links,
// rooms or counters.
func (m *Mesh) watch() <-chan struct{} {
	m.watchMu.Lock()
	defer m.watchMu.Unlock()
	return m.watchCh
}

// tickLoop announces this primary, queries rooms and expires state.
func (m *Mesh) tickLoop() {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	lastAnnounce, lastRooms := m.now(), m.now() // new peers are queried for rooms at once
	for {
		select {
		case <-m.ctx.Done():
			return
		case <-m.announce:
			m.announceAll()
			lastAnnounce = m.now()
		case <-tick.C:
			now := m.now()
			if now.Sub(lastAnnounce) >= m.lim.AnnounceEvery {
				m.announceAll()
				lastAnnounce = now
			}
			if now.Sub(lastRooms) >= m.lim.RoomQueryEvery {
				m.RefreshRooms()
				lastRooms = now
			}
			m.expire(now)
		}
	}
}

// expire drops what outlived its time: requests (their requesters get
// the failure packet), relayed floods, routes and rooms.
func (m *Mesh) expire(now time.Time) {
	var late []*pending
	m.mu.Lock()
	for k, p := range m.pending {
		if now.After(p.expires) {
			delete(m.pending, k)
			late = append(late, p)
		}
	}
	for k, f := range m.floods {
		if now.After(f.expires) {
			delete(m.floods, k)
		}
	}
	m.mu.Unlock()
	for _, p := range late {
		m.metrics.timeouts.Inc()
		if p.local != nil {
			p.local(failureFor(p.req))
		}
	}
	gone := m.routes.expire(now)
	roomsGone := m.expireRooms(now)
	if gone || roomsGone {
		m.changed()
	}
}
