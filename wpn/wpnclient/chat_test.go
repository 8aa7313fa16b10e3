package wpnclient

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/revival-net/revival/internal/hub"
	"github.com/revival-net/revival/internal/netconn"
	"github.com/revival-net/revival/internal/store"
	"github.com/revival-net/revival/internal/store/sqlstore"
	"github.com/revival-net/revival/wpn"
	"github.com/revival-net/revival/wpn/wpnchat"
)

// chatHost serves a wpnchat host with the given rooms on loopback and
// returns the hub and the host's address.
func chatHost(t *testing.T, rooms ...store.WPNRoom) (*hub.Hub, netip.AddrPort) {
	t.Helper()
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, sqlstore.DriverSQLite, filepath.Join(t.TempDir(), "t.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	for _, r := range rooms {
		if err := st.WPNRooms().Create(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	h := hub.New(st, hub.AccountsOptions{BcryptCost: bcrypt.MinCost})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ap := netip.MustParseAddrPort(ln.Addr().String())
	host, err := wpnchat.New(ctx, wpnchat.Options{Hub: h, Addr: func() netip.AddrPort { return ap }})
	if err != nil {
		t.Fatal(err)
	}
	srv := netconn.New(netconn.Options{Handle: wpnchat.Handler(host), Limits: netconn.Limits{MaxConnsPerIP: -1}})
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = host.Close(); _ = srv.Close() })
	return h, ap
}

func roomName(ap netip.AddrPort, base string) string {
	return wpn.RoomAddr{Base: base, IP: ap.Addr(), Port: ap.Port()}.RoomName()
}

func dialChat(t *testing.T, room string, opts ChatOptions) *ChatClient {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := DialChat(ctx, room, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// waitFor reads events until one satisfies match; it fails the test if
// the connection ends first or nothing matches within 10 s.
func waitFor[E ChatEvent](t *testing.T, c *ChatClient, match func(E) bool) E {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case ev, ok := <-c.Events():
			if !ok {
				t.Fatalf("events closed waiting for %T: %v", *new(E), c.Err())
			}
			if e, is := ev.(E); is && (match == nil || match(e)) {
				return e
			}
		case <-timeout:
			t.Fatalf("no %T event", *new(E))
		}
	}
}

