package slskserver_test

import (
	"fmt"
	"testing"

	"github.com/revival-net/revival/internal/netlimit"
	"github.com/revival-net/revival/slsk"
	"github.com/revival-net/revival/slsk/slskserver"
	"github.com/revival-net/revival/slsk/slsktest"
)

// privateJoin is what a user receives when it enters a private room: the
// members in the room (the last one is the joiner), the owner and the
// operators.
func privateJoin(room, owner string, ops []string, members ...string) []slsk.ServerMessage {
	msgs := joined(room, members...)
	reply := msgs[1].(*slsk.JoinRoomReply)
	reply.Private, reply.Owner, reply.Operators = true, owner, ops
	return msgs
}

// roomListUpdate is the RoomList, RoomMembers and RoomOperators sequence
// of spec §2.2 for a user of one private room (no public rooms listed).
func roomListUpdate(list *slsk.RoomListReply, room string, members, ops []string) []slsk.ServerMessage {
	return []slsk.ServerMessage{list, &slsk.RoomMembers{Room: room, Members: members}, &slsk.RoomOperators{Room: room, Operators: ops}}
}

// createClub logs in the owner olga and creates the private room "club":
// "JoinRoom with private = 1 on an unclaimed name. The server then sends
// the creator a room-list update" (spec §2.2), then the usual join.
func createClub(t *testing.T, h *slsktest.Harness) *slsktest.Client {
	t.Helper()
	olga := h.Login("olga")
	olga.Send(&slsk.JoinRoom{Room: "club", Private: true})
	olga.Expect(roomListUpdate(&slsk.RoomListReply{Owned: []slsk.RoomCount{{Room: "club"}}}, "club", nil, nil)...)
	olga.Expect(privateJoin("club", "olga", nil, "olga")...)
	return olga
}

// checkRoomIndex fails the test if the server's room index differs from
// a recomputation over its rooms (see slskserver.CheckRoomIndex).
func checkRoomIndex(t *testing.T, h *slsktest.Harness) {
	t.Helper()
	if diff := slskserver.CheckRoomIndex(h.Server); diff != "" {
		t.Errorf("room index differs from a recomputation (-want +got):\n%s", diff)
	}
}

func invitable(t *testing.T, c *slsktest.Client) {
	t.Helper()
	c.Send(&slsk.EnableRoomInvitations{Enable: true})
	c.Expect(&slsk.EnableRoomInvitations{Enable: true})
}

// Joining a private room "requires being the owner or a member. Otherwise
// the server sends CantCreateRoom (1003) plus a PM from server" (spec
// §2.2); a private JoinRoom of a public room with members joins it as
// public, silently, as aioslsk's mock server does.
func TestPrivateRoomRefusesOutsiders(t *testing.T) {
	h := slsktest.Start(t)
	olga := createClub(t, h)
	xena := h.Login("xena")
	for _, private := range []bool{false, true} {
		xena.Send(&slsk.JoinRoom{Room: "club", Private: private})
		expectMsgs(t, xena, &slsk.CantCreateRoom{Room: "club"},
			notice("The room you are trying to enter (club) is registered as private."))
	}
	olga.ExpectNothing()

	xena.Send(&slsk.JoinRoom{Room: "pub"})
	xena.SkipUntil(slsk.CodeRoomTickers)
	olga.Send(&slsk.JoinRoom{Room: "pub", Private: true})
	olga.Expect(joined("pub", "xena", "olga")...)
	xena.Expect(&slsk.UserJoinedRoom{Room: "pub", User: online("olga")})
	checkRoomIndex(t, h)
}

