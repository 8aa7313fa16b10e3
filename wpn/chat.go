package wpn

import (
	"net/netip"

	"github.com/revival-net/revival/internal/wire"
)

// Chat room packet types (wpn.md §6.2). They share the frame format and
// cipher of the secondary link but not its type space (0x13ED means "I
// speak 3.53" here), so they decode with DecodeChat.
const (
	ChatJoin           Type = 0x0064 // C→S
	ChatRename         Type = 0x0065 // C→S
	ChatJoined         Type = 0x0066 // S→C join accepted
	ChatProtocol353    Type = 0x0068 // S→C server speaks 3.53
	ChatMCMA           Type = 0x0069 // S→C "MCMA" server marker
	ChatUserJoined331  Type = 0x006E // S→C
	ChatUserEntry331   Type = 0x006F // S→C
	ChatUserRenamed331 Type = 0x0070 // S→C
	ChatUserJoined     Type = 0x0071 // S→C (3.53)
	ChatUserEntry      Type = 0x0072 // S→C (3.53)
	ChatUserLeft       Type = 0x0073 // S→C
	ChatUserRenamed    Type = 0x0074 // S→C (3.53), also rank changes
	ChatUserJoinedIP   Type = 0x0075 // S→C (3.53, with the real IP, for operators)
	ChatMOTD           Type = 0x0078 // S→C
	ChatText331        Type = 0x00C8 // C→S public text
	ChatTextFrom       Type = 0x00C9 // S→C
	ChatAction         Type = 0x00CA // C→S /me
	ChatActionFrom     Type = 0x00CB // S→C
	ChatFormatted      Type = 0x00D2 // S→C coloured line
	ChatNotice         Type = 0x00D3 // S→C echo/notice line
	ChatTopic          Type = 0x012C // S→C
	ChatRoomRenamed    Type = 0x012D // S→C
	ChatRedirect       Type = 0x0190 // S→C
	ChatHello353       Type = 0x13ED // C→S before join
	ChatRedirectedFrom Type = 0x13EE // C→S
	ChatText           Type = 0x1450 // C→S public text (3.53)
	ChatIPQuery        Type = 0x9900 // S→C
	ChatIPReply        Type = 0x9901 // C→S
	ChatIPRecord       Type = 0x9902 // S→C
	ChatIPRecordsEnd   Type = 0x9903 // S→C
	ChatColourTemplate Type = 0x9904 // S→C
	ChatSoftware       Type = 0x9905 // both
	ChatPing           Type = 0xFDE8 // both
)

// Chat ranks (wpn.md §6.2).
const (
	RankNormal   uint8 = 0
	RankOperator uint8 = 1 // shown with @
	RankVoice    uint8 = 2 // shown with +
	RankHost     uint8 = 3 // RoboMX
)

var chatPackets = registry{}

func init() {
	register[ChatJoinRequest](chatPackets)
	register[ChatRenameRequest](chatPackets)
	register[ChatUserInfo](chatPackets)
	register[ChatUserEntryInfo](chatPackets)
	register[ChatUserInfo331](chatPackets)
	register[ChatUserEntryInfo331](chatPackets)
	register[ChatUserJoinedWithIP](chatPackets)
	register[ChatLeft](chatPackets)
	register[ChatRenamed](chatPackets)
	register[ChatRenamed331](chatPackets)
	register[ChatSay](chatPackets)
	register[ChatSay331](chatPackets)
	register[ChatEmote](chatPackets)
	register[ChatSaid](chatPackets)
	register[ChatEmoted](chatPackets)
	register[ChatLine](chatPackets)
	register[ChatNoticeLine](chatPackets)
	register[ChatMOTDLine](chatPackets)
	register[ChatTopicText](chatPackets)
	register[ChatRoomRename](chatPackets)
	register[ChatRedirectTo](chatPackets)
	register[ChatRedirectFrom](chatPackets)
	register[ChatColours](chatPackets)
	register[ChatSoftwareID](chatPackets)
}

// DecodeChat decodes a chat-room payload of type typ. Types without
// fields of interest (0x0066, 0x0068, 0x13ED, 0xFDE8 …) and unknown ones
// come back as *Unknown, whose type is all that matters.
func DecodeChat(typ uint16, payload []byte) (Packet, error) {
	return chatPackets.decode(typ, payload)
}

// ChatFlag builds the one-byte packets (0x0066, 0x0068, 0x13ED, 0x9900,
// 0x9903, 0xFDE8 pong) whose type is their message.
func ChatFlag(t Type, v byte) *Unknown { return &Unknown{Type: t, Payload: []byte{v}} }

