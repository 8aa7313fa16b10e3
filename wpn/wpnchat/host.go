package wpnchat

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"sort"
	"sync"

	"github.com/revival-net/revival/internal/hub"
	"github.com/revival-net/revival/internal/netconn"
	"github.com/revival-net/revival/internal/netlimit"
	"github.com/revival-net/revival/internal/store"
	"github.com/revival-net/revival/wpn"
	"github.com/revival-net/revival/wpn/wpnconn"
)

// Version is what the host sends as its version in 0x9905.
const Version = "1.0"

// Host hosts the WinMX chat rooms of one server. Create it with New, hand
// it chat connections with ServeChat, stop it with Shutdown or Close.
type Host struct {
	opts    Options
	log     *slog.Logger
	metrics *metrics
	fanout  Fanout
	guard   *hub.Guard
	// roomPasswordHosts rations wrong room passwords per host (the
	// HostFailures budget; the hub's Guard covers account passwords).
	roomPasswordHosts *netlimit.Keyed[netip.Addr]

	mu       sync.Mutex
	rooms    map[string]*room // by folded base name
	sessions map[*member]struct{}
	closed   bool
	wg       sync.WaitGroup // ServeChat calls running
}

// New returns a host serving the rooms stored in opts.Hub.Store.
func New(ctx context.Context, opts Options) (*Host, error) {
	if opts.Hub == nil {
		return nil, errors.New("wpnchat: Options.Hub is required")
	}
	opts.Limits.setDefaults()
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.ServerName == "" {
		opts.ServerName = "Revival"
	}
	if opts.Fanout == nil {
		opts.Fanout = NewLocalFanout()
	}
	l := opts.Limits
	h := &Host{
		opts:   opts,
		log:    opts.Logger.With("proto", "wpnchat"),
		fanout: opts.Fanout,
		guard: hub.NewGuard(hub.GuardOptions{HostFailures: l.HostFailures, AccountFailures: l.AccountFailures,
			KnownHostFailures: l.KnownHostFailures}, nil),
		roomPasswordHosts: netlimit.NewKeyed[netip.Addr](l.HostFailures, 100000),
		rooms:             map[string]*room{},
		sessions:          map[*member]struct{}{},
	}
	h.metrics = newMetrics(opts.Registerer, h)
	recs, err := opts.Hub.Store.WPNRooms().List(ctx)
	if err != nil {
		return nil, fmt.Errorf("wpnchat: loading rooms: %w", err)
	}
	for _, rec := range recs {
		if len(h.rooms) >= l.MaxRooms {
			h.log.Warn("more stored rooms than MaxRooms; the rest are not hosted", "max", l.MaxRooms)
			break
		}
		h.rooms[fold(rec.Name)] = newRoom(h, rec)
	}
	return h, nil
}

// Handler returns a netconn handler that greets a connection and serves
// it if it opens as a chat client (wpn.md §1.2), for a chat-only listener
// and for tests; the primary's listener dispatches on the opening itself
// and calls ServeChat.
func Handler(h *Host) func(*netconn.Conn) {
	return func(c *netconn.Conn) {
		in, err := wpnconn.Greet(c)
		if err != nil || in.ID != wpn.KeyChatClient {
			return
		}
		h.ServeChat(c, in)
	}
}

// addr returns the host's public address, or zeros.
func (h *Host) addr() (netip.Addr, uint16) {
	if h.opts.Addr == nil {
		return netip.IPv4Unspecified(), 0
	}
	ap := h.opts.Addr()
	ip := ap.Addr().Unmap()
	if !ip.Is4() {
		ip = netip.IPv4Unspecified()
	}
	return ip, ap.Port()
}

// fullName is a room's listed name: base and the host's address (wpn.md
// §1.4, §6.3).
func (h *Host) fullName(base string) string {
	ip, port := h.addr()
	return wpn.RoomAddr{Base: base, IP: ip, Port: port}.RoomName()
}

