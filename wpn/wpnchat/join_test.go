package wpnchat

import (
	"net/netip"
	"testing"

	"github.com/revival-net/revival/internal/store"
	"github.com/revival-net/revival/wpn"
)

var lounge = store.WPNRoom{Name: "Lounge", Topic: "Welcome to the lounge", MOTD: "Be nice#\\n#No spam"}

// TestJoinSequence353 follows wpn.md §6.1 for two 3.53 clients: 0x13ED,
// the join, 0x0066, 0x0068, 0x9904, 0x9905, the topic, the MOTD, the user
// list, and the newcomer's 0x0071 to everyone, the newcomer included.
func TestJoinSequence353(t *testing.T) {
	e := newEnv(t, Limits{}, lounge)
	room := e.room("Lounge")

	alice := e.join353(room, "alice001_00001", "Welcome to the lounge")
	alice.expect(&wpn.ChatMOTDLine{Text: "Be nice"})
	alice.expect(&wpn.ChatMOTDLine{Text: "No spam"})
	// Alone in the room: no 0x0072, then her own 0x0071.
	alice.expect(&wpn.ChatUserInfo{ChatUser: user("alice001_00001", 0)})

	bob := e.join353(room, "bob002_00002", "Welcome to the lounge")
	bob.expect(&wpn.ChatMOTDLine{Text: "Be nice"})
	bob.expect(&wpn.ChatMOTDLine{Text: "No spam"})
	bob.expect(&wpn.ChatUserEntryInfo{ChatUser: user("alice001_00001", 0)})
	bob.expect(&wpn.ChatUserInfo{ChatUser: user("bob002_00002", 0)})
	alice.expect(&wpn.ChatUserInfo{ChatUser: user("bob002_00002", 0)})

	// Text (both text packets), the sender included; actions three ways.
	alice.send(&wpn.ChatSay{Text: "hello"})
	for _, c := range []*raw{alice, bob} {
		c.expect(&wpn.ChatSaid{Name: "alice001_00001", Text: "hello", Rank: rank(0)})
	}
	bob.send(&wpn.ChatSay331{Text: "hi there"})
	for _, c := range []*raw{alice, bob} {
		c.expect(&wpn.ChatSaid{Name: "bob002_00002", Text: "hi there", Rank: rank(0)})
	}
	bob.send(&wpn.ChatEmote{Text: "waves"})
	bob.send(&wpn.ChatSay{Text: "/me bows"})
	bob.send(&wpn.ChatSay{Text: "/emote smiles"})
	for _, c := range []*raw{alice, bob} {
		c.expect(&wpn.ChatEmoted{Name: "bob002_00002", Text: "waves"})
		c.expect(&wpn.ChatEmoted{Name: "bob002_00002", Text: "bows"})
		c.expect(&wpn.ChatEmoted{Name: "bob002_00002", Text: "smiles"})
	}
	// "//x" says "/x".
	bob.send(&wpn.ChatSay{Text: "//usr/bin"})
	for _, c := range []*raw{alice, bob} {
		c.expect(&wpn.ChatSaid{Name: "bob002_00002", Text: "/usr/bin", Rank: rank(0)})
	}

	// Keep-alive: 0xFDE8 answered with one 0x00 byte (RoboServ).
	alice.sendFrame(wpn.ChatPing, nil)
	alice.expect(flag(wpn.ChatPing, 0))

	// Rename / update: 0x0065 → 0x0074 to everyone.
	alice.send(&wpn.ChatRenameRequest{LineType: 7, PrimaryIP: netip.MustParseAddr("10.0.0.1"), PrimaryUDPPort: 6257,
		Files: 99, Name: "alice001_00009"})
	renamed := &wpn.ChatRenamed{Old: user("alice001_00001", 0).ChatPeer,
		New: wpn.ChatUser{ChatPeer: wpn.ChatPeer{Name: "alice001_00009", PrimaryIP: netip.MustParseAddr("10.0.0.1"), PrimaryUDPPort: 6257},
			LineType: 7, Files: 99}}
	alice.expect(renamed)
	bob.expect(renamed)

	// Leaving: 0x0073 to those who stay.
	alice.s.Close()
	bob.expect(&wpn.ChatLeft{ChatPeer: renamed.New.ChatPeer})

	if got := e.host.Rooms(); len(got) != 1 || got[0].Users != 1 || got[0].Name != room || got[0].Topic != lounge.Topic {
		t.Errorf("Rooms() = %+v", got)
	}
	list := e.host.AppendRoomList(nil)
	want := []wpn.RoomListEntry{{Users: 1, Limit: 500, Name: room, Topic: lounge.Topic}}
	if len(list) != 1 || list[0] != want[0] {
		t.Errorf("AppendRoomList = %+v, want %+v", list, want)
	}
}

