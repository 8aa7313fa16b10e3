package netlimit

import (
	"net/netip"
	"sync"
	"time"
)

// Keyed keeps one token bucket per key, shared by every goroutine, for
// costs that are rationed per host, per account or per (account, host)
// rather than per session. Unlike ByIP it can give a token back: a check
// takes its token before the costly work starts (so parallel attempts
// cannot all pass a peek and then all run) and refunds it when the
// attempt turns out to be legitimate.
type Keyed[K comparable] struct {
	rate Rate
	max  int
	mu   sync.Mutex
	m    map[K]*Bucket
}

// NewKeyed returns per-key buckets of rate r holding at most max keys
// (past it, keys whose bucket has refilled are forgotten first). A zero or
// negative PerSecond allows everything.
func NewKeyed[K comparable](r Rate, max int) *Keyed[K] {
	return &Keyed[K]{rate: r, max: max, m: map[K]*Bucket{}}
}

// Unlimited reports whether the buckets allow everything.
func (p *Keyed[K]) Unlimited() bool { return p.rate.PerSecond <= 0 }

// Take takes a token for k at now and reports whether one was available.
func (p *Keyed[K]) Take(k K, now time.Time) bool {
	if p.Unlimited() {
		return true
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	b := p.m[k]
	if b == nil {
		if len(p.m) >= p.max {
			p.pruneLocked(now)
		}
		b = &Bucket{}
		p.m[k] = b
	}
	return b.Allow(p.rate, now)
}

// Refund gives back a token taken by Take (never above the burst).
func (p *Keyed[K]) Refund(k K) {
	if p.Unlimited() {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if b := p.m[k]; b != nil {
		b.tokens = min(b.tokens+1, p.rate.Burst)
	}
}

// Peek reports whether k has a token at now, without taking it.
func (p *Keyed[K]) Peek(k K, now time.Time) bool {
	if p.Unlimited() {
		return true
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	b := p.m[k]
	if b == nil {
		return true
	}
	c := *b
	return c.Allow(p.rate, now)
}

func (p *Keyed[K]) pruneLocked(now time.Time) {
	full := time.Duration(p.rate.Burst / p.rate.PerSecond * float64(time.Second))
	for k, b := range p.m {
		if now.Sub(b.last) >= full {
			delete(p.m, k)
		}
	}
	// Still nearly full (many keys failing at once): forget arbitrary
	// ones rather than grow without bound, down to 90% so the next
	// inserts do not each scan the map again. That hands those keys a
	// fresh burst, which is the price of a bounded map.
	for k := range p.m {
		if len(p.m) < p.max-p.max/10 {
			break
		}
		delete(p.m, k)
	}
}

// HostKey is what one host controls: an IPv4 address, or an IPv6 /64
// (every IPv6 subscriber gets at least a /64). Limits keyed by host use it.
func HostKey(a netip.Addr) netip.Addr { return key(a) }
