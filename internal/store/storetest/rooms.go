package storetest

import (
	"testing"

	"github.com/revival-net/revival/internal/store"
)

var roomTests = []test{
	{"PutGet", testRoomPutGet},
	{"GetNotFound", testRoomGetNotFound},
	{"List", testRoomList},
	{"PutReplaces", testRoomPutReplaces},
	{"PutKeepsTickers", testRoomPutKeepsTickers},
	{"OperatorMustBeMember", testRoomOperatorNotMember},
	{"DeleteCascades", testRoomDeleteCascades},
}

var tickerTests = []test{
	{"Order", testTickerOrder},
	{"Replace", testTickerReplace},
	{"Remove", testTickerRemove},
	{"RoomIsolation", testTickerRooms},
	{"UnknownRoom", testTickerUnknownRoom},
}

// privRoom is a private Soulseek room: members exclude the owner and
// operators are a subset of members (spec §2.2). Members are listed in the
// sorted order the stores return them in.
func privRoom() store.Room {
	return store.Room{
		Network: "slsk", Name: "Retro Room", Private: true, Owner: "alice",
		Members: []string{"bob", "carol", "dave"}, Operators: []string{"bob", "dave"},
		CreatedAt: t0,
	}
}

func testRoomPutGet(t *testing.T, s store.Store) {
	public := store.Room{Network: "slsk", Name: "public", CreatedAt: t0}
	for _, r := range []store.Room{privRoom(), public} {
		must(t, s.Rooms().Put(ctx, r))
		got, err := s.Rooms().Get(ctx, r.Network, r.Name)
		must(t, err)
		diff(t, "Get("+r.Name+")", r, got)
	}
	// Unsorted input with a duplicate comes back sorted, once each.
	r := privRoom()
	r.Name = "messy"
	r.Members = []string{"dave", "bob", "carol", "bob"}
	r.Operators = []string{"dave", "bob"}
	must(t, s.Rooms().Put(ctx, r))
	got, err := s.Rooms().Get(ctx, "slsk", "messy")
	must(t, err)
	want := privRoom()
	want.Name = "messy"
	diff(t, "Get(messy)", want, got)
}

func testRoomGetNotFound(t *testing.T, s store.Store) {
	must(t, s.Rooms().Put(ctx, privRoom()))
	for _, c := range []struct{ net, name string }{
		{"slsk", "nope"},
		{"wpn", "Retro Room"}, // rooms are per network
		{"slsk", "retro room"},
	} {
		_, err := s.Rooms().Get(ctx, c.net, c.name)
		wantErr(t, "Get("+c.net+", "+c.name+")", err, store.ErrNotFound)
	}
}

func testRoomList(t *testing.T, s store.Store) {
	b := store.Room{Network: "slsk", Name: "b", CreatedAt: t0}
	a := store.Room{Network: "slsk", Name: "a", Private: true, Owner: "zed", Members: []string{"y"}, CreatedAt: t0}
	c := privRoom()
	other := store.Room{Network: "wpn", Name: "a", CreatedAt: t0}
	for _, r := range []store.Room{b, c, a, other} {
		must(t, s.Rooms().Put(ctx, r))
	}
	got, err := s.Rooms().List(ctx, "slsk")
	must(t, err)
	diff(t, "List(slsk)", []store.Room{c, a, b}, got) // byte order: 'R' < 'a'
	got, err = s.Rooms().List(ctx, "wpn")
	must(t, err)
	diff(t, "List(wpn)", []store.Room{other}, got)
	got, err = s.Rooms().List(ctx, "msn")
	must(t, err)
	diff(t, "List(msn)", []store.Room(nil), got)
}

func testRoomPutReplaces(t *testing.T, s store.Store) {
	must(t, s.Rooms().Put(ctx, privRoom()))
	r := privRoom()
	r.Owner = "bob"
	r.Members = []string{"carol", "erin"}
	r.Operators = []string{"erin"}
	r.CreatedAt = t0.Add(1)
	must(t, s.Rooms().Put(ctx, r))
	got, err := s.Rooms().Get(ctx, r.Network, r.Name)
	must(t, err)
	diff(t, "after replace", r, got)

	// Down to no members at all, and back to public.
	r = store.Room{Network: "slsk", Name: r.Name, CreatedAt: t0}
	must(t, s.Rooms().Put(ctx, r))
	got, err = s.Rooms().Get(ctx, r.Network, r.Name)
	must(t, err)
	diff(t, "after emptying", r, got)
}

func testRoomPutKeepsTickers(t *testing.T, s store.Store) {
	must(t, s.Rooms().Put(ctx, privRoom()))
	must(t, s.Rooms().SetTicker(ctx, "slsk", "Retro Room", "bob", "hello"))
	r := privRoom()
	r.Members = []string{"bob"}
	r.Operators = nil
	must(t, s.Rooms().Put(ctx, r))
	got, err := s.Rooms().Tickers(ctx, "slsk", "Retro Room")
	must(t, err)
	diff(t, "tickers after Put", []store.Ticker{{User: "bob", Text: "hello"}}, got)
}

func testRoomOperatorNotMember(t *testing.T, s store.Store) {
	r := privRoom()
	r.Operators = []string{"bob", "mallory"}
	if err := s.Rooms().Put(ctx, r); err == nil {
		t.Error("Put with an operator who is not a member succeeded")
	}
	_, err := s.Rooms().Get(ctx, r.Network, r.Name)
	wantErr(t, "rejected Put stored nothing", err, store.ErrNotFound)
}

