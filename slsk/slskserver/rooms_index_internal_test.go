package slskserver

import (
	"cmp"
	"fmt"
	"log/slog"
	"slices"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"golang.org/x/crypto/bcrypt"

	"github.com/revival-net/revival/internal/hub"
	"github.com/revival-net/revival/internal/store"
	"github.com/revival-net/revival/internal/store/sqlstore"
	"github.com/revival-net/revival/slsk"
)

// indexView is the room index by names, for comparing and printing.
type indexView struct {
	Public    []string
	PrivateOf map[string][]string
}

func viewOf(public map[string]bool, privateOf map[string]map[string]bool) indexView {
	v := indexView{PrivateOf: map[string][]string{}}
	for name := range public {
		v.Public = append(v.Public, name)
	}
	slices.Sort(v.Public)
	for user, rooms := range privateOf {
		for name := range rooms {
			v.PrivateOf[user] = append(v.PrivateOf[user], name)
		}
		slices.Sort(v.PrivateOf[user])
	}
	return v
}

func addTo(m map[string]map[string]bool, user, room string) {
	if m[user] == nil {
		m[user] = map[string]bool{}
	}
	m[user][room] = true
}

// checkIndexLocked recomputes the room index from scratch over
// Server.rooms and returns how the index differs from it, or "" when it
// matches. An indexed room that is not the one Server.rooms holds under
// its name shows up with a "(stale)" suffix.
func (s *Server) checkIndexLocked() string {
	wantPublic, wantPrivate := map[string]bool{}, map[string]map[string]bool{}
	for name, r := range s.rooms {
		if !r.private {
			wantPublic[name] = true
			continue
		}
		addTo(wantPrivate, r.owner, name)
		for m := range r.members {
			addTo(wantPrivate, m, name)
		}
	}
	label := func(r *room) string {
		if s.rooms[r.name] != r {
			return r.name + " (stale)"
		}
		return r.name
	}
	gotPublic, gotPrivate := map[string]bool{}, map[string]map[string]bool{}
	for r := range s.index.public {
		gotPublic[label(r)] = true
	}
	for user, set := range s.index.privateOf {
		if len(set) == 0 {
			addTo(gotPrivate, user, "(empty set kept)")
		}
		for r := range set {
			addTo(gotPrivate, user, label(r))
		}
	}
	return gocmp.Diff(viewOf(wantPublic, wantPrivate), viewOf(gotPublic, gotPrivate), cmpopts.EquateEmpty())
}

// bruteRoomListLocked is RoomList as it was built before the index: one
// pass over every room.
func (s *Server) bruteRoomListLocked(u *session, minUsers int) (*slsk.RoomListReply, []string) {
	m := &slsk.RoomListReply{}
	var mine []string
	for _, r := range s.rooms {
		n := uint32(len(r.joined))
		switch {
		case !r.private:
			if len(r.joined) >= minUsers {
				m.Public = append(m.Public, slsk.RoomCount{Room: r.name, Users: n})
			}
		case r.owner == u.name:
			m.Owned = append(m.Owned, slsk.RoomCount{Room: r.name, Users: n})
			mine = append(mine, r.name)
		case r.isMember(u.name):
			m.Member = append(m.Member, slsk.RoomCount{Room: r.name, Users: n})
			if r.isOperator(u.name) {
				m.Operated = append(m.Operated, r.name)
			}
			mine = append(mine, r.name)
		}
	}
	byName := func(a, b slsk.RoomCount) int { return cmp.Compare(a.Room, b.Room) }
	slices.SortFunc(m.Public, byName)
	slices.SortFunc(m.Owned, byName)
	slices.SortFunc(m.Member, byName)
	slices.Sort(m.Operated)
	slices.Sort(mine)
	return m, mine
}

func names(rooms []*room) []string {
	out := make([]string, len(rooms))
	for i, r := range rooms {
		out[i] = r.name
	}
	return out
}

// privateRoom builds a private room as roomFromRecord does.
func privateRoom(name, owner string, members, operators []string) *room {
	return roomFromRecord(store.Room{Network: hub.NetworkSoulseek, Name: name, Private: true, Owner: owner, Members: members, Operators: operators})
}

// addOthersRooms adds n private rooms owned by users other than the test's
// (maxOwnedRooms each), each with one member of its own.
func addOthersRooms(s *Server, n int) {
	for i := range n {
		s.addRoomLocked(privateRoom(fmt.Sprintf("other%06d", i), fmt.Sprintf("owner%04d", i/maxOwnedRooms), []string{fmt.Sprintf("m%04d", i%1000)}, nil))
	}
}

