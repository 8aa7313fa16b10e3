package wpnchat

import (
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/revival-net/revival/internal/hub"
	"github.com/revival-net/revival/internal/store"
	"github.com/revival-net/revival/wpn"
)

// loginOwner joins as alice, the owner of room, and logs in: her name is
// her account's, so she waits until /login (docs/wpn-chat.md "Accounts").
func loginOwner(t *testing.T, e *env, room, topic string) *raw {
	t.Helper()
	alice := e.join353(room, "alice_00001", topic)
	alice.expectNotice("belongs to the Revival account alice")
	alice.send(&wpn.ChatSay{Text: "hello?"}) // cannot speak yet
	alice.expectNotice("/login PASSWORD")
	alice.send(&wpn.ChatSay{Text: "/login wrong"})
	alice.expectNotice("Wrong password")
	alice.send(&wpn.ChatSay{Text: "/login secret-a"})
	alice.expectNotice("logged in as alice")
	// Admitted: the list (empty) and her 0x0075 (she is an operator: she
	// sees real addresses), rank 1.
	alice.expect(&wpn.ChatUserJoinedWithIP{ChatUser: user("alice_00001", wpn.RankOperator), RealIP: netip.MustParseAddr("127.0.0.1")})
	return alice
}

func TestOperatorCommands(t *testing.T) {
	e := newEnv(t, Limits{LoginRate: unlimited, CommandRate: unlimited, TextRate: unlimited}, store.WPNRoom{Name: "Ops", Topic: "t", Owner: "alice"})
	e.account("alice", "secret-a")
	e.account("carol", "secret-c")
	room := e.room("Ops")
	alice := loginOwner(t, e, room, "t")

	bob := e.join353(room, "bob_00002", "t")
	bob.expect(&wpn.ChatUserEntryInfo{ChatUser: user("alice_00001", wpn.RankOperator)})
	bob.expect(&wpn.ChatUserInfo{ChatUser: user("bob_00002", 0)})
	alice.expect(&wpn.ChatUserJoinedWithIP{ChatUser: user("bob_00002", 0), RealIP: netip.MustParseAddr("127.0.0.1")})

	// Ordinary members cannot use operator commands.
	bob.send(&wpn.ChatSay{Text: "/kick alice_00001"})
	bob.expectNotice("Only operators")
	bob.send(&wpn.ChatSay{Text: "/op bob"})
	bob.expectNotice("Only the room's owner")

	// /voice: rank 2 for everyone to see (0x0074).
	alice.send(&wpn.ChatSay{Text: "/voice bob"})
	voiced := &wpn.ChatRenamed{Old: user("bob_00002", 0).ChatPeer, New: user("bob_00002", wpn.RankVoice)}
	for _, c := range []*raw{alice, bob} {
		c.expect(voiced)
		c.expectNotice("alice_00001 gave voice to bob_00002")
	}
	bob.send(&wpn.ChatSay{Text: "thanks"})
	for _, c := range []*raw{alice, bob} {
		c.expect(&wpn.ChatSaid{Name: "bob_00002", Text: "thanks", Rank: rank(wpn.RankVoice)})
	}

	// /topic: 0x012C to all, stored.
	alice.send(&wpn.ChatSay{Text: "/topic New {\\rtf1 topic}"})
	for _, c := range []*raw{alice, bob} {
		c.expect(&wpn.ChatTopicText{Text: "New (\\rtf1 topic}"})
		c.expectNotice("changed the topic")
	}
	long := strings.Repeat("x", MaxTopicLen+1)
	alice.send(&wpn.ChatSay{Text: "/topic " + long})
	alice.expectNotice("too long")

	// /who: operators see addresses.
	alice.send(&wpn.ChatSay{Text: "/who"})
	alice.expectNotice("2 members")
	alice.expectNotice("@alice_00001 (42 files) account alice from 127.0.0.1")
	alice.expectNotice("+bob_00002 (42 files) from 127.0.0.1")

	// /kick: bob is told and closed; alice sees him leave and a notice.
	alice.send(&wpn.ChatSay{Text: "/kick bob_00002 go away"})
	if n := bob.expectClosed(); len(n) != 1 || !contains(n[0], "kicked from Ops by alice_00001: go away") {
		t.Errorf("kicked bob got %q", n)
	}
	alice.expect(&wpn.ChatLeft{ChatPeer: user("bob_00002", 0).ChatPeer})
	alice.expectNotice("bob_00002 was kicked by alice_00001: go away")

	// /ban: bob's name and address; he cannot come back under either.
	bob = e.join353(room, "bob_00002", "New (\\rtf1 topic}")
	bob.skipNotices()
	alice.expect(&wpn.ChatUserJoinedWithIP{ChatUser: user("bob_00002", 0), RealIP: netip.MustParseAddr("127.0.0.1")})
	alice.send(&wpn.ChatSay{Text: "/ban bob"})
	bob.expectClosed()
	alice.expect(&wpn.ChatLeft{ChatPeer: user("bob_00002", 0).ChatPeer})
	alice.expectNotice("bob_00002 was banned by alice_00001")
	again := e.dialRaw()
	again.send(joinReq(room, "BOB_00007"))
	if n := again.expectClosed(); len(n) != 1 || !contains(n[0], "banned") {
		t.Errorf("banned rejoin: %q", n)
	}
	alice.send(&wpn.ChatSay{Text: "/bans"})
	alice.expectNotice("Bans")
	alice.expectNotice("bob@127.0.0.1")
	alice.send(&wpn.ChatSay{Text: "/unban bob"})
	alice.expectNotice("Ban lifted")
	bob = e.join353(room, "bob_00002", "New (\\rtf1 topic}")
	bob.skipNotices()
	alice.skipNotices()

	// /op carol (an account, not present): she logs in and is an operator.
	alice.send(&wpn.ChatSay{Text: "/op carol"})
	alice.expectNotice("carol is an operator")
	rec, err := e.st.WPNRooms().Get(ctx, "Ops")
	if err != nil || !slices.Equal(rec.Operators, []string{"carol"}) || rec.Topic != "New (\\rtf1 topic}" || len(rec.Bans) != 0 {
		t.Fatalf("stored room %+v, %v", rec, err)
	}
	carol := e.join353(room, "Carol_00003", "New (\\rtf1 topic}")
	carol.expectNotice("belongs to the Revival account carol")
	carol.send(&wpn.ChatSay{Text: "/login secret-c"})
	carol.expectNotice("logged in as carol")
	carol.skipNotices()
	// Operators cannot act on each other, or on the owner.
	carol.roundTrip()
	carol.send(&wpn.ChatSay{Text: "/kick alice_00001"})
	carol.expectNotice("cannot do that")

	// /deop: carol's rank falls back to 0 for everyone.
	alice.send(&wpn.ChatSay{Text: "/deop carol"})
	for {
		p := alice.skipNotices()
		if r, ok := p.(*wpn.ChatRenamed); ok && r.New.Name == "Carol_00003" {
			if r.New.Rank != wpn.RankNormal {
				t.Errorf("after /deop carol has rank %d", r.New.Rank)
			}
			break
		}
	}
}

