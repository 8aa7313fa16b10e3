package slsk

import "github.com/revival-net/revival/internal/wire"

// Private rooms (spec §2.2): an owner, members (excluding the owner) and
// operators (a subset of the members). These messages manage them.

// RoomMembers is server code 133, server to client (spec §1.5, §2): the
// members of a private room (without the owner), part of the room-list
// update.
type RoomMembers struct {
	Room    string
	Members []string
}

func (*RoomMembers) ServerCode() ServerCode { return CodeRoomMembers }

func (m *RoomMembers) Encode(b *wire.Builder) {
	b.String(m.Room)
	writeStrings(b, m.Members)
}

func (m *RoomMembers) Decode(r *wire.Reader) {
	m.Room = r.String()
	m.Members = readStrings(r)
}

// roomUser is the (str room, str user) payload shared by codes 134, 135,
// 143 and 144.
type roomUser struct {
	Room     string
	Username string
}

func (m *roomUser) Encode(b *wire.Builder) {
	b.String(m.Room)
	b.String(m.Username)
}

func (m *roomUser) Decode(r *wire.Reader) {
	m.Room = r.String()
	m.Username = r.String()
}

// AddRoomMember is server code 134, the same both ways (spec §2, §2.2):
// the owner or an operator adds Username; the server then sends it to all
// members, the new one and the owner.
type AddRoomMember struct {
	Room     string
	Username string
}

func (*AddRoomMember) ServerCode() ServerCode   { return CodeAddRoomMember }
func (m *AddRoomMember) Encode(b *wire.Builder) { (*roomUser)(m).Encode(b) }
func (m *AddRoomMember) Decode(r *wire.Reader)  { (*roomUser)(m).Decode(r) }

// RemoveRoomMember is server code 135, the same both ways (spec §2): the
// owner removes anyone, an operator only plain members.
type RemoveRoomMember struct {
	Room     string
	Username string
}

func (*RemoveRoomMember) ServerCode() ServerCode   { return CodeRemoveRoomMember }
func (m *RemoveRoomMember) Encode(b *wire.Builder) { (*roomUser)(m).Encode(b) }
func (m *RemoveRoomMember) Decode(r *wire.Reader)  { (*roomUser)(m).Decode(r) }

// CancelRoomMembership is server code 136, client to server (spec §2):
// leave the membership of a private room.
type CancelRoomMembership struct{ Room string }

func (*CancelRoomMembership) ServerCode() ServerCode   { return CodeCancelRoomMembership }
func (m *CancelRoomMembership) Encode(b *wire.Builder) { b.String(m.Room) }
func (m *CancelRoomMembership) Decode(r *wire.Reader)  { m.Room = r.String() }

// CancelRoomOwnership is server code 137, client to server (spec §2):
// disband a private room the caller owns.
type CancelRoomOwnership struct{ Room string }

func (*CancelRoomOwnership) ServerCode() ServerCode   { return CodeCancelRoomOwnership }
func (m *CancelRoomOwnership) Encode(b *wire.Builder) { b.String(m.Room) }
func (m *CancelRoomOwnership) Decode(r *wire.Reader)  { m.Room = r.String() }

// RoomSomething is server code 138, str room both ways (spec §2,
// obsolete; its purpose is unknown).
type RoomSomething struct{ Room string }

func (*RoomSomething) ServerCode() ServerCode   { return CodeRoomSomething }
func (m *RoomSomething) Encode(b *wire.Builder) { b.String(m.Room) }
func (m *RoomSomething) Decode(r *wire.Reader)  { m.Room = r.String() }

// RoomMembershipGranted is server code 139, server to client (spec §2.2):
// the receiver is now a member of Room.
type RoomMembershipGranted struct{ Room string }

func (*RoomMembershipGranted) ServerCode() ServerCode   { return CodeRoomMembershipGranted }
func (m *RoomMembershipGranted) Encode(b *wire.Builder) { b.String(m.Room) }
func (m *RoomMembershipGranted) Decode(r *wire.Reader)  { m.Room = r.String() }

// RoomMembershipRevoked is server code 140, server to client (spec §2):
// the receiver was removed from Room.
type RoomMembershipRevoked struct{ Room string }

func (*RoomMembershipRevoked) ServerCode() ServerCode   { return CodeRoomMembershipRevoked }
func (m *RoomMembershipRevoked) Encode(b *wire.Builder) { b.String(m.Room) }
func (m *RoomMembershipRevoked) Decode(r *wire.Reader)  { m.Room = r.String() }

// EnableRoomInvitations is server code 141, a bool both ways (spec §2):
// whether others may add the caller to private rooms; the server echoes it.
type EnableRoomInvitations struct{ Enable bool }

func (*EnableRoomInvitations) ServerCode() ServerCode   { return CodeEnableRoomInvitations }
func (m *EnableRoomInvitations) Encode(b *wire.Builder) { b.Bool(m.Enable) }
func (m *EnableRoomInvitations) Decode(r *wire.Reader)  { m.Enable = r.Bool() }