// Adding and removing members and operators, with the checks, PM texts
// and message order of spec §2.2, persisted across a restart.
func TestPrivateRoomMembersAndOperators(t *testing.T) {
	h := slsktest.Start(t)
	olga := createClub(t, h)
	mike, xena := h.Login("mike"), h.Login("xena")

	olga.Send(&slsk.AddRoomMember{Room: "club", Username: "ghost"})
	expectMsgs(t, olga, notice("user ghost is not logged in."))
	olga.Send(&slsk.AddRoomMember{Room: "club", Username: "mike"})
	expectMsgs(t, olga, notice("user mike hasn't enabled private room add. please message them and ask them to do so before trying to add them again."))
	invitable(t, mike)
	invitable(t, xena)

	olga.Send(&slsk.AddRoomMember{Room: "club", Username: "mike"})
	expectMsgs(t, olga, &slsk.AddRoomMember{Room: "club", Username: "mike"}, notice("User mike is now a member of room club"))
	mike.Expect(&slsk.AddRoomMember{Room: "club", Username: "mike"}, &slsk.RoomMembershipGranted{Room: "club"})
	mike.Expect(roomListUpdate(&slsk.RoomListReply{Member: []slsk.RoomCount{{Room: "club", Users: 1}}}, "club", []string{"mike"}, nil)...)
	olga.Send(&slsk.AddRoomMember{Room: "club", Username: "mike"})
	expectMsgs(t, olga, notice("user mike is already a member of room club"))
	mike.Send(&slsk.AddRoomMember{Room: "club", Username: "xena"}) // a plain member may not add
	mike.ExpectNothing()

	mike.Send(&slsk.JoinRoom{Room: "club"})
	mike.Expect(privateJoin("club", "olga", nil, "olga", "mike")...)
	olga.Expect(&slsk.UserJoinedRoom{Room: "club", User: online("mike")})

	olga.Send(&slsk.AddRoomOperator{Room: "club", Username: "xena"})
	expectMsgs(t, olga, notice("user xena must first be a member of room club"))
	olga.Send(&slsk.AddRoomOperator{Room: "club", Username: "mike"})
	expectMsgs(t, olga, &slsk.AddRoomOperator{Room: "club", Username: "mike"}, notice("User mike is now an operator of room club"))
	mike.Expect(&slsk.AddRoomOperator{Room: "club", Username: "mike"}, &slsk.RoomOperatorshipGranted{Room: "club"})
	mike.Expect(roomListUpdate(&slsk.RoomListReply{Member: []slsk.RoomCount{{Room: "club", Users: 2}}, Operated: []string{"club"}}, "club", []string{"mike"}, []string{"mike"})...)
	olga.Send(&slsk.AddRoomOperator{Room: "club", Username: "mike"})
	expectMsgs(t, olga, notice("user mike is already an operator of room club"))

	// An operator adds a member; the owner is told who did it.
	mike.Send(&slsk.AddRoomMember{Room: "club", Username: "xena"})
	mike.Expect(&slsk.AddRoomMember{Room: "club", Username: "xena"})
	expectMsgs(t, olga, &slsk.AddRoomMember{Room: "club", Username: "xena"},
		notice("User [xena] was added as a member of room [club] by operator [mike]"))
	xena.Expect(&slsk.AddRoomMember{Room: "club", Username: "xena"}, &slsk.RoomMembershipGranted{Room: "club"})
	xena.Expect(roomListUpdate(&slsk.RoomListReply{Member: []slsk.RoomCount{{Room: "club", Users: 2}}}, "club", []string{"mike", "xena"}, []string{"mike"})...)
	xena.Send(&slsk.JoinRoom{Room: "club"})
	xena.Expect(privateJoin("club", "olga", []string{"mike"}, "olga", "mike", "xena")...)
	olga.Expect(&slsk.UserJoinedRoom{Room: "club", User: online("xena")})
	mike.Expect(&slsk.UserJoinedRoom{Room: "club", User: online("xena")})

	// "an operator removes only plain members" (spec §2 code 135).
	xena.Send(&slsk.RemoveRoomMember{Room: "club", Username: "mike"})
	xena.ExpectNothing()
	mike.Send(&slsk.RemoveRoomMember{Room: "club", Username: "xena"})
	mike.Expect(&slsk.RemoveRoomMember{Room: "club", Username: "xena"}, &slsk.UserLeftRoom{Room: "club", Username: "xena"})
	expectMsgs(t, olga, &slsk.RemoveRoomMember{Room: "club", Username: "xena"},
		notice("User xena is no longer a member of room club"), &slsk.UserLeftRoom{Room: "club", Username: "xena"})
	xena.Expect(&slsk.RoomMembershipRevoked{Room: "club"}, &slsk.LeaveRoom{Room: "club"}, &slsk.RoomListReply{})
	xena.ExpectNothing()
	checkRoomIndex(t, h)

	// The owner keeps it all across a restart; operators stay operators.
	h.Restart()
	for _, tc := range []struct {
		name string
		list *slsk.RoomListReply
	}{
		{"olga", &slsk.RoomListReply{Owned: []slsk.RoomCount{{Room: "club"}}}},
		{"mike", &slsk.RoomListReply{Member: []slsk.RoomCount{{Room: "club"}}, Operated: []string{"club"}}},
	} {
		c := h.Dial()
		c.Name = tc.name
		c.Send(slsktest.LoginMessage(tc.name, slsktest.Password(tc.name)))
		c.SkipUntil(slsk.CodeLogin)
		c.Expect(roomListUpdate(tc.list, "club", []string{"mike"}, []string{"mike"})...)
		c.SkipUntil(slsk.CodeExcludedSearchPhrases)
		if tc.name == "olga" {
			olga = c
		} else {
			mike = c
		}
	}

	olga.Send(&slsk.RemoveRoomOperator{Room: "club", Username: "mike"})
	expectMsgs(t, olga, &slsk.RemoveRoomOperator{Room: "club", Username: "mike"}, notice("User mike is no longer an operator of room club"))
	mike.Expect(&slsk.RemoveRoomOperator{Room: "club", Username: "mike"}, &slsk.RoomOperatorshipRevoked{Room: "club"})
	mike.Expect(roomListUpdate(&slsk.RoomListReply{Member: []slsk.RoomCount{{Room: "club"}}}, "club", []string{"mike"}, nil)...)
	olga.Send(&slsk.RemoveRoomOperator{Room: "club", Username: "mike"}) // no longer one: ignored
	olga.ExpectNothing()
	checkRoomIndex(t, h)
}

