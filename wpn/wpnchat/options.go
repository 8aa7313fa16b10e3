package wpnchat

import (
	"log/slog"
	"net/netip"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/revival-net/revival/internal/hub"
	"github.com/revival-net/revival/internal/netlimit"
)

// Options configures a Host. Hub is required.
type Options struct {
	// Hub holds the accounts (/login, reserved names, bans) and the store
	// (store.WPNRooms).
	Hub        *hub.Hub
	Logger     *slog.Logger          // nil: discard
	Registerer prometheus.Registerer // nil: metrics are kept but not registered
	// Addr returns the public IPv4 address and TCP port clients reach the
	// host at: it is the suffix of every room name (wpn.md §1.4). Nil or
	// an invalid result: 0.0.0.0:0, which real clients cannot reach.
	Addr func() netip.AddrPort
	// ServerName is what the host calls itself in 0x9905 (default
	// "Revival").
	ServerName string
	Limits     Limits
	// Fanout delivers broadcasts (nil: the in-process NewLocalFanout).
	Fanout Fanout
}

// Limits bounds what rooms and members may cost. Zero fields take the
// defaults in parentheses.
type Limits struct {
	MaxMembers int // members of one room, when the room sets no lower limit (500)
	MaxRooms   int // rooms hosted (1000)
	MaxLine    int // characters of one chat line (512)
	MaxFrame   int // payload bytes of one client frame; larger ones are skipped (4096)
	MaxMOTD    int // characters of a room's message of the day (2000)

	JoinTimeout time.Duration // from the key exchange to the join packet (10 s, as nuggit)
	// PendingTimeout bounds the time a member whose name is reserved for
	// an account, or who joined a room with a password, has to send
	// /login or /password (60 s).
	PendingTimeout time.Duration
	// IdleTimeout disconnects members silent for this long; 0 never
	// (WinMX clients ping with 0xFDE8, but not all of them, and TCP
	// keepalive finds dead peers).
	IdleTimeout time.Duration

	TextRate     netlimit.Rate // chat lines and actions per member (2/s, burst 10)
	CommandRate  netlimit.Rate // commands and renames per member (1/s, burst 10)
	PingRate     netlimit.Rate // pings answered per member; others are ignored (1/s, burst 5)
	FloodStrikes int           // messages dropped by the rates above tolerated per minute before disconnect (20)

	// LoginRate rations /login and /password per connection (one per 5 s,
	// burst 3); MaxLoginFailures wrong passwords end the connection (5).
	LoginRate        netlimit.Rate
	MaxLoginFailures int
	// HostFailures, AccountFailures and KnownHostFailures are the hub's
	// login budgets (hub.GuardOptions) shared by every room: wrong
	// passwords per host (10, then one per 6 s), per account from anywhere
	// (20, then one per 30 s), and per account from a host that logged in
	// to it before (5, then one per 30 s).
	HostFailures      netlimit.Rate
	AccountFailures   netlimit.Rate
	KnownHostFailures netlimit.Rate
}

func (l *Limits) setDefaults() {
	def := func(p *int, v int) {
		if *p == 0 {
			*p = v
		}
	}
	dur := func(p *time.Duration, v time.Duration) {
		if *p == 0 {
			*p = v
		}
	}
	rate := func(p *netlimit.Rate, v netlimit.Rate) {
		if *p == (netlimit.Rate{}) {
			*p = v
		}
	}
	def(&l.MaxMembers, 500)
	def(&l.MaxRooms, 1000)
	def(&l.MaxLine, 512)
	def(&l.MaxFrame, 4096)
	def(&l.MaxMOTD, 2000)
	dur(&l.JoinTimeout, 10*time.Second)
	dur(&l.PendingTimeout, 60*time.Second)
	rate(&l.TextRate, netlimit.Rate{PerSecond: 2, Burst: 10})
	rate(&l.CommandRate, netlimit.Rate{PerSecond: 1, Burst: 10})
	rate(&l.PingRate, netlimit.Rate{PerSecond: 1, Burst: 5})
	def(&l.FloodStrikes, 20)
	rate(&l.LoginRate, netlimit.Rate{PerSecond: 1.0 / 5, Burst: 3})
	def(&l.MaxLoginFailures, 5)
	rate(&l.HostFailures, netlimit.Rate{PerSecond: 1.0 / 6, Burst: 10})
	rate(&l.AccountFailures, netlimit.Rate{PerSecond: 1.0 / 30, Burst: 20})
	rate(&l.KnownHostFailures, netlimit.Rate{PerSecond: 1.0 / 30, Burst: 5})
}

// Name and text limits of wpn.md §1.4 and §6 (RoboServ, BendMX, nuggit).
const (
	MaxNameLen  = 48  // a chat user name
	MaxRoomBase = 40  // a room's base name
	MaxTopicLen = 125 // a room topic
)
