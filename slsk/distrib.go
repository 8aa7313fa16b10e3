package slsk

import "github.com/revival-net/revival/internal/wire"

// DistribSearchUnknown is the constant first field of DistribSearch and of
// the server's EmbeddedMessage search (ASCII '1'). Nicotine+ drops searches
// with any other value, so senders should always use it (spec §4.1).
const DistribSearchUnknown = 49

// DistribPing is distributed code 0 (spec §4.1): empty, sent only by
// Soulseek NS.
type DistribPing struct{}

func (*DistribPing) DistribCode() DistribCode { return DistribCodePing }
func (*DistribPing) Encode(*wire.Builder)     {}
func (*DistribPing) Decode(*wire.Reader)      {}

// DistribSearch is distributed code 3 (spec §4.1): a search travelling down
// the distributed tree. Parents forward it to their children unchanged.
// Unknown is always DistribSearchUnknown (49); Decode keeps whatever was
// sent so callers can apply Nicotine+'s rule themselves.
type DistribSearch struct {
	Unknown  uint32
	Username string
	Token    uint32
	Query    string
}

func (*DistribSearch) DistribCode() DistribCode { return DistribCodeSearch }

func (m *DistribSearch) Encode(b *wire.Builder) {
	b.Uint32(m.Unknown)
	b.String(m.Username)
	b.Uint32(m.Token)
	b.String(m.Query)
}

func (m *DistribSearch) Decode(r *wire.Reader) {
	m.Unknown = r.Uint32()
	m.Username = r.String()
	m.Token = r.Uint32()
	m.Query = r.String()
}

// DistribBranchLevel is distributed code 4 (spec §4.1, §4.2): the parent's
// depth in its branch, sent to a new child right after the D connection is
// accepted (the child's level is this plus one). Signed on the wire.
type DistribBranchLevel struct{ Level int32 }

func (*DistribBranchLevel) DistribCode() DistribCode { return DistribCodeBranchLevel }
func (m *DistribBranchLevel) Encode(b *wire.Builder) { b.Int32(m.Level) }
func (m *DistribBranchLevel) Decode(r *wire.Reader)  { m.Level = r.Int32() }

// DistribBranchRoot is distributed code 5 (spec §4.1): the username of the
// root of the parent's branch, sent together with DistribBranchLevel.
type DistribBranchRoot struct{ Root string }

func (*DistribBranchRoot) DistribCode() DistribCode { return DistribCodeBranchRoot }
func (m *DistribBranchRoot) Encode(b *wire.Builder) { b.String(m.Root) }
func (m *DistribBranchRoot) Decode(r *wire.Reader)  { m.Root = r.String() }

// DistribChildDepth is distributed code 7 (spec §4.1), obsolete: a child
// told its parent how many generations were below it. Soulseek NS only.
type DistribChildDepth struct{ Depth uint32 }

func (*DistribChildDepth) DistribCode() DistribCode { return DistribCodeChildDepth }
func (m *DistribChildDepth) Encode(b *wire.Builder) { b.Uint32(m.Depth) }
func (m *DistribChildDepth) Decode(r *wire.Reader)  { m.Depth = r.Uint32() }

// DistribEmbeddedMessage is distributed code 93 (spec §4.1): a branch root
// passing a server EmbeddedMessage (server code 93: u8 distributed code +
// payload, in practice always a DistribSearch) on to its children.
//
// Two layouts exist on the wire. SoulseekQt roots forward the server frame
// as it came, so the u32 server code 93 leaves its three high zero bytes
// behind the D code: 00 00 00, u8 code, payload. Nicotine+ (which reads the
// code at offset 3 unconditionally) and Soulseek.NET (which skips 8 "mystery
// bytes" 00 00 00 03 31 00 00 00) only understand that form. Nicotine+
// itself sends the plain documented form u8 code, payload. Decode accepts
// both: it skips three leading zero bytes when at least four bytes are
// present. Encode writes the SoulseekQt form, the one receivers parse.
type DistribEmbeddedMessage struct {
	Code    uint8
	Payload []byte
}

func (*DistribEmbeddedMessage) DistribCode() DistribCode { return DistribCodeEmbeddedMessage }

func (m *DistribEmbeddedMessage) Encode(b *wire.Builder) {
	b.Raw([]byte{0, 0, 0})
	b.Uint8(m.Code)
	b.Raw(m.Payload)
}

func (m *DistribEmbeddedMessage) Decode(r *wire.Reader) {
	p := r.Rest()
	if len(p) >= 4 && p[0] == 0 && p[1] == 0 && p[2] == 0 {
		p = p[3:] // SoulseekQt form
	}
	if len(p) == 0 {
		r.Fail(wire.ErrShort)
		return
	}
	m.Code = p[0]
	// Copy: the frame buffer is reused by the reader that produced it.
	m.Payload = append([]byte{}, p[1:]...)
}

// Message decodes the embedded message as a distributed message of its
// own, which is how a child handles it (spec §4.2).
func (m *DistribEmbeddedMessage) Message() (DistribMessage, error) {
	body := make([]byte, 0, 1+len(m.Payload))
	body = append(body, m.Code)
	body = append(body, m.Payload...)
	return DecodeDistrib(body)
}

func init() {
	registerDistrib(func() DistribMessage { return new(DistribPing) })
	registerDistrib(func() DistribMessage { return new(DistribSearch) })
	registerDistrib(func() DistribMessage { return new(DistribBranchLevel) })
	registerDistrib(func() DistribMessage { return new(DistribBranchRoot) })
	registerDistrib(func() DistribMessage { return new(DistribChildDepth) })
	registerDistrib(func() DistribMessage { return new(DistribEmbeddedMessage) })
}
