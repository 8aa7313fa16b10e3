package wpn

import "github.com/revival-net/revival/internal/wire"

func init() {
	register[Whois](secondaryPackets)
	register[WhoisReply](secondaryPackets)
	register[WhoisFailed](secondaryPackets)
	register[PrivateMessage](secondaryPackets)
	register[PMStatus](secondaryPackets)
	register[IncomingPM](secondaryPackets)
	register[PMReceipt](secondaryPackets)
	register[Browse](secondaryPackets)
	register[BrowseEnd](secondaryPackets)
	register[BrowseEntry](secondaryPackets)
	register[BrowseDone](secondaryPackets)
	register[BrowseError](secondaryPackets)
}

// Target names a remote user: the handle of the user's primary (as text,
// echoed byte for byte) and the user's full name. It starts the payload
// of every whois, PM, browse and transfer packet.
type Target struct {
	Handle string
	Name   string
}

func (t Target) append(b []byte) []byte { return appendStr(appendStr(b, t.Handle), t.Name) }
func (t *Target) decode(r *wire.Reader) { t.Handle = readStr(r); t.Name = readStr(r) }

// Whois (0x1389) asks about a user.
type Whois struct{ Target }

func (*Whois) PacketType() Type                { return TypeWhois }
func (p *Whois) AppendPayload(b []byte) []byte { return p.Target.append(b) }

// WhoisReply (0x138A) answers a whois, laid out as the 84-byte capture of
// wpn.md §3.8 (not as RoboMX's parser, which expects an extra u32).
type WhoisReply struct {
	Target
	LineType      uint16
	OnlineSeconds uint32
	Files         uint16 // capped at 65535
	Status        string
}

func (*WhoisReply) PacketType() Type { return TypeWhoisReply }
func (p *WhoisReply) AppendPayload(b []byte) []byte {
	b = u16(u32(u16(p.Target.append(b), p.LineType), p.OnlineSeconds), p.Files)
	return appendStr(b, p.Status)
}
func (p *WhoisReply) decode(r *wire.Reader) {
	p.Target.decode(r)
	p.LineType = r.Uint16()
	p.OnlineSeconds = r.Uint32()
	p.Files = r.Uint16()
	p.Status = readStr(r)
}

// WhoisFailed (0x138B) reports a failed whois, with an optional message
// ("Whois query failed", "No response from remote host").
type WhoisFailed struct {
	Target
	Message string
}

func (*WhoisFailed) PacketType() Type { return TypeWhoisFailed }
func (p *WhoisFailed) AppendPayload(b []byte) []byte {
	b = p.Target.append(b)
	if p.Message != "" {
		b = appendStr(b, p.Message)
	}
	return b
}
func (p *WhoisFailed) decode(r *wire.Reader) {
	p.Target.decode(r)
	if !r.Empty() {
		p.Message = readStr(r)
	}
}

// PrivateMessage (0x13EC) sends a private message to a user.
type PrivateMessage struct {
	Target
	Text string
}

func (*PrivateMessage) PacketType() Type { return TypePrivateMessage }
func (p *PrivateMessage) AppendPayload(b []byte) []byte {
	return appendStr(p.Target.append(b), p.Text)
}
func (p *PrivateMessage) decode(r *wire.Reader) { p.Target.decode(r); p.Text = readStr(r) }

// PM delivery statuses as WinMX spells them (wpn.md §3.3, sic).
const (
	PMSent     = "SENT"
	PMOffline  = "User is Ofline"
	PMIgnoring = "User is ignoring you"
)

// PMStatus (0x13ED) tells the sender what became of its message.
type PMStatus struct {
	Target
	Status string
}

func (*PMStatus) PacketType() Type { return TypePMStatus }
func (p *PMStatus) AppendPayload(b []byte) []byte {
	return appendStr(p.Target.append(b), p.Status)
}
func (p *PMStatus) decode(r *wire.Reader) { p.Target.decode(r); p.Status = readStr(r) }

// MessageIDSize is the size of a PM id: opaque bytes the recipient echoes.
// Primaries make them 12 printable characters [G] (WPCC shows them as text).
const MessageIDSize = 12

// IncomingPM (0x13F6) delivers a message: the 12-byte id runs straight
// into the sender's handle with no separator.
type IncomingPM struct {
	ID [MessageIDSize]byte
	Target
	Text string
}

