package app

import (
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/revival-net/revival/internal/hub"
	"github.com/revival-net/revival/internal/store"
)

// A change written by a CLI whose clock is far behind the server's is
// still applied: the watcher follows the log's seq, not time stamps
// (issue 5, finding 11). Changes already in the log at start are not
// applied again.
func TestWatcherAppliesChangesFromAClockBehind(t *testing.T) {
	a, err := New(t.Context(), testConfig(t), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.closeAll)
	var mu sync.Mutex
	var changed []string
	a.hub.OnAccountChange(func(name string, _ bool) {
		mu.Lock()
		changed = append(changed, name)
		mu.Unlock()
	})
	ctx := t.Context()
	if err := noteChange(ctx, a.store, store.Change{Kind: store.ChangeAccount, Name: "before", At: time.Now()}); err != nil {
		t.Fatal(err)
	}
	w := newChangeWatcher(ctx, a)
	for _, c := range []struct {
		name string
		at   time.Time
	}{
		{"behind", time.Now().Add(-time.Hour)},
		{"zero", time.Time{}},
		{"ahead", time.Now().Add(time.Hour)},
		{"behind again", time.Now().Add(-2 * time.Hour)},
	} {
		if err := noteChange(ctx, a.store, store.Change{Kind: store.ChangeAccount, Name: c.name, At: c.at}); err != nil {
			t.Fatal(err)
		}
	}
	w.poll(ctx, time.Now())
	w.poll(ctx, time.Now()) // nothing new: nothing applied twice
	mu.Lock()
	defer mu.Unlock()
	if want := []string{"behind", "zero", "ahead", "behind again"}; !slices.Equal(changed, want) {
		t.Errorf("applied account changes %q, want %q", changed, want)
	}
}

// The watcher deletes changes it read more than changeRetention ago, and
// keeps the newer ones.
func TestWatcherDeletesOldChanges(t *testing.T) {
	a, err := New(t.Context(), testConfig(t), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.closeAll)
	ctx := t.Context()
	w := newChangeWatcher(ctx, a)
	note := func(name string) {
		t.Helper()
		if err := NoteRoomPurged(ctx, a.store, hub.NetworkSoulseek, name); err != nil {
			t.Fatal(err)
		}
	}
	note("old")
	now := time.Now()
	w.poll(ctx, now.Add(changeRetention)) // sets the mark after "old"
	note("new")
	w.poll(ctx, now.Add(2*changeRetention)) // deletes what came before the mark
	left, err := a.store.Changes().After(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(left) != 1 || left[0].Name != "new" {
		t.Errorf("changes left: %+v, want only \"new\"", left)
	}
}

// A change made after New loaded the servers' state, but before Run
// started the watcher, is applied: the watcher's starting point is read
// in New, before the servers load.
func TestWatcherAppliesChangesMadeBeforeRun(t *testing.T) {
	a, err := New(t.Context(), testConfig(t), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.closeAll)
	applied := make(chan string, 1)
	a.hub.OnAccountChange(func(name string, _ bool) { applied <- name })
	if err := NoteAccountChange(t.Context(), a.hub, "early"); err != nil {
		t.Fatal(err)
	}
	a.watcher.poll(t.Context(), time.Now())
	select {
	case name := <-applied:
		if name != "early" {
			t.Errorf("applied a change of %q, want early", name)
		}
	default:
		t.Error("the change made before Run was not applied")
	}
}