// ChatPeer is how a chat user is addressed: name and the user's primary
// (the parts of the WPN handle).
type ChatPeer struct {
	Name           string
	PrimaryIP      netip.Addr
	PrimaryUDPPort uint16
}

// Handle returns the user's WPN handle.
func (p ChatPeer) Handle() Handle { return Handle{IP: p.PrimaryIP, UDPPort: p.PrimaryUDPPort} }

// ChatJoinRequest (0x0064) joins a room.
type ChatJoinRequest struct {
	Room           string // full name with the hex suffix
	LineType       uint16
	PrimaryIP      netip.Addr
	PrimaryUDPPort uint16
	Files          uint32
	Name           string
}

func (*ChatJoinRequest) PacketType() Type { return ChatJoin }
func (p *ChatJoinRequest) AppendPayload(b []byte) []byte {
	b = u16(appendStr(b, p.Room), p.LineType)
	b = u32(u16(appendIP4(b, p.PrimaryIP), p.PrimaryUDPPort), p.Files)
	return appendStr(b, p.Name)
}
func (p *ChatJoinRequest) decode(r *wire.Reader) {
	p.Room = readStr(r)
	p.LineType = r.Uint16()
	p.PrimaryIP = readIP4(r)
	p.PrimaryUDPPort = r.Uint16()
	p.Files = r.Uint32()
	p.Name = readStr(r)
}

// ChatRenameRequest (0x0065) changes the user's name or details.
type ChatRenameRequest struct {
	LineType       uint16
	PrimaryIP      netip.Addr
	PrimaryUDPPort uint16
	Files          uint32
	Name           string
}

func (*ChatRenameRequest) PacketType() Type { return ChatRename }
func (p *ChatRenameRequest) AppendPayload(b []byte) []byte {
	b = u32(u16(appendIP4(u16(b, p.LineType), p.PrimaryIP), p.PrimaryUDPPort), p.Files)
	return appendStr(b, p.Name)
}
func (p *ChatRenameRequest) decode(r *wire.Reader) {
	p.LineType = r.Uint16()
	p.PrimaryIP = readIP4(r)
	p.PrimaryUDPPort = r.Uint16()
	p.Files = r.Uint32()
	p.Name = readStr(r)
}

// ChatUser is a user record of the 3.53 protocol.
type ChatUser struct {
	ChatPeer
	LineType uint16
	Files    uint32
	Rank     uint8
}

func (u *ChatUser) append(b []byte) []byte {
	b = u16(appendIP4(appendStr(b, u.Name), u.PrimaryIP), u.PrimaryUDPPort)
	return append(u32(u16(b, u.LineType), u.Files), u.Rank)
}

// decode reads the record; the rank is a u8 (nuggit) or a u16
// (RoboServ): the low byte is the rank either way.
func (u *ChatUser) decode(r *wire.Reader, withRank bool) {
	u.Name = readStr(r)
	u.PrimaryIP = readIP4(r)
	u.PrimaryUDPPort = r.Uint16()
	u.LineType = r.Uint16()
	u.Files = r.Uint32()
	if withRank && !r.Empty() {
		u.Rank = r.Uint8()
	}
}

// ChatUserInfo (0x0071) announces a user who joined (3.53).
type ChatUserInfo struct{ ChatUser }

func (*ChatUserInfo) PacketType() Type                { return ChatUserJoined }
func (p *ChatUserInfo) AppendPayload(b []byte) []byte { return p.ChatUser.append(b) }
func (p *ChatUserInfo) decode(r *wire.Reader)         { p.ChatUser.decode(r, true) }

// ChatUserEntryInfo (0x0072) lists a user already in the room (3.53).
type ChatUserEntryInfo struct{ ChatUser }

func (*ChatUserEntryInfo) PacketType() Type                { return ChatUserEntry }
func (p *ChatUserEntryInfo) AppendPayload(b []byte) []byte { return p.ChatUser.append(b) }
func (p *ChatUserEntryInfo) decode(r *wire.Reader)         { p.ChatUser.decode(r, true) }

// ChatUserInfo331 (0x006E) announces a joining user to 3.31 clients: no rank.
type ChatUserInfo331 struct{ ChatUser }

func (*ChatUserInfo331) PacketType() Type { return ChatUserJoined331 }
func (p *ChatUserInfo331) AppendPayload(b []byte) []byte {
	b = u16(appendIP4(appendStr(b, p.Name), p.PrimaryIP), p.PrimaryUDPPort)
	return u32(u16(b, p.LineType), p.Files)
}
func (p *ChatUserInfo331) decode(r *wire.Reader) { p.ChatUser.decode(r, false) }

// ChatUserEntryInfo331 (0x006F) lists a user to 3.31 clients.
type ChatUserEntryInfo331 struct{ ChatUserInfo331 }

