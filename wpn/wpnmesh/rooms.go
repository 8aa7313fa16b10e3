package wpnmesh

import (
	"slices"
	"strings"
	"time"

	"github.com/revival-net/revival/wpn"
)

// Room lists across primaries (docs/wpn-mesh.md "Room lists"): every
// RoomQueryEvery a primary floods a 0x4E query, the WinMX way (wpn.md
// §4.2), to every link, room listers included. Revival peers answer over
// the link with kind 0x47 frames listing the rooms they host; the answers
// travel back along the query's path. Rooms not heard again within 2.5
// rounds are dropped.

type learntRoom struct {
	entry   wpn.RoomListEntry
	expires time.Time
}

// roomChunk bounds the rooms in one answer frame, well under 64 KiB
// (names ≤ 40 + 13 bytes, topics ≤ 125).
const roomChunk = 200

// RefreshRooms floods a room-list query now (the periodic one runs every
// RoomQueryEvery).
func (m *Mesh) RefreshRooms() { m.queryRooms(m.allLinks()) }

// queryRooms sends one room query over links (all of them, or a new
// peer's: it learns the whole mesh's rooms through it).
func (m *Mesh) queryRooms(links []*link) {
	if len(links) == 0 || m.srv.Load() == nil {
		return
	}
	qid := newQID()
	now := m.now()
	for _, l := range links {
		h := header{origin: m.selfHandle(l), qid: qid, ttl: m.lim.MaxHops}
		f, err := encode(h, &message{kind: kindRoomQuery})
		if err != nil {
			continue
		}
		k := h.key()
		m.seen.first(k, now)
		fl := &flood{kind: kindRoomQuery, outs: []*link{l}, expires: now.Add(m.lim.RoomQueryEvery), local: m.learnRooms}
		// One flood entry per origin handle the query went out under
		// (one per local address; usually one).
		m.mu.Lock()
		if old := m.floods[k]; old != nil {
			old.outs = append(old.outs, l)
		} else if len(m.floods) < m.lim.MaxSearches {
			m.floods[k] = fl
		}
		m.mu.Unlock()
		l.send(f, true)
	}
}

// onRoomQuery answers a peer's room query with the rooms this primary
// hosts and passes the query on.
func (m *Mesh) onRoomQuery(l *link, h header, body []byte) {
	now := m.now()
	if !l.searches.Allow(m.lim.Searches, now) {
		m.metrics.drops.WithLabelValues("flood").Inc()
		return
	}
	if !m.seen.first(h.key(), now) {
		m.countDuplicate(kindRoomQuery)
		return
	}
	var outs []*link
	if h.ttl > 1 {
		outs = m.peerLinks(l)
	}
	m.addFlood(h.key(), &flood{kind: kindRoomQuery, back: l, outs: outs, expires: now.Add(m.lim.RoomQueryEvery)})
	if m.opts.LocalRooms != nil {
		rooms := m.opts.LocalRooms.AppendRoomList(nil)
		self := m.selfHandle(l)
		hdr := header{origin: h.origin, tcpPort: h.tcpPort, qid: h.qid}
		for len(rooms) > 0 {
			n := min(len(rooms), roomChunk)
			if f, err := encode(hdr, &message{kind: kindRooms, handle: self, rooms: rooms[:n]}); err == nil {
				l.send(f, true)
			}
			rooms = rooms[n:]
		}
	}
	if len(outs) > 0 {
		f := stepped(h, body)
		for _, o := range outs {
			o.send(f, true)
		}
	}
}

// learnRooms keeps the rooms of an answer. A room is listed only if its
// name's address is that of the answering primary, a primary we have a
// route to: a peer cannot list rooms at other hosts' addresses.
func (m *Mesh) learnRooms(msg *message) {
	if !m.routes.has(msg.handle) {
		m.metrics.drops.WithLabelValues("rooms_unknown_node").Inc()
		return
	}
	expires := m.now().Add(m.lim.RoomQueryEvery * 5 / 2)
	m.roomMu.Lock()
	for _, e := range msg.rooms {
		a, err := wpn.ParseRoomName(e.Name)
		if err != nil || a.IP != msg.handle.IP {
			m.metrics.drops.WithLabelValues("rooms_bad_name").Inc()
			continue
		}
		if _, known := m.rooms[strings.ToLower(e.Name)]; !known && len(m.rooms) >= m.lim.MaxRooms {
			continue
		}
		m.rooms[strings.ToLower(e.Name)] = learntRoom{entry: e, expires: expires}
	}
	m.roomMu.Unlock()
	m.changed()
}

func (m *Mesh) expireRooms(now time.Time) bool {
	m.roomMu.Lock()
	defer m.roomMu.Unlock()
	changed := false
	for k, r := range m.rooms {
		if now.After(r.expires) {
			delete(m.rooms, k)
			changed = true
		}
	}
	return changed
}

// AppendRoomList is the primary's room list (wpnserver.RoomSource): the
// rooms this primary hosts, then those learnt from other primaries, by
// name.
func (m *Mesh) AppendRoomList(dst []wpn.RoomListEntry) []wpn.RoomListEntry {
	start := len(dst)
	if m.opts.LocalRooms != nil {
		dst = m.opts.LocalRooms.AppendRoomList(dst)
	}
	local := map[string]bool{}
	for _, e := range dst[start:] {
		local[strings.ToLower(e.Name)] = true
	}
	now := m.now()
	m.roomMu.Lock()
	learnt := make([]wpn.RoomListEntry, 0, len(m.rooms))
	for k, r := range m.rooms {
		if !local[k] && !now.After(r.expires) {
			learnt = append(learnt, r.entry)
		}
	}
	m.roomMu.Unlock()
	slices.SortFunc(learnt, func(a, b wpn.RoomListEntry) int { return strings.Compare(a.Name, b.Name) })
	return append(dst, learnt...)
}