// A member may give up membership (code 136) and an operator the role
// (code 147); an operator giving up membership loses the role too, in
// the order aioslsk observed.
func TestCancelMembershipAndOperatorship(t *testing.T) {
	h := slsktest.Start(t)
	olga := createClub(t, h)
	mike := h.Login("mike")
	invitable(t, mike)
	olga.Send(&slsk.AddRoomMember{Room: "club", Username: "mike"})
	olga.Send(&slsk.AddRoomOperator{Room: "club", Username: "mike"})
	olga.Sync()
	mike.Sync()

	mike.Send(&slsk.CancelRoomOperatorship{Room: "club"})
	mike.Expect(&slsk.RemoveRoomOperator{Room: "club", Username: "mike"}, &slsk.RoomOperatorshipRevoked{Room: "club"})
	mike.Expect(roomListUpdate(&slsk.RoomListReply{Member: []slsk.RoomCount{{Room: "club", Users: 1}}}, "club", []string{"mike"}, nil)...)
	expectMsgs(t, olga, &slsk.RemoveRoomOperator{Room: "club", Username: "mike"}, notice("User mike is no longer an operator of room club"))

	olga.Send(&slsk.AddRoomOperator{Room: "club", Username: "mike"})
	olga.Sync()
	mike.Sync()
	mike.Send(&slsk.JoinRoom{Room: "club"})
	mike.SkipUntil(slsk.CodeRoomTickers)
	olga.Expect(&slsk.UserJoinedRoom{Room: "club", User: online("mike")})

	mike.Send(&slsk.CancelRoomMembership{Room: "club"})
	mike.Expect(&slsk.RoomMembershipRevoked{Room: "club"}, &slsk.LeaveRoom{Room: "club"}, &slsk.RoomListReply{})
	mike.Expect(&slsk.RoomOperatorshipRevoked{Room: "club"}, &slsk.RoomListReply{})
	expectMsgs(t, olga,
		&slsk.RemoveRoomMember{Room: "club", Username: "mike"},
		notice("User mike is no longer a member of room club"),
		&slsk.UserLeftRoom{Room: "club", Username: "mike"},
		&slsk.RemoveRoomOperator{Room: "club", Username: "mike"},
		notice("User mike is no longer an operator of room club"),
	)
	mike.Send(&slsk.JoinRoom{Room: "club"})
	expectMsgs(t, mike, &slsk.CantCreateRoom{Room: "club"}, notice("The room you are trying to enter (club) is registered as private."))
	olga.Send(&slsk.CancelRoomMembership{Room: "club"}) // the owner is no member: ignored
	olga.ExpectNothing()
	checkRoomIndex(t, h)
}

