package storetest

import (
	"testing"

	"github.com/revival-net/revival/internal/store"
)

var settingTests = []test{
	{"GetSet", testSettingGetSet},
	{"Delete", testSettingDelete},
	{"ListPrefix", testSettingList},
}

func testSettingGetSet(t *testing.T, s store.Store) {
	st := s.Settings()
	_, err := st.Get(ctx, "", "motd")
	wantErr(t, "Get before Set", err, store.ErrNotFound)
	must(t, st.Set(ctx, "", "motd", "Welcome ✓\nline two"))
	must(t, st.Set(ctx, "alice", "motd", "per-user value"))
	must(t, st.Set(ctx, "alice", "empty", ""))
	for _, c := range []struct{ user, key, want string }{
		{"", "motd", "Welcome ✓\nline two"},
		{"alice", "motd", "per-user value"},
		{"alice", "empty", ""},
	} {
		got, err := st.Get(ctx, c.user, c.key)
		must(t, err)
		diff(t, "Get("+c.user+", "+c.key+")", c.want, got)
	}
	must(t, st.Set(ctx, "", "motd", "replaced"))
	got, err := st.Get(ctx, "", "motd")
	must(t, err)
	diff(t, "after replacing", "replaced", got)
	_, err = st.Get(ctx, "bob", "motd")
	wantErr(t, "another user's key", err, store.ErrNotFound)
	_, err = st.Get(ctx, "", "MOTD")
	wantErr(t, "keys are case-sensitive", err, store.ErrNotFound)
}

func testSettingDelete(t *testing.T, s store.Store) {
	st := s.Settings()
	must(t, st.Set(ctx, "alice", "k", "v"))
	must(t, st.Set(ctx, "bob", "k", "v"))
	must(t, st.Delete(ctx, "alice", "k"))
	_, err := st.Get(ctx, "alice", "k")
	wantErr(t, "Get after Delete", err, store.ErrNotFound)
	must(t, st.Delete(ctx, "alice", "k")) // missing key: not an error
	got, err := st.Get(ctx, "bob", "k")
	must(t, err)
	diff(t, "other user's key", "v", got)
}

func testSettingList(t *testing.T, s store.Store) {
	st := s.Settings()
	all := map[string]string{
		"slsk.stats":     "1",
		"slsk.interests": "2",
		"slsk":           "3",
		"slskx":          "4",
		"SLSK.upper":     "5",
		"msn.a":          "6",
		"a%b":            "7",
		"a_b":            "8",
		"axb":            "9",
		"z":              "10",
	}
	for k, v := range all {
		must(t, st.Set(ctx, "alice", k, v))
	}
	must(t, st.Set(ctx, "bob", "slsk.stats", "bob's"))
	must(t, st.Set(ctx, "", "slsk.motd", "server's"))
	cases := []struct {
		user, prefix string
		want         map[string]string
	}{
		{"alice", "", all},
		{"alice", "slsk.", map[string]string{"slsk.stats": "1", "slsk.interests": "2"}},
		{"alice", "slsk", map[string]string{"slsk.stats": "1", "slsk.interests": "2", "slsk": "3", "slskx": "4"}},
		{"alice", "slsk.stats", map[string]string{"slsk.stats": "1"}},
		{"alice", "a%", map[string]string{"a%b": "7"}}, // not a LIKE wildcard
		{"alice", "a_", map[string]string{"a_b": "8"}},
		{"alice", "wpn.", map[string]string{}},
		{"alice", "zz", map[string]string{}},
		{"bob", "", map[string]string{"slsk.stats": "bob's"}},
		{"", "slsk.", map[string]string{"slsk.motd": "server's"}},
		{"carol", "", map[string]string{}},
	}
	for _, c := range cases {
		got, err := st.List(ctx, c.user, c.prefix)
		must(t, err)
		diff(t, "List("+c.user+", "+c.prefix+")", c.want, got)
	}
}
