// Package netlimit holds the connection limits every Revival listener
// shares: a cap on simultaneous connections per remote address, and a
// small flood limiter for per-session message rates.
package netlimit

import (
	"net/netip"
	"sync"
)

// PerIP caps simultaneous connections from one address. One client program
// opens one server connection, so a few per address leave room for NAT
// while stopping one host from exhausting file descriptors.
type PerIP struct {
	max int // <= 0: unlimited
	mu  sync.Mutex
	n   map[netip.Addr]int
}

// NewPerIP returns a limiter allowing max connections per address; max <= 0
// disables the cap (load tests from 127.0.0.1).
func NewPerIP(max int) *PerIP { return &PerIP{max: max, n: map[netip.Addr]int{}} }

// key is what one host controls: an IPv4 address, or an IPv6 /64 (every
// IPv6 subscriber gets at least a /64, so single addresses cost nothing).
func key(a netip.Addr) netip.Addr {
	a = a.Unmap()
	if a.Is6() {
		if p, err := a.Prefix(64); err == nil {
			return p.Addr()
		}
	}
	return a
}

// Acquire reserves a slot for a and reports whether one was free.
func (p *PerIP) Acquire(a netip.Addr) bool {
	a = key(a)
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.max > 0 && p.n[a] >= p.max {
		return false
	}
	p.n[a]++
	return true
}

// Release frees a slot taken by Acquire.
func (p *PerIP) Release(a netip.Addr) {
	a = key(a)
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.n[a] <= 1 {
		delete(p.n, a)
		return
	}
	p.n[a]--
}
