package wpnmesh

import (
	"github.com/revival-net/revival/wpn"
)

// handleFrame handles one frame from l; false drops the link.
func (m *Mesh) handleFrame(l *link, h header, body []byte) bool {
	peer := l.isPeer()
	msg, err := decodeBody(body)
	if err != nil {
		m.metrics.drops.WithLabelValues("malformed").Inc()
		l.malformed++
		m.log.Debug("malformed mesh frame", "link", l.id, "remote", l.remote, "err", err)
		return peer && l.malformed <= maxMalformed
	}
	m.metrics.frames.WithLabelValues(kindName(msg.kind)).Inc()
	if !peer {
		switch msg.kind {
		case kindAnnounce:
		case kindRoomQuery:
			// A WinMX primary's flood: its rooms answer by UDP, which
			// we do not run (docs/wpn-mesh.md "Room lists").
			return true
		default:
			// Only primaries that announced themselves use the mesh.
			m.metrics.drops.WithLabelValues("not_peer").Inc()
			return false
		}
	}
	switch msg.kind {
	case kindAnnounce:
		return m.onAnnounce(l, h, msg, body)
	case kindGone:
		m.onGone(l, h, msg, body)
	case kindForward:
		m.onForward(l, h, msg)
	case kindReply:
		m.onReply(l, h, msg, body)
	case kindSearch:
		m.onSearch(l, h, msg, body)
	case kindHit:
		m.onAnswer(l, h, msg, body)
	case kindCancel:
		m.onCancel(l, h, body)
	case kindRoomQuery:
		m.onRoomQuery(l, h, body)
	case kindRooms:
		m.onAnswer(l, h, msg, body)
	default:
		m.metrics.drops.WithLabelValues("unknown_kind").Inc()
	}
	return true
}

func kindName(k byte) string {
	switch k {
	case kindAnnounce:
		return "announce"
	case kindGone:
		return "gone"
	case kindForward:
		return "forward"
	case kindReply:
		return "reply"
	case kindSearch:
		return "search"
	case kindHit:
		return "hit"
	case kindCancel:
		return "cancel"
	case kindRoomQuery:
		return "room_query"
	case kindRooms:
		return "rooms"
	}
	return "unknown"
}

// sendHello announces this primary to the peer of a new link (hop 0: the
// peer learns that the link leads to a Revival primary, and which).
func (m *Mesh) sendHello(l *link) {
	m.sendAnnounce(l, m.seq.Load(), newQID())
}

func (m *Mesh) sendAnnounce(l *link, seq, qid uint32) {
	entry := m.selfEntry(l)
	self := wpn.Handle{IP: entry.IP, UDPPort: entry.UDPPort}
	h := header{origin: self, tcpPort: entry.TCPPort, qid: qid, ttl: m.lim.MaxHops}
	f, err := encode(h, &message{kind: kindAnnounce, version: version, node: entry, seq: seq})
	if err == nil {
		m.seen.first(h.key(), m.now())
		l.send(f, false)
	}
}

// announceAll floods a new announcement to every peer: the periodic
// refresh of routes and free slots.
func (m *Mesh) announceAll() {
	seq, qid := m.seq.Add(1), newQID()
	for _, l := range m.peerLinks(nil) {
		m.sendAnnounce(l, seq, qid)
	}
}

