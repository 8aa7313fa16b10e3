package slsk

import "github.com/revival-net/revival/internal/wire"

// MessageUser is server code 22, client to server (spec §2): a private
// message to Username. Messages to "server" are commands (spec §6).
type MessageUser struct {
	Username string
	Message  string
}

func (*MessageUser) ServerCode() ServerCode { return CodeMessageUser }

func (m *MessageUser) Encode(b *wire.Builder) {
	b.String(m.Username)
	b.String(m.Message)
}

func (m *MessageUser) Decode(r *wire.Reader) {
	m.Username = r.String()
	m.Message = r.String()
}

// MessageUserReply is server code 22, server to client (spec §2, §1.5): a
// stored private message with its id (acknowledged with MessageAcked), the
// unix time it was sent, the sender, the text, and IsNew (false when it is
// redelivered at login). IsNew is optional on decode (old servers omit it).
type MessageUserReply struct {
	ID        uint32
	Timestamp uint32
	Username  string
	Message   string
	IsNew     bool
}

func (*MessageUserReply) ServerCode() ServerCode { return CodeMessageUser }

func (m *MessageUserReply) Encode(b *wire.Builder) {
	b.Uint32(m.ID)
	b.Uint32(m.Timestamp)
	b.String(m.Username)
	b.String(m.Message)
	b.Bool(m.IsNew)
}

func (m *MessageUserReply) Decode(r *wire.Reader) {
	m.ID = r.Uint32()
	m.Timestamp = r.Uint32()
	m.Username = r.String()
	m.Message = r.String()
	if !r.Empty() {
		m.IsNew = r.Bool()
	}
}

// MessageAcked is server code 23, client to server (spec §2): the client
// has shown message ID; the server deletes it if it was addressed to the
// acknowledging user.
type MessageAcked struct{ ID uint32 }

func (*MessageAcked) ServerCode() ServerCode   { return CodeMessageAcked }
func (m *MessageAcked) Encode(b *wire.Builder) { b.Uint32(m.ID) }
func (m *MessageAcked) Decode(r *wire.Reader)  { m.ID = r.Uint32() }

// MessageUsers is server code 149, client to server (spec §2): one message
// to several users, delivered to those online.
type MessageUsers struct {
	Usernames []string
	Message   string
}

func (*MessageUsers) ServerCode() ServerCode { return CodeMessageUsers }

func (m *MessageUsers) Encode(b *wire.Builder) {
	writeStrings(b, m.Usernames)
	b.String(m.Message)
}

func (m *MessageUsers) Decode(r *wire.Reader) {
	m.Usernames = readStrings(r)
	m.Message = r.String()
}

func init() {
	registerRequest(func() ServerMessage { return new(MessageUser) })
	registerReply(func() ServerMessage { return new(MessageUserReply) })
	registerRequest(func() ServerMessage { return new(MessageAcked) })
	registerRequest(func() ServerMessage { return new(MessageUsers) })
}
