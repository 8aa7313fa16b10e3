package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/revival-net/revival/internal/store"
)

var userTests = []test{
	{"CreateGet", testUserCreateGet},
	{"CreateConflict", testUserCreateConflict},
	{"NamesAreCaseSensitive", testUserCaseSensitive},
	{"GetNotFound", testUserGetNotFound},
	{"ListPaging", testUserList},
	{"Count", testUserCount},
	{"Setters", testUserSetters},
	{"SettersNotFound", testUserSettersNotFound},
	{"PermanentBan", testUserPermanentBan},
	{"DeleteCascades", testUserDeleteCascades},
	{"DeleteNotFound", testUserDeleteNotFound},
}

func newUser(name string) store.User {
	return store.User{Name: name, PasswordHash: "$2a$04$hash-of-" + name, CreatedAt: t0}
}

func testUserCreateGet(t *testing.T, s store.Store) {
	full := store.User{
		Name:            "Ünïcode user",
		PasswordHash:    "$2a$10$abcdefghijklmnopqrstuv",
		CreatedAt:       t0,
		BannedUntil:     t0.Add(48 * time.Hour),
		BanReason:       "flooding",
		PrivilegedUntil: t0.Add(30 * 24 * time.Hour),
		Admin:           true,
	}
	for _, u := range []store.User{full, newUser("plain")} {
		must(t, s.Users().Create(ctx, u))
		got, err := s.Users().Get(ctx, u.Name)
		must(t, err)
		diff(t, "Get("+u.Name+")", u, got)
	}
	got, err := s.Users().Get(ctx, "plain")
	must(t, err)
	if !got.BannedUntil.IsZero() || !got.PrivilegedUntil.IsZero() || got.Admin {
		t.Errorf("zero fields did not round-trip as zero: %+v", got)
	}
}

func testUserCreateConflict(t *testing.T, s store.Store) {
	must(t, s.Users().Create(ctx, newUser("alice")))
	again := newUser("alice")
	again.PasswordHash = "other"
	wantErr(t, "second Create", s.Users().Create(ctx, again), store.ErrConflict)
	got, err := s.Users().Get(ctx, "alice")
	must(t, err)
	if got.PasswordHash != newUser("alice").PasswordHash {
		t.Errorf("conflicting Create overwrote the hash: %q", got.PasswordHash)
	}
}

func testUserCaseSensitive(t *testing.T, s store.Store) {
	must(t, s.Users().Create(ctx, newUser("alice")))
	must(t, s.Users().Create(ctx, newUser("Alice")))
	_, err := s.Users().Get(ctx, "ALICE")
	wantErr(t, "Get(ALICE)", err, store.ErrNotFound)
	got, err := s.Users().Get(ctx, "Alice")
	must(t, err)
	if got.Name != "Alice" {
		t.Errorf("Get(Alice).Name = %q", got.Name)
	}
}

func testUserGetNotFound(t *testing.T, s store.Store) {
	_, err := s.Users().Get(ctx, "nobody")
	wantErr(t, "Get", err, store.ErrNotFound)
}

func testUserList(t *testing.T, s store.Store) {
	// Inserted out of order; byte order puts upper case first.
	names := []string{"carol", "Bob", "alice", "dave", "Eve", "alice2"}
	for _, n := range names {
		must(t, s.Users().Create(ctx, newUser(n)))
	}
	sorted := []string{"Bob", "Eve", "alice", "alice2", "carol", "dave"}
	cases := []struct {
		after string
		limit int
		want  []string
	}{
		{"", 0, sorted},
		{"", 2, sorted[:2]},
		{"Eve", 2, []string{"alice", "alice2"}},
		{"alice", 0, sorted[3:]},
		{"alice1", 1, []string{"alice2"}},
		{"dave", 0, nil},
		{"zzz", 5, nil},
	}
	for _, c := range cases {
		got, err := s.Users().List(ctx, c.after, c.limit)
		must(t, err)
		var gotNames []string
		for _, u := range got {
			gotNames = append(gotNames, u.Name)
		}
		diff(t, fmt.Sprintf("List(%q, %d)", c.after, c.limit), c.want, gotNames)
	}
	// Paging through with a small limit visits every user once.
	var all []string
	after := ""
	for {
		page, err := s.Users().List(ctx, after, 4)
		must(t, err)
		if len(page) == 0 {
			break
		}
		for _, u := range page {
			all = append(all, u.Name)
		}
		after = page[len(page)-1].Name
	}
	diff(t, "paged List", sorted, all)
	got, err := s.Users().List(ctx, "", 1)
	must(t, err)
	if len(got) == 1 {
		diff(t, "List returns full records", newUser("Bob"), got[0])
	}
}

