package netlimit

import (
	"net/netip"
	"sync"
	"time"
)

// ByIP keeps one token bucket per remote host (IPv6: per /64), for costs
// that are not tied to a session, such as failed logins: each one costs a
// bcrypt run, so one host must not be able to queue thousands of them.
type ByIP struct {
	rate Rate
	mu   sync.Mutex
	m    map[netip.Addr]*Bucket
}

// NewByIP returns per-host buckets of the given rate; a zero Rate allows
// everything.
func NewByIP(r Rate) *ByIP { return &ByIP{rate: r, m: map[netip.Addr]*Bucket{}} }

// maxHosts bounds the map; past it, buckets that have refilled completely
// (hosts quiet for a while) are dropped, which forgets nothing that matters.
const maxHosts = 10000

// Allow takes a token for host a at time now.
func (p *ByIP) Allow(a netip.Addr, now time.Time) bool {
	if p.rate.PerSecond <= 0 {
		return true
	}
	a = key(a)
	p.mu.Lock()
	defer p.mu.Unlock()
	b := p.m[a]
	if b == nil {
		if len(p.m) >= maxHosts {
			p.pruneLocked(now)
		}
		b = &Bucket{}
		p.m[a] = b
	}
	return b.Allow(p.rate, now)
}

// Peek reports whether host a has a token now, without taking it.
func (p *ByIP) Peek(a netip.Addr, now time.Time) bool {
	if p.rate.PerSecond <= 0 {
		return true
	}
	a = key(a)
	p.mu.Lock()
	defer p.mu.Unlock()
	b := p.m[a]
	if b == nil {
		return true
	}
	c := *b
	return c.Allow(p.rate, now)
}

func (p *ByIP) pruneLocked(now time.Time) {
	full := time.Duration(p.rate.Burst / p.rate.PerSecond * float64(time.Second))
	for a, b := range p.m {
		if now.Sub(b.last) >= full {
			delete(p.m, a)
		}
	}
	// Still full (many hosts failing at once): forget an arbitrary one
	// rather than grow without bound.
	for a := range p.m {
		if len(p.m) < maxHosts {
			break
		}
		delete(p.m, a)
	}
}
