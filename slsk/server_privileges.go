package slsk

import "github.com/revival-net/revival/internal/wire"

// PrivilegedUsers is server code 69, server to client (spec §1.5, §2): the
// names of every privileged user, sent at login.
type PrivilegedUsers struct{ Usernames []string }

func (*PrivilegedUsers) ServerCode() ServerCode   { return CodePrivilegedUsers }
func (m *PrivilegedUsers) Encode(b *wire.Builder) { writeStrings(b, m.Usernames) }
func (m *PrivilegedUsers) Decode(r *wire.Reader)  { m.Usernames = readStrings(r) }

// AddToPrivileged is server code 91, server to client (spec §2, obsolete):
// one newly privileged user.
type AddToPrivileged struct{ Username string }

func (*AddToPrivileged) ServerCode() ServerCode   { return CodeAddToPrivileged }
func (m *AddToPrivileged) Encode(b *wire.Builder) { b.String(m.Username) }
func (m *AddToPrivileged) Decode(r *wire.Reader)  { m.Username = r.String() }

// CheckPrivileges is server code 92, client to server (spec §2): empty
// request for the caller's remaining privilege time.
type CheckPrivileges struct{}

func (*CheckPrivileges) ServerCode() ServerCode { return CodeCheckPrivileges }
func (*CheckPrivileges) Encode(*wire.Builder)   {}
func (*CheckPrivileges) Decode(*wire.Reader)    {}

// CheckPrivilegesReply is server code 92, server to client (spec §2): the
// seconds of privileges left. Soulseek.NET waits for it. Optional on decode.
type CheckPrivilegesReply struct{ Seconds uint32 }

func (*CheckPrivilegesReply) ServerCode() ServerCode   { return CodeCheckPrivileges }
func (m *CheckPrivilegesReply) Encode(b *wire.Builder) { b.Uint32(m.Seconds) }

func (m *CheckPrivilegesReply) Decode(r *wire.Reader) {
	if !r.Empty() {
		m.Seconds = r.Uint32()
	}
}

// UserPrivileged is server code 122, client to server (spec §2,
// deprecated but still answered).
type UserPrivileged struct{ Username string }

func (*UserPrivileged) ServerCode() ServerCode   { return CodeUserPrivileged }
func (m *UserPrivileged) Encode(b *wire.Builder) { b.String(m.Username) }
func (m *UserPrivileged) Decode(r *wire.Reader)  { m.Username = r.String() }

// UserPrivilegedReply is server code 122, server to client (spec §2):
// whether Username is privileged. Soulseek.NET waits for it.
type UserPrivilegedReply struct {
	Username   string
	Privileged bool
}

func (*UserPrivilegedReply) ServerCode() ServerCode { return CodeUserPrivileged }

func (m *UserPrivilegedReply) Encode(b *wire.Builder) {
	b.String(m.Username)
	b.Bool(m.Privileged)
}

func (m *UserPrivilegedReply) Decode(r *wire.Reader) {
	m.Username = r.String()
	m.Privileged = r.Bool()
}

// GivePrivileges is server code 123, client to server (spec §2): give
// Days of the caller's own privileges to Username.
type GivePrivileges struct {
	Username string
	Days     uint32
}

func (*GivePrivileges) ServerCode() ServerCode { return CodeGivePrivileges }

func (m *GivePrivileges) Encode(b *wire.Builder) {
	b.String(m.Username)
	b.Uint32(m.Days)
}

func (m *GivePrivileges) Decode(r *wire.Reader) {
	m.Username = r.String()
	m.Days = r.Uint32()
}

// NotifyPrivileges is server code 124 (spec §2, obsolete): u32 token, str
// user, the same both ways. The server answers with AckNotifyPrivileges.
type NotifyPrivileges struct {
	Token    uint32
	Username string
}

func (*NotifyPrivileges) ServerCode() ServerCode { return CodeNotifyPrivileges }

func (m *NotifyPrivileges) Encode(b *wire.Builder) {
	b.Uint32(m.Token)
	b.String(m.Username)
}

func (m *NotifyPrivileges) Decode(r *wire.Reader) {
	m.Token = r.Uint32()
	m.Username = r.String()
}

// AckNotifyPrivileges is server code 125 (spec §2, obsolete): u32 token,
// the same both ways.
type AckNotifyPrivileges struct{ Token uint32 }

func (*AckNotifyPrivileges) ServerCode() ServerCode   { return CodeAckNotifyPrivileges }
func (m *AckNotifyPrivileges) Encode(b *wire.Builder) { b.Uint32(m.Token) }
func (m *AckNotifyPrivileges) Decode(r *wire.Reader)  { m.Token = r.Uint32() }

func init() {
	registerReply(func() ServerMessage { return new(PrivilegedUsers) })
	registerReply(func() ServerMessage { return new(AddToPrivileged) })
	registerRequest(func() ServerMessage { return new(CheckPrivileges) })
	registerReply(func() ServerMessage { return new(CheckPrivilegesReply) })
	registerRequest(func() ServerMessage { return new(UserPrivileged) })
	registerReply(func() ServerMessage { return new(UserPrivilegedReply) })
	registerRequest(func() ServerMessage { return new(GivePrivileges) })
	registerBoth(func() ServerMessage { return new(NotifyPrivileges) })
	registerBoth(func() ServerMessage { return new(AckNotifyPrivileges) })
}
