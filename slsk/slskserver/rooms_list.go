package slskserver

import (
	"cmp"
	"container/heap"
	"slices"

	"github.com/revival-net/revival/slsk"
)

func init() {
	on(handleRoomList)
}

// loginRoomListMin is the fewest users a public room needs to appear in
// the room list sent at login (spec §1.5: only rooms with at least 5
// users). A RoomList request lists every public room that has users.
const loginRoomListMin = 5

// handleRoomList answers a RoomList request with every public room that
// has users, and the caller's private rooms (spec §2 code 64). Building
// the list walks every public room under mu, so requests share the search
// flood bucket; the list sent at login is not limited.
func handleRoomList(s *Server, u *session, _ *slsk.RoomList) error {
	if ok, err := s.searchCheck(u, "roomlist"); !ok {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	list, _ := s.roomListLocked(u, 1)
	u.send(list)
	return nil
}

// sendRoomListLocked sends the room-list update of the login sequence
// (spec §1.5 step 3): RoomList with the public rooms of at least
// loginRoomListMin users, then RoomMembers and RoomOperators for every
// private room u owns or belongs to.
func (s *Server) sendRoomListLocked(u *session) {
	s.sendRoomListUpdateLocked(u, loginRoomListMin)
}

// sendRoomListUpdateLocked sends RoomList (public rooms with at least
// minUsers users), then RoomMembers for each private room u owns or is a
// member of, then RoomOperators for each: the "room-list update" that
// follows every private-room change affecting u (spec §2.2).
func (s *Server) sendRoomListUpdateLocked(u *session, minUsers int) {
	list, mine := s.roomListLocked(u, minUsers)
	u.send(list)
	for _, r := range mine {
		u.send(&slsk.RoomMembers{Room: r.name, Members: sortedNames(r.members)})
	}
	for _, r := range mine {
		u.send(&slsk.RoomOperators{Room: r.name, Operators: sortedNames(r.operators)})
	}
}

// roomListLocked builds RoomList for u (spec §2 code 64): public rooms
// with at least minUsers users, private rooms u owns, private rooms u is
// a member of, each with its number of users, and the private rooms u
// operates (names only). Lists are sorted by name. It also returns the
// private rooms u owns or is a member of that the list holds, by name.
//
// It is sent at every login and after every private-room change that
// affects u, under mu, so it reads the index instead of every room: it
// costs the public rooms (bounded by online users × MaxRoomsJoined plus
// those holding tickers, see room) and u's own private rooms (see
// roomIndex), however many private rooms others have.
//
// The reply is bounded (see roomListBudget): anyone with free accounts
// can create rooms by the thousand, and a reply larger than the write
// queue would disconnect every user who asks, as Nicotine+ does at
// login. u's own rooms come first (owned, member of, then the public
// rooms u is in), then the public rooms with the most users, at most
// Limits.MaxRoomListRooms public rooms in all. The rooms an attacker
// creates have one user each; the rooms people talk in have many.
func (s *Server) roomListLocked(u *session, minUsers int) (*slsk.RoomListReply, []*room) {
	lim := s.opts.Limits
	if lim.MaxRoomListRooms == 0 {
		lim.setDefaults() // a Server built without New, in tests
	}
	budget := roomListBudget(lim)
	take := func(n int) bool {
		if n > budget {
			return false
		}
		budget -= n
		return true
	}
	m := &slsk.RoomListReply{}
	var owned, member []*room
	for r := range s.index.privateOf[u.name] {
		switch {
		case r.owner == u.name:
			owned = append(owned, r)
		case r.isMember(u.name):
			member = append(member, r)
		}
	}
	byName := func(a, b *room) int { return cmp.Compare(a.name, b.name) }
	slices.SortFunc(owned, byName)
	slices.SortFunc(member, byName)
	var mine []*room
	for _, r := range owned {
		if !take(roomCountBytes(r.name)) {
			break
		}
		m.Owned = append(m.Owned, slsk.RoomCount{Room: r.name, Users: uint32(len(r.joined))})
		mine = append(mine, r)
	}
	for _, r := range member {
		cost := roomCountBytes(r.name)
		op := r.isOperator(u.name)
		if op {
			cost += 4 + len(r.name)
		}
		if !take(cost) {
			break
		}
		m.Member = append(m.Member, slsk.RoomCount{Room: r.name, Users: uint32(len(r.joined))})
		if op {
			m.Operated = append(m.Operated, r.name)
		}
		mine = append(mine, r)
	}
	public := s.publicForListLocked(u, minUsers, lim.MaxRoomListRooms)
	for _, r := range public {
		if !take(roomCountBytes(r.name)) {
			break
		}
		m.Public = append(m.Public, slsk.RoomCount{Room: r.name, Users: uint32(len(r.joined))})
	}
	rcByName := func(a, b slsk.RoomCount) int { return cmp.Compare(a.Room, b.Room) }
	slices.SortFunc(m.Public, rcByName)
	slices.Sort(m.Operated)
	slices.SortFunc(mine, byName)
	return m, mine
}

// roomListOverhead is the frame of an empty RoomList: length, code, and
// two counts for each of the three room lists and one for the operated.
const roomListOverhead = 4 + 4 + 3*2*4 + 4

// roomCountBytes is what one room adds to a list of RoomCounts: its name
// (length and bytes) and its user count.
func roomCountBytes(name string) int { return 4 + len(name) + 4 }

// roomListBudget is the most bytes one RoomList reply may take (after the
// empty frame): Limits.MaxRoomListBytes, and never more than a quarter of
// the write queue, so the reply alone never makes a slow consumer.
func roomListBudget(lim Limits) int {
	return min(lim.MaxRoomListBytes, lim.MaxQueueBytes/4) - roomListOverhead
}

// publicForListLocked returns the public rooms for u's RoomList, best
// first: those u is in, then the others with at least minUsers users by
// number of users (most first, then by name), at most limit in all. It runs
// under mu on every RoomList, over up to Limits.MaxRooms public rooms, so
// it keeps the best in a bounded heap instead of sorting them all.
func (s *Server) publicForListLocked(u *session, minUsers, limit int) []*room {
	limit = max(limit, 0)
	var in []*room
	for _, r := range u.joined {
		if !r.private {
			in = append(in, r)
		}
	}
	slices.SortFunc(in, func(a, b *room) int { return cmp.Compare(a.name, b.name) })
	if len(in) >= limit {
		return in[:limit]
	}
	best := roomHeap(make([]*room, 0, min(limit-len(in), len(s.index.public))))
	for r := range s.index.public {
		switch {
		case len(r.joined) < minUsers || u.joined[r.name] == r:
		case len(best) < cap(best):
			heap.Push(&best, r)
		case roomBefore(r, best[0]):
			best[0] = r
			heap.Fix(&best, 0)
		}
	}
	slices.SortFunc(best, func(a, b *room) int {
		if roomBefore(a, b) {
			return -1
		}
		return 1
	})
	return append(in, best...)
}

// roomBefore orders rooms for the room list: more users first, then by
// name.
func roomBefore(a, b *room) bool {
	if len(a.joined) != len(b.joined) {
		return len(a.joined) > len(b.joined)
	}
	return a.name < b.name
}

// roomHeap is a heap whose top is the room that roomBefore puts last:
// the first to give way to a better one.
type roomHeap []*room

func (h roomHeap) Len() int           { return len(h) }
func (h roomHeap) Less(i, j int) bool { return roomBefore(h[j], h[i]) }
func (h roomHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *roomHeap) Push(x any)        { *h = append(*h, x.(*room)) }
func (h *roomHeap) Pop() any {
	old := *h
	r := old[len(old)-1]
	*h = old[:len(old)-1]
	return r
}

// roomIndex keeps the rooms of Server.rooms apart for listing (guarded by
// Server.mu). Private rooms never expire, so there may be up to maxRooms
// of them; RoomList, sent at every login, and the per-owner cap must not
// walk them all. Public rooms come and go with their members and tickers.
//
// Every room enters and leaves Server.rooms through addRoomLocked and
// removeRoomLocked, and a room's privacy never changes while it is there.
// While a private room is in Server.rooms its owner only changes by
// disbanding (which removes it first), and its members through
// linkMemberLocked and unlinkMemberLocked, so the index always matches
// the owners and members of the rooms in Server.rooms.
type roomIndex struct {
	public    map[*room]struct{}            // the public rooms in Server.rooms
	privateOf map[string]map[*room]struct{} // user → private rooms in Server.rooms it owns or is a member of
}

func newRoomIndex() roomIndex {
	return roomIndex{public: map[*room]struct{}{}, privateOf: map[string]map[*room]struct{}{}}
}

// addRoomLocked puts r in Server.rooms under its name, and in the index.
// r.private and, for a private room, r.owner and r.members must be set.
func (s *Server) addRoomLocked(r *room) {
	s.rooms[r.name] = r
	s.countCreatedLocked(r, true)
	if r.private {
		s.indexPrivateLocked(r)
		return
	}
	if s.index.public == nil {
		s.index.public = map[*room]struct{}{}
	}
	s.index.public[r] = struct{}{}
}

// removeRoomLocked takes r out of Server.rooms and the index, if it is
// there (a newer room of the same name is left alone). For a private
// room, call it before clearing the owner and members.
func (s *Server) removeRoomLocked(r *room) {
	if s.rooms[r.name] != r {
		return
	}
	delete(s.rooms, r.name)
	s.countCreatedLocked(r, false)
	delete(s.index.public, r)
	if r.private {
		s.unindexPrivateLocked(r)
	}
}

// indexPrivateLocked lists private room r under its owner and members.
func (s *Server) indexPrivateLocked(r *room) {
	s.linkLocked(r.owner, r)
	for name := range r.members {
		s.linkLocked(name, r)
	}
}

// unindexPrivateLocked takes private room r out of its owner's and
// members' lists.
func (s *Server) unindexPrivateLocked(r *room) {
	s.unlinkLocked(r.owner, r)
	for name := range r.members {
		s.unlinkLocked(name, r)
	}
}

// linkMemberLocked records that name became a member of private room r,
// which is in Server.rooms; r.members already has it.
func (s *Server) linkMemberLocked(r *room, name string) {
	if s.rooms[r.name] == r {
		s.linkLocked(name, r)
	}
}

// unlinkMemberLocked records that name is no longer a member of private
// room r; r.members no longer has it. An owner also listed as a member
// (possible in stored data) keeps the room.
func (s *Server) unlinkMemberLocked(r *room, name string) {
	if name != r.owner {
		s.unlinkLocked(name, r)
	}
}

func (s *Server) linkLocked(name string, r *room) {
	set := s.index.privateOf[name]
	if set == nil {
		if s.index.privateOf == nil {
			s.index.privateOf = map[string]map[*room]struct{}{}
		}
		set = map[*room]struct{}{}
		s.index.privateOf[name] = set
	}
	set[r] = struct{}{}
}

func (s *Server) unlinkLocked(name string, r *room) {
	set := s.index.privateOf[name]
	delete(set, r)
	if len(set) == 0 {
		delete(s.index.privateOf, name) // users without private rooms cost nothing
	}
}

// ownedCountLocked returns how many private rooms name owns.
func (s *Server) ownedCountLocked(name string) int {
	n := 0
	for r := range s.index.privateOf[name] {
		if r.owner == name {
			n++
		}
	}
	return n
}
