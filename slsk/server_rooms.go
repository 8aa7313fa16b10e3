package slsk

import "github.com/revival-net/revival/internal/wire"

// SayChatroom is server code 13, client to server (spec §2): a line for a
// joined room.
type SayChatroom struct {
	Room    string
	Message string
}

func (*SayChatroom) ServerCode() ServerCode { return CodeSayChatroom }

func (m *SayChatroom) Encode(b *wire.Builder) {
	b.String(m.Room)
	b.String(m.Message)
}

func (m *SayChatroom) Decode(r *wire.Reader) {
	m.Room = r.String()
	m.Message = r.String()
}

// SayChatroomReply is server code 13, server to client (spec §2): a room
// line, sent to every member including its author (Nicotine+ shows its own
// line from this echo).
type SayChatroomReply struct {
	Room     string
	Username string
	Message  string
}

func (*SayChatroomReply) ServerCode() ServerCode { return CodeSayChatroom }

func (m *SayChatroomReply) Encode(b *wire.Builder) {
	b.String(m.Room)
	b.String(m.Username)
	b.String(m.Message)
}

func (m *SayChatroomReply) Decode(r *wire.Reader) {
	m.Room = r.String()
	m.Username = r.String()
	m.Message = r.String()
}

// JoinRoom is server code 14, client to server (spec §2, §2.2). Private
// asks to create a private room; the u32 flag is optional on decode (old
// clients omit it) and always sent (Nicotine+ sends it as 0).
type JoinRoom struct {
	Room    string
	Private bool
}

func (*JoinRoom) ServerCode() ServerCode { return CodeJoinRoom }

func (m *JoinRoom) Encode(b *wire.Builder) {
	b.String(m.Room)
	writeU32Bool(b, m.Private)
}

func (m *JoinRoom) Decode(r *wire.Reader) {
	m.Room = r.String()
	if !r.Empty() {
		m.Private = u32Bool(r)
	}
}

// RoomUser is one member as listed in JoinRoomReply and UserJoinedRoom
// (spec §2, codes 14 and 16).
type RoomUser struct {
	Username  string
	Status    UserStatus
	Stats     UserStats
	SlotsFull uint32
	Country   string
}

// JoinRoomReply is server code 14, server to client (spec §2): the room's
// members as parallel arrays (names, statuses, stats, slotsfull,
// countries), then — for private rooms ONLY — the owner and operators.
// Nicotine+ reads any bytes after the countries as "private", so a public
// room must end there; Decode sets Private when bytes remain.
type JoinRoomReply struct {
	Room      string
	Users     []RoomUser
	Private   bool
	Owner     string
	Operators []string
}

func (*JoinRoomReply) ServerCode() ServerCode { return CodeJoinRoom }

func (m *JoinRoomReply) Encode(b *wire.Builder) {
	b.String(m.Room)
	n := uint32(len(m.Users))
	b.Uint32(n)
	for _, u := range m.Users {
		b.String(u.Username)
	}
	b.Uint32(n)
	for _, u := range m.Users {
		b.Uint32(uint32(u.Status))
	}
	b.Uint32(n)
	for _, u := range m.Users {
		writeUserStats(b, u.Stats)
	}
	b.Uint32(n)
	for _, u := range m.Users {
		b.Uint32(u.SlotsFull)
	}
	b.Uint32(n)
	for _, u := range m.Users {
		b.String(u.Country)
	}
	if m.Private {
		b.String(m.Owner)
		writeStrings(b, m.Operators)
	}
}