// room returns the room named by a join's room name: its base, in any
// ASCII case, whatever address suffix it carries (the client reached us,
// so the address was ours; a host whose address changed keeps serving
// names from old lists). A name without a suffix is its own base.
func (h *Host) room(joinName string) *room {
	base := joinName
	if a, err := wpn.ParseRoomName(joinName); err == nil {
		base = a.Base
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.rooms[fold(base)]
}

// RoomInfo describes a hosted room.
type RoomInfo struct {
	Name        string // the full name with the host's address suffix
	Base        string
	Topic       string
	Users       int // members in the room (not those waiting for /login or /password)
	Limit       int
	Owner       string
	HasPassword bool
	Moderated   bool
}

// Rooms lists the hosted rooms by base name.
func (h *Host) Rooms() []RoomInfo {
	h.mu.Lock()
	rs := make([]*room, 0, len(h.rooms))
	for _, r := range h.rooms {
		rs = append(rs, r)
	}
	h.mu.Unlock()
	out := make([]RoomInfo, 0, len(rs))
	for _, r := range rs {
		out = append(out, r.info())
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Base < out[j].Base })
	return out
}

// AppendRoomList appends the hosted rooms as the primary lists them to
// its secondaries (0x238E, wpn.md §3.10).
func (h *Host) AppendRoomList(dst []wpn.RoomListEntry) []wpn.RoomListEntry {
	for _, ri := range h.Rooms() {
		dst = append(dst, wpn.RoomListEntry{Users: uint32(ri.Users), Limit: uint32(ri.Limit), Name: ri.Name, Topic: ri.Topic})
	}
	return dst
}

// ReloadRoom applies a change another process made to the stored room
// name (store.ChangeWPNRoom): a new room opens, a removed one closes (its
// members are told and disconnected), a changed one takes its new
// settings (topic, operators, bans, limit, password for later joins).
func (h *Host) ReloadRoom(ctx context.Context, name string) error {
	rec, err := h.opts.Hub.Store.WPNRooms().Get(ctx, name)
	gone := errors.Is(err, store.ErrNotFound)
	if err != nil && !gone {
		return fmt.Errorf("wpnchat: reload room %q: %w", name, err)
	}
	key := fold(name)
	h.mu.Lock()
	r := h.rooms[key]
	switch {
	case gone && r != nil:
		delete(h.rooms, key)
	case !gone && r == nil:
		if h.closed || len(h.rooms) >= h.opts.Limits.MaxRooms {
			h.mu.Unlock()
			return fmt.Errorf("wpnchat: room %q not opened: MaxRooms (%d) reached", name, h.opts.Limits.MaxRooms)
		}
		h.rooms[key] = newRoom(h, rec)
		h.mu.Unlock()
		h.log.Info("room opened", "room", rec.Name)
		return nil
	}
	h.mu.Unlock()
	switch {
	case r == nil:
	case gone:
		r.close("this room was closed by an operator")
		h.log.Info("room closed", "room", name)
	default:
		r.reload(rec)
	}
	return nil
}

// CreateRoom stores a new room and opens it (what `revival wpn room add`
// does, for callers in this process). store.ErrConflict if it exists.
func (h *Host) CreateRoom(ctx context.Context, rec store.WPNRoom) error {
	if err := checkRoomBase(rec.Name); err != nil {
		return err
	}
	if err := h.opts.Hub.Store.WPNRooms().Create(ctx, rec); err != nil {
		return err
	}
	return h.ReloadRoom(ctx, rec.Name)
}

// Shutdown tells every member the server is going down, disconnects them
// and waits for their sessions to end until ctx ends. Everything that
// must survive (topics, operators, bans) is in the store already.
func (h *Host) Shutdown(ctx context.Context) error {
	h.mu.Lock()
	h.closed = true
	ms := make([]*member, 0, len(h.sessions))
	for m := range h.sessions {
		ms = append(ms, m)
	}
	h.mu.Unlock()
	for _, m := range ms {
		m.notice("The server is shutting down.")
		m.c.CloseAfterFlush("server shutting down")
	}
	done := make(chan struct{})
	go func() { h.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		for _, m := range ms {
			m.c.Close("server shutting down")
		}
		return fmt.Errorf("wpnchat: shutdown: %w", ctx.Err())
	}
}

// Close is Shutdown without waiting.
func (h *Host) Close() error {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_ = h.Shutdown(ctx)
	return nil
}

// members returns how many sessions are open, for the metrics.
func (h *Host) members() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.sessions)
}

func (h *Host) roomCount() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.rooms)
}
