package wpnserver

import (
	"log/slog"
	"net/netip"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/revival-net/revival/internal/hub"
	"github.com/revival-net/revival/internal/netconn"
	"github.com/revival-net/revival/internal/netlimit"
	"github.com/revival-net/revival/wpn"
	"github.com/revival-net/revival/wpn/wpnconn"
)

// ChatHost hosts WinMX chat rooms on the primary's port: connections
// whose key block says "chat client" (0x57) are handed to it after 0x31.
type ChatHost interface {
	ServeChat(c *netconn.Conn, in wpnconn.Opening)
}

// LinkHandler serves primary links (0x50 key blocks): other primaries
// and room listers.
type LinkHandler interface {
	ServeLink(c *netconn.Conn, in wpnconn.Opening)
}

// RoomSource lists chat rooms for 0x238E answers (rooms this node hosts
// and rooms learnt from other primaries).
type RoomSource interface {
	AppendRoomList(dst []wpn.RoomListEntry) []wpn.RoomListEntry
}

// Options configures a primary. Everything is optional except Hub.
type Options struct {
	Hub        *hub.Hub
	Logger     *slog.Logger
	Registerer prometheus.Registerer

	// PublicIP is the IPv4 address in this primary's handle, node entries
	// and search hits. Zero: the address each secondary connected to
	// (right on a LAN and in tests; set it behind NAT).
	PublicIP netip.Addr
	// UDPPort is the UDP port in the handle (default 6257). TCPPort is
	// the port announced in node lists (default: the port connected to).
	UDPPort uint16
	TCPPort uint16

	Chat  ChatHost    // nil: chat clients are refused
	Links LinkHandler // nil: primary links are refused
	Rooms RoomSource  // nil: the room list is empty
	// Mesh carries requests for users on other primaries; nil: such
	// requests fail at once (0x138B, 0x13ED "User is Ofline", …).
	Mesh Mesh
	// Nodes returns other primaries for 0x03A1 lists (up to seven are
	// sent after this one); nil: only this primary.
	Nodes func() []wpn.NodeEntry

	Limits Limits
	Now    func() time.Time // tests
}

// Limits bounds what secondaries may cost. Zero fields take defaults.
type Limits struct {
	// MaxSecondaries caps logged-in secondaries (default 20,000; at most
	// 65,535, the client-id space). Further secondaries complete the key
	// exchange and are closed, and try their next primary (wpn.md §3.13).
	MaxSecondaries int
	MaxConns       int // netconn.Limits.MaxConns (0: descriptor limit minus reserve)
	MaxPreLogin    int
	MaxConnsPerIP  int // default 32

	// LoginTimeout bounds the time from accept to 0x03E9 (default 15 s).
	LoginTimeout time.Duration
	// IdleTimeout drops a secondary that sends nothing for this long
	// (default 5 min: clients send 0x0384 every 30 s and after every
	// 0x03A1).
	IdleTimeout time.Duration
	// NodeListEvery is how often 0x03A1 goes out as a keep-alive
	// (default 60 s; wpn.md §3.2 step 9 says "very regularly").
	NodeListEvery time.Duration
	// MaxPayload is the largest frame read (default 65535); larger ones
	// are skipped with their bytes still run through the cipher.
	MaxPayload int

	MaxSearchResults int // local hits per search (default 200)
	MaxBrowseEntries int // files per browse answer (default 10,000)
	MaxRoomList      int // 0x238E entries per request (default 1,400, wpn.md §3.10)
	MaxPendingPMs    int // PM receipts awaited per recipient (default 64)
	MaxPendingGets   int // brokered downloads awaited per uploader (default 256)
	BrokerTimeout    time.Duration

	Searches netlimit.Rate // per secondary (default 2/s, burst 10)
	Messages netlimit.Rate // PMs, whois and browse per secondary (default 5/s, burst 20)
	Requests netlimit.Rate // download requests per secondary (default 10/s, burst 50)
}

func (l *Limits) setDefaults() {
	def := func(p *int, v int) {
		if *p == 0 {
			*p = v
		}
	}
	def(&l.MaxSecondaries, 20000)
	l.MaxSecondaries = min(l.MaxSecondaries, 65535)
	def(&l.MaxConnsPerIP, 32)
	def(&l.MaxPayload, wpn.MaxPayload)
	def(&l.MaxSearchResults, 200)
	def(&l.MaxBrowseEntries, 10000)
	def(&l.MaxRoomList, 1400)
	def(&l.MaxPendingPMs, 64)
	def(&l.MaxPendingGets, 256)
	dur := func(p *time.Duration, v time.Duration) {
		if *p == 0 {
			*p = v
		}
	}
	dur(&l.LoginTimeout, 15*time.Second)
	dur(&l.IdleTimeout, 5*time.Minute)
	dur(&l.NodeListEvery, 60*time.Second)
	dur(&l.BrokerTimeout, 2*time.Minute)
	rate := func(p *netlimit.Rate, perSecond, burst float64) {
		if *p == (netlimit.Rate{}) {
			*p = netlimit.Rate{PerSecond: perSecond, Burst: burst}
		}
	}
	rate(&l.Searches, 2, 10)
	rate(&l.Messages, 5, 20)
	rate(&l.Requests, 10, 50)
}
