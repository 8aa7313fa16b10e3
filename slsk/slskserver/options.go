package slskserver

import (
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/revival-net/revival/internal/hub"
	"github.com/revival-net/revival/internal/netlimit"
	"github.com/revival-net/revival/slsk"
)

// Options configures a Server. Hub is required; everything else has a
// default that suits a public server.
type Options struct {
	Hub     *hub.Hub
	Logger  *slog.Logger          // nil: discard
	Metrics prometheus.Registerer // nil: metrics are kept but not registered
	Limits  Limits

	// Greeting is the MOTD sent in the Login reply.
	Greeting string
	// PrivateMode refuses logins of unknown names (SVRPRIVATE) instead of
	// registering them (spec §1.3).
	PrivateMode bool
	// MaxUsers refuses logins past this many online users (SVRFULL); 0 is
	// unlimited.
	MaxUsers int
	// Distributed chooses how searches reach users (spec §4.3).
	Distributed DistribMode
	// ExcludedPhrases are sent to clients at login (code 160) so they do not
	// answer searches matching them; searches containing them are dropped.
	ExcludedPhrases []string
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Limits bounds what one connection may cost. Zero fields take defaults.
type Limits struct {
	MaxFrame      uint32        // largest client message (default 64 KiB, spec §1.2)
	LoginTimeout  time.Duration // time to send Login (default 60 s, as Soulfind)
	IdleTimeout   time.Duration // logged-in silence before disconnect; 0 = never (see defaults)
	WriteTimeout  time.Duration // one write to the socket (default 30 s)
	MaxQueueBytes int           // unsent bytes before a slow reader is dropped (default 2 MiB)
	MaxConnsPerIP int           // simultaneous connections per address (default 32; < 0 unlimited)
	ChatRate      netlimit.Rate // chat lines, PMs (one token per recipient), room creation and private-room changes (default 5/s, burst 20)
	SearchRate    netlimit.Rate // FileSearch & co, RoomList, recommendations per session (default 1/s, burst 10)
	FanoutRate    netlimit.Rate // messages that fan out or are relayed to others: SetStatus, stats, join/leave, ConnectToPeer (default 10/s, burst 200)
	FloodStrikes  int           // rate-limited messages tolerated per minute before disconnect (default 50)
	// FailedLogins bounds wrong-password logins per host (IPv6: per /64);
	// each costs a bcrypt run. Default 10, then one per 6 s.
	FailedLogins netlimit.Rate
	// AccountFailedLogins bounds wrong passwords at one account from any
	// number of hosts. Default 20, then one per 30 s.
	AccountFailedLogins netlimit.Rate
	// KnownHostFailedLogins bounds wrong passwords at one account from a
	// host that logged in to it before: such a host gets in with the right
	// password even when FailedLogins or AccountFailedLogins are spent
	// (shared NAT, IPv6 /64). Default 5, then one per 30 s.
	KnownHostFailedLogins netlimit.Rate
	// HostRegistrations bounds new accounts per host (IPv6: per /64).
	// Default 5 per hour. A negative PerSecond disables a login budget.
	HostRegistrations netlimit.Rate
	// Registrations bounds new accounts on the whole server. Default 60 a
	// minute.
	Registrations netlimit.Rate

	MaxChatLen     int // chat and private message bytes (default 2048, as Soulfind)
	MaxQueryLen    int // search query bytes (default 256, as Soulfind)
	MaxTickerLen   int // room ticker bytes (default 1024, spec §2 code 116)
	MaxPending     int // offline messages kept per recipient (default 500)
	MaxWatches     int // watched users per session (default 2000)
	MaxRoomsJoined int // rooms one session may be in (default 100)

	// Connection caps and queue rules of internal/netconn (zero: its
	// defaults; see netconn.Limits).
	MaxConns          int           // open connections (default: descriptor limit - ConnReserve; < 0 unlimited)
	ConnReserve       int           // descriptors kept for the store, admin listener and outgoing work (default 128)
	MaxPreLogin       int           // connections not logged in yet, all hosts (default MaxConns/2, at least 16; < 0 unlimited)
	MaxSendFrame      int           // largest frame queued to a client; larger ones are dropped, the client stays (default 16 MiB)
	OptionalHighWater int           // queue backlog above which relayed peer messages are dropped (default MaxQueueBytes/4)
	FrameTimeout      time.Duration // from a frame's first byte to its last, even with IdleTimeout off (default 30 s)
	// MaxPendingPerPair and MaxPendingPerSender cap the unacknowledged
	// private messages one sender may leave for one recipient (default 50)
	// and for all recipients together (default 200), so a few accounts
	// cannot fill someone's MaxPending and shut their friends out (issue
	// 5, finding 8). MaxPending stays the last bound per recipient.
	MaxPendingPerPair   int
	MaxPendingPerSender int
	// LookupRate charges lookups of a user by name (WatchUser,
	// GetUserStatus, GetUserStats, GetPeerAddress, UserInterests,
	// UserPrivileged), which read the store for names not online, and, in
	// a bucket of its own, MessageAcked, a store write (issue 5, finding
	// 10). Default 20/s, burst 5000: Nicotine+ sends WatchUser and
	// GetUserStatus for every buddy at login (spec §1.4), at most
	// MaxWatches of them, and acknowledges up to MaxPending messages; and
	// every peer connection a client opens (each search answer) sends a
	// GetPeerAddress with its ConnectToPeer (spec §3.2), so the rate is
	// twice FanoutRate's.
	LookupRate netlimit.Rate
	// Rooms are a shared namespace that free accounts could otherwise
	// fill (see rooms_caps.go). Nicotine+ users join a handful of rooms
	// and create fewer, so the defaults are far above what they need.
	MaxRooms           int           // rooms kept, public and private (default 100,000)
	MaxRoomsPerAccount int           // live rooms one account created, public and private (default 50; < 0 unlimited)
	RoomCreations      netlimit.Rate // rooms created per host (IPv6: per /64) (default 20, then one per 3 min; PerSecond < 0 unlimited)
	MaxRoomListRooms   int           // public rooms in one RoomList reply, largest first (default 1000)
	MaxRoomListBytes   int           // bytes of one RoomList reply (default 256 KiB, at most a quarter of MaxQueueBytes)
}

func (l *Limits) setDefaults() {
	def := func(p *int, v int) {
		if *p == 0 {
			*p = v
		}
	}
	if l.MaxFrame == 0 {
		l.MaxFrame = slsk.MaxServerFrame
	}
	if l.LoginTimeout == 0 {
		l.LoginTimeout = 60 * time.Second
	}
	// IdleTimeout stays 0 by default: Nicotine+ sends nothing on an idle
	// session (it relies on TCP keepalive, spec §1.5), so disconnecting
	// quiet sessions would log real users out. Dead peers are found by the
	// TCP keepalive we enable on every connection.
	if l.WriteTimeout == 0 {
		l.WriteTimeout = 30 * time.Second
	}
	def(&l.MaxQueueBytes, 2<<20)
	def(&l.MaxConnsPerIP, 32)
	if l.ChatRate == (netlimit.Rate{}) {
		l.ChatRate = netlimit.Rate{PerSecond: 5, Burst: 20}
	}
	if l.SearchRate == (netlimit.Rate{}) {
		l.SearchRate = netlimit.Rate{PerSecond: 1, Burst: 10}
	}
	// Clients send a burst of these at login (autojoined rooms, one
	// ConnectToPeer per search answer), hence the large burst.
	if l.FanoutRate == (netlimit.Rate{}) {
		l.FanoutRate = netlimit.Rate{PerSecond: 10, Burst: 200}
	}
	def(&l.FloodStrikes, 50)
	if l.FailedLogins == (netlimit.Rate{}) {
		l.FailedLogins = netlimit.Rate{PerSecond: 1.0 / 6, Burst: 10}
	}
	def(&l.MaxChatLen, 2048)
	def(&l.MaxQueryLen, 256)
	def(&l.MaxTickerLen, 1024)
	def(&l.MaxPending, 500)
	def(&l.MaxWatches, 2000)
	def(&l.MaxRoomsJoined, 100)
	def(&l.MaxPendingPerPair, 50)
	def(&l.MaxPendingPerSender, 200)
	if l.LookupRate == (netlimit.Rate{}) {
		l.LookupRate = netlimit.Rate{PerSecond: 20, Burst: 5000}
	}
	def(&l.MaxRooms, 100_000)
	def(&l.MaxRoomsPerAccount, maxOwnedRooms)
	if l.RoomCreations == (netlimit.Rate{}) {
		l.RoomCreations = netlimit.Rate{PerSecond: 1.0 / 180, Burst: 20}
	}
	def(&l.MaxRoomListRooms, 1000)
	def(&l.MaxRoomListBytes, 256<<10)
	if l.AccountFailedLogins == (netlimit.Rate{}) {
		l.AccountFailedLogins = netlimit.Rate{PerSecond: 1.0 / 30, Burst: 20}
	}
	if l.KnownHostFailedLogins == (netlimit.Rate{}) {
		l.KnownHostFailedLogins = netlimit.Rate{PerSecond: 1.0 / 30, Burst: 5}
	}
	if l.HostRegistrations == (netlimit.Rate{}) {
		l.HostRegistrations = netlimit.Rate{PerSecond: 5.0 / 3600, Burst: 5}
	}
	if l.Registrations == (netlimit.Rate{}) {
		l.Registrations = netlimit.Rate{PerSecond: 1, Burst: 60}
	}
}
