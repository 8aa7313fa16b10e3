package slskserver_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/revival-net/revival/internal/store"
	"github.com/revival-net/revival/slsk"
	"github.com/revival-net/revival/slsk/slskserver"
	"github.com/revival-net/revival/slsk/slsktest"
)

// countingStore counts the interest writes that reach the store.
type countingStore struct {
	store.Store
	writes *atomic.Int64
}

func (c countingStore) Settings() store.Settings {
	return countingSettings{c.Store.Settings(), c.writes}
}

type countingSettings struct {
	store.Settings
	writes *atomic.Int64
}

func (c countingSettings) Set(ctx context.Context, user, key, value string) error {
	if key == "slsk.likes" || key == "slsk.hates" {
		c.writes.Add(1)
	}
	return c.Settings.Set(ctx, user, key, value)
}

// startCounting starts a harness whose server writes through a
// countingStore, and returns the counter.
func startCounting(t *testing.T) (*slsktest.Harness, *atomic.Int64) {
	writes := new(atomic.Int64)
	h := slsktest.Start(t, func(o *slskserver.Options) {
		o.Hub.Store = countingStore{o.Hub.Store, writes}
	})
	return h, writes
}

func storedLikes(t *testing.T, h *slsktest.Harness, name string) string {
	t.Helper()
	v, err := h.Store.Settings().Get(context.Background(), name, "slsk.likes")
	if err != nil {
		t.Fatalf("stored likes of %s: %v", name, err)
	}
	return v
}

// Alternating AddThingILike and RemoveThingILike made one store write
// each (issue 5, finding 10). Changes are now kept in memory, where
// replies read them, and saved periodically and at logout: the flood
// costs a bounded number of writes, and the last state is kept.
func TestInterestFloodCostsBoundedWrites(t *testing.T) {
	h, writes := startCounting(t)
	alice, bob := h.Login("alice"), h.Login("bob")
	offlineAlice := waitOffline(bob, "alice")

	const flood = 2000
	for range flood {
		alice.Send(&slsk.AddThingILike{Item: "jazz"})
		alice.Send(&slsk.RemoveThingILike{Item: "jazz"})
		alice.Send(&slsk.AddThingIHate{Item: "noise"})
		alice.Send(&slsk.RemoveThingIHate{Item: "noise"})
	}
	alice.Send(&slsk.AddThingILike{Item: "jazz"})
	alice.Sync()
	bob.Send(&slsk.UserInterests{Username: "alice"})
	bob.Expect(&slsk.UserInterestsReply{Username: "alice", Likes: []string{"jazz"}})

	alice.Close()
	offlineAlice()
	// At most two saves of two keys: a periodic flush may fall in the
	// flood, and logout saves the last change.
	if n := writes.Load(); n > 4 {
		t.Errorf("%d interest writes for %d changes, want at most 4", n, 4*flood+1)
	}
	if got := storedLikes(t, h, "alice"); got != `["jazz"]` {
		t.Errorf("stored likes after logout = %s, want [\"jazz\"]", got)
	}
}

// A relogin hands the interests that are not saved yet to the new
// session, which shows and saves them.
func TestReloginKeepsUnsavedInterests(t *testing.T) {
	h, _ := startCounting(t)
	old, bob := h.Login("alice"), h.Login("bob")
	old.Send(&slsk.AddThingILike{Item: "rock"})
	old.Sync()

	alice := h.Login("alice")
	old.SkipUntil(slsk.CodeRelogged)
	bob.Send(&slsk.UserInterests{Username: "alice"})
	bob.Expect(&slsk.UserInterestsReply{Username: "alice", Likes: []string{"rock"}})
	offlineAlice := waitOffline(bob, "alice")

	alice.Send(&slsk.AddThingILike{Item: "blues"})
	alice.Close()
	offlineAlice()
	if got := storedLikes(t, h, "alice"); got != `["blues","rock"]` {
		t.Errorf("stored likes = %s, want [\"blues\",\"rock\"]", got)
	}
}

// Interests not yet saved survive a shutdown: Shutdown logs every user
// out, which saves them.
func TestShutdownSavesInterests(t *testing.T) {
	h, _ := startCounting(t)
	alice := h.Login("alice")
	alice.Send(&slsk.AddThingILike{Item: "Folk"})
	alice.Sync()
	h.Restart()
	if got := storedLikes(t, h, "alice"); !strings.Contains(got, `"folk"`) {
		t.Errorf("stored likes after restart = %s, want folk", got)
	}
}

// An account deleted while online (which deletes its settings) does not
// get its unsaved interests written back at logout, where whoever
// registers the name next would find them.
func TestDeletedAccountInterestsAreNotWrittenBack(t *testing.T) {
	h, _ := startCounting(t)
	alice, bob := h.Login("alice"), h.Login("bob")
	offlineAlice := waitOffline(bob, "alice")
	alice.Send(&slsk.AddThingILike{Item: "secret"})
	alice.Sync()
	ctx := context.Background()
	if err := h.Store.Users().Delete(ctx, "alice"); err != nil {
		t.Fatal(err)
	}
	h.Hub.AccountChanged(ctx, "alice")
	offlineAlice()
	if v, err := h.Store.Settings().Get(ctx, "alice", "slsk.likes"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("likes of the deleted account = %q, %v; want none", v, err)
	}
}
