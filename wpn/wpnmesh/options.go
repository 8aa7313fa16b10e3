package wpnmesh

import (
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/revival-net/revival/internal/netlimit"
	"github.com/revival-net/revival/wpn/wpnserver"
)

// Options configures a mesh. Everything is optional.
type Options struct {
	// Peers are primaries to link to (host:port of their WPN port); each
	// is dialled, and dialled again with backoff whenever its link drops.
	// Links the other way are accepted through ServeLink.
	Peers []string

	// LocalRooms are the chat rooms this primary hosts (the chat host's
	// list): they answer other primaries' room-list queries, and the
	// mesh's own RoomSource lists them with the rooms learnt from peers.
	LocalRooms wpnserver.RoomSource

	Logger     *slog.Logger
	Registerer prometheus.Registerer
	Limits     Limits
}

// Limits bounds what the mesh and each link may cost. Zero fields take
// defaults.
type Limits struct {
	MaxLinks int // incoming and outgoing links together (default 64)

	// Hop limits (header byte 12): term searches go SearchTTL primaries
	// deep (default 6, WinMX's "~6 typical", wpn.md §1.3), hash searches
	// HashSearchTTL (default 12: "global"), everything else (node
	// announcements, room queries, forwarded requests) MaxHops (default 12).
	SearchTTL     uint8
	HashSearchTTL uint8
	MaxHops       uint8

	MaxHitsPerSearch int // hits relayed per search by each primary (default 200)

	// RequestTimeout fails a forwarded whois, PM or browse without an
	// answer (default 30 s; every browse entry renews it);
	// DownloadTimeout a forwarded download request (default 150 s: the
	// uploader's primary gives up after its own BrokerTimeout, 2 min).
	RequestTimeout  time.Duration
	DownloadTimeout time.Duration
	// SearchLifetime is how long hits of a search are relayed (default 2 min).
	SearchLifetime time.Duration
	// SeenFor is how long a query id is remembered for loop suppression
	// (default 2 min); MaxSeen bounds the memory (default 200,000 ids).
	SeenFor time.Duration
	MaxSeen int

	MaxPending  int // forwarded requests awaiting answers (default 65,536)
	MaxSearches int // searches whose hits are relayed (default 16,384)
	MaxRooms    int // rooms learnt from peers (default 5,000)

	// AnnounceEvery is how often a primary floods its node entry
	// (default 30 s); routes not refreshed for three rounds expire.
	AnnounceEvery time.Duration
	// RoomQueryEvery is how often a 0x4E room-list query is flooded
	// (default 60 s); rooms not heard for 2.5 rounds are dropped.
	RoomQueryEvery time.Duration

	// QueueBytes bounds what waits to be written to one outgoing link
	// (default 4 MiB); beyond it frames are dropped and counted, so a
	// slow peer never blocks a handler. Incoming links are bounded by
	// netconn (Send disconnects a slow peer, SendOptional drops).
	QueueBytes int

	// Per-link rates of requests from a peer (netlimit buckets): floods
	// above them are dropped (searches) or refused (forwards).
	Searches netlimit.Rate // default 100/s, burst 500
	Requests netlimit.Rate // default 200/s, burst 1000

	// Backoff between dials of a peer: from DialBackoff (default 1 s),
	// doubling to MaxDialBackoff (default 60 s).
	DialBackoff    time.Duration
	MaxDialBackoff time.Duration
}

func (l *Limits) setDefaults() {
	def := func(p *int, v int) {
		if *p == 0 {
			*p = v
		}
	}
	def(&l.MaxLinks, 64)
	def(&l.MaxHitsPerSearch, 200)
	def(&l.MaxSeen, 200000)
	def(&l.MaxPending, 65536)
	def(&l.MaxSearches, 16384)
	def(&l.MaxRooms, 5000)
	def(&l.QueueBytes, 4<<20)
	hops := func(p *uint8, v uint8) {
		if *p == 0 {
			*p = v
		}
	}
	hops(&l.SearchTTL, 6)
	hops(&l.HashSearchTTL, 12)
	hops(&l.MaxHops, 12)
	dur := func(p *time.Duration, v time.Duration) {
		if *p == 0 {
			*p = v
		}
	}
	dur(&l.RequestTimeout, 30*time.Second)
	dur(&l.DownloadTimeout, 150*time.Second)
	dur(&l.SearchLifetime, 2*time.Minute)
	dur(&l.SeenFor, 2*time.Minute)
	dur(&l.AnnounceEvery, 30*time.Second)
	dur(&l.RoomQueryEvery, 60*time.Second)
	dur(&l.DialBackoff, time.Second)
	dur(&l.MaxDialBackoff, 60*time.Second)
	rate := func(p *netlimit.Rate, perSecond, burst float64) {
		if *p == (netlimit.Rate{}) {
			*p = netlimit.Rate{PerSecond: perSecond, Burst: burst}
		}
	}
	rate(&l.Searches, 100, 500)
	rate(&l.Requests, 200, 1000)
}
