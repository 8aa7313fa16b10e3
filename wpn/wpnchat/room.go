package wpnchat

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"sync"
	"time"

	"github.com/revival-net/revival/internal/netlimit"
	"github.com/revival-net/revival/internal/store"
	"github.com/revival-net/revival/wpn"
)

// storeRoom is a room as stored.
type storeRoom = store.WPNRoom

// room is one hosted room: its stored settings and, in memory, its
// members. mu guards everything below it and is held while broadcasts
// are queued (see the package doc).
type room struct {
	h   *Host
	key string // folded base name: the fanout's room key

	// persistMu serialises store writes, so a later change is never
	// overwritten by an earlier snapshot. Lock order: persistMu, then mu.
	persistMu sync.Mutex

	mu       sync.Mutex
	rec      store.WPNRoom
	bans     []banEntry
	members  map[*member]struct{} // in the room, admitted or waiting
	admitted int
	closed   bool
}

func newRoom(h *Host, rec store.WPNRoom) *room {
	r := &room{h: h, key: fold(rec.Name), members: map[*member]struct{}{}}
	r.setRecLocked(rec)
	return r
}

func (r *room) setRecLocked(rec store.WPNRoom) {
	r.rec = rec
	r.bans = r.bans[:0]
	for _, b := range rec.Bans {
		r.bans = append(r.bans, parseBan(b))
	}
}

func (r *room) info() RoomInfo {
	r.mu.Lock()
	defer r.mu.Unlock()
	return RoomInfo{Name: r.h.fullName(r.rec.Name), Base: r.rec.Name, Topic: r.rec.Topic, Users: r.admitted,
		Limit: r.limitLocked(), Owner: r.rec.Owner, HasPassword: r.rec.PasswordHash != "", Moderated: r.rec.Moderated}
}

// limitLocked is the room's member limit: its own when lower than the
// host's.
func (r *room) limitLocked() int {
	if l := r.rec.Limit; l > 0 && l < r.h.opts.Limits.MaxMembers {
		return l
	}
	return r.h.opts.Limits.MaxMembers
}

// bannedLocked reports whether a chat name base or an address is banned.
func (r *room) bannedLocked(base string, ip netip.Addr) bool {
	fb, host := fold(base), netlimit.HostKey(ip)
	for _, b := range r.bans {
		if b.name != "" && b.name == fb || b.ip.IsValid() && b.ip == host {
			return true
		}
	}
	return false
}

// memberLocked finds a member (admitted or waiting) by full name, in any
// ASCII case.
func (r *room) memberLocked(name string) *member {
	fn := fold(name)
	for m := range r.members {
		if fold(m.user.Name) == fn {
			return m
		}
	}
	return nil
}

// targetLocked finds the admitted member an operator command names: by
// full name, else by a base name only one member has.
func (r *room) targetLocked(arg string) *member {
	if m := r.memberLocked(arg); m != nil && m.admitted {
		return m
	}
	var found *member
	fb := fold(arg)
	for m := range r.members {
		if m.admitted && fold(nameBase(m.user.Name)) == fb {
			if found != nil {
				return nil // ambiguous
			}
			found = m
		}
	}
	return found
}

// Levels order who may act on whom: an operator command works only on
// members of a lower level.
const (
	levelNormal = iota
	levelVoice
	levelOp
	levelOwner // the room's owner and server administrators
)

func (r *room) levelLocked(m *member) int {
	switch {
	case m.account != "" && (m.admin || m.account == r.rec.Owner):
		return levelOwner
	case m.account != "" && slices.Contains(r.rec.Operators, m.account):
		return levelOp
	case m.voiced:
		return levelVoice
	}
	return levelNormal
}

// rankLocked is the wire rank of a member (wpn.md §6.2): 1 for operators
// (owners too: WinMX shows no other rank for them), 2 for voiced.
func (r *room) rankLocked(m *member) uint8 {
	switch r.levelLocked(m) {
	case levelOwner, levelOp:
		return wpn.RankOperator
	case levelVoice:
		return wpn.RankVoice
	}
	return wpn.RankNormal
}

func (r *room) userLocked(m *member) wpn.ChatUser {
	u := m.user
	u.Rank = r.rankLocked(m)
	return u
}

// joinMessageLocked announces m: 0x0071 (3.53), with the real address
// (0x0075) for operators, 0x006E for 3.31 members (wpn.md §6.1 step 7).
func (r *room) joinMessageLocked(m *member) Message {
	u := r.userLocked(m)
	real := m.remote.Unmap()
	if !real.Is4() {
		real = netip.IPv4Unspecified()
	}
	return Message{
		New:   wpn.AppendPacket(nil, &wpn.ChatUserInfo{ChatUser: u}),
		OpNew: wpn.AppendPacket(nil, &wpn.ChatUserJoinedWithIP{ChatUser: u, RealIP: real}),
		Old:   wpn.AppendPacket(nil, &wpn.ChatUserInfo331{ChatUser: u}),
	}
}

func (r *room) broadcastLocked(m Message) { r.h.fanout.Broadcast(r.key, m) }

// all encodes p once for every member.
func all(p wpn.Packet) Message {
	f := wpn.AppendPacket(nil, p)
	return Message{New: f, Old: f}
}

// noticeLocked tells every admitted member something.
func (r *room) noticeLocked(text string) { r.broadcastLocked(all(&wpn.ChatNoticeLine{Text: text})) }

