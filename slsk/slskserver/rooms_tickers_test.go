package slskserver_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/revival-net/revival/internal/hub"
	"github.com/revival-net/revival/internal/store"
	"github.com/revival-net/revival/slsk"
	"github.com/revival-net/revival/slsk/slsktest"
)

// SetRoomTicker: "Caller must have joined. Tickers over 1024 bytes are
// ignored. An existing ticker → 115 first; a non-empty one → 114 to
// joined users. An empty ticker only removes"; joiners get RoomTickers
// after JoinRoom (spec §2 codes 113–116); "Tickers persist" (§2.2), also
// across a restart.
func TestRoomTickers(t *testing.T) {
	h := slsktest.Start(t)
	alice, bob := h.Login("alice"), h.Login("bob")
	alice.Send(&slsk.JoinRoom{Room: "retro"})
	alice.SkipUntil(slsk.CodeRoomTickers)
	bob.Send(&slsk.JoinRoom{Room: "retro"})
	bob.SkipUntil(slsk.CodeRoomTickers)
	alice.SkipUntil(slsk.CodeUserJoinedRoom)

	both := func(want ...slsk.ServerMessage) {
		t.Helper()
		alice.Expect(want...)
		bob.Expect(want...)
	}
	alice.Send(&slsk.SetRoomTicker{Room: "retro", Ticker: "hello"})
	both(&slsk.RoomTickerAdded{Room: "retro", Username: "alice", Ticker: "hello"})
	alice.Send(&slsk.SetRoomTicker{Room: "retro", Ticker: "world"})
	both(&slsk.RoomTickerRemoved{Room: "retro", Username: "alice"},
		&slsk.RoomTickerAdded{Room: "retro", Username: "alice", Ticker: "world"})
	alice.Send(&slsk.SetRoomTicker{Room: "retro", Ticker: "world"})                   // unchanged
	alice.Send(&slsk.SetRoomTicker{Room: "retro", Ticker: strings.Repeat("x", 1025)}) // too long
	alice.Send(&slsk.SetRoomTicker{Room: "elsewhere", Ticker: "not joined"})
	alice.ExpectNothing()
	bob.ExpectNothing()

	bob.Send(&slsk.SetRoomTicker{Room: "retro", Ticker: "bob was here"})
	both(&slsk.RoomTickerAdded{Room: "retro", Username: "bob", Ticker: "bob was here"})
	carol := h.Login("carol")
	carol.Send(&slsk.JoinRoom{Room: "retro"})
	carol.SkipUntil(slsk.CodeJoinRoom)
	carol.Expect(&slsk.RoomTickers{Room: "retro", Tickers: []slsk.RoomTicker{
		{Username: "alice", Ticker: "world"}, {Username: "bob", Ticker: "bob was here"},
	}})
	both(&slsk.UserJoinedRoom{Room: "retro", User: online("carol")})

	bob.Send(&slsk.SetRoomTicker{Room: "retro", Ticker: ""})
	bob.Expect(&slsk.RoomTickerRemoved{Room: "retro", Username: "bob"})
	bob.ExpectNothing()
	bob.Send(&slsk.SetRoomTicker{Room: "retro", Ticker: ""}) // none left to remove
	bob.ExpectNothing()

	h.Restart()
	dave := h.Login("dave")
	dave.Send(&slsk.JoinRoom{Room: "retro"})
	dave.SkipUntil(slsk.CodeJoinRoom)
	dave.Expect(&slsk.RoomTickers{Room: "retro", Tickers: []slsk.RoomTicker{{Username: "alice", Ticker: "world"}}})
}

// storedRoom reports whether the store holds the room, failing the test
// on any other error.
func storedRoom(t *testing.T, h *slsktest.Harness, name string) bool {
	t.Helper()
	_, err := h.Store.Rooms().Get(context.Background(), hub.NetworkSoulseek, name)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		t.Fatal(err)
	}
	return err == nil
}

// A public room is stored with its first ticker and then outlives its
// members, also across a restart; as long as it exists "a room name once
// used as public can never be claimed as private": a private JoinRoom
// gets a PM and joins it as public (spec §2.2).
func TestTickerKeepsPublicRoom(t *testing.T) {
	h := slsktest.Start(t)
	alice := h.Login("alice")
	alice.Send(&slsk.JoinRoom{Room: "pub"})
	alice.SkipUntil(slsk.CodeRoomTickers)
	if storedRoom(t, h, "pub") {
		t.Fatal("a public room without tickers is stored")
	}
	alice.Send(&slsk.SetRoomTicker{Room: "pub", Ticker: "hi"})
	alice.Expect(&slsk.RoomTickerAdded{Room: "pub", Username: "alice", Ticker: "hi"})
	if !storedRoom(t, h, "pub") {
		t.Fatal("a public room with a ticker is not stored")
	}
	alice.Send(&slsk.LeaveRoom{Room: "pub"})
	alice.Expect(&slsk.LeaveRoom{Room: "pub"})

	h.Restart()
	olga := h.Login("olga")
	olga.Send(&slsk.JoinRoom{Room: "pub", Private: true})
	expectMsgs(t, olga, notice("Room (pub) is registered as public."))
	olga.Expect(&slsk.UserJoinedRoom{Room: "pub", User: online("olga")},
		&slsk.JoinRoomReply{Room: "pub", Users: []slsk.RoomUser{online("olga")}},
		&slsk.RoomTickers{Room: "pub", Tickers: []slsk.RoomTicker{{Username: "alice", Ticker: "hi"}}})
	checkRoomIndex(t, h)
}

