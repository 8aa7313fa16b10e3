package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/revival-net/revival/internal/hub"
)

// changedPrefix keys the server-wide settings that record account changes
// made by another process (`revival user …` while `serve` runs): the key
// is changedPrefix+name, the value the change time in zero-padded unix
// nanoseconds, so values compare as strings.
const changedPrefix = "account.changed/"

// NoteAccountChange records that name's account changed (ban, password,
// operator rights, deletion), so that a running server applies it within
// accountPollInterval instead of at the user's next login.
func NoteAccountChange(ctx context.Context, h *hub.Hub, name string) error {
	return h.Store.Settings().Set(ctx, "", changedPrefix+name, stamp(time.Now()))
}

func stamp(t time.Time) string { return fmt.Sprintf("%020d", t.UnixNano()) }

// accountPollInterval is how quickly a CLI change reaches a running server.
const accountPollInterval = 2 * time.Second

// changeRetention is how long change records are kept before the watcher
// deletes them.
const changeRetention = time.Hour

// watchAccounts applies account changes made by other processes until ctx
// ends: the hub forgets remembered passwords and disconnects the user
// everywhere, and protocol servers drop what they hold for deleted users.
func (a *App) watchAccounts(ctx context.Context) {
	seen := stamp(time.Now())
	t := time.NewTicker(accountPollInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		changes, err := a.store.Settings().List(ctx, "", changedPrefix)
		if err != nil {
			a.log.Warn("reading account changes failed", "err", err)
			continue
		}
		newest := seen
		old := stamp(time.Now().Add(-changeRetention))
		for key, at := range changes {
			name := strings.TrimPrefix(key, changedPrefix)
			if at > seen {
				a.hub.AccountChanged(ctx, name)
				newest = max(newest, at)
			} else if at < old {
				_ = a.store.Settings().Delete(ctx, "", key)
			}
		}
		seen = newest
	}
}
