package slskserver

import (
	"cmp"
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
// has users, and the caller's private rooms (spec §2 code 64).
func handleRoomList(s *Server, u *session, _ *slsk.RoomList) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	u.send(s.roomListLocked(u, 1))
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
	u.send(s.roomListLocked(u, minUsers))
	mine := s.privateRoomsOfLocked(u.name)
	for _, r := range mine {
		u.send(&slsk.RoomMembers{Room: r.name, Members: sortedNames(r.members)})
	}
	for _, r := range mine {
		u.send(&slsk.RoomOperators{Room: r.name, Operators: sortedNames(r.operators)})
	}
}

// privateRoomsOfLocked lists the private rooms name owns or is a member
// of, by room name.
func (s *Server) privateRoomsOfLocked(name string) []*room {
	var out []*room
	for _, r := range s.rooms {
		if r.private && (r.owner == name || r.isMember(name)) {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b *room) int { return cmp.Compare(a.name, b.name) })
	return out
}

// roomListLocked builds RoomList for u (spec §2 code 64): public rooms
// with at least minUsers users, private rooms u owns, private rooms u is
// a member of, each with its number of users, and the private rooms u
// operates (names only). Lists are sorted by name.
func (s *Server) roomListLocked(u *session, minUsers int) *slsk.RoomListReply {
	m := &slsk.RoomListReply{}
	for _, r := range s.rooms {
		n := uint32(len(r.joined))
		switch {
		case !r.private:
			if len(r.joined) >= minUsers {
				m.Public = append(m.Public, slsk.RoomCount{Room: r.name, Users: n})
			}
		case r.owner == u.name:
			m.Owned = append(m.Owned, slsk.RoomCount{Room: r.name, Users: n})
		case r.isMember(u.name):
			m.Member = append(m.Member, slsk.RoomCount{Room: r.name, Users: n})
			if r.isOperator(u.name) {
				m.Operated = append(m.Operated, r.name)
			}
		}
	}
	byName := func(a, b slsk.RoomCount) int { return cmp.Compare(a.Room, b.Room) }
	slices.SortFunc(m.Public, byName)
	slices.SortFunc(m.Owned, byName)
	slices.SortFunc(m.Member, byName)
	slices.Sort(m.Operated)
	return m
}
