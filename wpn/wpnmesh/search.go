package wpnmesh

import (
	"slices"
	"time"

	"github.com/revival-net/revival/wpn"
	"github.com/revival-net/revival/wpn/wpnserver"
)

// flood is a search or room query this primary passed on (or started):
// its answers (hits, room lists) travel back to back, or to local at the
// origin, from the links in outs; at most MaxHitsPerSearch hits.
type flood struct {
	kind  byte // kindSearch or kindRoomQuery
	local func(*message)
	back  *link
	outs  []*link
	n     int
	// expires is when its answers are no longer relayed.
	expires time.Time
}

// Search floods a term or hash search to every peer with a hop limit
// (SearchTTL, HashSearchTTL); every primary answers from its index and
// passes it on, and hits come back along the path the search took. stop
// ends the relaying here and asks the primaries it went to to stop too.
func (m *Mesh) Search(req wpn.Packet, from wpnserver.Origin, reply func(*wpn.SearchHit)) (stop func()) {
	ttl := m.lim.SearchTTL
	if _, ok := req.(*wpn.HashSearch); ok {
		ttl = m.lim.HashSearchTTL
	}
	h := header{origin: from.Handle, qid: newQID(), ttl: ttl}
	f, err := encode(h, &message{kind: kindSearch, packet: req})
	if err != nil {
		return func() {}
	}
	k := h.key()
	now := m.now()
	m.seen.first(k, now)
	outs := m.peerLinks(nil)
	fl := &flood{kind: kindSearch, outs: outs, local: func(msg *message) {
		if hit, ok := msg.packet.(*wpn.SearchHit); ok {
			reply(hit)
		}
	}}
	fl.expires = now.Add(m.lim.SearchLifetime)
	if !m.addFlood(k, fl) {
		return func() {}
	}
	for _, l := range outs {
		l.send(f, true)
	}
	return func() { m.stopFlood(h) }
}

func (m *Mesh) addFlood(k qkey, f *flood) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.floods) >= m.lim.MaxSearches {
		m.metrics.drops.WithLabelValues("searches_full").Inc()
		return false
	}
	m.floods[k] = f
	return true
}

// stopFlood forgets the flood h and passes a cancel to where it went.
func (m *Mesh) stopFlood(h header) {
	m.mu.Lock()
	f := m.floods[h.key()]
	delete(m.floods, h.key())
	m.mu.Unlock()
	if f == nil {
		return
	}
	c, err := encode(header{origin: h.origin, qid: h.qid}, &message{kind: kindCancel})
	if err != nil {
		return
	}
	for _, l := range f.outs {
		l.send(c, true)
	}
}

// onSearch answers a search from the local index (hits go back over l),
// and passes it on to the other peers while hops remain. A search seen
// before is dropped: that is what keeps floods from looping.
func (m *Mesh) onSearch(l *link, h header, msg *message, body []byte) {
	now := m.now()
	if !l.searches.Allow(m.lim.Searches, now) {
		m.metrics.drops.WithLabelValues("flood").Inc()
		return
	}
	if !m.seen.first(h.key(), now) {
		m.countDuplicate(kindSearch)
		return
	}
	var outs []*link
	if h.ttl > 1 {
		outs = m.peerLinks(l)
	}
	m.addFlood(h.key(), &flood{kind: kindSearch, back: l, outs: outs, expires: now.Add(m.lim.SearchLifetime)})

	hdr := header{origin: h.origin, tcpPort: h.tcpPort, qid: h.qid}
	n := 0
	m.srv.Load().SearchLocal(msg.packet, m.selfHandle(l), func(hit *wpn.SearchHit) bool {
		f, err := encode(hdr, &message{kind: kindHit, packet: hit})
		if err != nil {
			return true
		}
		n++
		return l.send(f, true) && n < m.lim.MaxHitsPerSearch
	})
	m.stats.answered.Add(1)
	m.changed()

	if len(outs) > 0 {
		f := stepped(h, body)
		for _, o := range outs {
			o.send(f, true)
		}
	}
}

// onAnswer relays a search hit or a room list towards the flood's
// origin, if the flood went to the link it came from.
func (m *Mesh) onAnswer(l *link, h header, msg *message, body []byte) {
	m.mu.Lock()
	f := m.floods[h.key()]
	if f == nil || !slices.Contains(f.outs, l) || f.n >= m.lim.MaxHitsPerSearch {
		m.mu.Unlock()
		m.metrics.drops.WithLabelValues("unexpected_answer").Inc()
		return
	}
	f.n++
	m.mu.Unlock()
	if f.local != nil {
		f.local(msg)
		return
	}
	f.back.send(appendRaw(nil, h, body), true)
}

// onCancel stops relaying the hits of a search the link's peer sent us,
// and passes the cancel on to where we sent the search.
func (m *Mesh) onCancel(l *link, h header, body []byte) {
	m.mu.Lock()
	f := m.floods[h.key()]
	if f == nil || f.back != l {
		m.mu.Unlock()
		return
	}
	delete(m.floods, h.key())
	m.mu.Unlock()
	m.changed()
	c := appendRaw(nil, h, body)
	for _, o := range f.outs {
		o.send(c, true)
	}
}
