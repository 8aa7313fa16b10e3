package slskserver_test

import (
	"testing"

	"github.com/revival-net/revival/internal/hub"
	"github.com/revival-net/revival/internal/netlimit"
	"github.com/revival-net/revival/slsk"
	"github.com/revival-net/revival/slsk/slskserver"
	"github.com/revival-net/revival/slsk/slsktest"
)

// An admin lists rooms and purges one (issue 5, finding 2): members of a
// purged private room are told as when its owner disbands it (spec §2.2),
// users in a purged public room leave it, and both are gone from the
// store, so a restart does not bring them back.
func TestAdminPurgesRooms(t *testing.T) {
	// Commands are PMs, which share the chat flood limit.
	h := slsktest.Start(t, func(o *slskserver.Options) { o.Limits.ChatRate = netlimit.Rate{PerSecond: 100, Burst: 100} })
	root := loginAdmin(t, h, "root")
	olga := createClub(t, h)
	mike := h.Login("mike")
	invitable(t, mike)
	olga.Send(&slsk.AddRoomMember{Room: "club", Username: "mike"})
	olga.Sync()
	mike.Sync()
	alice := h.Login("alice")
	alice.Send(&slsk.JoinRoom{Room: "retro"})
	alice.Expect(joined("retro", "alice")...)
	alice.Send(&slsk.SetRoomTicker{Room: "retro", Ticker: "hi"})
	alice.Expect(&slsk.RoomTickerAdded{Room: "retro", Username: "alice", Ticker: "hi"})
	olga.Send(&slsk.JoinRoom{Room: "retro"})
	olga.SkipUntil(slsk.CodeRoomTickers)
	alice.Expect(&slsk.UserJoinedRoom{Room: "retro", User: online("olga")})

	for cmd, answer := range map[string]string{
		"rooms private":     "1 private rooms.\n    club (owner: olga, members: 1, users: 1, tickers: 0)",
		"rooms everything":  "Syntax is: rooms [private]",
		"purgeroom":         "Syntax is: purgeroom <room>",
		"purgeroom nowhere": "Room nowhere is not registered",
	} {
		if got := command(t, root, cmd); got != answer {
			t.Errorf("%q: got %q, want %q", cmd, got, answer)
		}
	}

	if got := command(t, root, "purgeroom club"); got != "Purged room club" {
		t.Fatalf("purgeroom club: got %q", got)
	}
	mike.Expect(&slsk.RoomMembershipRevoked{Room: "club"}, &slsk.RoomListReply{Public: []slsk.RoomCount{{Room: "retro", Users: 2}}})
	olga.Expect(&slsk.LeaveRoom{Room: "club"}, &slsk.RoomListReply{Public: []slsk.RoomCount{{Room: "retro", Users: 2}}})

	if got := command(t, root, "purgeroom retro"); got != "Purged room retro" {
		t.Fatalf("purgeroom retro: got %q", got)
	}
	alice.Expect(&slsk.LeaveRoom{Room: "retro"})
	olga.Expect(&slsk.UserLeftRoom{Room: "retro", Username: "alice"}, &slsk.LeaveRoom{Room: "retro"})
	if got := command(t, root, "rooms"); got != "0 public rooms." {
		t.Errorf("rooms after the purges: %q", got)
	}
	recs, err := h.Store.Rooms().List(t.Context(), hub.NetworkSoulseek)
	if err != nil || len(recs) != 0 {
		t.Errorf("stored rooms after the purges: %+v, %v; want none", recs, err)
	}
	checkRoomIndex(t, h)
	alice.ExpectNothing()
	mike.ExpectNothing()
	olga.ExpectNothing()

	h.Restart()
	xena := h.Login("xena")
	xena.Send(&slsk.JoinRoom{Room: "club"})
	xena.Expect(joined("club", "xena")...)
}
