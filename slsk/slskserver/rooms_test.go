package slskserver_test

import (
	"bytes"
	"encoding/hex"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/revival-net/revival/internal/netlimit"
	"github.com/revival-net/revival/slsk"
	"github.com/revival-net/revival/slsk/slskserver"
	"github.com/revival-net/revival/slsk/slsktest"
)

// notice is a PM from the pseudo-user "server" (spec §2.2). Its id and
// time vary, so expectMsgs ignores them.
func notice(text string) *slsk.MessageUserReply {
	return &slsk.MessageUserReply{Username: "server", Message: text, IsNew: true}
}

var noticeOpts = cmp.Options{slsktest.CmpOptions, cmpopts.IgnoreFields(slsk.MessageUserReply{}, "ID", "Timestamp")}

// expectMsgs is Client.Expect for scripts that include notices.
func expectMsgs(t *testing.T, c *slsktest.Client, want ...slsk.ServerMessage) {
	t.Helper()
	for i, w := range want {
		got := c.Next()
		if diff := cmp.Diff(w, got, noticeOpts); diff != "" {
			t.Fatalf("%s: message %d of %d differs (-want +got):\n%s", c.Name, i+1, len(want), diff)
		}
	}
}

func online(name string) slsk.RoomUser {
	return slsk.RoomUser{Username: name, Status: slsk.StatusOnline}
}

// joined is what a user receives when it joins a public room with the
// given members (the last one is the joiner).
func joined(room string, members ...string) []slsk.ServerMessage {
	reply := &slsk.JoinRoomReply{Room: room}
	for _, m := range members {
		reply.Users = append(reply.Users, online(m))
	}
	return []slsk.ServerMessage{
		&slsk.UserJoinedRoom{Room: room, User: online(members[len(members)-1])},
		reply,
		&slsk.RoomTickers{Room: room},
	}
}

// "First send UserJoinedRoom to existing members (Soulfind includes the
// joiner), then JoinRoom to the joiner, then RoomTickers (113)"; SayChatroom
// goes "to every joined member, including the sender"; LeaveRoom is echoed
// and the others get UserLeftRoom, also "when a member disconnects"
// (spec §2 codes 13–17).
func TestJoinSayLeaveWithThreeUsers(t *testing.T) {
	h := slsktest.Start(t)
	alice, bob, carol := h.Login("alice"), h.Login("bob"), h.Login("carol")

	alice.Send(&slsk.JoinRoom{Room: "retro"})
	alice.Expect(joined("retro", "alice")...)
	bob.Send(&slsk.JoinRoom{Room: "retro"})
	bob.Expect(joined("retro", "alice", "bob")...)
	alice.Expect(&slsk.UserJoinedRoom{Room: "retro", User: online("bob")})
	carol.Send(&slsk.JoinRoom{Room: "retro"})
	carol.Expect(joined("retro", "alice", "bob", "carol")...)
	alice.Expect(&slsk.UserJoinedRoom{Room: "retro", User: online("carol")})
	bob.Expect(&slsk.UserJoinedRoom{Room: "retro", User: online("carol")})

	carol.Send(&slsk.JoinRoom{Room: "retro"}) // already in: nothing
	carol.ExpectNothing()

	bob.Send(&slsk.SayChatroom{Room: "retro", Message: "hi all"})
	line := &slsk.SayChatroomReply{Room: "retro", Username: "bob", Message: "hi all"}
	for _, c := range []*slsktest.Client{alice, bob, carol} {
		c.Expect(line)
	}

	dave := h.Login("dave") // not in the room: his line is ignored
	dave.Send(&slsk.SayChatroom{Room: "retro", Message: "let me in"})
	dave.Sync()
	alice.ExpectNothing()

	carol.Send(&slsk.LeaveRoom{Room: "retro"})
	carol.Expect(&slsk.LeaveRoom{Room: "retro"})
	alice.Expect(&slsk.UserLeftRoom{Room: "retro", Username: "carol"})
	bob.Expect(&slsk.UserLeftRoom{Room: "retro", Username: "carol"})
	carol.Send(&slsk.LeaveRoom{Room: "retro"}) // not in it any more: ignored
	carol.ExpectNothing()

	bob.Close()
	alice.Expect(&slsk.UserLeftRoom{Room: "retro", Username: "bob"})
	alice.ExpectNothing()
}

