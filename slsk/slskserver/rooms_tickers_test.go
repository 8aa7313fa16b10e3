package slskserver_test

import (
	"strings"
	"testing"

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
