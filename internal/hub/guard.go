package hub

import (
	"net/netip"
	"time"

	"github.com/revival-net/revival/internal/netlimit"
)

// GuardOptions are the budgets of a Guard. A Rate with PerSecond <= 0
// allows everything.
type GuardOptions struct {
	// HostFailures: wrong passwords per host (IPv6: per /64), for any
	// account. It bounds both the bcrypt work one host can cause and how
	// many accounts it can try one password on.
	HostFailures netlimit.Rate
	// AccountFailures: wrong passwords at one account from anywhere, so
	// guessing spread over many hosts is slowed too.
	AccountFailures netlimit.Rate
	// KnownHostFailures: wrong passwords at one account from a host that
	// logged in to it before. That host skips the other two budgets when
	// it sends the right password (see Accounts.Authenticate), so its
	// wrong ones need a budget of their own.
	KnownHostFailures netlimit.Rate
	// HostRegistrations and Registrations ration new accounts per host
	// and for the whole server.
	HostRegistrations netlimit.Rate
	Registrations     netlimit.Rate
}

// Guard holds the login budgets of one protocol server. Every check takes
// its token before the work it rations and gives it back when the attempt
// succeeds: a budget of N therefore bounds N wrong passwords however many
// arrive in parallel, and costs a legitimate user nothing.
type Guard struct {
	now       func() time.Time
	hosts     *netlimit.Keyed[netip.Addr]
	accounts  *netlimit.Keyed[string]
	known     *netlimit.Keyed[hostAccount]
	regHosts  *netlimit.Keyed[netip.Addr]
	regGlobal *netlimit.Keyed[struct{}]
}

type hostAccount struct {
	host netip.Addr
	name string
}

// maxGuardKeys bounds each budget's map (see netlimit.Keyed).
const maxGuardKeys = 100000

// NewGuard returns a Guard with the given budgets; now is its clock (nil:
// time.Now).
func NewGuard(o GuardOptions, now func() time.Time) *Guard {
	if now == nil {
		now = time.Now
	}
	return &Guard{
		now:       now,
		hosts:     netlimit.NewKeyed[netip.Addr](o.HostFailures, maxGuardKeys),
		accounts:  netlimit.NewKeyed[string](o.AccountFailures, maxGuardKeys),
		known:     netlimit.NewKeyed[hostAccount](o.KnownHostFailures, maxGuardKeys),
		regHosts:  netlimit.NewKeyed[netip.Addr](o.HostRegistrations, maxGuardKeys),
		regGlobal: netlimit.NewKeyed[struct{}](o.Registrations, 1),
	}
}

// The Guard methods below are nil-safe: a nil Guard rations nothing (the
// CLI, tests of the accounts alone).

// takeFailure takes a host and an account token for a password check
// that may fail. On refusal nothing is kept.
func (g *Guard) takeFailure(host netip.Addr, name string) error {
	if g == nil {
		return nil
	}
	now := g.now()
	if !g.hosts.Take(host, now) {
		return ErrHostThrottled
	}
	if !g.accounts.Take(name, now) {
		g.hosts.Refund(host)
		return ErrAccountThrottled
	}
	return nil
}

// refundFailure gives back what takeFailure took: the password was right.
func (g *Guard) refundFailure(host netip.Addr, name string) {
	if g == nil {
		return
	}
	g.hosts.Refund(host)
	g.accounts.Refund(name)
}

// takeKnown takes the known-host token of (host, name).
func (g *Guard) takeKnown(host netip.Addr, name string) bool {
	return g == nil || g.known.Take(hostAccount{host, name}, g.now())
}

func (g *Guard) refundKnown(host netip.Addr, name string) {
	if g != nil {
		g.known.Refund(hostAccount{host, name})
	}
}

// chargeFailure records a wrong password that was found without taking
// the host and account tokens first (a known host's); it takes them if
// there are any.
func (g *Guard) chargeFailure(host netip.Addr, name string) {
	if g == nil {
		return
	}
	now := g.now()
	g.hosts.Take(host, now)
	g.accounts.Take(name, now)
}

// takeRegistration takes a registration token of the host and of the
// server.
func (g *Guard) takeRegistration(host netip.Addr) error {
	if g == nil {
		return nil
	}
	now := g.now()
	if !g.regHosts.Take(host, now) {
		return ErrRegistrationLimited
	}
	if !g.regGlobal.Take(struct{}{}, now) {
		g.regHosts.Refund(host)
		return ErrRegistrationLimited
	}
	return nil
}

// refundRegistration gives back a registration that did not happen.
func (g *Guard) refundRegistration(host netip.Addr) {
	if g == nil {
		return
	}
	g.regHosts.Refund(host)
	g.regGlobal.Refund(struct{}{})
}