func (*ChatUserEntryInfo331) PacketType() Type { return ChatUserEntry331 }

// ChatUserJoinedWithIP (0x0075) is 0x0071 plus the user's real address,
// sent only to operators.
type ChatUserJoinedWithIP struct {
	ChatUser
	RealIP netip.Addr
}

func (*ChatUserJoinedWithIP) PacketType() Type { return ChatUserJoinedIP }
func (p *ChatUserJoinedWithIP) AppendPayload(b []byte) []byte {
	return appendIP4(p.ChatUser.append(b), p.RealIP)
}
func (p *ChatUserJoinedWithIP) decode(r *wire.Reader) {
	p.ChatUser.decode(r, false)
	// Rank is u8 or u16, then the 4-byte IP: the remaining length tells.
	switch r.Len() {
	case 6:
		p.Rank = uint8(r.Uint16())
	default:
		p.Rank = r.Uint8()
	}
	p.RealIP = readIP4(r)
}

// ChatLeft (0x0073) says a user left.
type ChatLeft struct{ ChatPeer }

func (*ChatLeft) PacketType() Type { return ChatUserLeft }
func (p *ChatLeft) AppendPayload(b []byte) []byte {
	return u16(appendIP4(appendStr(b, p.Name), p.PrimaryIP), p.PrimaryUDPPort)
}
func (p *ChatLeft) decode(r *wire.Reader) {
	p.Name = readStr(r)
	p.PrimaryIP = readIP4(r)
	p.PrimaryUDPPort = r.Uint16()
}

// ChatRenamed (0x0074) says a user changed name, details or rank (3.53).
type ChatRenamed struct {
	Old ChatPeer
	New ChatUser
}

func (*ChatRenamed) PacketType() Type { return ChatUserRenamed }
func (p *ChatRenamed) AppendPayload(b []byte) []byte {
	b = u16(appendIP4(appendStr(b, p.Old.Name), p.Old.PrimaryIP), p.Old.PrimaryUDPPort)
	return p.New.append(b)
}
func (p *ChatRenamed) decode(r *wire.Reader) {
	p.Old.Name = readStr(r)
	p.Old.PrimaryIP = readIP4(r)
	p.Old.PrimaryUDPPort = r.Uint16()
	p.New.decode(r, true)
}

// ChatRenamed331 (0x0070) is ChatRenamed without the rank.
type ChatRenamed331 struct{ ChatRenamed }

func (*ChatRenamed331) PacketType() Type { return ChatUserRenamed331 }
func (p *ChatRenamed331) AppendPayload(b []byte) []byte {
	b = u16(appendIP4(appendStr(b, p.Old.Name), p.Old.PrimaryIP), p.Old.PrimaryUDPPort)
	b = u16(appendIP4(appendStr(b, p.New.Name), p.New.PrimaryIP), p.New.PrimaryUDPPort)
	return u32(u16(b, p.New.LineType), p.New.Files)
}
func (p *ChatRenamed331) decode(r *wire.Reader) {
	p.Old.Name = readStr(r)
	p.Old.PrimaryIP = readIP4(r)
	p.Old.PrimaryUDPPort = r.Uint16()
	p.New.decode(r, false)
}

// ChatSay (0x1450) is public text in the 3.53 style; the server reads a
// leading "/me ", "/action ", "/emote " and its own /commands.
type ChatSay struct{ Text string }

func (*ChatSay) PacketType() Type                { return ChatText }
func (p *ChatSay) AppendPayload(b []byte) []byte { return appendStr(b, p.Text) }
func (p *ChatSay) decode(r *wire.Reader)         { p.Text = readStr(r) }

// ChatSay331 (0x00C8) is public text in the 3.31 style, still sent by
// WinMX 3.53 and others.
type ChatSay331 struct{ Text string }

func (*ChatSay331) PacketType() Type                { return ChatText331 }
func (p *ChatSay331) AppendPayload(b []byte) []byte { return appendStr(b, p.Text) }
func (p *ChatSay331) decode(r *wire.Reader)         { p.Text = readStr(r) }

// ChatEmote (0x00CA) is an action (/me).
type ChatEmote struct{ Text string }

func (*ChatEmote) PacketType() Type                { return ChatAction }
func (p *ChatEmote) AppendPayload(b []byte) []byte { return appendStr(b, p.Text) }
func (p *ChatEmote) decode(r *wire.Reader)         { p.Text = readStr(r) }

// ChatLine (0x00D2) is a pre-formatted (coloured) line: operator messages, MOTD.
type ChatLine struct{ Text string }