// onAnnounce learns a route. An announcement speaks only for its origin;
// at hop 0 it also makes the link a peer link, if the neighbour's address
// is the one the link comes from (links we dialled are trusted: the
// operator named them).
func (m *Mesh) onAnnounce(l *link, h header, msg *message, body []byte) bool {
	node := wpn.Handle{IP: msg.node.IP, UDPPort: msg.node.UDPPort}
	if node != h.origin {
		m.metrics.drops.WithLabelValues("malformed").Inc()
		return l.isPeer()
	}
	if h.hops == 0 {
		if m.isSelf(node) {
			m.log.Warn("mesh link to this primary itself: dropped", "remote", l.remote)
			return false
		}
		if !l.outgoing && node.IP != l.remote {
			m.metrics.drops.WithLabelValues("spoofed").Inc()
			m.log.Info("mesh peer announced an address it does not come from", "remote", l.remote, "announced", node.IP)
			return false
		}
		first, ok := l.setPeer(node)
		if !ok {
			return false
		}
		if first {
			if l.nc != nil {
				l.nc.LoggedIn()
			}
			for _, f := range m.routes.replay() {
				l.send(f, true)
			}
			m.queryRooms([]*link{l})
			m.log.Info("mesh peer", "link", l.id, "peer", node.String())
		}
	} else if !l.isPeer() {
		return false
	}
	now := m.now()
	if m.isSelf(node) {
		m.countDuplicate(kindAnnounce)
		return true
	}
	var fwd []byte
	if h.ttl > 1 {
		fwd = stepped(h, body)
	}
	m.routes.learn(node, msg.node, msg.seq, l, h.hops+1, fwd, now.Add(3*m.lim.AnnounceEvery))
	m.changed()
	if !m.seen.first(h.key(), now) {
		m.countDuplicate(kindAnnounce)
		return true
	}
	if fwd != nil {
		for _, p := range m.peerLinks(l) {
			p.send(fwd, true)
		}
	}
	return true
}

func (m *Mesh) countDuplicate(kind byte) {
	m.stats.duplicates.Add(1)
	if kind == kindSearch {
		m.stats.searchDuplicates.Add(1)
	}
	m.metrics.drops.WithLabelValues("duplicate").Inc()
	m.changed()
}

// onGone forgets a primary declared unreachable; if it is us, we announce
// ourselves again so that the ways to us that still work are relearnt.
func (m *Mesh) onGone(l *link, h header, msg *message, body []byte) {
	if !m.seen.first(h.key(), m.now()) {
		m.countDuplicate(kindGone)
		return
	}
	if m.isSelf(msg.handle) {
		select {
		case m.announce <- struct{}{}:
		default:
		}
	} else if m.routes.gone(msg.handle, msg.seq) {
		m.changed()
	}
	if h.ttl > 1 {
		f := stepped(h, body)
		for _, p := range m.peerLinks(l) {
			p.send(f, false)
		}
	}
}

// floodGone tells every peer that n can no longer be reached through us.
func (m *Mesh) floodGone(n goneNote) {
	qid := newQID()
	for _, p := range m.peerLinks(nil) {
		self := m.selfHandle(p)
		h := header{origin: self, qid: qid, ttl: m.lim.MaxHops}
		f, err := encode(h, &message{kind: kindGone, handle: n.h, seq: n.seq})
		if err == nil {
			m.seen.first(h.key(), m.now())
			p.send(f, false)
		}
	}
}

// linkDown cleans up after a link: its routes go (and are declared gone),
// requests forwarded over it fail back to their requesters, and requests
// and floods whose answers went back over it are forgotten.
func (m *Mesh) linkDown(l *link) {
	var failed []*pending
	m.mu.Lock()
	delete(m.links, l)
	for k, p := range m.pending {
		switch l {
		case p.via:
			delete(m.pending, k)
			failed = append(failed, p)
		case p.back:
			delete(m.pending, k)
		}
	}
	for k, f := range m.floods {
		if f.back == l {
			delete(m.floods, k)
			continue
		}
		f.outs = slicesDelete(f.outs, l)
	}
	m.mu.Unlock()
	for _, n := range m.routes.dropLink(l) {
		m.floodGone(n)
	}
	for _, p := range failed {
		p.answer(failureFor(p.req))
	}
	m.changed()
}

func slicesDelete(ls []*link, l *link) []*link {
	for i, x := range ls {
		if x == l {
			return append(ls[:i:i], ls[i+1:]...)
		}
	}
	return ls
}
