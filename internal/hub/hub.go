package hub

import (
	"context"
	"time"

	"github.com/revival-net/revival/internal/store"
)

// Hub bundles the shared domain services one process runs: every protocol
// server gets the same Hub, so an account, a ban or a kick means the same
// thing on all networks.
type Hub struct {
	Store    store.Store
	Accounts *Accounts
	Presence *Presence
}

// New returns a Hub over st.
func New(st store.Store, opts AccountsOptions) *Hub {
	return &Hub{Store: st, Accounts: NewAccounts(st.Users(), opts), Presence: NewPresence()}
}

// Ban bans name until the given time (a zero time lifts the ban) and kicks
// every online session of that user.
func (h *Hub) Ban(ctx context.Context, name string, until time.Time, reason string) error {
	if err := h.Store.Users().SetBan(ctx, name, until, reason); err != nil {
		return err
	}
	if !until.IsZero() {
		h.Accounts.Forget(name)
		h.Presence.Kick(name, "banned: "+reason)
	}
	return nil
}

// PermanentBan is the end of a ban without a length. It is far enough to
// mean "forever" and near enough for every store to keep exactly (sqlstore
// stores nanoseconds, which end in 2262).
var PermanentBan = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)

// IsPermanent reports whether a ban end means "forever".
func IsPermanent(until time.Time) bool { return !until.Before(PermanentBan) }
