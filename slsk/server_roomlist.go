package slsk

import "github.com/revival-net/revival/internal/wire"

// RoomAdded is server code 62, server to client (spec §2, obsolete: no
// longer sent).
type RoomAdded struct{ Room string }

func (*RoomAdded) ServerCode() ServerCode   { return CodeRoomAdded }
func (m *RoomAdded) Encode(b *wire.Builder) { b.String(m.Room) }
func (m *RoomAdded) Decode(r *wire.Reader)  { m.Room = r.String() }

// RoomRemoved is server code 63, server to client (spec §2, obsolete).
type RoomRemoved struct{ Room string }

func (*RoomRemoved) ServerCode() ServerCode   { return CodeRoomRemoved }
func (m *RoomRemoved) Encode(b *wire.Builder) { b.String(m.Room) }
func (m *RoomRemoved) Decode(r *wire.Reader)  { m.Room = r.String() }

// RoomList is server code 64, client to server (spec §2): empty request.
type RoomList struct{}

func (*RoomList) ServerCode() ServerCode { return CodeRoomList }
func (*RoomList) Encode(*wire.Builder)   {}
func (*RoomList) Decode(*wire.Reader)    {}

// RoomCount is a room name with its member count, as listed in RoomList.
type RoomCount struct {
	Room  string
	Users uint32
}

// RoomListReply is server code 64, server to client (spec §2): public
// rooms, owned private rooms and member-of private rooms, each as a names
// array then a counts array, then operated private rooms as names only (no
// counts). Sent at login, on request, and after private-room changes.
// Decode accepts a reply that stops after any whole list (old servers sent
// only public rooms).
type RoomListReply struct {
	Public   []RoomCount
	Owned    []RoomCount
	Member   []RoomCount
	Operated []string
}

func (*RoomListReply) ServerCode() ServerCode { return CodeRoomList }

func (m *RoomListReply) Encode(b *wire.Builder) {
	writeRoomCounts(b, m.Public)
	writeRoomCounts(b, m.Owned)
	writeRoomCounts(b, m.Member)
	writeStrings(b, m.Operated)
}

func (m *RoomListReply) Decode(r *wire.Reader) {
	m.Public = readRoomCounts(r)
	if r.Empty() {
		return
	}
	m.Owned = readRoomCounts(r)
	if r.Empty() {
		return
	}
	m.Member = readRoomCounts(r)
	if r.Empty() {
		return
	}
	m.Operated = readStrings(r)
}

func writeRoomCounts(b *wire.Builder, rooms []RoomCount) {
	b.Uint32(uint32(len(rooms)))
	for _, rc := range rooms {
		b.String(rc.Room)
	}
	b.Uint32(uint32(len(rooms)))
	for _, rc := range rooms {
		b.Uint32(rc.Users)
	}
}

func readRoomCounts(r *wire.Reader) []RoomCount {
	n := r.Count(minString)
	var out []RoomCount
	if n > 0 {
		out = make([]RoomCount, n)
	}
	for i := range out {
		out[i].Room = r.String()
	}
	if c := r.Count(minUint32); c != n && r.Err() == nil {
		r.Fail(errArrayMismatch)
	}
	if r.Err() != nil {
		return nil
	}
	for i := range out {
		out[i].Users = r.Uint32()
	}
	return out
}

func init() {
	registerReply(func() ServerMessage { return new(RoomAdded) })
	registerReply(func() ServerMessage { return new(RoomRemoved) })
	registerRequest(func() ServerMessage { return new(RoomList) })
	registerReply(func() ServerMessage { return new(RoomListReply) })
}
