package wpn

import "github.com/revival-net/revival/internal/wire"

// Secondary↔primary packet types (wpn.md §3.3); the decimal numbers are
// WinMXWorld's.
const (
	TypeStatus           Type = 0x0384 // 900, S→P
	TypeNameNotice       Type = 0x038D // 909, S→P
	TypeNameQueueNotice  Type = 0x038E // 910, S→P, payload unknown
	TypeNodeChange       Type = 0x039D // 925, P→S, payload unknown
	TypeNodeList         Type = 0x03A1 // 929, P→S
	TypeLogin            Type = 0x03E9 // 1001, S→P
	TypeLoginAck         Type = 0x0460 // 1120, P→S
	TypeShareFile        Type = 0x0FA1 // 4001, S→P
	TypeUnshareFile      Type = 0x0FA2 // 4002, S→P
	TypeShareFolder      Type = 0x0FA3 // 4003, S→P
	TypeUnshareFolder    Type = 0x0FA4 // 4004, S→P
	TypeWhois            Type = 0x1389 // 5001, S→P
	TypeWhoisReply       Type = 0x138A // 5002, P→S
	TypeWhoisFailed      Type = 0x138B // 5003, P→S
	TypePrivateMessage   Type = 0x13EC // 5100, S→P
	TypePMStatus         Type = 0x13ED // 5101, P→S
	TypeIncomingPM       Type = 0x13F6 // 5110, P→S
	TypePMReceipt        Type = 0x144F // 5199, S→P
	TypeSearch           Type = 0x1771 // 6001, S→P
	TypeHashSearch       Type = 0x1772 // 6002, S→P
	TypeStopSearch       Type = 0x1775 // 6005, S→P
	TypeSearchHit        Type = 0x177A // 6010, P→S
	TypeBrowse           Type = 0x1B59 // 7001, S→P
	TypeBrowseEnd        Type = 0x1B5A // 7002, S→P
	TypeBrowseEntry      Type = 0x1BBC // 7100, P→S
	TypeBrowseDone       Type = 0x1BC6 // 7110, P→S
	TypeBrowseError      Type = 0x1BD0 // 7120, P→S
	TypeDownloadRequest  Type = 0x1F41 // 8001, S→P
	TypeTransferStatus   Type = 0x1F54 // 8020, payload unknown
	TypeUploadReady      Type = 0x1F68 // 8040, S→P
	TypeDownloadFailed   Type = 0x1FA4 // 8100, P→S
	TypeIncomingDownload Type = 0x1FB8 // 8120, P→S
	TypeStartDownload    Type = 0x1FC2 // 8130, P→S
	TypeRoomListRequest  Type = 0x238D // 9101, S→P
	TypeRoomListEntry    Type = 0x238E // 9102, P→S
)

func init() {
	register[Status](secondaryPackets)
	register[NameNotice](secondaryPackets)
	register[NodeList](secondaryPackets)
	register[Login](secondaryPackets)
	register[LoginAck](secondaryPackets)
}

// Status (0x0384) is the secondary's queue/upload status string (§3.4),
// sent after login, every 30 s, and in answer to 0x03A1.
type Status struct{ Status string }

func (*Status) PacketType() Type                { return TypeStatus }
func (p *Status) AppendPayload(b []byte) []byte { return appendStr(b, p.Status) }
func (p *Status) decode(r *wire.Reader)         { p.Status = readStr(r) }

// NameNotice (0x038D) tells the primary the secondary's full name (RoboMX
// sends it after every 0x0460).
type NameNotice struct{ FullName string }

func (*NameNotice) PacketType() Type                { return TypeNameNotice }
func (p *NameNotice) AppendPayload(b []byte) []byte { return appendStr(b, p.FullName) }
func (p *NameNotice) decode(r *wire.Reader)         { p.FullName = readStr(r) }

// MaxNodeListEntries is what a 0x03A1 carries: the current primary and
// seven others (wpn.md §3.3).
const MaxNodeListEntries = 8

// NodeList (0x03A1) lists alternative primaries, entry 0 being the current
// one; primaries send it regularly and it doubles as a keep-alive.
type NodeList struct{ Nodes []NodeEntry }

func (*NodeList) PacketType() Type { return TypeNodeList }
func (p *NodeList) AppendPayload(b []byte) []byte {
	for _, e := range p.Nodes[:min(len(p.Nodes), MaxNodeListEntries)] {
		b = AppendNodeEntry(b, e)
	}
	return b
}
func (p *NodeList) decode(r *wire.Reader) {
	p.Nodes = p.Nodes[:0]
	for r.Len() >= NodeEntrySize && len(p.Nodes) < MaxNodeListEntries {
		p.Nodes = append(p.Nodes, ParseNodeEntry(r.Bytes(NodeEntrySize)))
	}
}

// Login (0x03E9) logs in or renames: the base name (without _NNNNN), the
// line type and the secondary's incoming transfer port (0 if passive).
type Login struct {
	BaseName     string
	LineType     uint16
	TransferPort uint16
}

func (*Login) PacketType() Type { return TypeLogin }
func (p *Login) AppendPayload(b []byte) []byte {
	return u16(u16(appendStr(b, p.BaseName), p.LineType), p.TransferPort)
}
func (p *Login) decode(r *wire.Reader) {
	p.BaseName = readStr(r)
	p.LineType = r.Uint16()
	p.TransferPort = r.Uint16()
}

// LoginAck (0x0460) gives the secondary its client id; it must be the
// first frame the primary sends (clients fail the login otherwise).
type LoginAck struct{ ClientID uint16 }

func (*LoginAck) PacketType() Type                { return TypeLoginAck }
func (p *LoginAck) AppendPayload(b []byte) []byte { return u16(b, p.ClientID) }
func (p *LoginAck) decode(r *wire.Reader)         { p.ClientID = r.Uint16() }

// Line types (wpn.md §3.2).
const (
	LineUnknown uint16 = iota
	Line14K4
	Line28K8
	Line33K6
	Line56K
	LineISDN64K
	LineISDN128K
	LineCable
	LineDSL
	LineT1
	LineT3
)
