package wpn

import "github.com/revival-net/revival/internal/wire"

func init() {
	register[ShareFile](secondaryPackets)
	register[UnshareFile](secondaryPackets)
	register[ShareFolder](secondaryPackets)
	register[UnshareFolder](secondaryPackets)
}

// HashSize is the size of a shared file's hash field: 16 checksum bytes
// and the 32-bit length (wpn.md §2.7).
const HashSize = 20

// Media is the optional metadata of audio and video files.
type Media struct {
	Bitrate    uint16 // kbps
	SampleFreq uint32 // Hz
	PlayTime   uint32 // seconds
}

func (m Media) append(b []byte) []byte {
	return u32(u32(u16(b, m.Bitrate), m.SampleFreq), m.PlayTime)
}

func (m *Media) decode(r *wire.Reader) {
	m.Bitrate = r.Uint16()
	m.SampleFreq = r.Uint32()
	m.PlayTime = r.Uint32()
}

// mediaSize is the size of Media on the wire.
const mediaSize = 10

// ShareFile (0x0FA1) shares one file; the media fields are present only
// for media files, which the payload length tells [D].
type ShareFile struct {
	Path  string
	Hash  [HashSize]byte
	Size  uint32
	Media *Media
}

func (*ShareFile) PacketType() Type { return TypeShareFile }
func (p *ShareFile) AppendPayload(b []byte) []byte {
	b = appendStr(b, p.Path)
	b = u32(append(b, p.Hash[:]...), p.Size)
	if p.Media != nil {
		b = p.Media.append(b)
	}
	return b
}
func (p *ShareFile) decode(r *wire.Reader) {
	p.Path = readStr(r)
	readFixed(r, p.Hash[:])
	p.Size = r.Uint32()
	if r.Len() >= mediaSize {
		p.Media = new(Media)
		p.Media.decode(r)
	}
}

// UnshareFile (0x0FA2) withdraws one file. Its layout is not public; we
// take the key fields of 0x0FA1 [G] and match on the path alone.
type UnshareFile struct{ ShareFile }

func (*UnshareFile) PacketType() Type { return TypeUnshareFile }

// SharedFile is one entry of a 0x0FA3 folder.
type SharedFile struct {
	Name  string
	Hash  [HashSize]byte
	Size  uint32
	Media Media // always on the wire here, zero for non-media files
}

// sharedFileMin is the smallest entry: an empty name's NUL and the fixed
// fields. Decoders use it to bound what a payload can hold.
const sharedFileMin = 1 + HashSize + 4 + mediaSize

// ShareFolder (0x0FA3) shares a folder: its path, then every file with
// all three media fields (RoboMX and MediaDefender always send them;
// without them the entries could not be delimited) [C].
type ShareFolder struct {
	Folder string
	Files  []SharedFile
}

func (*ShareFolder) PacketType() Type { return TypeShareFolder }
func (p *ShareFolder) AppendPayload(b []byte) []byte {
	b = appendStr(b, p.Folder)
	for _, f := range p.Files {
		b = appendStr(b, f.Name)
		b = u32(append(b, f.Hash[:]...), f.Size)
		b = f.Media.append(b)
	}
	return b
}
func (p *ShareFolder) decode(r *wire.Reader) {
	p.Folder = readStr(r)
	// The payload bounds the count (at most 65535/35 entries), so the
	// slice grows with what is really there.
	for r.Len() >= sharedFileMin && r.Err() == nil {
		var f SharedFile
		f.Name = readStr(r)
		readFixed(r, f.Hash[:])
		f.Size = r.Uint32()
		f.Media.decode(r)
		if r.Err() == nil {
			p.Files = append(p.Files, f)
		}
	}
}

// UnshareFolder (0x0FA4) withdraws a folder; its layout is not public and
// we read the folder path [G].
type UnshareFolder struct{ Folder string }

func (*UnshareFolder) PacketType() Type                { return TypeUnshareFolder }
func (p *UnshareFolder) AppendPayload(b []byte) []byte { return appendStr(b, p.Folder) }
func (p *UnshareFolder) decode(r *wire.Reader)         { p.Folder = readStr(r) }
