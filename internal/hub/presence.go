package hub

import (
	"sort"
	"sync"
)

// Network names used as namespaces in the store and the presence registry.
const (
	NetworkSoulseek = "slsk"
	NetworkMSN      = "msn"
	NetworkWPN      = "wpn"
)

// Session is what a protocol server registers for each logged-in
// connection, so that operators (and bans) can reach it from outside the
// protocol.
type Session interface {
	// Network returns the namespace the session belongs to.
	Network() string
	// Username returns the account name.
	Username() string
	// Kick disconnects the session, telling the client why where the
	// protocol allows it (Soulseek: an AdminMessage; MSN: OUT).
	Kick(reason string)
}

// Presence is the cross-network registry of online sessions. Protocol
// servers keep their own indexes for routing; this one answers "who is
// online where" for the admin tools and kicks banned users everywhere.
type Presence struct {
	mu       sync.Mutex
	sessions map[string]map[Session]struct{} // by username
	counts   map[string]int                  // by network
}

// NewPresence returns an empty registry.
func NewPresence() *Presence {
	return &Presence{sessions: map[string]map[Session]struct{}{}, counts: map[string]int{}}
}

// Add registers s.
func (p *Presence) Add(s Session) {
	p.mu.Lock()
	defer p.mu.Unlock()
	m := p.sessions[s.Username()]
	if m == nil {
		m = map[Session]struct{}{}
		p.sessions[s.Username()] = m
	}
	if _, dup := m[s]; !dup {
		m[s] = struct{}{}
		p.counts[s.Network()]++
	}
}

// Remove unregisters s; removing an unknown session is a no-op.
func (p *Presence) Remove(s Session) {
	p.mu.Lock()
	defer p.mu.Unlock()
	m := p.sessions[s.Username()]
	if _, ok := m[s]; !ok {
		return
	}
	delete(m, s)
	p.counts[s.Network()]--
	if len(m) == 0 {
		delete(p.sessions, s.Username())
	}
}

// Count returns how many sessions a network has.
func (p *Presence) Count(network string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.counts[network]
}

// Online reports whether name has a session on network ("" = any).
func (p *Presence) Online(name, network string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	for s := range p.sessions[name] {
		if network == "" || s.Network() == network {
			return true
		}
	}
	return false
}

// Users lists the names online on network ("" = any), sorted.
func (p *Presence) Users(network string) []string {
	p.mu.Lock()
	var out []string
	for name, m := range p.sessions {
		for s := range m {
			if network == "" || s.Network() == network {
				out = append(out, name)
				break
			}
		}
	}
	p.mu.Unlock()
	sort.Strings(out)
	return out
}

// Kick disconnects every session of name on every network and returns how
// many there were. Kick is called outside the lock: a session's Kick may
// call Remove.
func (p *Presence) Kick(name, reason string) int {
	p.mu.Lock()
	var victims []Session
	for s := range p.sessions[name] {
		victims = append(victims, s)
	}
	p.mu.Unlock()
	for _, s := range victims {
		s.Kick(reason)
	}
	return len(victims)
}