// TestJoinSequence331 mixes dialects: a 3.31 client gets 0x006F/0x006E,
// text without the rank byte and 0x0070 renames; 3.53 members see the
// 3.31 user with 0x0071.
func TestJoinSequence331(t *testing.T) {
	e := newEnv(t, Limits{}, store.WPNRoom{Name: "Old School", Topic: "t"})
	room := e.room("Old School")
	alice := e.join353(room, "alice001_00001", "t")
	alice.expect(&wpn.ChatUserInfo{ChatUser: user("alice001_00001", 0)})

	old := e.join331(room, "oldie003_00003", "t")
	old.expect(&wpn.ChatUserEntryInfo331{ChatUserInfo331: wpn.ChatUserInfo331{ChatUser: user("alice001_00001", 0)}})
	old.expect(&wpn.ChatUserInfo331{ChatUser: user("oldie003_00003", 0)})
	alice.expect(&wpn.ChatUserInfo{ChatUser: user("oldie003_00003", 0)})

	old.send(&wpn.ChatSay331{Text: "hello from 2003"})
	old.expect(&wpn.ChatSaid{Name: "oldie003_00003", Text: "hello from 2003"})
	alice.expect(&wpn.ChatSaid{Name: "oldie003_00003", Text: "hello from 2003", Rank: rank(0)})

	alice.send(&wpn.ChatRenameRequest{PrimaryIP: netip.MustParseAddr("10.0.0.1"), PrimaryUDPPort: 6257, LineType: 8, Files: 42, Name: "alice001_00002"})
	alice.expect(&wpn.ChatRenamed{Old: user("alice001_00001", 0).ChatPeer, New: user("alice001_00002", 0)})
	old.expect(&wpn.ChatRenamed331{ChatRenamed: wpn.ChatRenamed{Old: user("alice001_00001", 0).ChatPeer, New: user("alice001_00002", 0)}})
}

// The join must come within JoinTimeout (nuggit: 10 s); before it only
// 0x13ED, 0x13EE, pings and 0x9905 are accepted.
func TestJoinPhase(t *testing.T) {
	e := newEnv(t, Limits{JoinTimeout: 200e6}, lounge)
	room := e.room("Lounge")

	idle := e.dialRaw()
	idle.expectClosed() // nothing sent: dropped at JoinTimeout

	c := e.dialRaw()
	c.send(flag(wpn.ChatHello353, 0x31))
	c.send(&wpn.ChatRedirectFrom{Text: "Elsewhere_0100007F1A2B"})
	c.send(&wpn.ChatSoftwareID{Name: "WinMX", Version: "3.53"})
	c.sendFrame(wpn.ChatPing, nil)
	c.expect(flag(wpn.ChatPing, 0))
	c.send(joinReq(room, "carol_00003"))
	c.expect(flag(wpn.ChatJoined, 0x31))

	for name, first := range map[string]wpn.Packet{
		"text before join": &wpn.ChatSay{Text: "hi"},
		"poison":           &wpn.Unknown{Type: 0x00BB},
		"unknown type":     &wpn.Unknown{Type: 0x4242, Payload: []byte("x")},
	} {
		c := e.dialRaw()
		c.send(first)
		if n := c.expectClosed(); len(n) != 0 {
			t.Errorf("%s: notices %q", name, n)
		}
	}
}

// Refused joins get a notice and are closed (§6.1 step 5).
func TestJoinRefusals(t *testing.T) {
	e := newEnv(t, Limits{MaxMembers: 2}, lounge, store.WPNRoom{Name: "Tiny", Limit: 1})
	long := "x123456789012345678901234567890123456789012345678_00001"
	for _, c := range []struct {
		room, name, want string
	}{
		{e.room("Nowhere"), "bob_00001", "There is no room"},
		{e.room("Lounge"), "", "your name is empty"},
		{e.room("Lounge"), long, "longer than 48"},
		{e.room("Lounge"), "bad\nname_00001", "control characters"},
		{e.room("Lounge"), `{\rtf1 evil}`, `{\rtf`},
	} {
		r := e.dialRaw()
		r.send(joinReq(c.room, c.name))
		n := r.expectClosed()
		if len(n) != 1 || !contains(n[0], c.want) {
			t.Errorf("join %q as %q: notices %q, want %q", c.room, c.name, n, c.want)
		}
	}

	// Names are unique in a room, in any letter case.
	a := e.join353(e.room("Lounge"), "dave_00001", lounge.Topic)
	a.skipNotices()
	dup := e.dialRaw()
	dup.send(joinReq(e.room("lounge"), "DAVE_00001"))
	if n := dup.expectClosed(); len(n) != 1 || !contains(n[0], "already in this room") {
		t.Errorf("duplicate name: %q", n)
	}

	// The room's own limit (1), below the host's (2).
	tiny := e.join353(e.room("Tiny"), "erin_00001", "")
	tiny.expect(&wpn.ChatUserInfo{ChatUser: user("erin_00001", 0)})
	full := e.dialRaw()
	full.send(joinReq(e.room("Tiny"), "frank_00001"))
	if n := full.expectClosed(); len(n) != 1 || !contains(n[0], "full") {
		t.Errorf("full room: %q", n)
	}
}

func contains(s, sub string) bool { return len(sub) == 0 || indexFold(s, sub) >= 0 }