func testUserCount(t *testing.T, s store.Store) {
	for i := range 3 {
		n, err := s.Users().Count(ctx)
		must(t, err)
		if n != i {
			t.Errorf("Count = %d, want %d", n, i)
		}
		must(t, s.Users().Create(ctx, newUser(fmt.Sprint("u", i))))
	}
	must(t, s.Users().Delete(ctx, "u0"))
	n, err := s.Users().Count(ctx)
	must(t, err)
	if n != 2 {
		t.Errorf("Count after Delete = %d, want 2", n)
	}
}

func testUserSetters(t *testing.T, s store.Store) {
	must(t, s.Users().Create(ctx, newUser("alice")))
	must(t, s.Users().Create(ctx, newUser("bob")))
	u := s.Users()
	until := t0.Add(time.Hour)
	must(t, u.SetPasswordHash(ctx, "alice", "$2a$04$new"))
	must(t, u.SetBan(ctx, "alice", until, "spam"))
	must(t, u.SetPrivilegedUntil(ctx, "alice", until.Add(time.Hour)))
	must(t, u.SetAdmin(ctx, "alice", true))
	want := store.User{Name: "alice", PasswordHash: "$2a$04$new", CreatedAt: t0,
		BannedUntil: until, BanReason: "spam", PrivilegedUntil: until.Add(time.Hour), Admin: true}
	got, err := u.Get(ctx, "alice")
	must(t, err)
	diff(t, "after setters", want, got)
	if !got.Banned(t0) || got.Banned(until) {
		t.Errorf("Banned(t0) = %v, Banned(until) = %v; want true, false", got.Banned(t0), got.Banned(until))
	}

	// Lifting the ban and clearing the rest.
	must(t, u.SetBan(ctx, "alice", time.Time{}, ""))
	must(t, u.SetPrivilegedUntil(ctx, "alice", time.Time{}))
	must(t, u.SetAdmin(ctx, "alice", false))
	want.BannedUntil, want.BanReason, want.PrivilegedUntil, want.Admin = time.Time{}, "", time.Time{}, false
	got, err = u.Get(ctx, "alice")
	must(t, err)
	diff(t, "after clearing", want, got)
	if got.Banned(t0) {
		t.Error("still banned after SetBan(zero)")
	}

	// The other user is untouched.
	got, err = u.Get(ctx, "bob")
	must(t, err)
	diff(t, "bob", newUser("bob"), got)
}

func testUserSettersNotFound(t *testing.T, s store.Store) {
	must(t, s.Users().Create(ctx, newUser("alice")))
	u := s.Users()
	for name, err := range map[string]error{
		"SetPasswordHash":    u.SetPasswordHash(ctx, "ghost", "x"),
		"SetBan":             u.SetBan(ctx, "ghost", t0, "x"),
		"SetPrivilegedUntil": u.SetPrivilegedUntil(ctx, "ghost", t0),
		"SetAdmin":           u.SetAdmin(ctx, "ghost", true),
	} {
		wantErr(t, name, err, store.ErrNotFound)
	}
	_, err := u.Get(ctx, "ghost")
	wantErr(t, "setters must not create the user", err, store.ErrNotFound)
}

// testUserPermanentBan: store.User says a far-future time is a permanent
// ban; whatever the store can represent, it must still be in the future.
func testUserPermanentBan(t *testing.T, s store.Store) {
	must(t, s.Users().Create(ctx, newUser("alice")))
	forever := time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)
	must(t, s.Users().SetBan(ctx, "alice", forever, "forever"))
	got, err := s.Users().Get(ctx, "alice")
	must(t, err)
	if !got.Banned(time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("ban until %v read back as %v: no longer permanent", forever, got.BannedUntil)
	}
}