// The server's room messages for the capture's first join, chat line,
// second joiner and leaver are byte for byte those Soulfind sent
// (captures/soulseek/e2e_soulfind_2x_nicotine_decoded.txt).
func TestRoomMessagesMatchCapture(t *testing.T) {
	capture := func(s string) []byte {
		b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	raw := func(c *slsktest.Client) []byte { return slsk.AppendServerFrame(nil, c.Next()) }
	h := slsktest.Start(t)
	a := h.Login("testuser")
	a.Send(&slsk.SharedFoldersFiles{Dirs: 2, Files: 1})
	a.Send(&slsk.EnableRoomInvitations{})
	a.Send(&slsk.JoinRoom{Room: "testroom"})
	want := []string{
		// GetUserStats about itself after SharedFoldersFiles (every user watches itself).
		"24 00 00 00 24 00 00 00 08 00 00 00 74 65 73 74 75 73 65 72 00 00 00 00 00 00 00 00 00 00 00 00 01 00 00 00 02 00 00 00",
		"05 00 00 00 8d 00 00 00 00",
		"3c 00 00 00 10 00 00 00 08 00 00 00 74 65 73 74 72 6f 6f 6d 08 00 00 00 74 65 73 74 75 73 65 72 02 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01 00 00 00 02 00 00 00 00 00 00 00 00 00 00 00",
		"50 00 00 00 0e 00 00 00 08 00 00 00 74 65 73 74 72 6f 6f 6d 01 00 00 00 08 00 00 00 74 65 73 74 75 73 65 72 01 00 00 00 02 00 00 00 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01 00 00 00 02 00 00 00 01 00 00 00 00 00 00 00 01 00 00 00 00 00 00 00",
		"14 00 00 00 71 00 00 00 08 00 00 00 74 65 73 74 72 6f 6f 6d 00 00 00 00",
	}
	for i, w := range want {
		if got := raw(a); !bytes.Equal(got, capture(w)) {
			t.Fatalf("frame %d:\n got % x\nwant %s", i+1, got, w)
		}
	}
	a.Send(&slsk.SayChatroom{Room: "testroom", Message: "hello from A"})
	if got, w := raw(a), "2c 00 00 00 0d 00 00 00 08 00 00 00 74 65 73 74 72 6f 6f 6d 08 00 00 00 74 65 73 74 75 73 65 72 0c 00 00 00 68 65 6c 6c 6f 20 66 72 6f 6d 20 41"; !bytes.Equal(got, capture(w)) {
		t.Fatalf("chat line:\n got % x\nwant %s", got, w)
	}
	b := h.Login("nuser2")
	b.Send(&slsk.JoinRoom{Room: "testroom"})
	if got, w := raw(a), "3a 00 00 00 10 00 00 00 08 00 00 00 74 65 73 74 72 6f 6f 6d 06 00 00 00 6e 75 73 65 72 32 02 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"; !bytes.Equal(got, capture(w)) {
		t.Fatalf("second joiner:\n got % x\nwant %s", got, w)
	}
	b.Close()
	if got, w := raw(a), "1a 00 00 00 11 00 00 00 08 00 00 00 74 65 73 74 72 6f 6f 6d 06 00 00 00 6e 75 73 65 72 32"; !bytes.Equal(got, capture(w)) {
		t.Fatalf("leaver:\n got % x\nwant %s", got, w)
	}
}

// Room names: "1–24 ASCII characters, no leading, trailing or double
// spaces; violations get a PM from server" (spec §2 code 14, texts §2.2;
// the length text is Soulfind's). Unlike Soulfind, the name in the text
// is escaped and cut (logx.Peer).
func TestRoomNameRules(t *testing.T) {
	h := slsktest.Start(t)
	c := h.Login("alice")
	const prefix = "Could not create room. Reason: "
	cases := []struct{ room, reason string }{
		{"", "Room name empty."},
		{" lead", "Room name  lead contains leading or trailing spaces."},
		{"trail ", "Room name trail  contains leading or trailing spaces."},
		{"two  spaces", "Room name two  spaces contains multiple following spaces."},
		{"café", "Room name café contains invalid characters."},
		{strings.Repeat("x", 25), "Room name " + strings.Repeat("x", 25) + " longer than 24 characters."},
		// A bad name comes back through logx.Peer: escaped, and cut to
		// 64 bytes, so a client's terminal or log never gets raw escape
		// bytes or 60 KB back (issue 5, finding 11).
		{"tab\there", `Room name tab\there contains invalid characters.`},
		{"bad\x1b[2Jroom", `Room name bad\x1b[2Jroom contains invalid characters.`},
		{strings.Repeat("z", 60000), "Room name " + strings.Repeat("z", 64) + "…(+59936 bytes) longer than 24 characters."},
	}
	for _, tc := range cases {
		c.Send(&slsk.JoinRoom{Room: tc.room})
		expectMsgs(t, c, notice(prefix+tc.reason))
	}
	ok := strings.Repeat("y", 23) + "!"
	c.Send(&slsk.JoinRoom{Room: ok})
	c.Expect(joined(ok, "alice")...)
	c.Send(&slsk.JoinRoom{Room: "one space"})
	c.Expect(joined("one space", "alice")...)
}

// "The initial RoomList contains only public rooms with at least 5 users.
// A RoomList request returns all of them" (spec §1.5); rooms without users
// are not listed.
func TestRoomListCounts(t *testing.T) {
	h := slsktest.Start(t)
	var big []*slsktest.Client
	for _, name := range []string{"u1", "u2", "u3", "u4", "u5"} {
		c := h.Login(name)
		c.Send(&slsk.JoinRoom{Room: "big"})
		c.SkipUntil(slsk.CodeRoomTickers)
		big = append(big, c)
	}
	small := h.Login("s1")
	small.Send(&slsk.JoinRoom{Room: "small"})
	small.SkipUntil(slsk.CodeRoomTickers)
	big[0].Sync()

	c := h.Dial()
	c.Name = "newcomer"
	c.Send(slsktest.LoginMessage("newcomer", "pw"))
	c.SkipUntil(slsk.CodeLogin)
	c.Expect(&slsk.RoomListReply{Public: []slsk.RoomCount{{Room: "big", Users: 5}}})
	c.SkipUntil(slsk.CodeExcludedSearchPhrases)

	c.Send(&slsk.RoomList{})
	c.Expect(&slsk.RoomListReply{Public: []slsk.RoomCount{{Room: "big", Users: 5}, {Room: "small", Users: 1}}})

	small.Send(&slsk.LeaveRoom{Room: "small"})
	small.Sync()
	c.Send(&slsk.RoomList{})
	c.Expect(&slsk.RoomListReply{Public: []slsk.RoomCount{{Room: "big", Users: 5}}})
}

// Public-room lines also go to the global feed's subscribers (spec §2
// codes 150–152); private-room lines do not.
func TestGlobalFeed(t *testing.T) {
	h := slsktest.Start(t)
	alice, feed := h.Login("alice"), h.Login("feed")
	feed.Send(&slsk.JoinGlobalRoom{})
	feed.Sync()
	alice.Send(&slsk.JoinRoom{Room: "open"})
	alice.SkipUntil(slsk.CodeRoomTickers)
	alice.Send(&slsk.JoinRoom{Room: "closed", Private: true})
	alice.SkipUntil(slsk.CodeRoomTickers)

	alice.Send(&slsk.SayChatroom{Room: "open", Message: "public line"})
	alice.Send(&slsk.SayChatroom{Room: "closed", Message: "private line"})
	alice.Expect(
		&slsk.SayChatroomReply{Room: "open", Username: "alice", Message: "public line"},
		&slsk.SayChatroomReply{Room: "closed", Username: "alice", Message: "private line"},
	)
	feed.Expect(&slsk.GlobalRoomMessage{Room: "open", Username: "alice", Message: "public line"})
	feed.ExpectNothing()

	feed.Send(&slsk.LeaveGlobalRoom{})
	feed.Sync()
	alice.Send(&slsk.SayChatroom{Room: "open", Message: "again"})
	alice.Sync()
	feed.ExpectNothing()
}

// Soulfind "caps messages at 2048 bytes and rejects newlines" (spec §2
// code 13); we drop such lines too.
func TestChatLineLimits(t *testing.T) {
	h := slsktest.Start(t)
	alice := h.Login("alice")
	alice.Send(&slsk.JoinRoom{Room: "retro"})
	alice.SkipUntil(slsk.CodeRoomTickers)
	for _, bad := range []string{"two\nlines", "cr\rhere", strings.Repeat("x", 2049)} {
		alice.Send(&slsk.SayChatroom{Room: "retro", Message: bad})
	}
	alice.ExpectNothing()
	longest := strings.Repeat("x", 2048)
	alice.Send(&slsk.SayChatroom{Room: "retro", Message: longest})
	alice.Expect(&slsk.SayChatroomReply{Room: "retro", Username: "alice", Message: longest})
}

// A session may be in at most Limits.MaxRoomsJoined rooms.
func TestMaxRoomsJoined(t *testing.T) {
	h := slsktest.Start(t, func(o *slskserver.Options) { o.Limits.MaxRoomsJoined = 2 })
	alice := h.Login("alice")
	for _, r := range []string{"one", "two"} {
		alice.Send(&slsk.JoinRoom{Room: r})
		alice.Expect(joined(r, "alice")...)
	}
	alice.Send(&slsk.JoinRoom{Room: "three"})
	expectMsgs(t, alice, notice("Could not join room three. Reason: you are in too many rooms (at most 2)."))
	alice.Send(&slsk.LeaveRoom{Room: "one"})
	alice.Expect(&slsk.LeaveRoom{Room: "one"})
	alice.Send(&slsk.JoinRoom{Room: "three"})
	alice.Expect(joined("three", "alice")...)
}

// Creating a room costs a chat flood token, so names cannot be taken in
// bulk; joining an existing room does not (it costs only a fan-out token).
func TestRoomCreationIsFloodLimited(t *testing.T) {
	h := slsktest.Start(t, func(o *slskserver.Options) {
		o.Limits.ChatRate.PerSecond, o.Limits.ChatRate.Burst = 0.001, 2
	})
	alice := h.Login("alice")
	for _, r := range []string{"a", "b"} {
		alice.Send(&slsk.JoinRoom{Room: r})
		alice.Expect(joined(r, "alice")...)
	}
	alice.Send(&slsk.JoinRoom{Room: "c"}) // out of tokens: dropped
	alice.ExpectNothing()
	bob := h.Login("bob")
	bob.Send(&slsk.JoinRoom{Room: "a"})
	bob.Send(&slsk.JoinRoom{Room: "b"})
	bob.Send(&slsk.SayChatroom{Room: "a", Message: "1"})
	bob.Send(&slsk.SayChatroom{Room: "a", Message: "2"})
	bob.Send(&slsk.JoinRoom{Room: "b"}) // already in b
	got := bob.Sync()
	var codes []slsk.ServerCode
	for _, m := range got {
		codes = append(codes, m.ServerCode())
	}
	want := []slsk.ServerCode{
		slsk.CodeUserJoinedRoom, slsk.CodeJoinRoom, slsk.CodeRoomTickers,
		slsk.CodeUserJoinedRoom, slsk.CodeJoinRoom, slsk.CodeRoomTickers,
		slsk.CodeSayChatroom, slsk.CodeSayChatroom,
	}
	if diff := cmp.Diff(want, codes); diff != "" {
		t.Fatalf("bob's messages (-want +got):\n%s", diff)
	}
}

// A public room without tickers lives while it has members (spec §2.2):
// once the last one leaves it is gone from RoomList and its name may be
// created as a private room.
func TestEmptyPublicRoomIsForgotten(t *testing.T) {
	h := slsktest.Start(t)
	alice, bob := h.Login("alice"), h.Login("bob")
	alice.Send(&slsk.JoinRoom{Room: "pub"})
	alice.SkipUntil(slsk.CodeRoomTickers)
	bob.Send(&slsk.RoomList{})
	bob.Expect(&slsk.RoomListReply{Public: []slsk.RoomCount{{Room: "pub", Users: 1}}})

	alice.Send(&slsk.LeaveRoom{Room: "pub"})
	alice.Expect(&slsk.LeaveRoom{Room: "pub"})
	bob.Send(&slsk.RoomList{})
	bob.Expect(&slsk.RoomListReply{})
	bob.Send(&slsk.JoinRoom{Room: "pub", Private: true})
	bob.Expect(roomListUpdate(&slsk.RoomListReply{Owned: []slsk.RoomCount{{Room: "pub"}}}, "pub", nil, nil)...)
	bob.Expect(privateJoin("pub", "bob", nil, "bob")...)
	alice.Send(&slsk.JoinRoom{Room: "pub"})
	expectMsgs(t, alice, &slsk.CantCreateRoom{Room: "pub"}, notice("The room you are trying to enter (pub) is registered as private."))
	checkRoomIndex(t, h)
}

// RoomList walks every public room, so requests share the search flood bucket
// (spec §2 code 64); the list sent at login does not count.
func TestRoomListIsRateLimited(t *testing.T) {
	h := slsktest.Start(t, func(o *slskserver.Options) {
		o.Limits.SearchRate = netlimit.Rate{PerSecond: 0.001, Burst: 2}
	})
	alice := h.Login("alice")
	for range 2 {
		alice.Send(&slsk.RoomList{})
		alice.Expect(&slsk.RoomListReply{})
	}
	alice.Send(&slsk.RoomList{})
	alice.ExpectNothing()
}

// JoinRoom and LeaveRoom fan out to every member, so each costs a fan-out
// token. A dropped LeaveRoom leaves the user in the room, consistently:
// the members hear nothing, the user still gets the room's lines, and a
// LeaveRoom sent once the bucket has refilled works.
func TestJoinLeaveAreFanoutLimited(t *testing.T) {
	var skew atomic.Int64 // added to the server's clock
	h := slsktest.Start(t, func(o *slskserver.Options) {
		o.Limits.FanoutRate = netlimit.Rate{PerSecond: 0.001, Burst: 3}
		o.Now = func() time.Time { return time.Now().Add(time.Duration(skew.Load())) }
	})
	bob := h.Login("bob")
	bob.Send(&slsk.JoinRoom{Room: "retro"})
	bob.Expect(joined("retro", "bob")...)
	alice := h.Login("alice")
	alice.Send(&slsk.JoinRoom{Room: "retro"})
	alice.Expect(joined("retro", "bob", "alice")...)
	alice.Send(&slsk.LeaveRoom{Room: "retro"})
	alice.Expect(&slsk.LeaveRoom{Room: "retro"})
	alice.Send(&slsk.JoinRoom{Room: "retro"})
	alice.Expect(joined("retro", "bob", "alice")...)
	bob.Expect(&slsk.UserJoinedRoom{Room: "retro", User: online("alice")},
		&slsk.UserLeftRoom{Room: "retro", Username: "alice"},
		&slsk.UserJoinedRoom{Room: "retro", User: online("alice")})

	alice.Send(&slsk.LeaveRoom{Room: "retro"}) // out of tokens: dropped
	alice.Send(&slsk.JoinRoom{Room: "other"})  // likewise
	alice.ExpectNothing()
	bob.ExpectNothing()
	bob.Send(&slsk.SayChatroom{Room: "retro", Message: "still there?"})
	line := &slsk.SayChatroomReply{Room: "retro", Username: "bob", Message: "still there?"}
	bob.Expect(line)
	alice.Expect(line)

	skew.Store(int64(2000 * time.Second)) // two tokens later
	alice.Send(&slsk.LeaveRoom{Room: "retro"})
	alice.Expect(&slsk.LeaveRoom{Room: "retro"})
	bob.Expect(&slsk.UserLeftRoom{Room: "retro", Username: "alice"})
}