// newStoredServer opens a store in a temporary directory, lets fill write
// to it, then starts a server on it (which loads the rooms) that is
// closed when the test ends.
func newStoredServer(t *testing.T, fill func(rs store.Rooms)) *Server {
	t.Helper()
	st, err := sqlstore.OpenDir(t.Context(), t.TempDir(), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	fill(st.Rooms())
	s, err := New(t.Context(), Options{Hub: hub.New(st, hub.AccountsOptions{BcryptCost: bcrypt.MinCost})})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// The index answers RoomList with exactly the caller's rooms among many
// private rooms of others, as the old pass over every room did, and stays
// equal to a recomputation from Server.rooms through loading, creation,
// membership changes, disbanding, a failed claim, dropping a public room
// and an account deletion.
func TestRoomIndex(t *testing.T) {
	put := func(t *testing.T, rs store.Rooms, rec store.Room) {
		rec.Network = hub.NetworkSoulseek
		if err := rs.Put(t.Context(), rec); err != nil {
			t.Fatal(err)
		}
	}
	s := newStoredServer(t, func(rs store.Rooms) {
		put(t, rs, store.Room{Name: "club", Private: true, Owner: "olga", Members: []string{"mike", "nina"}, Operators: []string{"mike"}})
		put(t, rs, store.Room{Name: "den", Private: true, Owner: "mike"})
		// Stored data may list the owner as a member too.
		put(t, rs, store.Room{Name: "odd", Private: true, Owner: "pat", Members: []string{"pat", "quin"}})
		put(t, rs, store.Room{Name: "news"}) // public, kept for its ticker
		if err := rs.SetTicker(t.Context(), hub.NetworkSoulseek, "news", "olga", "hello"); err != nil {
			t.Fatal(err)
		}
		put(t, rs, store.Room{Name: "stale"}) // public without tickers: not loaded
	})
	users := []string{"olga", "mike", "nina", "pat", "quin", "xena", "owner0001", "m0007"}
	check := func(t *testing.T) {
		t.Helper()
		if diff := s.checkIndexLocked(); diff != "" {
			t.Errorf("index differs from a recomputation (-want +got):\n%s", diff)
		}
		for _, name := range users {
			for _, minUsers := range []int{0, 1} {
				u := &session{name: name}
				wantList, wantMine := s.bruteRoomListLocked(u, minUsers)
				gotList, gotMine := s.roomListLocked(u, minUsers)
				if diff := gocmp.Diff(wantList, gotList); diff != "" {
					t.Errorf("RoomList of %s, min %d users (-brute force +index):\n%s", name, minUsers, diff)
				}
				if diff := gocmp.Diff(wantMine, names(gotMine), cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("private rooms of %s (-brute force +index):\n%s", name, diff)
				}
			}
		}
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	addOthersRooms(s, 2000)
	pub := newRoom("pub", time.Time{})
	pub.joined = []*session{{name: "xena"}, {name: "yuri"}}
	s.addRoomLocked(pub)
	check(t)

	// Exactly the user's rooms, whatever others own, and the public rooms
	// (with no minimum, also the one loaded for its ticker).
	got, mine := s.roomListLocked(&session{name: "mike"}, 0)
	want := &slsk.RoomListReply{
		Public:   []slsk.RoomCount{{Room: "news"}, {Room: "pub", Users: 2}},
		Owned:    []slsk.RoomCount{{Room: "den"}},
		Member:   []slsk.RoomCount{{Room: "club"}},
		Operated: []string{"club"},
	}
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("mike's RoomList (-want +got):\n%s", diff)
	}
	if diff := gocmp.Diff([]string{"club", "den"}, names(mine)); diff != "" {
		t.Errorf("mike's private rooms (-want +got):\n%s", diff)
	}
	if n := s.ownedCountLocked("owner0001"); n != maxOwnedRooms {
		t.Errorf("owner0001 owns %d rooms, want %d", n, maxOwnedRooms)
	}

	club, odd := s.rooms["club"], s.rooms["odd"]
	steps := []struct {
		name string
		do   func()
	}{
		{"grant", func() { s.grantMembershipLocked(club, "xena", "olga") }},
		{"grant in a room of others", func() { s.grantMembershipLocked(s.rooms["other000050"], "mike", "owner0001") }},
		{"revoke", func() { s.revokeMembershipLocked(club, "mike") }},
		{"revoke the owner listed as member", func() { s.revokeMembershipLocked(odd, "pat") }},
		{"revoke the last room of a user", func() { s.revokeMembershipLocked(odd, "quin") }},
		{"claim", func() { s.addRoomLocked(privateRoom("new", "xena", nil, nil)) }},
		{"failed claim", func() { s.removeRoomLocked(s.rooms["new"]) }},
		{"public room emptied", func() {
			pub.joined = nil
			s.dropIfUnusedLocked(pub)
		}},
		{"disband", func() { s.disbandLocked(club) }},
		{"disband a room of others", func() { s.disbandLocked(s.rooms["other000051"]) }},
		{"account deleted", func() {
			s.mu.Unlock() // accountChanged takes op, then mu
			defer s.mu.Lock()
			s.accountChanged("owner0001", true)
		}},
		{"member account deleted", func() {
			s.mu.Unlock()
			defer s.mu.Lock()
			s.accountChanged("m0003", true)
		}},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			st.do()
			check(t)
		})
	}
	if s.rooms["pub"] != nil || s.rooms["club"] != nil || s.rooms["other000050"] != nil {
		t.Errorf("emptied public, disbanded, or deleted owner's rooms still present")
	}
	if _, ok := s.index.privateOf["owner0001"]; ok {
		t.Errorf("a deleted owner keeps an index entry")
	}
	if n := s.ownedCountLocked("pat"); n != 1 {
		t.Errorf("pat owns %d rooms after losing a membership of its own room, want 1", n)
	}
}

// BenchmarkRoomListManyPrivateRooms measures RoomList for a user with two
// private rooms (one owned, one as member) among maxRooms private rooms,
// the case that once cost one pass over every room under Server.mu.
func BenchmarkRoomListManyPrivateRooms(b *testing.B) {
	s := &Server{rooms: map[string]*room{}, index: newRoomIndex()}
	addOthersRooms(s, maxRooms-2)
	s.addRoomLocked(privateRoom("mine", "me", nil, nil))
	s.addRoomLocked(privateRoom("theirs", "owner0000", []string{"me"}, nil))
	u := &session{name: "me"}
	if list, _ := s.roomListLocked(u, 1); len(list.Owned) != 1 || len(list.Member) != 1 {
		b.Fatalf("RoomList of me: %+v", list)
	}
	for b.Loop() {
		s.roomListLocked(u, 1)
	}
}
