package app

import (
	"context"
	"time"

	"github.com/revival-net/revival/internal/hub"
	"github.com/revival-net/revival/internal/store"
)

// NoteAccountChange records that name's account changed (ban, password,
// operator rights, deletion), so that a running server applies it within
// changePollInterval instead of at the user's next login.
func NoteAccountChange(ctx context.Context, h *hub.Hub, name string) error {
	return noteChange(ctx, h.Store, store.Change{Kind: store.ChangeAccount, Name: name, At: time.Now()})
}

// NoteRoomPurged records that an operator deleted room name of network
// from the store, so that a running server drops it and tells its members.
func NoteRoomPurged(ctx context.Context, st store.Store, network, name string) error {
	return noteChange(ctx, st, store.Change{Kind: store.ChangeRoomPurged, Network: network, Name: name, At: time.Now()})
}

func noteChange(ctx context.Context, st store.Store, c store.Change) error {
	_, err := st.Changes().Append(ctx, c)
	return err
}

// changePollInterval is how quickly a CLI change reaches a running server.
const changePollInterval = 2 * time.Second

// changeRetention is how long changes are kept before the watcher deletes
// them (measured on this process's clock, which orders nothing).
const changeRetention = time.Hour

// changeBatch bounds the changes read per poll; more wait for the next.
const changeBatch = 1000

// changeWatcher applies the changes other processes (the CLI) record in
// the store's change log (store.Changes). It remembers the last seq it
// applied: seqs are assigned by the database, so a writer whose clock is
// behind is still read, which wall-clock stamps could not promise.
type changeWatcher struct {
	a       *App
	started bool  // last has been read from the store
	last    int64 // the highest seq applied (or present at start)

	// The watcher deletes changes it read more than changeRetention ago:
	// mark is the last seq it had read at markAt.
	mark   int64
	markAt time.Time
}

// newChangeWatcher returns a watcher that applies the changes appended
// from now on. New calls it before the servers load their state from the
// store, so a change made while they load is applied (perhaps to a state
// that has it already: every change can be applied twice).
func newChangeWatcher(ctx context.Context, a *App) *changeWatcher {
	w := &changeWatcher{a: a}
	w.start(ctx)
	return w
}

// watchAccounts polls the change log until ctx ends, applying account
// changes and room purges made by the CLI.
func (a *App) watchAccounts(ctx context.Context) {
	w := a.watcher
	t := time.NewTicker(changePollInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		w.poll(ctx, time.Now())
	}
}

// start skips the changes already in the log: they were made before this
// server loaded its state from the store. If the store does not answer,
// poll tries again.
func (w *changeWatcher) start(ctx context.Context) {
	last, err := w.a.store.Changes().Last(ctx)
	if err != nil {
		w.a.log.Warn("reading the change log failed", "err", err)
		return
	}
	w.started, w.last = true, last
	w.mark, w.markAt = last, time.Now()
}

// poll applies the changes after the last one seen, and deletes old ones.
func (w *changeWatcher) poll(ctx context.Context, now time.Time) {
	if !w.started {
		if w.start(ctx); !w.started {
			return
		}
	}
	cs, err := w.a.store.Changes().After(ctx, w.last, changeBatch)
	if err != nil {
		w.a.log.Warn("reading the change log failed", "err", err)
		return
	}
	for _, c := range cs {
		w.apply(ctx, c)
		w.last = c.Seq
	}
	if now.Sub(w.markAt) >= changeRetention {
		// Everything up to mark was read at least changeRetention ago.
		if err := w.a.store.Changes().DeleteBefore(ctx, w.mark+1); err != nil {
			w.a.log.Warn("deleting old changes failed", "err", err)
		}
		w.mark, w.markAt = w.last, now
	}
}

// apply runs one change: the hub forgets remembered passwords and
// disconnects the user everywhere (protocol servers drop what they hold
// for deleted users); a purged room is dropped by its network's server.
func (w *changeWatcher) apply(ctx context.Context, c store.Change) {
	switch c.Kind {
	case store.ChangeAccount:
		w.a.hub.AccountChanged(ctx, c.Name)
	case store.ChangeRoomPurged:
		if c.Network == hub.NetworkSoulseek && w.a.slsk != nil {
			w.a.slsk.RoomPurged(ctx, c.Name)
		}
	case store.ChangeWPNRoom:
		if w.a.wpnChat != nil {
			if err := w.a.wpnChat.ReloadRoom(ctx, c.Name); err != nil {
				w.a.log.Warn("reloading a WinMX chat room failed", "room", c.Name, "err", err)
			}
		}
	default:
		w.a.log.Warn("unknown change in the change log", "kind", c.Kind, "seq", c.Seq)
	}
}
