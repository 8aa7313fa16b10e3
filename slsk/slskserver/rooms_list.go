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
// has users, and the caller's private rooms (spec §2 code 64). Building
// the list walks every room under mu, so requests share the search flood
// bucket; the list sent at login is not limited.
func handleRoomList(s *Server, u *session, _ *slsk.RoomList) error {
	if ok, err := s.floodCheck(u, "roomlist", u.search.Allow(s.opts.Limits.SearchRate, s.opts.Now())); !ok {
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
// private rooms u owns or is a member of, by name.
//
// It is sent at every login, so it costs one pass over the rooms that
// exist, which are bounded: public rooms by online users × MaxRoomsJoined
// plus those holding tickers (see room), private rooms by maxRooms.
func (s *Server) roomListLocked(u *session, minUsers int) (*slsk.RoomListReply, []*room) {
	m := &slsk.RoomListReply{}
	var mine []*room
	for _, r := range s.rooms {
		n := uint32(len(r.joined))
		switch {
		case !r.private:
			if len(r.joined) >= minUsers {
				m.Public = append(m.Public, slsk.RoomCount{Room: r.name, Users: n})
			}
		case r.owner == u.name:
			m.Owned = append(m.Owned, slsk.RoomCount{Room: r.name, Users: n})
			mine = append(mine, r)
		case r.isMember(u.name):
			m.Member = append(m.Member, slsk.RoomCount{Room: r.name, Users: n})
			if r.isOperator(u.name) {
				m.Operated = append(m.Operated, r.name)
			}
			mine = append(mine, r)
		}
	}
	byName := func(a, b slsk.RoomCount) int { return cmp.Compare(a.Room, b.Room) }
	slices.SortFunc(m.Public, byName)
	slices.SortFunc(m.Owned, byName)
	slices.SortFunc(m.Member, byName)
	slices.Sort(m.Operated)
	slices.SortFunc(mine, func(a, b *room) int { return cmp.Compare(a.name, b.name) })
	return m, mine
}