// The owner disbands the room (code 137): every member loses membership
// and leaves; the name is free again, also after a restart.
func TestCancelRoomOwnership(t *testing.T) {
	h := slsktest.Start(t)
	olga := createClub(t, h)
	mike := h.Login("mike")
	invitable(t, mike)
	olga.Send(&slsk.AddRoomMember{Room: "club", Username: "mike"})
	olga.Send(&slsk.AddRoomOperator{Room: "club", Username: "mike"})
	olga.Sync()
	mike.Send(&slsk.JoinRoom{Room: "club"})
	mike.SkipUntil(slsk.CodeRoomTickers)
	olga.Expect(&slsk.UserJoinedRoom{Room: "club", User: online("mike")})

	mike.Send(&slsk.CancelRoomOwnership{Room: "club"}) // not the owner: ignored
	mike.ExpectNothing()
	olga.Send(&slsk.CancelRoomOwnership{Room: "club"})
	mike.Expect(&slsk.RoomMembershipRevoked{Room: "club"}, &slsk.LeaveRoom{Room: "club"},
		&slsk.RoomOperatorshipRevoked{Room: "club"}, &slsk.RoomListReply{})
	olga.Expect(&slsk.UserLeftRoom{Room: "club", Username: "mike"}, &slsk.LeaveRoom{Room: "club"}, &slsk.RoomListReply{})
	olga.ExpectNothing()
	checkRoomIndex(t, h)

	h.Restart()
	xena := h.Login("xena")
	xena.Send(&slsk.JoinRoom{Room: "club"})
	xena.Expect(joined("club", "xena")...)
	checkRoomIndex(t, h)
}

// joinedPrivate reports whether msgs include the JoinRoom reply of room.
func joinedPrivate(msgs []slsk.ServerMessage, room string) bool {
	for _, m := range msgs {
		if r, ok := m.(*slsk.JoinRoomReply); ok && r.Room == room {
			return true
		}
	}
	return false
}

// One user owns at most 50 private rooms (our cap); rooms it is only a
// member of do not count, and disbanding one frees a place. (All test
// clients share one address, so the per-host creation cap is off.)
func TestOwnedPrivateRoomsAreCapped(t *testing.T) {
	h := slsktest.Start(t, func(o *slskserver.Options) {
		o.Limits.ChatRate = netlimit.Rate{PerSecond: 1000, Burst: 1000}
		o.Limits.RoomCreations = netlimit.Rate{PerSecond: -1}
	})
	olga := createClub(t, h)
	bob := h.Login("bob")
	invitable(t, bob)
	olga.Send(&slsk.AddRoomMember{Room: "club", Username: "bob"})
	olga.Sync()
	for i := range 50 {
		room := fmt.Sprintf("bob%02d", i)
		bob.Send(&slsk.JoinRoom{Room: room, Private: true})
		if got := bob.Sync(); !joinedPrivate(got, room) {
			t.Fatalf("bob could not create his room %d: %#v", i+1, got)
		}
	}
	bob.Send(&slsk.JoinRoom{Room: "bob50", Private: true})
	expectMsgs(t, bob, notice("Could not create room. Reason: you already own 50 private rooms."))
	bob.ExpectNothing()

	bob.Send(&slsk.CancelRoomOwnership{Room: "bob00"})
	bob.Sync()
	bob.Send(&slsk.JoinRoom{Room: "bob50", Private: true})
	if got := bob.Sync(); !joinedPrivate(got, "bob50") {
		t.Fatalf("bob could not create a room after giving one up: %#v", got)
	}
	checkRoomIndex(t, h)
}
