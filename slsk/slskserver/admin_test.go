package slskserver_test

import (
	"context"
	"strings"
	"testing"

	"github.com/revival-net/revival/internal/hub"
	"github.com/revival-net/revival/internal/netlimit"
	"github.com/revival-net/revival/slsk"
	"github.com/revival-net/revival/slsk/slskserver"
	"github.com/revival-net/revival/slsk/slsktest"
)

// loginAdmin registers name as an admin and logs it in.
func loginAdmin(t *testing.T, h *slsktest.Harness, name string) *slsktest.Client {
	t.Helper()
	ctx := context.Background()
	if _, err := h.Hub.Accounts.Register(ctx, name, slsktest.Password(name)); err != nil {
		t.Fatal(err)
	}
	if err := h.Store.Users().SetAdmin(ctx, name, true); err != nil {
		t.Fatal(err)
	}
	return h.Login(name)
}

// command sends a PM to "server" and returns the text of its answer.
func command(t *testing.T, c *slsktest.Client, text string) string {
	t.Helper()
	c.Send(&slsk.MessageUser{Username: "server", Message: text})
	m, ok := c.Next().(*slsk.MessageUserReply)
	if !ok || m.Username != "server" {
		t.Fatalf("%s: answer to %q is %#v, want a PM from server", c.Name, text, m)
	}
	return m.Message
}

// Messages to "server" are commands; ordinary users only get help
// (spec §5.1).
func TestServerCommandsForNonAdmins(t *testing.T) {
	h := slsktest.Start(t)
	bob := h.Login("bob")
	cases := []struct{ cmd, answer string }{
		{"help", "Available commands:\n\nhelp\n    Show this list\n\nThe other commands of this server are for admins only."},
		{"ban bob", "Only admins may use 'ban'. Type 'help' to list available commands."},
		{"kickall", "Only admins may use 'kickall'. Type 'help' to list available commands."},
		{"dance now", "Unknown command 'dance'. Type 'help' to list available commands."},
	}
	for _, tc := range cases {
		if got := command(t, bob, tc.cmd); got != tc.answer {
			t.Errorf("%q: got %q, want %q", tc.cmd, got, tc.answer)
		}
	}
	bob.ExpectNothing()
}

