package slsk

import (
	"net/netip"

	"github.com/revival-net/revival/internal/wire"
)

// HaveNoParent is server code 71, client to server (spec §2, §4.3): true
// when the client wants a distributed parent. Nicotine+ and aioslsk send a
// bool byte, slsk-client a u32, so Decode accepts either: any non-zero byte
// means true (spec §8.1). Encode sends one byte.
type HaveNoParent struct{ NoParent bool }

func (*HaveNoParent) ServerCode() ServerCode   { return CodeHaveNoParent }
func (m *HaveNoParent) Encode(b *wire.Builder) { b.Bool(m.NoParent) }
func (m *HaveNoParent) Decode(r *wire.Reader)  { m.NoParent = readFlexBool(r) }

// ParentIP is server code 73, client to server (spec §2, obsolete): the
// address of the client's parent, sent by old clients and slsk-client.
// Accepted and ignored.
type ParentIP struct{ IP netip.Addr }

func (*ParentIP) ServerCode() ServerCode   { return CodeParentIP }
func (m *ParentIP) Encode(b *wire.Builder) { WriteIP(b, m.IP) }
func (m *ParentIP) Decode(r *wire.Reader)  { m.IP = ReadIP(r) }

// ParentMinSpeed is server code 83, server to client (spec §1.5, §4.2):
// the upload speed a client needs before it may accept children (1).
type ParentMinSpeed struct{ Speed uint32 }

func (*ParentMinSpeed) ServerCode() ServerCode   { return CodeParentMinSpeed }
func (m *ParentMinSpeed) Encode(b *wire.Builder) { b.Uint32(m.Speed) }
func (m *ParentMinSpeed) Decode(r *wire.Reader)  { m.Speed = r.Uint32() }

// ParentSpeedRatio is server code 84, server to client (spec §1.5, §4.2):
// the divisor clients use to size their children limit (50).
type ParentSpeedRatio struct{ Ratio uint32 }

func (*ParentSpeedRatio) ServerCode() ServerCode   { return CodeParentSpeedRatio }
func (m *ParentSpeedRatio) Encode(b *wire.Builder) { b.Uint32(m.Ratio) }
func (m *ParentSpeedRatio) Decode(r *wire.Reader)  { m.Ratio = r.Uint32() }

// ParentInactivityTimeout is server code 86, server to client (spec §2,
// obsolete: no longer sent).
type ParentInactivityTimeout struct{ Seconds uint32 }

func (*ParentInactivityTimeout) ServerCode() ServerCode   { return CodeParentInactivityTimeout }
func (m *ParentInactivityTimeout) Encode(b *wire.Builder) { b.Uint32(m.Seconds) }
func (m *ParentInactivityTimeout) Decode(r *wire.Reader)  { m.Seconds = r.Uint32() }

// SearchInactivityTimeout is server code 87, server to client (spec §2,
// obsolete).
type SearchInactivityTimeout struct{ Seconds uint32 }

func (*SearchInactivityTimeout) ServerCode() ServerCode   { return CodeSearchInactivityTimeout }
func (m *SearchInactivityTimeout) Encode(b *wire.Builder) { b.Uint32(m.Seconds) }
func (m *SearchInactivityTimeout) Decode(r *wire.Reader)  { m.Seconds = r.Uint32() }

// MinParentsInCache is server code 88, server to client (spec §2,
// obsolete).
type MinParentsInCache struct{ Count uint32 }

func (*MinParentsInCache) ServerCode() ServerCode   { return CodeMinParentsInCache }
func (m *MinParentsInCache) Encode(b *wire.Builder) { b.Uint32(m.Count) }
func (m *MinParentsInCache) Decode(r *wire.Reader)  { m.Count = r.Uint32() }

// DNetPingInterval is server code 90, DistribPingInterval in the spec (§2,
// obsolete). It is renamed because the Distrib prefix belongs to the
// distributed-connection messages (spec §4.1).
type DNetPingInterval struct{ Seconds uint32 }

func (*DNetPingInterval) ServerCode() ServerCode   { return CodeDistribPingInterval }
func (m *DNetPingInterval) Encode(b *wire.Builder) { b.Uint32(m.Seconds) }
func (m *DNetPingInterval) Decode(r *wire.Reader)  { m.Seconds = r.Uint32() }

// EmbeddedMessage is server code 93, server to client (spec §2, §4.3): how
// the server hands a search to a branch root. Code is the distributed
// message code (3 = DistribSearch) and Payload the raw distributed payload
// that follows it up to the end of the frame, with no length prefix.
type EmbeddedMessage struct {
	Code    uint8
	Payload []byte
}

func (*EmbeddedMessage) ServerCode() ServerCode { return CodeEmbeddedMessage }

func (m *EmbeddedMessage) Encode(b *wire.Builder) {
	b.Uint8(m.Code)
	b.Raw(m.Payload)
}