func testRoomDeleteCascades(t *testing.T, s store.Store) {
	must(t, s.Rooms().Put(ctx, privRoom()))
	other := store.Room{Network: "wpn", Name: "Retro Room", Members: []string{"bob"}, CreatedAt: t0}
	must(t, s.Rooms().Put(ctx, other))
	must(t, s.Rooms().SetTicker(ctx, "slsk", "Retro Room", "bob", "slsk ticker"))
	must(t, s.Rooms().SetTicker(ctx, "wpn", "Retro Room", "bob", "wpn ticker"))

	must(t, s.Rooms().Delete(ctx, "slsk", "Retro Room"))
	_, err := s.Rooms().Get(ctx, "slsk", "Retro Room")
	wantErr(t, "Get after Delete", err, store.ErrNotFound)
	must(t, s.Rooms().Delete(ctx, "slsk", "Retro Room")) // idempotent

	// Re-creating the room starts without old members or tickers.
	must(t, s.Rooms().Put(ctx, store.Room{Network: "slsk", Name: "Retro Room", CreatedAt: t0}))
	got, err := s.Rooms().Get(ctx, "slsk", "Retro Room")
	must(t, err)
	diff(t, "re-created room", store.Room{Network: "slsk", Name: "Retro Room", CreatedAt: t0}, got)
	tk, err := s.Rooms().Tickers(ctx, "slsk", "Retro Room")
	must(t, err)
	diff(t, "tickers of re-created room", []store.Ticker(nil), tk)

	// The same name on another network is untouched.
	got, err = s.Rooms().Get(ctx, "wpn", "Retro Room")
	must(t, err)
	diff(t, "other network's room", other, got)
	tk, err = s.Rooms().Tickers(ctx, "wpn", "Retro Room")
	must(t, err)
	diff(t, "other network's tickers", []store.Ticker{{User: "bob", Text: "wpn ticker"}}, tk)
}

func putPublic(t *testing.T, s store.Store, name string) {
	t.Helper()
	must(t, s.Rooms().Put(ctx, store.Room{Network: "slsk", Name: name, CreatedAt: t0}))
}

func testTickerOrder(t *testing.T, s store.Store) {
	putPublic(t, s, "r")
	// Names not in alphabetical order: the order is the order of setting.
	for _, u := range []string{"zed", "amy", "mia"} {
		must(t, s.Rooms().SetTicker(ctx, "slsk", "r", u, u+"'s ticker ✓"))
	}
	got, err := s.Rooms().Tickers(ctx, "slsk", "r")
	must(t, err)
	diff(t, "Tickers", []store.Ticker{
		{User: "zed", Text: "zed's ticker ✓"},
		{User: "amy", Text: "amy's ticker ✓"},
		{User: "mia", Text: "mia's ticker ✓"},
	}, got)
}

// testTickerReplace: setting a ticker again replaces the text and, since
// it was set last, moves it to the end.
func testTickerReplace(t *testing.T, s store.Store) {
	putPublic(t, s, "r")
	for _, u := range []string{"zed", "amy", "mia"} {
		must(t, s.Rooms().SetTicker(ctx, "slsk", "r", u, "old"))
	}
	must(t, s.Rooms().SetTicker(ctx, "slsk", "r", "zed", "new"))
	got, err := s.Rooms().Tickers(ctx, "slsk", "r")
	must(t, err)
	diff(t, "Tickers", []store.Ticker{{User: "amy", Text: "old"}, {User: "mia", Text: "old"}, {User: "zed", Text: "new"}}, got)
}

func testTickerRemove(t *testing.T, s store.Store) {
	putPublic(t, s, "r")
	must(t, s.Rooms().SetTicker(ctx, "slsk", "r", "amy", "a"))
	must(t, s.Rooms().SetTicker(ctx, "slsk", "r", "bob", "b"))
	must(t, s.Rooms().SetTicker(ctx, "slsk", "r", "amy", ""))
	must(t, s.Rooms().SetTicker(ctx, "slsk", "r", "nobody", "")) // removing a missing ticker is fine
	got, err := s.Rooms().Tickers(ctx, "slsk", "r")
	must(t, err)
	diff(t, "Tickers", []store.Ticker{{User: "bob", Text: "b"}}, got)
}

func testTickerRooms(t *testing.T, s store.Store) {
	putPublic(t, s, "r1")
	putPublic(t, s, "r2")
	must(t, s.Rooms().SetTicker(ctx, "slsk", "r1", "amy", "in r1"))
	must(t, s.Rooms().SetTicker(ctx, "slsk", "r2", "amy", "in r2"))
	for room, want := range map[string]string{"r1": "in r1", "r2": "in r2"} {
		got, err := s.Rooms().Tickers(ctx, "slsk", room)
		must(t, err)
		diff(t, "Tickers("+room+")", []store.Ticker{{User: "amy", Text: want}}, got)
	}
}

func testTickerUnknownRoom(t *testing.T, s store.Store) {
	wantErr(t, "SetTicker on a room never Put", s.Rooms().SetTicker(ctx, "slsk", "nope", "amy", "x"), store.ErrNotFound)
	got, err := s.Rooms().Tickers(ctx, "slsk", "nope")
	must(t, err)
	diff(t, "Tickers of an unknown room", []store.Ticker(nil), got)
}