// Admin commands with Soulfind's answers (spec §5.1): listings, info,
// bans that kick an online user and keep it out until unbanned, kicks,
// announcements (AdminMessage 66) and messages to everyone online.
func TestAdminCommands(t *testing.T) {
	// Commands are PMs, which share the chat flood limit.
	h := slsktest.Start(t, func(o *slskserver.Options) { o.Limits.ChatRate = netlimit.Rate{PerSecond: 100, Burst: 100} })
	root := loginAdmin(t, h, "root")
	alice := h.Login("alice")
	alice.Send(&slsk.JoinRoom{Room: "retro"})
	alice.SkipUntil(slsk.CodeRoomTickers)
	alice.Send(&slsk.SetRoomTicker{Room: "retro", Ticker: "hi"})
	alice.SkipUntil(slsk.CodeRoomTickerAdded)

	exact := []struct{ cmd, answer string }{
		{"users connected", "2 connected users.\n    alice\n    root"},
		{"users", "2 total users.\n    alice\n    root"},
		{"users banned", "0 banned users."},
		{"users privileged", "0 privileged users."},
		{"users everyone", "Syntax is: users [connected|banned|privileged]"},
		{"admins", "1 admins.\n    root (online)"},
		{"rooms", "1 public rooms.\n    retro (users: 1, tickers: 1)"},
		{"roominfo retro", "retro\nUsers (1):\n    alice\nTickers (1):\n    [alice] hi"},
		{"roominfo nowhere", "Room nowhere is not registered"},
		{"userinfo ghost", "User ghost is not registered"},
		{"ban ghost", "User ghost is not registered"},
		{"ban", "Syntax is: ban [days] <user>"},
		{"kickall soon", "Syntax is: kickall [minutes]"},
	}
	for _, tc := range exact {
		if got := command(t, root, tc.cmd); got != tc.answer {
			t.Errorf("%q: got %q, want %q", tc.cmd, got, tc.answer)
		}
	}
	for cmd, prefix := range map[string]string{
		"help":           "Available commands:\n\nadmins\n",
		"uptime":         "Running for ",
		"userinfo alice": "alice\n\nSession info:\n    status: online\n",
	} {
		if got := command(t, root, cmd); !strings.HasPrefix(got, prefix) {
			t.Errorf("%q: got %q, want it to start with %q", cmd, got, prefix)
		}
	}

	if got := command(t, root, "removetickers alice"); got != "Removed user alice's public room tickers" {
		t.Errorf("removetickers: got %q", got)
	}
	alice.Expect(&slsk.RoomTickerRemoved{Room: "retro", Username: "alice"})

	root.Send(&slsk.MessageUser{Username: "server", Message: "announcement maintenance at noon"})
	root.Expect(&slsk.AdminMessage{Message: "maintenance at noon"})
	alice.Expect(&slsk.AdminMessage{Message: "maintenance at noon"})
	root.Send(&slsk.MessageUser{Username: "server", Message: "message hello everyone"})
	expectMsgs(t, root, notice("hello everyone"))
	expectMsgs(t, alice, notice("hello everyone"))

	// A ban kicks the online user and refuses its logins until unbanned.
	if got := command(t, root, "ban 2 alice"); got != "Banned user alice for 2 days" {
		t.Errorf("ban: got %q", got)
	}
	alice.Expect(&slsk.AdminMessage{Message: "You have been disconnected by the server: banned: banned by root"})
	alice.ExpectClosed()
	c := h.Dial()
	c.Send(slsktest.LoginMessage("alice", slsktest.Password("alice")))
	c.Expect(&slsk.LoginReply{Reason: "BANNED"})
	if got := command(t, root, "users banned"); !strings.HasPrefix(got, "1 banned users.\n    alice (until ") {
		t.Errorf("users banned: got %q", got)
	}
	if got := command(t, root, "unban alice"); got != "Unbanned user alice" {
		t.Errorf("unban: got %q", got)
	}
	alice = h.Login("alice")

	if got := command(t, root, "kick alice"); got != "Kicked user alice for 2 minutes" {
		t.Errorf("kick: got %q", got)
	}
	alice.SkipUntil(slsk.CodeAdminMessage)
	alice.ExpectClosed()
	command(t, root, "unban alice")
	alice = h.Login("alice")
	bob := h.Login("bob")
	if got := command(t, root, "kickall 5"); got != "Kicked all 2 users for 5 minutes" {
		t.Errorf("kickall: got %q", got)
	}
	for _, c := range []*slsktest.Client{alice, bob} {
		c.SkipUntil(slsk.CodeAdminMessage)
		c.ExpectClosed()
	}
	root.ExpectNothing() // the admin stays
	if got := command(t, root, "ban bob"); got != "Banned user bob forever" {
		t.Errorf("permanent ban: got %q", got)
	}
	got := command(t, root, "users banned")
	if !strings.HasPrefix(got, "2 banned users.\n    alice (until ") || !strings.HasSuffix(got, "\n    bob (forever)") {
		t.Errorf("users banned: got %q", got)
	}
	// A ban without days ends at hub.PermanentBan, as the CLI's, which the
	// store keeps exactly; both show as "forever".
	ctx := context.Background()
	if usr, err := h.Store.Users().Get(ctx, "bob"); err != nil || !usr.BannedUntil.Equal(hub.PermanentBan) {
		t.Errorf("bob's ban ends %v (err %v), want %v", usr.BannedUntil, err, hub.PermanentBan)
	}
	if _, err := h.Hub.Accounts.Register(ctx, "carol", slsktest.Password("carol")); err != nil {
		t.Fatal(err)
	}
	if err := h.Hub.Ban(ctx, "carol", hub.PermanentBan, "from the CLI"); err != nil {
		t.Fatal(err)
	}
	if got := command(t, root, "userinfo carol"); !strings.Contains(got, "\n    banned: forever\n") {
		t.Errorf("userinfo carol: got %q", got)
	}
}