// Decode copies the payload, so the message outlives the frame buffer
// (FrameReader reuses it).
func (m *EmbeddedMessage) Decode(r *wire.Reader) {
	m.Code = r.Uint8()
	if rest := r.Rest(); len(rest) > 0 {
		m.Payload = append([]byte(nil), rest...)
	}
}

// AcceptChildren is server code 100, client to server (spec §2, §4.3):
// whether the client may be offered as a parent. Like HaveNoParent it is
// read from one byte or a u32.
type AcceptChildren struct{ Accept bool }

func (*AcceptChildren) ServerCode() ServerCode   { return CodeAcceptChildren }
func (m *AcceptChildren) Encode(b *wire.Builder) { b.Bool(m.Accept) }
func (m *AcceptChildren) Decode(r *wire.Reader)  { m.Accept = readFlexBool(r) }

// PossibleParent is one candidate in PossibleParents: a user and the
// address its distributed connection can be opened to.
type PossibleParent struct {
	Username string
	IP       netip.Addr
	Port     uint32
}

// PossibleParents is server code 102, server to client (spec §2, §4.3):
// up to 10 parent candidates, sent about every 60 s to users that report
// HaveNoParent(true).
type PossibleParents struct{ Parents []PossibleParent }

func (*PossibleParents) ServerCode() ServerCode { return CodePossibleParents }

func (m *PossibleParents) Encode(b *wire.Builder) {
	b.Uint32(uint32(len(m.Parents)))
	for _, p := range m.Parents {
		b.String(p.Username)
		WriteIP(b, p.IP)
		b.Uint32(p.Port)
	}
}

func (m *PossibleParents) Decode(r *wire.Reader) {
	n := r.Count(minString + 8)
	if n > 0 {
		m.Parents = make([]PossibleParent, n)
	}
	for i := range m.Parents {
		m.Parents[i].Username = r.String()
		m.Parents[i].IP = ReadIP(r)
		m.Parents[i].Port = r.Uint32()
	}
}

// BranchLevel is server code 126, client to server (spec §2, §4.2): the
// client's depth in the distributed tree (0 = root). Signed on the wire.
type BranchLevel struct{ Level int32 }

func (*BranchLevel) ServerCode() ServerCode   { return CodeBranchLevel }
func (m *BranchLevel) Encode(b *wire.Builder) { b.Int32(m.Level) }
func (m *BranchLevel) Decode(r *wire.Reader)  { m.Level = r.Int32() }

// BranchRoot is server code 127, client to server (spec §2, §4.3): the
// username at the root of the client's branch (itself when a root).
type BranchRoot struct{ Root string }

func (*BranchRoot) ServerCode() ServerCode   { return CodeBranchRoot }
func (m *BranchRoot) Encode(b *wire.Builder) { b.String(m.Root) }
func (m *BranchRoot) Decode(r *wire.Reader)  { m.Root = r.String() }

// ChildDepth is server code 129, client to server (spec §2, obsolete).
type ChildDepth struct{ Depth uint32 }

func (*ChildDepth) ServerCode() ServerCode   { return CodeChildDepth }
func (m *ChildDepth) Encode(b *wire.Builder) { b.Uint32(m.Depth) }
func (m *ChildDepth) Decode(r *wire.Reader)  { m.Depth = r.Uint32() }

// ResetDistributed is server code 130, server to client (spec §2, §4.3):
// drop the distributed parent and children. Empty payload.
type ResetDistributed struct{}

func (*ResetDistributed) ServerCode() ServerCode { return CodeResetDistributed }
func (*ResetDistributed) Encode(*wire.Builder)   {}
func (*ResetDistributed) Decode(*wire.Reader)    {}

func init() {
	registerRequest(func() ServerMessage { return new(HaveNoParent) })
	registerRequest(func() ServerMessage { return new(ParentIP) })
	registerReply(func() ServerMessage { return new(ParentMinSpeed) })
	registerReply(func() ServerMessage { return new(ParentSpeedRatio) })
	registerReply(func() ServerMessage { return new(ParentInactivityTimeout) })
	registerReply(func() ServerMessage { return new(SearchInactivityTimeout) })
	registerReply(func() ServerMessage { return new(MinParentsInCache) })
	registerReply(func() ServerMessage { return new(DNetPingInterval) })
	registerReply(func() ServerMessage { return new(EmbeddedMessage) })
	registerRequest(func() ServerMessage { return new(AcceptChildren) })
	registerReply(func() ServerMessage { return new(PossibleParents) })
	registerRequest(func() ServerMessage { return new(BranchLevel) })
	registerRequest(func() ServerMessage { return new(BranchRoot) })
	registerRequest(func() ServerMessage { return new(ChildDepth) })
	registerReply(func() ServerMessage { return new(ResetDistributed) })
}
