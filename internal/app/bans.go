package app

import (
	"context"
	"time"

	"github.com/revival-net/revival/internal/hub"
)

// BansVersionKey is a server-wide setting that `revival user ban` bumps.
// A running server polls it, so a ban given from the command line (another
// process) disconnects the user at once, not only at their next login.
const BansVersionKey = "bans.version"

// BumpBans records that bans changed; the CLI calls it after a ban.
func BumpBans(ctx context.Context, h *hub.Hub) error {
	return h.Store.Settings().Set(ctx, "", BansVersionKey, time.Now().UTC().Format(time.RFC3339Nano))
}

// banPollInterval is how quickly a CLI ban reaches a running server.
const banPollInterval = 2 * time.Second

// watchBans kicks online users whose account became banned by another
// process, until ctx ends.
func (a *App) watchBans(ctx context.Context) {
	last, _ := a.store.Settings().Get(ctx, "", BansVersionKey)
	t := time.NewTicker(banPollInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		v, err := a.store.Settings().Get(ctx, "", BansVersionKey)
		if err != nil || v == last {
			continue
		}
		last = v
		now := time.Now()
		for _, name := range a.hub.Presence.Users("") {
			u, err := a.store.Users().Get(ctx, name)
			if err == nil && u.Banned(now) {
				a.hub.Accounts.Forget(name)
				a.hub.Presence.Kick(name, "banned: "+u.BanReason)
			}
		}
	}
}
