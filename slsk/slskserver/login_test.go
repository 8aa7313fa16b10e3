package slskserver_test

import (
	"crypto/md5"
	"encoding/hex"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/revival-net/revival/internal/netlimit"
	"github.com/revival-net/revival/slsk"
	"github.com/revival-net/revival/slsk/slskserver"
	"github.com/revival-net/revival/slsk/slsktest"
)

func md5hex(s string) string {
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

var loopback = netip.MustParseAddr("127.0.0.1")

// "All four clients send SetWaitPort right after Login, without waiting for
// the reply … The server must therefore queue any messages that arrive
// before authentication finishes" (spec §1.4). Then the official post-login
// order (spec §1.5).
func TestLoginPipelinedAndPostLoginOrder(t *testing.T) {
	h := slsktest.Start(t)
	c := h.Dial()
	// Login, SetWaitPort and GetPeerAddress(self) in one write, as
	// Soulseek.NET does for the first two.
	var b []byte
	b = slsk.AppendServerFrame(b, slsktest.LoginMessage("alice", "secret"))
	b = slsk.AppendServerFrame(b, &slsk.SetWaitPort{Port: 2235})
	b = slsk.AppendServerFrame(b, &slsk.GetPeerAddress{Username: "alice"})
	c.SendRaw(b)
	c.Expect(
		&slsk.LoginReply{Success: true, Greeting: "Revival test server", IP: loopback, PassHash: md5hex("secret")},
		&slsk.RoomListReply{},
		&slsk.ParentMinSpeed{Speed: 1},
		&slsk.ParentSpeedRatio{Ratio: 50},
		&slsk.WishlistInterval{Seconds: 720},
		&slsk.PrivilegedUsers{},
		&slsk.ExcludedSearchPhrases{},
		// The pipelined messages were handled after login, in order.
		&slsk.GetPeerAddressReply{Username: "alice", IP: loopback, Port: 2235},
	)
}

// "Logging in with an unknown username creates the account with that
// password" (spec §1.3); a later login with another password is refused.
func TestLoginWrongPasswordIsRefused(t *testing.T) {
	h := slsktest.Start(t)
	h.Login("alice").Close()
	c := h.Dial()
	c.Send(slsktest.LoginMessage("alice", "not-the-password"))
	c.Expect(&slsk.LoginReply{Reason: slsk.ReasonInvalidPass})
	c.ExpectClosed()
}

func TestLoginRefusals(t *testing.T) {
	h := slsktest.Start(t)
	cases := []struct {
		name   string
		login  *slsk.Login
		reason string
		detail string
	}{
		{"empty name", slsktest.LoginMessage("", "x"), slsk.ReasonInvalidUsername, "Nick empty."},
		{"long name", slsktest.LoginMessage("abcdefghijklmnopqrstuvwxyz012345", "x"), slsk.ReasonInvalidUsername, "Nick too long."},
		{"spaces", slsktest.LoginMessage(" bob", "x"), slsk.ReasonInvalidUsername, "No leading and trailing spaces allowed in nick."},
		{"non-ASCII", slsktest.LoginMessage("bøb", "x"), slsk.ReasonInvalidUsername, "Invalid characters in nick."},
		{"reserved server", slsktest.LoginMessage("server", "x"), slsk.ReasonInvalidUsername, ""},
		{"reserved Server", slsktest.LoginMessage("Server", "x"), slsk.ReasonInvalidUsername, ""},
		{"reserved SERVER", slsktest.LoginMessage("SERVER", "x"), slsk.ReasonInvalidUsername, ""},
		{"empty password", slsktest.LoginMessage("bob", ""), slsk.ReasonEmptyPassword, ""},
		{"version 0", &slsk.Login{Username: "bob", Password: "x"}, slsk.ReasonInvalidVersion, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := h.Dial()
			c.Send(tc.login)
			c.Expect(&slsk.LoginReply{Reason: tc.reason, Detail: tc.detail})
			c.ExpectClosed()
		})
	}
}