var unlimited = rateUnlimited()

// TestRoomPassword: a member of a room with a password waits, unlisted
// and mute, until /password (docs/wpn-chat.md "Passwords").
func TestRoomPassword(t *testing.T) {
	e := newEnv(t, Limits{LoginRate: unlimited, MaxLoginFailures: 2}, store.WPNRoom{Name: "Secret", Topic: "t", Owner: "alice"})
	e.account("alice", "secret-a")
	hash, err := e.hub.Accounts.HashPassword(ctx, "sesame")
	if err != nil {
		t.Fatal(err)
	}
	rec, _ := e.st.WPNRooms().Get(ctx, "Secret")
	rec.PasswordHash = hash
	if err := e.st.WPNRooms().Put(ctx, rec); err != nil {
		t.Fatal(err)
	}
	if err := e.host.ReloadRoom(ctx, "Secret"); err != nil {
		t.Fatal(err)
	}
	room := e.room("Secret")
	// The owner skips the room password once logged in.
	alice := loginOwner(t, e, room, "t")

	bob := e.join353(room, "bob_00002", "t")
	bob.expectNotice("/password PASSWORD")
	bob.send(&wpn.ChatSay{Text: "let me in"})
	bob.expectNotice("/password")
	bob.send(&wpn.ChatSay{Text: "/who"})
	bob.expectNotice("/password")
	bob.send(&wpn.ChatSay{Text: "/password nope"})
	bob.expectNotice("Wrong room password")
	bob.send(&wpn.ChatSay{Text: "/password sesame"})
	bob.expect(&wpn.ChatUserEntryInfo{ChatUser: user("alice_00001", wpn.RankOperator)})
	bob.expect(&wpn.ChatUserInfo{ChatUser: user("bob_00002", 0)})
	// Alice saw nothing of bob before: his join is the next frame.
	alice.expect(&wpn.ChatUserJoinedWithIP{ChatUser: user("bob_00002", 0), RealIP: netip.MustParseAddr("127.0.0.1")})

	// MaxLoginFailures wrong passwords end the connection.
	eve := e.join353(room, "eve_00003", "t")
	eve.expectNotice("/password")
	eve.send(&wpn.ChatSay{Text: "/password a"})
	eve.expectNotice("Wrong room password")
	eve.send(&wpn.ChatSay{Text: "/password b"})
	if n := eve.expectClosed(); len(n) != 1 || !contains(n[0], "disconnecting") {
		t.Errorf("eve: %q", n)
	}
}

