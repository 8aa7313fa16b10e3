package slskserver

import (
	"fmt"
	"testing"

	"github.com/revival-net/revival/slsk"
)

// Issue 5, finding 2: with the room namespace full of one-user public
// rooms (maxRooms of them, 24-byte names) a complete RoomList is 3.2 MB,
// more than the 2 MiB write queue, and would disconnect every user who
// asks. The reply holds at most MaxRoomListRooms public rooms and
// MaxRoomListBytes bytes; the rooms people talk in (the most users) and
// the asker's own rooms are always among them.
func TestRoomListIsBounded(t *testing.T) {
	s := &Server{rooms: map[string]*room{}, index: newRoomIndex()}
	s.opts.Limits.setDefaults()
	lim := s.opts.Limits
	u := &session{name: "me", joined: map[string]*room{}}
	lone := &session{name: "lone"}
	for i := range maxRooms - 100 {
		r := newRoom(fmt.Sprintf("spam%020d", i), s.started)
		r.joined = []*session{lone}
		s.addRoomLocked(r)
	}
	// Twenty busy rooms, and a quiet one the asker is in.
	for i := range 20 {
		r := newRoom(fmt.Sprintf("busy%02d", i), s.started)
		for j := range 2 + i {
			r.joined = append(r.joined, &session{name: fmt.Sprint("u", j)})
		}
		s.addRoomLocked(r)
	}
	quiet := newRoom("zz quiet", s.started)
	quiet.joined = []*session{u}
	u.joined[quiet.name] = quiet
	s.addRoomLocked(quiet)
	s.addRoomLocked(privateRoom("mine", "me", nil, nil))

	for _, minUsers := range []int{1, loginRoomListMin} {
		list, mine := s.roomListLocked(u, minUsers)
		frame := slsk.AppendServerFrame(nil, list)
		if len(frame) > lim.MaxRoomListBytes || len(frame) > lim.MaxQueueBytes/4 {
			t.Errorf("min %d: RoomList is %d bytes, want at most %d", minUsers, len(frame), min(lim.MaxRoomListBytes, lim.MaxQueueBytes/4))
		}
		if len(list.Public) > lim.MaxRoomListRooms {
			t.Errorf("min %d: RoomList has %d public rooms, want at most %d", minUsers, len(list.Public), lim.MaxRoomListRooms)
		}
		has := map[string]bool{}
		for _, rc := range list.Public {
			has[rc.Room] = true
		}
		for i := range 20 {
			if name := fmt.Sprintf("busy%02d", i); 2+i >= minUsers && !has[name] {
				t.Errorf("min %d: RoomList lacks %s, one of the largest rooms", minUsers, name)
			}
		}
		if !has["zz quiet"] {
			t.Errorf("min %d: RoomList lacks the room the asker is in", minUsers)
		}
		if len(list.Owned) != 1 || len(mine) != 1 {
			t.Errorf("min %d: RoomList lacks the asker's private room: %+v", minUsers, list.Owned)
		}
	}
}

// The byte bound holds however many private rooms the asker was added to
// (anyone may add a user who accepts invitations), and the RoomMembers
// and RoomOperators that follow cover only the rooms listed.
func TestRoomListBytesBoundPrivateRooms(t *testing.T) {
	s := &Server{rooms: map[string]*room{}, index: newRoomIndex()}
	s.opts.Limits.setDefaults()
	s.opts.Limits.MaxRoomListBytes = 4 << 10
	u := &session{name: "me"}
	for i := range 5000 {
		s.addRoomLocked(privateRoom(fmt.Sprintf("p%023d", i), fmt.Sprint("owner", i), []string{"me"}, []string{"me"}))
	}
	list, mine := s.roomListLocked(u, 1)
	if n := len(slsk.AppendServerFrame(nil, list)); n > 4<<10 {
		t.Errorf("RoomList is %d bytes, want at most %d", n, 4<<10)
	}
	if len(list.Member) == 0 || len(mine) != len(list.Member) || len(list.Operated) != len(list.Member) {
		t.Errorf("RoomList lists %d member rooms, %d operated, %d for RoomMembers; want them equal and not 0", len(list.Member), len(list.Operated), len(mine))
	}
}

// BenchmarkRoomListFullNamespace measures a RoomList request (minimum one
// user) with the namespace full of one-user public rooms, the attack of
// issue 5 finding 2: it walks the public rooms and keeps the largest.
func BenchmarkRoomListFullNamespace(b *testing.B) {
	s := &Server{rooms: map[string]*room{}, index: newRoomIndex()}
	s.opts.Limits.setDefaults()
	lone := &session{name: "lone"}
	for i := range maxRooms {
		r := newRoom(fmt.Sprintf("spam%020d", i), s.started)
		r.joined = []*session{lone}
		s.addRoomLocked(r)
	}
	u := &session{name: "me"}
	for b.Loop() {
		s.roomListLocked(u, 1)
	}
}
