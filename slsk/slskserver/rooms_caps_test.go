package slskserver_test

import (
	"fmt"
	"testing"

	"github.com/revival-net/revival/internal/netlimit"
	"github.com/revival-net/revival/slsk"
	"github.com/revival-net/revival/slsk/slskserver"
	"github.com/revival-net/revival/slsk/slsktest"
)

// createRooms has c join n new public rooms named prefix00, prefix01…
// and returns how many it could create (the others were refused).
func createRooms(t *testing.T, c *slsktest.Client, prefix string, n int) int {
	t.Helper()
	created := 0
	for i := range n {
		room := fmt.Sprintf("%s%02d", prefix, i)
		c.Send(&slsk.JoinRoom{Room: room})
		for _, m := range c.Sync() {
			if r, ok := m.(*slsk.JoinRoomReply); ok && r.Room == room {
				created++
			}
		}
	}
	return created
}

// Issue 5, finding 2, scripted small: free accounts joining new names
// fill the room namespace (MaxRooms 7 here) and nobody can create a room.
// With at most 2 live rooms per account, three attackers hold 6 and a
// newcomer still creates one; a room an attacker gives up frees a place.
func TestRoomsCreatedPerAccountAreCapped(t *testing.T) {
	h := slsktest.Start(t, func(o *slskserver.Options) {
		o.Limits.ChatRate = netlimit.Rate{PerSecond: 1000, Burst: 1000}
		o.Limits.RoomCreations = netlimit.Rate{PerSecond: -1} // one test address
		o.Limits.MaxRooms = 7
		o.Limits.MaxRoomsPerAccount = 2
	})
	var attackers []*slsktest.Client
	for i := range 3 {
		a := h.Login(fmt.Sprintf("attacker%d", i))
		if n := createRooms(t, a, a.Name, 4); n != 2 {
			t.Fatalf("%s created %d rooms, want 2 (the cap)", a.Name, n)
		}
		attackers = append(attackers, a)
	}
	a := attackers[0]
	a.Send(&slsk.JoinRoom{Room: "one more"})
	expectMsgs(t, a, notice("Could not create room. Reason: you created 2 rooms that still exist (at most 2)."))

	v := h.Login("victim")
	v.Send(&slsk.JoinRoom{Room: "lobby"})
	v.Expect(joined("lobby", "victim")...)
	// Joining a room that exists creates nothing and is not capped.
	a.Send(&slsk.JoinRoom{Room: "lobby"})
	a.Expect(joined("lobby", "victim", "attacker0")...)

	// A public room the attacker leaves is forgotten: it no longer counts.
	a.Send(&slsk.LeaveRoom{Room: "attacker000"})
	a.Expect(&slsk.LeaveRoom{Room: "attacker000"})
	if n := createRooms(t, a, "again", 1); n != 1 {
		t.Errorf("after leaving a room of its own, attacker0 created %d rooms, want 1", n)
	}
	checkRoomIndex(t, h)
}

// Private rooms are stored, so their owners' counts survive a restart:
// 2 accounts × the cap cannot grow by restarting the server.
func TestPrivateRoomsCountAcrossRestarts(t *testing.T) {
	h := slsktest.Start(t, func(o *slskserver.Options) {
		o.Limits.RoomCreations = netlimit.Rate{PerSecond: -1}
		o.Limits.MaxRoomsPerAccount = 2
	})
	a := h.Login("attacker")
	for _, room := range []string{"p1", "p2"} {
		a.Send(&slsk.JoinRoom{Room: room, Private: true})
		if !joinedPrivate(a.Sync(), room) {
			t.Fatalf("attacker could not create %s", room)
		}
	}
	h.Restart()
	a = h.Login("attacker")
	a.Send(&slsk.JoinRoom{Room: "p3", Private: true})
	expectMsgs(t, a, notice("Could not create room. Reason: you created 2 rooms that still exist (at most 2)."))
	a.ExpectNothing()
}

// Accounts are free, so creations are also rationed per address: 3 at
// once here, whichever accounts ask. Joining rooms that exist is not.
func TestRoomsCreatedPerHostAreCapped(t *testing.T) {
	h := slsktest.Start(t, func(o *slskserver.Options) {
		o.Limits.ChatRate = netlimit.Rate{PerSecond: 1000, Burst: 1000}
		o.Limits.RoomCreations = netlimit.Rate{PerSecond: 1e-9, Burst: 3}
	})
	a, b := h.Login("alice"), h.Login("bob")
	if n := createRooms(t, a, "a", 2); n != 2 {
		t.Fatalf("alice created %d rooms, want 2", n)
	}
	b.Send(&slsk.JoinRoom{Room: "b00"})
	b.Expect(joined("b00", "bob")...)
	b.Send(&slsk.JoinRoom{Room: "b01"})
	expectMsgs(t, b, notice("Could not create room. Reason: too many rooms were created from your address; try again later."))
	b.Send(&slsk.JoinRoom{Room: "a00"})
	b.Expect(joined("a00", "alice", "bob")...)
}

// RoomCreationRate turns the serve flags into a bucket: n at once and n
// per window; 0 keeps the default, a negative n lifts the cap.
func TestRoomCreationRate(t *testing.T) {
	if r := slskserver.RoomCreationRate(0, 0); r != (netlimit.Rate{}) {
		t.Errorf("RoomCreationRate(0, 0) = %+v, want the zero Rate (default)", r)
	}
	if r := slskserver.RoomCreationRate(-1, 0); r.PerSecond >= 0 {
		t.Errorf("RoomCreationRate(-1, 0) = %+v, want unlimited", r)
	}
	if r := slskserver.RoomCreationRate(36, 0); r != (netlimit.Rate{PerSecond: 0.01, Burst: 36}) {
		t.Errorf("RoomCreationRate(36, 0) = %+v, want 36 per hour", r)
	}
}