// admitLocked completes a join (wpn.md §6.1 step 7): the message of the
// day, the members already here, then the newcomer announced to everyone,
// the newcomer included.
func (r *room) admitLocked(m *member) {
	m.admitted = true
	r.admitted++
	m.c.LoggedIn()
	r.sendMOTDLocked(m)
	for x := range r.members {
		if x == m || !x.admitted {
			continue
		}
		u := r.userLocked(x)
		if m.old {
			m.send(&wpn.ChatUserEntryInfo331{ChatUserInfo331: wpn.ChatUserInfo331{ChatUser: u}})
		} else {
			m.send(&wpn.ChatUserEntryInfo{ChatUser: u})
		}
	}
	m.recip = Recipient{Conn: m.c, Old: m.old, Op: r.levelLocked(m) >= levelOp}
	r.h.fanout.Add(r.key, &m.recip)
	r.broadcastLocked(r.joinMessageLocked(m))
	r.h.metrics.joins.WithLabelValues("ok").Inc()
}

// sendMOTDLocked sends the message of the day: 0x0078 lines, or 0x00D2
// for lines with colour codes (wpn.md §6.1 step 7, §6.2).
func (r *room) sendMOTDLocked(m *member) {
	for _, l := range motdLines(r.rec.MOTD) {
		if hasColours(l) {
			m.send(&wpn.ChatLine{Text: expandColours(l)})
		} else {
			m.send(&wpn.ChatMOTDLine{Text: l})
		}
	}
}

// removeLocked takes m out of the room; the others see it leave (0x0073)
// if it had been admitted. It reports whether m was in the room.
func (r *room) removeLocked(m *member) bool {
	if _, ok := r.members[m]; !ok {
		return false
	}
	delete(r.members, m)
	if m.admitted {
		r.admitted--
		r.h.fanout.Remove(r.key, &m.recip)
		r.broadcastLocked(all(&wpn.ChatLeft{ChatPeer: m.user.ChatPeer}))
	}
	return true
}

// rankChangedLocked announces m's new rank as a 0x0074 "rename" to the
// same name (wpn.md §6.2); 3.31 has no ranks, so its members get nothing.
func (r *room) rankChangedLocked(m *member, old uint8) {
	m.recip.Op = r.levelLocked(m) >= levelOp
	u := r.userLocked(m)
	if !m.admitted || u.Rank == old {
		return
	}
	r.broadcastLocked(Message{New: wpn.AppendPacket(nil, &wpn.ChatRenamed{Old: m.user.ChatPeer, New: u})})
}

// update changes the stored room with f and writes it to the store; the
// in-memory state changes even if the write fails (the error says so).
func (r *room) update(ctx context.Context, f func(rec *store.WPNRoom)) error {
	r.persistMu.Lock()
	defer r.persistMu.Unlock()
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return fmt.Errorf("the room was closed")
	}
	old := r.ranksLocked()
	rec := r.rec
	rec.Operators = slices.Clone(rec.Operators)
	rec.Bans = slices.Clone(rec.Bans)
	f(&rec)
	r.setRecLocked(rec)
	r.mu.Unlock()
	r.ranksChanged(old)
	ctx, cancel := context.WithTimeout(ctx, storeTimeout)
	defer cancel()
	if err := r.h.opts.Hub.Store.WPNRooms().Put(ctx, rec); err != nil {
		r.h.log.Error("saving room failed", "room", rec.Name, "err", err)
		return fmt.Errorf("saving the room failed; the change is lost at restart")
	}
	return nil
}

// ranksLocked snapshots the members' ranks before a change of the
// operator list.
func (r *room) ranksLocked() map[*member]uint8 {
	ranks := make(map[*member]uint8, len(r.members))
	for m := range r.members {
		ranks[m] = r.rankLocked(m)
	}
	return ranks
}

// ranksChanged announces the ranks that differ from old.
func (r *room) ranksChanged(old map[*member]uint8) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for m, rank := range old {
		if _, in := r.members[m]; in {
			r.rankChangedLocked(m, rank)
		}
	}
}

// storeTimeout bounds one store call made for a member.
const storeTimeout = 10 * time.Second

// reload takes the settings another process stored (ReloadRoom): a new
// topic is shown, ranks follow the new operator list, members the new
// bans name are removed.
func (r *room) reload(rec store.WPNRoom) {
	r.persistMu.Lock()
	defer r.persistMu.Unlock()
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return
	}
	oldTopic := r.rec.Topic
	ranks := r.ranksLocked()
	r.setRecLocked(rec)
	if rec.Topic != oldTopic {
		r.broadcastLocked(all(&wpn.ChatTopicText{Text: rec.Topic}))
	}
	for m, old := range ranks {
		if r.levelLocked(m) < levelOp && r.bannedLocked(nameBase(m.user.Name), m.remote) {
			m.notice("You are banned from this room.")
			r.removeLocked(m)
			m.c.CloseAfterFlush("banned from the room")
			continue
		}
		r.rankChangedLocked(m, old)
	}
}

// close ends the room: every member is told why and disconnected.
func (r *room) close(reason string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.closed = true
	for m := range r.members {
		// Everyone goes: no leave broadcasts to those about to go too.
		if m.admitted {
			r.h.fanout.Remove(r.key, &m.recip)
		}
		delete(r.members, m)
		m.notice(reason)
		m.c.CloseAfterFlush("room closed")
	}
	r.admitted = 0
}
