package slsk

import (
	"net/netip"

	"github.com/revival-net/revival/internal/wire"
)

// GetPeerAddress is server code 3, client to server (spec §2, §3.2).
type GetPeerAddress struct{ Username string }

func (*GetPeerAddress) ServerCode() ServerCode   { return CodeGetPeerAddress }
func (m *GetPeerAddress) Encode(b *wire.Builder) { b.String(m.Username) }
func (m *GetPeerAddress) Decode(r *wire.Reader)  { m.Username = r.String() }

// GetPeerAddressReply is server code 3, server to client (spec §2): where
// to reach a user. Offline or unknown users get 0.0.0.0, port 0 and zero
// obfuscation fields. The obfuscated port is a **u16** here (unlike
// ConnectToPeerReply) and must be present: Nicotine+ drops the reply
// without it. Decoding tolerates its absence.
type GetPeerAddressReply struct {
	Username        string
	IP              netip.Addr
	Port            uint32
	ObfuscationType uint32
	ObfuscatedPort  uint16
}

func (*GetPeerAddressReply) ServerCode() ServerCode { return CodeGetPeerAddress }

func (m *GetPeerAddressReply) Encode(b *wire.Builder) {
	b.String(m.Username)
	WriteIP(b, m.IP)
	b.Uint32(m.Port)
	b.Uint32(m.ObfuscationType)
	b.Uint16(m.ObfuscatedPort)
}

func (m *GetPeerAddressReply) Decode(r *wire.Reader) {
	m.Username = r.String()
	m.IP = ReadIP(r)
	m.Port = r.Uint32()
	if !r.Empty() {
		m.ObfuscationType = r.Uint32()
	}
	if !r.Empty() {
		m.ObfuscatedPort = r.Uint16()
	}
}

// ConnectToPeer is server code 18, client to server (spec §2, §3.2): ask
// the server to tell Username to connect back to the caller. Type is the
// connection type of PeerInit: "P", "F" or "D" (spec §3.1).
type ConnectToPeer struct {
	Token    uint32
	Username string
	Type     string
}

func (*ConnectToPeer) ServerCode() ServerCode { return CodeConnectToPeer }

func (m *ConnectToPeer) Encode(b *wire.Builder) {
	b.Uint32(m.Token)
	b.String(m.Username)
	b.String(m.Type)
}

func (m *ConnectToPeer) Decode(r *wire.Reader) {
	m.Token = r.Uint32()
	m.Username = r.String()
	m.Type = r.String()
}

// ConnectToPeerReply is server code 18, server to client (spec §2): the
// forwarded request, filled in with the **requester's** name and address.
// Nicotine+ needs all eight fields; the obfuscated port is a u32 here.
// Decoding tolerates missing obfuscation fields.
type ConnectToPeerReply struct {
	Username        string
	Type            string
	IP              netip.Addr
	Port            uint32
	Token           uint32
	Privileged      bool
	ObfuscationType uint32
	ObfuscatedPort  uint32
}

func (*ConnectToPeerReply) ServerCode() ServerCode { return CodeConnectToPeer }

func (m *ConnectToPeerReply) Encode(b *wire.Builder) {
	b.String(m.Username)
	b.String(m.Type)
	WriteIP(b, m.IP)
	b.Uint32(m.Port)
	b.Uint32(m.Token)
	b.Bool(m.Privileged)
	b.Uint32(m.ObfuscationType)
	b.Uint32(m.ObfuscatedPort)
}

func (m *ConnectToPeerReply) Decode(r *wire.Reader) {
	m.Username = r.String()
	m.Type = r.String()
	m.IP = ReadIP(r)
	m.Port = r.Uint32()
	m.Token = r.Uint32()
	m.Privileged = r.Bool()
	if !r.Empty() {
		m.ObfuscationType = r.Uint32()
	}
	if !r.Empty() {
		m.ObfuscatedPort = r.Uint32()
	}
}

// CantConnectToPeer is server code 1001, client to server (spec §2, §3.2
// step 6): the caller could not connect to Username for Token; the server
// relays CantConnectToPeerReply to Username.
type CantConnectToPeer struct {
	Token    uint32
	Username string
}

func (*CantConnectToPeer) ServerCode() ServerCode { return CodeCantConnectToPeer }

func (m *CantConnectToPeer) Encode(b *wire.Builder) {
	b.Uint32(m.Token)
	b.String(m.Username)
}

func (m *CantConnectToPeer) Decode(r *wire.Reader) {
	m.Token = r.Uint32()
	m.Username = r.String()
}

// CantConnectToPeerReply is server code 1001, server to client (spec §2):
// the relayed failure, token only. Also the answer to a ConnectToPeer whose
// target is offline.
type CantConnectToPeerReply struct{ Token uint32 }

func (*CantConnectToPeerReply) ServerCode() ServerCode   { return CodeCantConnectToPeer }
func (m *CantConnectToPeerReply) Encode(b *wire.Builder) { b.Uint32(m.Token) }
func (m *CantConnectToPeerReply) Decode(r *wire.Reader)  { m.Token = r.Uint32() }

// SendConnectToken is server code 33 (spec §2, obsolete): str user, u32
// token both ways; the official server still forwards it.
type SendConnectToken struct {
	Username string
	Token    uint32
}

func (*SendConnectToken) ServerCode() ServerCode { return CodeSendConnectToken }

func (m *SendConnectToken) Encode(b *wire.Builder) {
	b.String(m.Username)
	b.Uint32(m.Token)
}

func (m *SendConnectToken) Decode(r *wire.Reader) {
	m.Username = r.String()
	m.Token = r.Uint32()
}

// PlaceInLineRequest is server code 59 (spec §2, obsolete): str user, u32
// token, the same both ways; Soulfind still relays it.
type PlaceInLineRequest struct {
	Username string
	Token    uint32
}

func (*PlaceInLineRequest) ServerCode() ServerCode { return CodePlaceInLineRequest }

func (m *PlaceInLineRequest) Encode(b *wire.Builder) {
	b.String(m.Username)
	b.Uint32(m.Token)
}

func (m *PlaceInLineRequest) Decode(r *wire.Reader) {
	m.Username = r.String()
	m.Token = r.Uint32()
}

// PlaceInLineResponse is server code 60 (spec §2, obsolete): str user, u32
// token, u32 place, the same both ways.
type PlaceInLineResponse struct {
	Username string
	Token    uint32
	Place    uint32
}

func (*PlaceInLineResponse) ServerCode() ServerCode { return CodePlaceInLineResponse }

func (m *PlaceInLineResponse) Encode(b *wire.Builder) {
	b.String(m.Username)
	b.Uint32(m.Token)
	b.Uint32(m.Place)
}

func (m *PlaceInLineResponse) Decode(r *wire.Reader) {
	m.Username = r.String()
	m.Token = r.Uint32()
	m.Place = r.Uint32()
}

func init() {
	registerRequest(func() ServerMessage { return new(GetPeerAddress) })
	registerReply(func() ServerMessage { return new(GetPeerAddressReply) })
	registerRequest(func() ServerMessage { return new(ConnectToPeer) })
	registerReply(func() ServerMessage { return new(ConnectToPeerReply) })
	registerRequest(func() ServerMessage { return new(CantConnectToPeer) })
	registerReply(func() ServerMessage { return new(CantConnectToPeerReply) })
	registerBoth(func() ServerMessage { return new(SendConnectToken) })
	registerBoth(func() ServerMessage { return new(PlaceInLineRequest) })
	registerBoth(func() ServerMessage { return new(PlaceInLineResponse) })
}
