package slskserver

import (
	"time"

	"github.com/revival-net/revival/internal/hub"
	"github.com/revival-net/revival/internal/logx"
	"github.com/revival-net/revival/slsk"
)

// Refusal reasons of our own. Clients print reasons they do not know as
// they are, so these are written for people.
const (
	reasonBanned    = "BANNED"
	reasonStoreDown = "Server error: the account database did not answer. Try again later."
	// reasonTooManyFailures answers logins from a host that sent too many
	// wrong passwords: each costs a bcrypt run, so they are rationed.
	reasonTooManyFailures = "Too many failed logins from your address. Wait a minute and try again."
	// reasonAccountFailures answers logins to an account that got too many
	// wrong passwords from anywhere.
	reasonAccountFailures = "Too many failed logins for this account. Wait a few minutes and try again."
	// reasonRegistrations answers a new name when the host or the server
	// created too many accounts lately.
	reasonRegistrations = "Too many new accounts were created from your address or on this server just now. Try again later, or log in to an existing account."
	// reasonBusy answers when every password check slot is taken and the
	// queue is full (after a restart that lost the verifiers).
	reasonBusy = "Server busy: too many logins at once. Try again in a minute."
)

// refusalLabels are the metric labels of the refusal reasons: short,
// fixed, and the same set on every run.
var refusalLabels = map[string]string{
	slsk.ReasonInvalidVersion:  "invalidversion",
	slsk.ReasonInvalidUsername: "invalidusername",
	slsk.ReasonEmptyPassword:   "emptypassword",
	slsk.ReasonInvalidPass:     "invalidpass",
	slsk.ReasonServerFull:      "svrfull",
	slsk.ReasonServerPrivate:   "svrprivate",
	reasonBanned:               "banned",
	reasonStoreDown:            "store_down",
	reasonTooManyFailures:      "host_failures",
	reasonAccountFailures:      "account_failures",
	reasonRegistrations:        "registration_limit",
	reasonBusy:                 "busy",
}

func refusalLabel(reason string) string {
	if l, ok := refusalLabels[reason]; ok {
		return l
	}
	return "other"
}

// refusalLogInterval is how often each refusal reason may write a log
// line; the others are counted in revival_logins_total and summed up in
// the next line.
const refusalLogInterval = 5 * time.Second

// loginState is what the server keeps for logins: the budgets
// (hub.Guard), the sampler that keeps refused logins from flooding the
// log, and what lets a returning login skip the store (kept settings,
// users known to have no offline messages).
type loginState struct {
	guard *hub.Guard
	log   *logx.Sampler
	kept  *keptSettings // settings of users who logged out, for their next login
	empty *noPending    // users known to have no offline messages
}

func newLoginState(o Options) *loginState {
	l := o.Limits
	return &loginState{
		guard: hub.NewGuard(hub.GuardOptions{
			HostFailures:      l.FailedLogins,
			AccountFailures:   l.AccountFailedLogins,
			KnownHostFailures: l.KnownHostFailedLogins,
			HostRegistrations: l.HostRegistrations,
			Registrations:     l.Registrations,
		}, o.Now),
		log:   logx.NewSampler(refusalLogInterval),
		kept:  newKeptSettings(),
		empty: newNoPending(),
	}
}