func TestPrivateModeRefusesUnknownNames(t *testing.T) {
	h := slsktest.Start(t, func(o *slskserver.Options) { o.PrivateMode = true })
	c := h.Dial()
	c.Send(slsktest.LoginMessage("stranger", "x"))
	c.Expect(&slsk.LoginReply{Reason: slsk.ReasonServerPrivate})
	c.ExpectClosed()
}

func TestServerFull(t *testing.T) {
	h := slsktest.Start(t, func(o *slskserver.Options) { o.MaxUsers = 1 })
	h.Login("alice")
	c := h.Dial()
	c.Send(slsktest.LoginMessage("bob", "x"))
	c.Expect(&slsk.LoginReply{Reason: slsk.ReasonServerFull})
}

func TestBannedUserIsRefusedAndKicked(t *testing.T) {
	h := slsktest.Start(t)
	alice := h.Login("alice")
	bob := h.Login("bob")
	if err := h.Hub.Ban(t.Context(), "alice", time.Now().Add(time.Hour), "spam"); err != nil {
		t.Fatal(err)
	}
	got := alice.ExpectClosed()
	if len(got) == 0 {
		t.Fatal("kicked user got no reason before the connection closed")
	}
	if _, ok := got[len(got)-1].(*slsk.AdminMessage); !ok {
		t.Fatalf("last message before kick = %#v, want AdminMessage", got[len(got)-1])
	}
	c := h.Dial()
	c.Send(slsktest.LoginMessage("alice", slsktest.Password("alice")))
	c.Expect(&slsk.LoginReply{Reason: "BANNED"})
	c.ExpectClosed()
	bob.ExpectNothing()
}

// "When a second session logs in as the same user, the old session receives
// Relogged (code 41, empty payload) and is then closed" (spec §1.3).
func TestReloggedClosesOldSession(t *testing.T) {
	h := slsktest.Start(t)
	old := h.Login("alice")
	h.Login("alice")
	got := old.ExpectClosed()
	if len(got) != 1 || got[0].ServerCode() != slsk.CodeRelogged {
		t.Fatalf("old session got %#v before EOF, want exactly Relogged", got)
	}
}

func TestLoginTimeout(t *testing.T) {
	h := slsktest.Start(t, func(o *slskserver.Options) { o.Limits.LoginTimeout = 50 * time.Millisecond })
	c := h.Dial()
	c.ExpectClosed()
}

func TestFirstMessageMustBeLogin(t *testing.T) {
	h := slsktest.Start(t)
	c := h.Dial()
	c.Send(&slsk.SetWaitPort{Port: 1})
	c.ExpectClosed()
}

// Passwords survive a restart (they are in the store), and a returning user
// logs in with the same password.
func TestAccountsSurviveRestart(t *testing.T) {
	h := slsktest.Start(t)
	h.Login("alice").Close()
	h.Restart()
	h.Login("alice")
	c := h.Dial()
	c.Send(slsktest.LoginMessage("alice", "wrong"))
	c.Expect(&slsk.LoginReply{Reason: slsk.ReasonInvalidPass})
}

// Wrong passwords are rationed per host: each costs a bcrypt run. A user
// who logged in from that host before still gets in with the right
// password (the host may be a NAT shared with the guesser); a user who
// never did waits like everyone else.
func TestFailedLoginsAreRationedPerHost(t *testing.T) {
	h := slsktest.Start(t, func(o *slskserver.Options) { o.Limits.FailedLogins = netlimit.Rate{PerSecond: 0.001, Burst: 2} })
	h.Login("alice").Close()
	h.Login("bob").Close()
	h.Restart() // bob's next login is from a host the new server does not know
	h.Login("alice").Close()
	for range 2 {
		c := h.Dial()
		c.Send(slsktest.LoginMessage("bob", "wrong"))
		c.Expect(&slsk.LoginReply{Reason: slsk.ReasonInvalidPass})
	}
	c := h.Dial()
	c.Send(slsktest.LoginMessage("bob", slsktest.Password("bob")))
	if m := c.Next().(*slsk.LoginReply); m.Success || !strings.Contains(m.Reason, "Too many failed logins") {
		t.Fatalf("bob after the host's budget was spent: %#v", m)
	}
	h.Login("alice") // the right password of a user known from this host
}
