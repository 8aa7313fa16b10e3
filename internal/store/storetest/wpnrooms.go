package storetest

import (
	"testing"

	"github.com/revival-net/revival/internal/store"
)

var wpnRoomTests = []test{
	{"CreateGet", testWPNRoomCreateGet},
	{"FoldedNames", testWPNRoomFolded},
	{"List", testWPNRoomList},
	{"Put", testWPNRoomPut},
	{"Delete", testWPNRoomDelete},
	{"FoldedAccounts", testFoldedAccounts},
}

func wpnRoom() store.WPNRoom {
	return store.WPNRoom{
		Name: "Retro Lounge", Topic: "90s only", MOTD: "line one\nline two",
		PasswordHash: "$2a$04$abcdefghijklmnopqrstuv", Owner: "alice",
		Operators: []string{"bob", "carol"}, Bans: []string{"mallory", "troll@192.0.2.7"},
		Limit: 40, Moderated: true, CreatedAt: t0,
	}
}

func testWPNRoomCreateGet(t *testing.T, s store.Store) {
	r := wpnRoom()
	must(t, s.WPNRooms().Create(ctx, r))
	got, err := s.WPNRooms().Get(ctx, "Retro Lounge")
	must(t, err)
	diff(t, "Get", r, got)

	// A bare room: empty lists come back empty, not as errors.
	bare := store.WPNRoom{Name: "bare", CreatedAt: t0}
	must(t, s.WPNRooms().Create(ctx, bare))
	got, err = s.WPNRooms().Get(ctx, "bare")
	must(t, err)
	diff(t, "Get(bare)", bare, got)

	// Unsorted lists with duplicates are stored sorted, once each.
	messy := wpnRoom()
	messy.Name = "messy"
	messy.Operators = []string{"carol", "bob", "carol"}
	messy.Bans = []string{"troll@192.0.2.7", "mallory", "mallory"}
	must(t, s.WPNRooms().Create(ctx, messy))
	got, err = s.WPNRooms().Get(ctx, "messy")
	must(t, err)
	want := wpnRoom()
	want.Name = "messy"
	diff(t, "Get(messy)", want, got)

	_, err = s.WPNRooms().Get(ctx, "nope")
	wantErr(t, "Get(nope)", err, store.ErrNotFound)
	// The Soulseek rooms are another table.
	_, err = s.Rooms().Get(ctx, "wpn", "bare")
	wantErr(t, "Rooms().Get(wpn, bare)", err, store.ErrNotFound)
}

// Room names fold ASCII case: a second room that differs only in case is
// a conflict, and lookups in any case find the stored spelling.
func testWPNRoomFolded(t *testing.T, s store.Store) {
	must(t, s.WPNRooms().Create(ctx, wpnRoom()))
	again := wpnRoom()
	again.Name = "RETRO lounge"
	wantErr(t, "Create(RETRO lounge)", s.WPNRooms().Create(ctx, again), store.ErrConflict)
	got, err := s.WPNRooms().Get(ctx, "retro LOUNGE")
	must(t, err)
	if got.Name != "Retro Lounge" {
		t.Errorf("Get(retro LOUNGE).Name = %q, want the stored spelling", got.Name)
	}
}

func testWPNRoomList(t *testing.T, s store.Store) {
	b := store.WPNRoom{Name: "b", CreatedAt: t0}
	a := store.WPNRoom{Name: "a", Topic: "first", CreatedAt: t0}
	r := wpnRoom()
	for _, x := range []store.WPNRoom{b, r, a} {
		must(t, s.WPNRooms().Create(ctx, x))
	}
	got, err := s.WPNRooms().List(ctx)
	must(t, err)
	diff(t, "List", []store.WPNRoom{r, a, b}, got) // byte order: "R" < "a"
}

func testWPNRoomPut(t *testing.T, s store.Store) {
	r := wpnRoom()
	must(t, s.WPNRooms().Put(ctx, r)) // creates
	r.Topic = "new topic"
	r.Operators = nil
	r.Bans = []string{"x"}
	r.PasswordHash = ""
	r.Moderated = false
	must(t, s.WPNRooms().Put(ctx, r))
	got, err := s.WPNRooms().Get(ctx, r.Name)
	must(t, err)
	diff(t, "Get after Put", r, got)

	// A Put in another case replaces the room and keeps its spelling.
	r.Name = "retro lounge"
	r.Limit = 7
	must(t, s.WPNRooms().Put(ctx, r))
	all, err := s.WPNRooms().List(ctx)
	must(t, err)
	r.Name = "Retro Lounge"
	diff(t, "List after folded Put", []store.WPNRoom{r}, all)
}

func testWPNRoomDelete(t *testing.T, s store.Store) {
	must(t, s.WPNRooms().Create(ctx, wpnRoom()))
	wantErr(t, "Delete(nope)", s.WPNRooms().Delete(ctx, "nope"), store.ErrNotFound)
	must(t, s.WPNRooms().Delete(ctx, "RETRO LOUNGE"))
	_, err := s.WPNRooms().Get(ctx, "Retro Lounge")
	wantErr(t, "Get after Delete", err, store.ErrNotFound)
	wantErr(t, "second Delete", s.WPNRooms().Delete(ctx, "Retro Lounge"), store.ErrNotFound)
	// The name is free again.
	must(t, s.WPNRooms().Create(ctx, wpnRoom()))
}

func testFoldedAccounts(t *testing.T, s store.Store) {
	for _, n := range []string{"Alice", "alice", "bob", "Älice"} {
		must(t, s.Users().Create(ctx, newUser(n)))
	}
	for _, c := range []struct {
		name string
		want []string
	}{
		{"ALICE", []string{"Alice", "alice"}},
		{"Bob", []string{"bob"}},
		{"carol", nil},
		{"äLICE", nil}, // only ASCII letters fold
		{"Älice", []string{"Älice"}},
	} {
		got, err := s.WPNRooms().FoldedAccounts(ctx, c.name)
		must(t, err)
		diff(t, "FoldedAccounts("+c.name+")", c.want, got)
	}
}