func (*ChatLine) PacketType() Type                { return ChatFormatted }
func (p *ChatLine) AppendPayload(b []byte) []byte { return appendStr(b, p.Text) }
func (p *ChatLine) decode(r *wire.Reader)         { p.Text = readStr(r) }

// ChatNoticeLine (0x00D3) is a pre-formatted echo or notice line.
type ChatNoticeLine struct{ Text string }

func (*ChatNoticeLine) PacketType() Type                { return ChatNotice }
func (p *ChatNoticeLine) AppendPayload(b []byte) []byte { return appendStr(b, p.Text) }
func (p *ChatNoticeLine) decode(r *wire.Reader)         { p.Text = readStr(r) }

// ChatMOTDLine (0x0078) is one line of the message of the day.
type ChatMOTDLine struct{ Text string }

func (*ChatMOTDLine) PacketType() Type                { return ChatMOTD }
func (p *ChatMOTDLine) AppendPayload(b []byte) []byte { return appendStr(b, p.Text) }
func (p *ChatMOTDLine) decode(r *wire.Reader)         { p.Text = readStr(r) }

// ChatTopicText (0x012C) is the room topic.
type ChatTopicText struct{ Text string }

func (*ChatTopicText) PacketType() Type                { return ChatTopic }
func (p *ChatTopicText) AppendPayload(b []byte) []byte { return appendStr(b, p.Text) }
func (p *ChatTopicText) decode(r *wire.Reader)         { p.Text = readStr(r) }

// ChatRoomRename (0x012D) gives the room a new base name (clients keep the suffix).
type ChatRoomRename struct{ Text string }

func (*ChatRoomRename) PacketType() Type                { return ChatRoomRenamed }
func (p *ChatRoomRename) AppendPayload(b []byte) []byte { return appendStr(b, p.Text) }
func (p *ChatRoomRename) decode(r *wire.Reader)         { p.Text = readStr(r) }

// ChatRedirectTo (0x0190) asks the client to join another room instead.
type ChatRedirectTo struct{ Text string }

func (*ChatRedirectTo) PacketType() Type                { return ChatRedirect }
func (p *ChatRedirectTo) AppendPayload(b []byte) []byte { return appendStr(b, p.Text) }
func (p *ChatRedirectTo) decode(r *wire.Reader)         { p.Text = readStr(r) }

// ChatRedirectFrom (0x13EE) names the room a redirected client comes from.
type ChatRedirectFrom struct{ Text string }

func (*ChatRedirectFrom) PacketType() Type                { return ChatRedirectedFrom }
func (p *ChatRedirectFrom) AppendPayload(b []byte) []byte { return appendStr(b, p.Text) }
func (p *ChatRedirectFrom) decode(r *wire.Reader)         { p.Text = readStr(r) }

// ChatColours (0x9904) is the colour-code template, normally "#c%d#".
type ChatColours struct{ Text string }

func (*ChatColours) PacketType() Type                { return ChatColourTemplate }
func (p *ChatColours) AppendPayload(b []byte) []byte { return appendStr(b, p.Text) }
func (p *ChatColours) decode(r *wire.Reader)         { p.Text = readStr(r) }

// ChatSaid (0x00C9) is public text from a user, with an optional rank.
type ChatSaid struct {
	Name, Text string
	Rank       *uint8
}

func (*ChatSaid) PacketType() Type { return ChatTextFrom }
func (p *ChatSaid) AppendPayload(b []byte) []byte {
	b = appendStr(appendStr(b, p.Name), p.Text)
	if p.Rank != nil {
		b = append(b, *p.Rank)
	}
	return b
}
func (p *ChatSaid) decode(r *wire.Reader) {
	p.Name = readStr(r)
	p.Text = readStr(r)
	if !r.Empty() {
		v := r.Uint8()
		p.Rank = &v
	}
}

// ChatEmoted (0x00CB) is an action from a user (an empty name for server
// notices).
type ChatEmoted struct{ Name, Text string }

func (*ChatEmoted) PacketType() Type { return ChatActionFrom }
func (p *ChatEmoted) AppendPayload(b []byte) []byte {
	return appendStr(appendStr(b, p.Name), p.Text)
}
func (p *ChatEmoted) decode(r *wire.Reader) { p.Name = readStr(r); p.Text = readStr(r) }

// ChatSoftwareID (0x9905) identifies server or client software.
type ChatSoftwareID struct{ Name, Version string }

func (*ChatSoftwareID) PacketType() Type { return ChatSoftware }
func (p *ChatSoftwareID) AppendPayload(b []byte) []byte {
	return appendStr(appendStr(b, p.Name), p.Version)
}
func (p *ChatSoftwareID) decode(r *wire.Reader) { p.Name = readStr(r); p.Version = readStr(r) }