func TestChatClient(t *testing.T) {
	_, ap := chatHost(t, store.WPNRoom{Name: "Lounge", Topic: "hello all", MOTD: "be nice"})
	room := roomName(ap, "Lounge")
	primary := wpn.Handle{IP: netip.MustParseAddr("10.1.2.3"), UDPPort: 6257}

	alice := dialChat(t, room, ChatOptions{Name: "alice001_00001", Primary: primary, Files: 5, LineType: 8})
	waitFor[ChatJoined](t, alice, nil)
	if si := waitFor(t, alice, func(e ChatServerInfo) bool { return e.Name != "" }); si.Name != "Revival" {
		t.Errorf("server info %+v", si)
	}
	if tp := waitFor[ChatTopic](t, alice, nil); tp.Text != "hello all" {
		t.Errorf("topic %q", tp.Text)
	}
	if m := waitFor[ChatMOTD](t, alice, nil); m.Text != "be nice" {
		t.Errorf("motd %q", m.Text)
	}
	self := waitFor[ChatUserJoined](t, alice, nil)
	if self.User.Name != "alice001_00001" || self.User.PrimaryIP != primary.IP || self.User.Files != 5 {
		t.Errorf("own join %+v", self.User)
	}

	// A 3.31 client (no 0x13ED, text as 0x00C8) in the same room.
	bob := dialChat(t, room, ChatOptions{Name: "bob002_00002", Protocol331: true})
	waitFor(t, bob, func(e ChatUserListed) bool { return e.User.Name == "alice001_00001" })
	waitFor(t, bob, func(e ChatUserJoined) bool { return e.User.Name == "bob002_00002" })
	waitFor(t, alice, func(e ChatUserJoined) bool { return e.User.Name == "bob002_00002" })

	if err := bob.Say("hi from 3.31"); err != nil {
		t.Fatal(err)
	}
	got := waitFor[ChatText](t, alice, nil)
	if got.Name != "bob002_00002" || got.Text != "hi from 3.31" || got.Rank == nil || *got.Rank != 0 {
		t.Errorf("alice got %+v", got)
	}
	if got := waitFor[ChatText](t, bob, nil); got.Rank != nil {
		t.Errorf("3.31 client got a rank: %+v", got)
	}
	_ = alice.Action("waves")
	_ = alice.Command("me bows")
	for _, want := range []string{"waves", "bows"} {
		if a := waitFor[ChatAction](t, bob, nil); a.Name != "alice001_00001" || a.Text != want {
			t.Errorf("bob got %+v, want %q", a, want)
		}
	}
	_ = alice.Command("/nosuch")
	if n := waitFor[ChatNotice](t, alice, nil); !strings.Contains(n.Text, "Unknown command") {
		t.Errorf("notice %q", n.Text)
	}
	_ = alice.Rename("alice001_00007", 9)
	r := waitFor[ChatUserRenamed](t, bob, nil)
	if r.Old.Name != "alice001_00001" || r.New.Name != "alice001_00007" || r.New.Files != 9 {
		t.Errorf("rename %+v", r)
	}
	waitFor[ChatUserRenamed](t, alice, nil)
	if alice.Name() != "alice001_00007" {
		t.Errorf("Name() = %q after rename", alice.Name())
	}

	alice.Close()
	if l := waitFor[ChatUserLeft](t, bob, nil); l.Peer.Name != "alice001_00007" {
		t.Errorf("left %+v", l)
	}
	cl := waitFor[ChatClosed](t, alice, nil)
	if !errors.Is(cl.Err, ErrClosed) {
		t.Errorf("closed with %v", cl.Err)
	}
}

// A refused join is an error carrying the host's notice; a kick ends the
// events with ChatClosed after the host's notice.
func TestChatClientRefusedAndKicked(t *testing.T) {
	h, ap := chatHost(t, store.WPNRoom{Name: "Ops", Owner: "root"})
	if _, err := h.Accounts.Register(context.Background(), "root", "pw-root"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := DialChat(ctx, roomName(ap, "Nowhere"), ChatOptions{Name: "x_00001"})
	var refused *JoinRefusedError
	if !errors.As(err, &refused) || !strings.Contains(refused.Error(), "no room") {
		t.Fatalf("join of a missing room: %v", err)
	}

	root := dialChat(t, roomName(ap, "Ops"), ChatOptions{Name: "root_00001"})
	waitFor(t, root, func(n ChatNotice) bool { return strings.Contains(n.Text, "/login") })
	_ = root.Command("login pw-root")
	waitFor(t, root, func(e ChatUserJoined) bool { return e.User.Name == "root_00001" && e.User.Rank == wpn.RankOperator })
	victim := dialChat(t, roomName(ap, "Ops"), ChatOptions{Name: "victim_00002"})
	waitFor(t, victim, func(e ChatUserJoined) bool { return e.User.Name == "victim_00002" })
	j := waitFor(t, root, func(e ChatUserJoined) bool { return e.User.Name == "victim_00002" })
	if j.RealIP != netip.MustParseAddr("127.0.0.1") {
		t.Errorf("operator saw real IP %v", j.RealIP)
	}
	_ = root.Command("kick victim_00002 bye")
	waitFor(t, victim, func(n ChatNotice) bool { return strings.Contains(n.Text, "kicked") })
	if cl := waitFor[ChatClosed](t, victim, nil); cl.Err == nil || errors.Is(cl.Err, ErrClosed) {
		t.Errorf("kicked client closed with %v", cl.Err)
	}
	if _, ok := <-victim.Events(); ok {
		t.Error("events not closed after ChatClosed")
	}
}