// ChangePassword is server code 142, str password both ways (spec §2): the
// server echoes the new password on success (Soulseek.NET waits for it).
type ChangePassword struct{ Password string }

func (*ChangePassword) ServerCode() ServerCode   { return CodeChangePassword }
func (m *ChangePassword) Encode(b *wire.Builder) { b.String(m.Password) }
func (m *ChangePassword) Decode(r *wire.Reader)  { m.Password = r.String() }

// AddRoomOperator is server code 143, the same both ways (spec §2): the
// owner makes a member an operator.
type AddRoomOperator struct {
	Room     string
	Username string
}

func (*AddRoomOperator) ServerCode() ServerCode   { return CodeAddRoomOperator }
func (m *AddRoomOperator) Encode(b *wire.Builder) { (*roomUser)(m).Encode(b) }
func (m *AddRoomOperator) Decode(r *wire.Reader)  { (*roomUser)(m).Decode(r) }

// RemoveRoomOperator is server code 144, the same both ways (spec §2).
type RemoveRoomOperator struct {
	Room     string
	Username string
}

func (*RemoveRoomOperator) ServerCode() ServerCode   { return CodeRemoveRoomOperator }
func (m *RemoveRoomOperator) Encode(b *wire.Builder) { (*roomUser)(m).Encode(b) }
func (m *RemoveRoomOperator) Decode(r *wire.Reader)  { (*roomUser)(m).Decode(r) }

// RoomOperatorshipGranted is server code 145, server to client (spec §2):
// the receiver is now an operator of Room.
type RoomOperatorshipGranted struct{ Room string }

func (*RoomOperatorshipGranted) ServerCode() ServerCode   { return CodeRoomOperatorshipGranted }
func (m *RoomOperatorshipGranted) Encode(b *wire.Builder) { b.String(m.Room) }
func (m *RoomOperatorshipGranted) Decode(r *wire.Reader)  { m.Room = r.String() }

// RoomOperatorshipRevoked is server code 146, server to client (spec §2).
type RoomOperatorshipRevoked struct{ Room string }

func (*RoomOperatorshipRevoked) ServerCode() ServerCode   { return CodeRoomOperatorshipRevoked }
func (m *RoomOperatorshipRevoked) Encode(b *wire.Builder) { b.String(m.Room) }
func (m *RoomOperatorshipRevoked) Decode(r *wire.Reader)  { m.Room = r.String() }

// CancelRoomOperatorship is server code 147, client to server (spec §2):
// give up one's own operator role (Soulfind; not in Nicotine+'s document).
type CancelRoomOperatorship struct{ Room string }

func (*CancelRoomOperatorship) ServerCode() ServerCode   { return CodeCancelRoomOperatorship }
func (m *CancelRoomOperatorship) Encode(b *wire.Builder) { b.String(m.Room) }
func (m *CancelRoomOperatorship) Decode(r *wire.Reader)  { m.Room = r.String() }

// RoomOperators is server code 148, server to client (spec §1.5, §2): the
// operators of a private room, part of the room-list update.
type RoomOperators struct {
	Room      string
	Operators []string
}

func (*RoomOperators) ServerCode() ServerCode { return CodeRoomOperators }

func (m *RoomOperators) Encode(b *wire.Builder) {
	b.String(m.Room)
	writeStrings(b, m.Operators)
}

func (m *RoomOperators) Decode(r *wire.Reader) {
	m.Room = r.String()
	m.Operators = readStrings(r)
}

func init() {
	registerReply(func() ServerMessage { return new(RoomMembers) })
	registerBoth(func() ServerMessage { return new(AddRoomMember) })
	registerBoth(func() ServerMessage { return new(RemoveRoomMember) })
	registerRequest(func() ServerMessage { return new(CancelRoomMembership) })
	registerRequest(func() ServerMessage { return new(CancelRoomOwnership) })
	registerBoth(func() ServerMessage { return new(RoomSomething) })
	registerReply(func() ServerMessage { return new(RoomMembershipGranted) })
	registerReply(func() ServerMessage { return new(RoomMembershipRevoked) })
	registerBoth(func() ServerMessage { return new(EnableRoomInvitations) })
	registerBoth(func() ServerMessage { return new(ChangePassword) })
	registerBoth(func() ServerMessage { return new(AddRoomOperator) })
	registerBoth(func() ServerMessage { return new(RemoveRoomOperator) })
	registerReply(func() ServerMessage { return new(RoomOperatorshipGranted) })
	registerReply(func() ServerMessage { return new(RoomOperatorshipRevoked) })
	registerRequest(func() ServerMessage { return new(CancelRoomOperatorship) })
	registerReply(func() ServerMessage { return new(RoomOperators) })
}