// A reserved name not proven within PendingTimeout is disconnected; a
// rename to a free name gets in without a login.
func TestReservedNames(t *testing.T) {
	e := newEnv(t, Limits{PendingTimeout: 300 * time.Millisecond}, lounge)
	e.account("Alice", "secret-a")
	room := e.room("Lounge")
	slow := e.join353(room, "ALICE_00001", lounge.Topic)
	slow.expectNotice("belongs to the Revival account Alice")
	if n := slow.expectClosed(); len(n) != 1 || !contains(n[0], "Time is up") {
		t.Errorf("slow: %q", n)
	}

	other := e.join353(room, "alice_00002", lounge.Topic)
	other.expectNotice("belongs to the Revival account Alice")
	other.send(&wpn.ChatRenameRequest{PrimaryIP: netip.MustParseAddr("10.0.0.1"), PrimaryUDPPort: 6257, LineType: 8, Files: 42, Name: "notalice_00002"})
	other.expect(&wpn.ChatMOTDLine{Text: "Be nice"})
	other.expect(&wpn.ChatMOTDLine{Text: "No spam"})
	other.expect(&wpn.ChatUserInfo{ChatUser: user("notalice_00002", 0)})
	// Once in, a rename to someone's account name is refused.
	other.send(&wpn.ChatRenameRequest{PrimaryIP: netip.MustParseAddr("10.0.0.1"), PrimaryUDPPort: 6257, LineType: 8, Files: 42, Name: "alice_00002"})
	other.expectNotice("belongs to the Revival account Alice")
	// /login with a free name explains itself.
	other.send(&wpn.ChatSay{Text: "/login x"})
	other.expectNotice("is not a Revival account")

	// A banned account's name cannot join at all, and a logged-in session
	// of it is kicked by the ban.
	if err := e.hub.Ban(ctx, "Alice", hub.PermanentBan, "spam"); err != nil {
		t.Fatal(err)
	}
	b := e.dialRaw()
	b.send(joinReq(room, "alice_00003"))
	if n := b.expectClosed(); len(n) != 1 || !contains(n[0], "banned account") {
		t.Errorf("banned account: %q", n)
	}
}

// A hub ban kicks a logged-in chat member (hub.Presence).
func TestHubBanKicks(t *testing.T) {
	e := newEnv(t, Limits{LoginRate: unlimited}, store.WPNRoom{Name: "Ops", Topic: "t", Owner: "alice"})
	e.account("alice", "secret-a")
	alice := loginOwner(t, e, e.room("Ops"), "t")
	if err := e.hub.Ban(ctx, "alice", hub.PermanentBan, "spam"); err != nil {
		t.Fatal(err)
	}
	if n := alice.expectClosed(); len(n) != 1 || !contains(n[0], "banned: spam") {
		t.Errorf("alice: %q", n)
	}
}