// Removing a public room's last ticker deletes it from the store, and once
// it has no members either it is gone: the name can become private. The
// last ticker goes either by its owner, with the room still joined, or by
// the admin command removetickers, in a room nobody is in.
func TestLastTickerRemovalForgetsRoom(t *testing.T) {
	h := slsktest.Start(t)
	alice := h.Login("alice")
	for _, room := range []string{"mine", "admin"} {
		alice.Send(&slsk.JoinRoom{Room: room})
		alice.SkipUntil(slsk.CodeRoomTickers)
		alice.Send(&slsk.SetRoomTicker{Room: room, Ticker: "hi"})
		alice.Expect(&slsk.RoomTickerAdded{Room: room, Username: "alice", Ticker: "hi"})
	}
	alice.Send(&slsk.SetRoomTicker{Room: "mine", Ticker: ""})
	alice.Expect(&slsk.RoomTickerRemoved{Room: "mine", Username: "alice"})
	for _, room := range []string{"mine", "admin"} {
		alice.Send(&slsk.LeaveRoom{Room: room})
		alice.Expect(&slsk.LeaveRoom{Room: room})
	}
	if storedRoom(t, h, "mine") || !storedRoom(t, h, "admin") {
		t.Fatalf("stored: mine %v, admin %v; want false, true", storedRoom(t, h, "mine"), storedRoom(t, h, "admin"))
	}

	h.Restart()
	root := loginAdmin(t, h, "root")
	if got := command(t, root, "roominfo admin"); got != "admin\nUsers (0):\nTickers (1):\n    [alice] hi" {
		t.Fatalf("roominfo before: %q", got)
	}
	if got := command(t, root, "removetickers alice"); got != "Removed user alice's public room tickers" {
		t.Fatalf("removetickers: %q", got)
	}
	if got := command(t, root, "roominfo admin"); got != "Room admin is not registered" {
		t.Fatalf("roominfo after: %q", got)
	}
	if storedRoom(t, h, "admin") {
		t.Fatal("a public room without tickers or members is still stored")
	}
	olga := h.Login("olga")
	olga.Send(&slsk.JoinRoom{Room: "mine", Private: true})
	olga.Expect(roomListUpdate(&slsk.RoomListReply{Owned: []slsk.RoomCount{{Room: "mine"}}}, "mine", nil, nil)...)
	olga.Expect(privateJoin("mine", "olga", nil, "olga")...)
	olga.Send(&slsk.JoinRoom{Room: "admin", Private: true})
	olga.Expect(&slsk.RoomListReply{Owned: []slsk.RoomCount{{Room: "admin"}, {Room: "mine", Users: 1}}},
		&slsk.RoomMembers{Room: "admin"}, &slsk.RoomMembers{Room: "mine"},
		&slsk.RoomOperators{Room: "admin"}, &slsk.RoomOperators{Room: "mine"})
	olga.Expect(privateJoin("admin", "olga", nil, "olga")...)
	checkRoomIndex(t, h)
}

// Public rooms stored without tickers (every public name, in earlier
// versions) are deleted at start-up instead of loaded, so the names are
// free again.
func TestStartDeletesTickerlessPublicRooms(t *testing.T) {
	h := slsktest.Start(t)
	ctx := context.Background()
	for _, rec := range []store.Room{
		{Network: hub.NetworkSoulseek, Name: "legacy", CreatedAt: time.Now()},
		{Network: hub.NetworkSoulseek, Name: "kept", CreatedAt: time.Now()},
	} {
		if err := h.Store.Rooms().Put(ctx, rec); err != nil {
			t.Fatal(err)
		}
	}
	if err := h.Store.Rooms().SetTicker(ctx, hub.NetworkSoulseek, "kept", "alice", "still here"); err != nil {
		t.Fatal(err)
	}
	h.Restart()
	if storedRoom(t, h, "legacy") || !storedRoom(t, h, "kept") {
		t.Fatalf("stored: legacy %v, kept %v; want false, true", storedRoom(t, h, "legacy"), storedRoom(t, h, "kept"))
	}
	olga := h.Login("olga")
	olga.Send(&slsk.JoinRoom{Room: "legacy", Private: true})
	olga.Expect(roomListUpdate(&slsk.RoomListReply{Owned: []slsk.RoomCount{{Room: "legacy"}}}, "legacy", nil, nil)...)
	olga.Expect(privateJoin("legacy", "olga", nil, "olga")...)
}
