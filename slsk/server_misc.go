package slsk

import "github.com/revival-net/revival/internal/wire"

// ServerPing is server code 32, empty both ways (spec §1.5, §2): a client
// keep-alive. The official server no longer answers; echoing it is
// harmless and Soulseek.NET's PingServerAsync waits for the echo.
type ServerPing struct{}

func (*ServerPing) ServerCode() ServerCode { return CodeServerPing }
func (*ServerPing) Encode(*wire.Builder)   {}
func (*ServerPing) Decode(*wire.Reader)    {}

// AdminCommand is server code 58, client to server (spec §2, obsolete:
// admin is done by PM to "server"). Accepted and ignored.
type AdminCommand struct {
	Command string
	Args    []string
}

func (*AdminCommand) ServerCode() ServerCode { return CodeAdminCommand }

func (m *AdminCommand) Encode(b *wire.Builder) {
	b.String(m.Command)
	writeStrings(b, m.Args)
}

func (m *AdminCommand) Decode(r *wire.Reader) {
	m.Command = r.String()
	m.Args = readStrings(r)
}

// AdminMessage is server code 66, server to client (spec §2): a global
// announcement.
type AdminMessage struct{ Message string }

func (*AdminMessage) ServerCode() ServerCode   { return CodeAdminMessage }
func (m *AdminMessage) Encode(b *wire.Builder) { b.String(m.Message) }
func (m *AdminMessage) Decode(r *wire.Reader)  { m.Message = r.String() }

// GlobalUserList is server code 67, client to server (spec §2, obsolete):
// empty. The official server and Soulfind disconnect the sender, so there
// is no reply struct (the spec does not give its layout).
type GlobalUserList struct{}

func (*GlobalUserList) ServerCode() ServerCode { return CodeGlobalUserList }
func (*GlobalUserList) Encode(*wire.Builder)   {}
func (*GlobalUserList) Decode(*wire.Reader)    {}

func init() {
	registerBoth(func() ServerMessage { return new(ServerPing) })
	registerRequest(func() ServerMessage { return new(AdminCommand) })
	registerReply(func() ServerMessage { return new(AdminMessage) })
	registerRequest(func() ServerMessage { return new(GlobalUserList) })
}
