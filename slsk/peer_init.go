package slsk

import "github.com/revival-net/revival/internal/wire"

// Connection types sent in PeerInit and ConnectToPeer (spec §1.2).
const (
	ConnTypePeer    = "P" // peer messages: searches results, browsing, transfer negotiation
	ConnTypeFile    = "F" // raw file bytes after a token and an offset
	ConnTypeDistrib = "D" // distributed search network
)

// PierceFirewall is peer-init code 0 (spec §3.1): sent by the side that got
// ConnectToPeer from the server, to connect back to the requester. Token is
// the one from ConnectToPeer and names the pending request.
type PierceFirewall struct {
	Token uint32
}

func (*PierceFirewall) InitCode() InitCode       { return InitCodePierceFirewall }
func (m *PierceFirewall) Encode(b *wire.Builder) { b.Uint32(m.Token) }
func (m *PierceFirewall) Decode(r *wire.Reader)  { m.Token = r.Uint32() }

// PeerInit is peer-init code 1 (spec §3.1): sent by the side that connects
// directly. Type is one of the ConnType constants. Token is not consistent
// across clients (Nicotine+ sends 0, aioslsk its ConnectToPeer ticket and may
// accept a u64), so receivers must ignore it; Decode accepts a 4-byte token,
// an 8-byte one (keeping the low 32 bits) or none at all.
type PeerInit struct {
	Username string
	Type     string
	Token    uint32
}

func (*PeerInit) InitCode() InitCode { return InitCodePeerInit }

func (m *PeerInit) Encode(b *wire.Builder) {
	b.String(m.Username)
	b.String(m.Type)
	b.Uint32(m.Token)
}

func (m *PeerInit) Decode(r *wire.Reader) {
	m.Username = r.String()
	m.Type = r.String()
	if r.Len() >= 4 {
		m.Token = r.Uint32()
	}
}

func init() {
	registerInit(func() InitMessage { return new(PierceFirewall) })
	registerInit(func() InitMessage { return new(PeerInit) })
}