func (m *JoinRoomReply) Decode(r *wire.Reader) {
	m.Room = r.String()
	n := r.Count(minString)
	if n > 0 {
		m.Users = make([]RoomUser, n)
	}
	for i := range m.Users {
		m.Users[i].Username = r.String()
	}
	// Each following array must repeat the same count.
	same := func(minSize int) bool {
		if c := r.Count(minSize); c != n && r.Err() == nil {
			r.Fail(errArrayMismatch)
		}
		return r.Err() == nil
	}
	if !same(minUint32) {
		return
	}
	for i := range m.Users {
		m.Users[i].Status = UserStatus(r.Uint32())
	}
	if !same(userStatsSize) {
		return
	}
	for i := range m.Users {
		m.Users[i].Stats = readUserStats(r)
	}
	if !same(minUint32) {
		return
	}
	for i := range m.Users {
		m.Users[i].SlotsFull = r.Uint32()
	}
	if !same(minString) {
		return
	}
	for i := range m.Users {
		m.Users[i].Country = r.String()
	}
	if r.Empty() {
		return
	}
	m.Private = true
	m.Owner = r.String()
	m.Operators = readStrings(r)
}

// LeaveRoom is server code 15, the same str room both ways (spec §2): the
// request, and the echo to the leaver.
type LeaveRoom struct{ Room string }

func (*LeaveRoom) ServerCode() ServerCode   { return CodeLeaveRoom }
func (m *LeaveRoom) Encode(b *wire.Builder) { b.String(m.Room) }
func (m *LeaveRoom) Decode(r *wire.Reader)  { m.Room = r.String() }

// UserJoinedRoom is server code 16, server to client (spec §2): someone
// joined a room the receiver is in. Every field is required (Nicotine+
// parses strictly): room, user, status, stats, slotsfull, country.
type UserJoinedRoom struct {
	Room string
	User RoomUser
}

func (*UserJoinedRoom) ServerCode() ServerCode { return CodeUserJoinedRoom }

func (m *UserJoinedRoom) Encode(b *wire.Builder) {
	b.String(m.Room)
	b.String(m.User.Username)
	b.Uint32(uint32(m.User.Status))
	writeUserStats(b, m.User.Stats)
	b.Uint32(m.User.SlotsFull)
	b.String(m.User.Country)
}

func (m *UserJoinedRoom) Decode(r *wire.Reader) {
	m.Room = r.String()
	m.User.Username = r.String()
	m.User.Status = UserStatus(r.Uint32())
	m.User.Stats = readUserStats(r)
	m.User.SlotsFull = r.Uint32()
	m.User.Country = r.String()
}

// UserLeftRoom is server code 17, server to client (spec §2): someone left
// a room (or disconnected).
type UserLeftRoom struct {
	Room     string
	Username string
}

func (*UserLeftRoom) ServerCode() ServerCode { return CodeUserLeftRoom }

func (m *UserLeftRoom) Encode(b *wire.Builder) {
	b.String(m.Room)
	b.String(m.Username)
}

func (m *UserLeftRoom) Decode(r *wire.Reader) {
	m.Room = r.String()
	m.Username = r.String()
}

// CantCreateRoom is server code 1003, server to client (spec §2, §2.2):
// the caller may not join this private room (sent with a PM from
// "server"). Soulseek.NET calls it CannotJoinRoom.
type CantCreateRoom struct{ Room string }

func (*CantCreateRoom) ServerCode() ServerCode   { return CodeCantCreateRoom }
func (m *CantCreateRoom) Encode(b *wire.Builder) { b.String(m.Room) }
func (m *CantCreateRoom) Decode(r *wire.Reader)  { m.Room = r.String() }

func init() {
	registerRequest(func() ServerMessage { return new(SayChatroom) })
	registerReply(func() ServerMessage { return new(SayChatroomReply) })
	registerRequest(func() ServerMessage { return new(JoinRoom) })
	registerReply(func() ServerMessage { return new(JoinRoomReply) })
	registerBoth(func() ServerMessage { return new(LeaveRoom) })
	registerReply(func() ServerMessage { return new(UserJoinedRoom) })
	registerReply(func() ServerMessage { return new(UserLeftRoom) })
	registerReply(func() ServerMessage { return new(CantCreateRoom) })
}