// testUserDeleteCascades: "Delete removes the user and everything stored
// for them": settings, messages waiting for them (on every network),
// tickers, room memberships and the rooms they own. Other users' data and
// the messages the user sent stay.
func testUserDeleteCascades(t *testing.T, s store.Store) {
	for _, n := range []string{"alice", "bob"} {
		must(t, s.Users().Create(ctx, newUser(n)))
		must(t, s.Settings().Set(ctx, n, "slsk.stats", "1 2 3"))
	}
	must(t, s.Settings().Set(ctx, "", "motd", "hello"))
	for _, net := range []string{"slsk", "msn"} {
		_, err := s.Messages().Add(ctx, store.Message{Network: net, From: "bob", To: "alice", Text: "hi", SentAt: t0})
		must(t, err)
	}
	_, err := s.Messages().Add(ctx, store.Message{Network: "slsk", From: "alice", To: "bob", Text: "yo", SentAt: t0})
	must(t, err)
	must(t, s.Rooms().Put(ctx, store.Room{Network: "slsk", Name: "alices", Private: true, Owner: "alice", Members: []string{"bob"}, CreatedAt: t0}))
	must(t, s.Rooms().Put(ctx, store.Room{Network: "slsk", Name: "bobs", Private: true, Owner: "bob", Members: []string{"alice", "carol"}, Operators: []string{"alice"}, CreatedAt: t0}))
	must(t, s.Rooms().SetTicker(ctx, "slsk", "bobs", "alice", "alice was here"))
	must(t, s.Rooms().SetTicker(ctx, "slsk", "bobs", "bob", "bob was here"))

	must(t, s.Users().Delete(ctx, "alice"))

	_, err = s.Users().Get(ctx, "alice")
	wantErr(t, "Get after Delete", err, store.ErrNotFound)
	_, err = s.Settings().Get(ctx, "alice", "slsk.stats")
	wantErr(t, "alice's setting", err, store.ErrNotFound)
	for _, net := range []string{"slsk", "msn"} {
		n, err := s.Messages().CountPending(ctx, net, "alice")
		must(t, err)
		if n != 0 {
			t.Errorf("%s: %d messages still pending for the deleted user", net, n)
		}
	}
	_, err = s.Rooms().Get(ctx, "slsk", "alices")
	wantErr(t, "room owned by the deleted user", err, store.ErrNotFound)
	bobs, err := s.Rooms().Get(ctx, "slsk", "bobs")
	must(t, err)
	diff(t, "bob's room without alice", store.Room{Network: "slsk", Name: "bobs", Private: true, Owner: "bob", Members: []string{"carol"}, CreatedAt: t0}, bobs)
	tk, err := s.Rooms().Tickers(ctx, "slsk", "bobs")
	must(t, err)
	diff(t, "tickers without alice's", []store.Ticker{{User: "bob", Text: "bob was here"}}, tk)

	// Everything else survives.
	v, err := s.Settings().Get(ctx, "bob", "slsk.stats")
	must(t, err)
	diff(t, "bob's setting", "1 2 3", v)
	v, err = s.Settings().Get(ctx, "", "motd")
	must(t, err)
	diff(t, "server setting", "hello", v)
	n, err := s.Messages().CountPending(ctx, "slsk", "bob")
	must(t, err)
	if n != 1 {
		t.Errorf("bob's pending = %d, want 1 (sent by the deleted user)", n)
	}

	// The name is free again and starts clean.
	must(t, s.Users().Create(ctx, newUser("alice")))
	m, err := s.Settings().List(ctx, "alice", "")
	must(t, err)
	diff(t, "re-created user's settings", map[string]string{}, m)
}

func testUserDeleteNotFound(t *testing.T, s store.Store) {
	must(t, s.Settings().Set(ctx, "ghost", "k", "v"))
	wantErr(t, "Delete", s.Users().Delete(ctx, "ghost"), store.ErrNotFound)
	// A failed Delete changes nothing.
	v, err := s.Settings().Get(ctx, "ghost", "k")
	must(t, err)
	diff(t, "setting after failed Delete", "v", v)
}
