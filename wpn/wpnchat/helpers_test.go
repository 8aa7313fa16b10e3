package wpnchat

import (
	"context"
	"errors"
	"io"
	"net"
	"net/netip"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/crypto/bcrypt"

	"github.com/revival-net/revival/internal/hub"
	"github.com/revival-net/revival/internal/netconn"
	"github.com/revival-net/revival/internal/netlimit"
	"github.com/revival-net/revival/internal/store"
	"github.com/revival-net/revival/internal/store/sqlstore"
	"github.com/revival-net/revival/wpn"
	"github.com/revival-net/revival/wpn/wpnconn"
)

var ctx = context.Background()

// env is a host served on loopback with a fresh store.
type env struct {
	t    testing.TB
	dir  string
	st   store.Store
	hub  *hub.Hub
	host *Host
	srv  *netconn.Server
	// panics counts handler panics, which netconn would recover
	// silently; every test fails if there was one.
	panics *atomic.Int64
	addr   string // host:port of the listener
	ap     netip.AddrPort
}

// newEnv starts a host with limits lim over a new SQLite store holding
// the given rooms (stored before New, so it loads them).
func newEnv(t *testing.T, lim Limits, rooms ...store.WPNRoom) *env {
	t.Helper()
	e := &env{t: t, dir: t.TempDir()}
	e.openStore()
	for _, r := range rooms {
		if r.CreatedAt.IsZero() {
			r.CreatedAt = time.Now()
		}
		if err := e.st.WPNRooms().Create(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	e.start(lim)
	return e
}

func (e *env) openStore() {
	st, err := sqlstore.Open(ctx, sqlstore.DriverSQLite, filepath.Join(e.dir, "test.db"), nil)
	if err != nil {
		e.t.Fatal(err)
	}
	e.st = st
	e.hub = hub.New(st, hub.AccountsOptions{BcryptCost: bcrypt.MinCost})
	e.t.Cleanup(func() { st.Close() })
}

// start runs a new host over the env's store on a new listener.
func (e *env) start(lim Limits) {
	t := e.t
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	e.addr = ln.Addr().String()
	e.ap = netip.MustParseAddrPort(e.addr)
	h, err := New(ctx, Options{Hub: e.hub, Addr: func() netip.AddrPort { return e.ap }, Limits: lim})
	if err != nil {
		t.Fatal(err)
	}
	e.host = h
	e.panics = new(atomic.Int64)
	panics, serve := e.panics, Handler(h)
	e.srv = netconn.New(netconn.Options{Limits: netconn.Limits{MaxConnsPerIP: -1, MaxConns: -1},
		Handle: func(c *netconn.Conn) {
			defer func() {
				if r := recover(); r != nil {
					panics.Add(1)
					panic(r)
				}
			}()
			serve(c)
		}})
	go func() { _ = e.srv.Serve(ln) }()
	srv := e.srv
	t.Cleanup(func() {
		_ = h.Close()
		_ = srv.Close()
		if n := panics.Load(); n != 0 {
			t.Errorf("%v panics in connection handlers", n)
		}
	})
}

// restart stops the host and starts a new one over the same store.
func (e *env) restart(lim Limits) {
	sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := e.host.Shutdown(sctx); err != nil {
		e.t.Fatal(err)
	}
	_ = e.srv.Close()
	e.start(lim)
}

// room returns the full name of a room base on this host.
func (e *env) room(base string) string {
	return wpn.RoomAddr{Base: base, IP: e.ap.Addr(), Port: e.ap.Port()}.RoomName()
}

func (e *env) account(name, password string) {
	e.t.Helper()
	if _, err := e.hub.Accounts.Register(ctx, name, password); err != nil {
		e.t.Fatal(err)
	}
}

// raw is a scripted chat client: frames in and out through a real
// wpnconn session, as the conversations of wpn.md §6.1 read.
type raw struct {
	t  testing.TB
	s  *wpnconn.Session
	fr *wpn.FrameReader
}

// dialRaw connects and completes the key exchange (steps 1–2).
func (e *env) dialRaw() *raw {
	e.t.Helper()
	s, err := wpnconn.Dial(ctx, e.addr, wpn.KeyChatClient)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { s.Close() })
	return &raw{t: e.t, s: s, fr: s.Frames(0)}
}

func (c *raw) send(p wpn.Packet) {
	c.t.Helper()
	if err := c.s.Send(p); err != nil {
		c.t.Fatal(err)
	}
}

func (c *raw) sendFrame(typ wpn.Type, payload []byte) {
	c.t.Helper()
	if err := c.s.SendFrame(uint16(typ), payload); err != nil {
		c.t.Fatal(err)
	}
}

// readDeadline bounds every wait for the host, so a missing frame fails
// the test instead of hanging it (no test asserts a timing).
const readDeadline = 10 * time.Second

// next reads the next frame, decoded; pings and identification are not
// skipped.
func (c *raw) next() wpn.Packet {
	c.t.Helper()
	_ = c.s.Conn.SetReadDeadline(time.Now().Add(readDeadline))
	typ, payload, err := c.fr.Next()
	if err != nil {
		c.t.Fatalf("reading a frame: %v", err)
	}
	p, err := wpn.DecodeChat(typ, payload)
	if err != nil {
		c.t.Fatalf("decoding 0x%04X: %v", typ, err)
	}
	return p
}

// expect reads the next frame and compares it with want.
func (c *raw) expect(want wpn.Packet) {
	c.t.Helper()
	got := c.next()
	if d := cmp.Diff(want, got, cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); d != "" {
		c.t.Fatalf("unexpected frame (-want +got):\n%s", d)
	}
}

// expectNotice reads frames until a notice containing text; other frames
// in between are an error, so order matters.
func (c *raw) expectNotice(text string) {
	c.t.Helper()
	p := c.next()
	n, ok := p.(*wpn.ChatNoticeLine)
	if !ok || !strings.Contains(n.Text, text) {
		c.t.Fatalf("got %#v, want a notice containing %q", p, text)
	}
}

// skipNotices reads frames until one that is not a notice.
func (c *raw) skipNotices() wpn.Packet {
	c.t.Helper()
	for {
		if p := c.next(); !isNotice(p) {
			return p
		}
	}
}

func isNotice(p wpn.Packet) bool { _, ok := p.(*wpn.ChatNoticeLine); return ok }

// expectClosed reads until the host closes the connection and returns
// the notices it sent first.
func (c *raw) expectClosed() []string {
	c.t.Helper()
	var notices []string
	_ = c.s.Conn.SetReadDeadline(time.Now().Add(readDeadline))
	for {
		typ, payload, err := c.fr.Next()
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || isReset(err) {
			return notices
		}
		if err != nil {
			c.t.Fatalf("waiting for the host to close: %v", err)
		}
		if wpn.Type(typ) == wpn.ChatNotice {
			p, _ := wpn.DecodeChat(typ, payload)
			notices = append(notices, p.(*wpn.ChatNoticeLine).Text)
		}
	}
}

func isReset(err error) bool { return err != nil && strings.Contains(err.Error(), "connection reset") }

// roundTrip is a barrier: a ping answered means the host handled every
// frame sent before it.
func (c *raw) roundTrip() {
	c.t.Helper()
	c.sendFrame(wpn.ChatPing, nil)
	for {
		if u, ok := c.next().(*wpn.Unknown); ok && u.Type == wpn.ChatPing {
			return
		}
	}
}

// joinReq is a join of name into room from a user on primary 10.0.0.1:6257.
func joinReq(room, name string) *wpn.ChatJoinRequest {
	return &wpn.ChatJoinRequest{Room: room, LineType: 8, PrimaryIP: netip.MustParseAddr("10.0.0.1"),
		PrimaryUDPPort: 6257, Files: 42, Name: name}
}

func user(name string, rank uint8) wpn.ChatUser {
	return wpn.ChatUser{ChatPeer: wpn.ChatPeer{Name: name, PrimaryIP: netip.MustParseAddr("10.0.0.1"), PrimaryUDPPort: 6257},
		LineType: 8, Files: 42, Rank: rank}
}

func flag(t wpn.Type, v byte) *wpn.Unknown { return wpn.ChatFlag(t, v) }

// join353 runs the 3.53 join of §6.1 up to and including the topic
// (steps 3–7), for a room without MOTD lines.
func (e *env) join353(room, name, topic string) *raw {
	e.t.Helper()
	c := e.dialRaw()
	c.send(flag(wpn.ChatHello353, 0x31))
	c.send(joinReq(room, name))
	c.expect(flag(wpn.ChatJoined, 0x31))
	c.expect(flag(wpn.ChatProtocol353, 0x31))
	c.expect(&wpn.ChatColours{Text: "#c%d#"})
	c.expect(&wpn.ChatSoftwareID{Name: "Revival", Version: Version})
	c.expect(&wpn.ChatTopicText{Text: topic})
	return c
}

// join331 is join353 for a 3.31 client: no 0x13ED, no 0x0068/0x9904/0x9905.
func (e *env) join331(room, name, topic string) *raw {
	e.t.Helper()
	c := e.dialRaw()
	c.send(joinReq(room, name))
	c.expect(flag(wpn.ChatJoined, 0x31))
	c.expect(&wpn.ChatTopicText{Text: topic})
	return c
}

func rank(v uint8) *uint8 { return &v }

func rateUnlimited() netlimit.Rate { return netlimit.Rate{PerSecond: 1e9, Burst: 1e9} }

// untilJoined reads until the host announces name joining (the end of an
// admission, §6.1 step 7).
func (c *raw) untilJoined(name string) {
	c.t.Helper()
	for {
		switch p := c.next().(type) {
		case *wpn.ChatUserInfo:
			if p.Name == name {
				return
			}
		case *wpn.ChatUserJoinedWithIP:
			if p.Name == name {
				return
			}
		case *wpn.ChatUserInfo331:
			if p.Name == name {
				return
			}
		}
	}
}
