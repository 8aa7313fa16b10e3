package slsk

import (
	"net/netip"

	"github.com/revival-net/revival/internal/wire"
)

// Login is server code 1, client to server (spec §1.3). Hash is the hex MD5
// of username+password; servers do not need it. Minor is absent in very old
// clients, so it is optional.
type Login struct {
	Username string
	Password string
	Major    uint32
	Hash     string
	Minor    uint32
}

func (*Login) ServerCode() ServerCode { return CodeLogin }

func (m *Login) Encode(b *wire.Builder) {
	b.String(m.Username)
	b.String(m.Password)
	b.Uint32(m.Major)
	b.String(m.Hash)
	b.Uint32(m.Minor)
}

func (m *Login) Decode(r *wire.Reader) {
	m.Username = r.String()
	m.Password = r.String()
	m.Major = r.Uint32()
	if !r.Empty() {
		m.Hash = r.String()
	}
	if !r.Empty() {
		m.Minor = r.Uint32()
	}
}

// Login rejection reasons (spec §1.3).
const (
	ReasonInvalidUsername = "INVALIDUSERNAME"
	ReasonInvalidPass     = "INVALIDPASS"
	ReasonEmptyPassword   = "EMPTYPASSWORD"
	ReasonInvalidVersion  = "INVALIDVERSION"
	ReasonServerFull      = "SVRFULL"
	ReasonServerPrivate   = "SVRPRIVATE"
)

// LoginReply is server code 1, server to client (spec §1.3). On success it
// carries the greeting, the client's address as the server sees it, the hex
// MD5 of the password alone and the supporter flag; every field must be
// present (Soulseek.NET reads them all). On failure it carries a reason and,
// for INVALIDUSERNAME only, a detail string.
type LoginReply struct {
	Success   bool
	Greeting  string
	IP        netip.Addr
	PassHash  string
	Supporter bool
	Reason    string
	Detail    string
}

func (*LoginReply) ServerCode() ServerCode { return CodeLogin }

func (m *LoginReply) Encode(b *wire.Builder) {
	b.Bool(m.Success)
	if m.Success {
		b.String(m.Greeting)
		WriteIP(b, m.IP)
		b.String(m.PassHash)
		b.Bool(m.Supporter)
		return
	}
	b.String(m.Reason)
	// The detail belongs to INVALIDUSERNAME; any other reason carries one
	// only if the sender set it, so a decoded reply re-encodes unchanged.
	if m.Reason == ReasonInvalidUsername || m.Detail != "" {
		b.String(m.Detail)
	}
}

func (m *LoginReply) Decode(r *wire.Reader) {
	m.Success = r.Bool()
	if m.Success {
		m.Greeting = r.String()
		m.IP = ReadIP(r)
		m.PassHash = r.String()
		if !r.Empty() {
			m.Supporter = r.Bool()
		}
		return
	}
	m.Reason = r.String()
	if !r.Empty() {
		m.Detail = r.String()
	}
}

// Relogged is server code 41: sent to the old session when the same user
// logs in again, just before the server closes it. Empty payload.
type Relogged struct{}

func (*Relogged) ServerCode() ServerCode { return CodeRelogged }
func (*Relogged) Encode(*wire.Builder)   {}
func (*Relogged) Decode(*wire.Reader)    {}

func init() {
	registerRequest(func() ServerMessage { return new(Login) })
	registerReply(func() ServerMessage { return new(LoginReply) })
	registerReply(func() ServerMessage { return new(Relogged) })
}
