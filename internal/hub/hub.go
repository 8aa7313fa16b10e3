package hub

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
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

	mu       sync.Mutex
	onChange []func(name string, deleted bool)

	// changes counts bans and account changes, so a login can tell
	// cheaply whether one happened while it was being checked.
	changes atomic.Uint64
}

// Changes returns a counter that grows with every ban and account change.
// A login reads it before checking the account and again once its session
// is registered; only if it moved must the account be read again.
func (h *Hub) Changes() uint64 { return h.changes.Load() }

// New returns a Hub over st.
func New(st store.Store, opts AccountsOptions) *Hub {
	if opts.Settings == nil {
		opts.Settings = st.Settings()
	}
	return &Hub{Store: st, Accounts: NewAccounts(st.Users(), opts), Presence: NewPresence()}
}

// Ban bans name until the given time (a zero time lifts the ban) and kicks
// every online session of that user.
func (h *Hub) Ban(ctx context.Context, name string, until time.Time, reason string) error {
	if err := h.Store.Users().SetBan(ctx, name, until, reason); err != nil {
		return err
	}
	h.changes.Add(1)
	h.Accounts.Forget(name) // the kept account has the old ban
	if !until.IsZero() {
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

// OnAccountChange registers f to run after an account changed outside the
// running server (see AccountChanged); deleted is true when the account no
// longer exists. Protocol servers use it to drop what they hold for a
// deleted user (Soulseek private rooms it owned).
func (h *Hub) OnAccountChange(f func(name string, deleted bool)) {
	h.mu.Lock()
	h.onChange = append(h.onChange, f)
	h.mu.Unlock()
}

// AccountChanged applies a change made to name's account by another
// process (the CLI): the remembered password is forgotten and every
// session of the user is disconnected, so a ban, a new password, removed
// operator rights or a deletion take effect at once; the user logs in
// again under the new rules.
func (h *Hub) AccountChanged(ctx context.Context, name string) {
	h.changes.Add(1)
	h.Accounts.Forget(name)
	reason := "your account was changed by an operator"
	u, err := h.Store.Users().Get(ctx, name)
	deleted := errors.Is(err, store.ErrNotFound)
	switch {
	case deleted:
		reason = "your account was deleted"
	case err == nil && u.Banned(h.Accounts.Now()):
		reason = "banned: " + u.BanReason
	}
	h.Presence.Kick(name, reason)
	h.mu.Lock()
	subs := append([]func(string, bool){}, h.onChange...)
	h.mu.Unlock()
	for _, f := range subs {
		f(name, deleted)
	}
}