func (*IncomingPM) PacketType() Type { return TypeIncomingPM }
func (p *IncomingPM) AppendPayload(b []byte) []byte {
	return appendStr(p.Target.append(append(b, p.ID[:]...)), p.Text)
}
func (p *IncomingPM) decode(r *wire.Reader) {
	readFixed(r, p.ID[:])
	p.Target.decode(r)
	p.Text = readStr(r)
}

// PMReceipt (0x144F) answers an IncomingPM: the sender's handle and name,
// then the 12-byte id immediately followed by the status text and a NUL.
type PMReceipt struct {
	Target
	ID     [MessageIDSize]byte
	Status string
}

func (*PMReceipt) PacketType() Type { return TypePMReceipt }
func (p *PMReceipt) AppendPayload(b []byte) []byte {
	return appendStr(append(p.Target.append(b), p.ID[:]...), p.Status)
}
func (p *PMReceipt) decode(r *wire.Reader) {
	p.Target.decode(r)
	readFixed(r, p.ID[:])
	p.Status = readStr(r)
}

// Browse (0x1B59) asks for a user's shared files.
type Browse struct{ Target }

func (*Browse) PacketType() Type                { return TypeBrowse }
func (p *Browse) AppendPayload(b []byte) []byte { return p.Target.append(b) }

// BrowseEnd (0x1B5A) ends (or, sent before 0x1B59, cancels) a browse.
type BrowseEnd struct{ Target }

func (*BrowseEnd) PacketType() Type                { return TypeBrowseEnd }
func (p *BrowseEnd) AppendPayload(b []byte) []byte { return p.Target.append(b) }

// metaTypeMedia is the only metadata type seen: 'M' and 10 bytes of Media.
const (
	metaTypeMedia = 0x4D
	metaLenMedia  = 1 + mediaSize
)

func appendMeta(b []byte, m *Media) []byte {
	if m == nil {
		return append(b, 0)
	}
	return m.append(append(b, metaLenMedia, metaTypeMedia))
}

// readMeta reads [MetaLen u8] and, when it is non-zero, that many bytes,
// of which an 11-byte 'M' block is media. Other lengths are skipped.
func readMeta(r *wire.Reader) *Media {
	n := int(r.Uint8())
	if n == 0 {
		return nil
	}
	meta := wire.NewReader(r.Bytes(n))
	if n == metaLenMedia && meta.Uint8() == metaTypeMedia {
		m := new(Media)
		m.decode(meta)
		return m
	}
	return nil
}

// BrowseEntry (0x1BBC) is one shared file of a browsed user.
type BrowseEntry struct {
	Target
	FileName string
	Hash     [HashSize]byte
	Size     uint32
	Media    *Media
}

func (*BrowseEntry) PacketType() Type { return TypeBrowseEntry }
func (p *BrowseEntry) AppendPayload(b []byte) []byte {
	b = appendStr(p.Target.append(b), p.FileName)
	return appendMeta(u32(append(b, p.Hash[:]...), p.Size), p.Media)
}
func (p *BrowseEntry) decode(r *wire.Reader) {
	p.Target.decode(r)
	p.FileName = readStr(r)
	readFixed(r, p.Hash[:])
	p.Size = r.Uint32()
	if !r.Empty() {
		p.Media = readMeta(r)
	}
}

// BrowseDone (0x1BC6) ends a browse's entries.
type BrowseDone struct{ Target }

func (*BrowseDone) PacketType() Type                { return TypeBrowseDone }
func (p *BrowseDone) AppendPayload(b []byte) []byte { return p.Target.append(b) }

// BrowseError (0x1BD0) reports a failed browse (offline, switched host),
// with an optional message.
type BrowseError struct {
	Target
	Message string
}

func (*BrowseError) PacketType() Type { return TypeBrowseError }
func (p *BrowseError) AppendPayload(b []byte) []byte {
	b = p.Target.append(b)
	if p.Message != "" {
		b = appendStr(b, p.Message)
	}
	return b
}
func (p *BrowseError) decode(r *wire.Reader) {
	p.Target.decode(r)
	if !r.Empty() {
		p.Message = readStr(r)
	}
}
