package slsk

import "github.com/revival-net/revival/internal/wire"

// FileSearchRequest is peer code 8 (spec §3.3), a search sent straight to
// one peer. It is obsolete (UserSearch, server code 42, replaced it) but old
// clients may still send it, so it is decoded rather than dropped.
type FileSearchRequest struct {
	Token uint32
	Query string
}

func (*FileSearchRequest) PeerCode() PeerCode { return PeerCodeFileSearchRequest }

func (m *FileSearchRequest) Encode(b *wire.Builder) {
	b.Uint32(m.Token)
	b.String(m.Query)
}

func (m *FileSearchRequest) Decode(r *wire.Reader) {
	m.Token = r.Uint32()
	m.Query = r.String()
}

// FileSearchResponse is peer code 9 (spec §3.3): a peer's matches for a
// search, sent over P to the searcher. It is one zlib stream of: username,
// the search token, the files, slot free, average upload speed, queue
// length, a u32 that is always 0, and optionally the files only buddies may
// download (PrivateFiles). Encode writes the queue length as a u32 and
// leaves the private list out when empty, as Nicotine+ does. Some clients
// write the queue length as a u64; with Decode's layout its high half lands
// in the always-0 field and the next 4 bytes read as an empty private list,
// so such responses decode to the same values.
type FileSearchResponse struct {
	Username     string
	Token        uint32
	Files        []File
	SlotFree     bool
	AvgSpeed     uint32
	QueueLength  uint32
	PrivateFiles []File
}

func (*FileSearchResponse) PeerCode() PeerCode { return PeerCodeFileSearchResponse }

func (m *FileSearchResponse) Encode(b *wire.Builder) {
	encodeZlib(b, func(p *wire.Builder) {
		p.String(m.Username)
		p.Uint32(m.Token)
		WriteFiles(p, m.Files)
		p.Bool(m.SlotFree)
		p.Uint32(m.AvgSpeed)
		p.Uint32(m.QueueLength)
		p.Uint32(0)
		if len(m.PrivateFiles) > 0 {
			WriteFiles(p, m.PrivateFiles)
		}
	})
}

func (m *FileSearchResponse) Decode(r *wire.Reader) { decodeDefault(m, r) }

func (m *FileSearchResponse) decodeLimited(r *wire.Reader, lim ZlibLimit) {
	decodeZlib(r, lim, func(z *wire.Reader, b *EntryBudget) {
		m.Username = z.String()
		m.Token = z.Uint32()
		m.Files = ReadFiles(z, b)
		m.SlotFree = z.Bool()
		m.AvgSpeed = z.Uint32()
		m.QueueLength = z.Uint32()
		if z.Len() >= 4 {
			z.Uint32() // unknown, always 0
		}
		if z.Len() >= 4 {
			m.PrivateFiles = ReadFiles(z, b)
		}
	})
}

// MaxPeekName bounds the username PeekFileSearchToken reads past.
// Soulseek names are at most 30 characters; a longer field is refused.
const MaxPeekName = 1024

// PeekFileSearchToken returns the username and token at the start of a
// FileSearchResponse payload (after the code), inflating only those fields
// (at most 4+MaxPeekName+4 bytes), so a receiver can drop an answer to a
// search it is not running before inflating the rest.
func PeekFileSearchToken(payload []byte) (user string, token uint32, err error) {
	head, err := wire.InflatePrefix(payload, 4+MaxPeekName+4)
	if err != nil {
		return "", 0, err
	}
	r := wire.NewReader(head)
	user = r.String()
	token = r.Uint32()
	return user, token, r.Err()
}

func init() {
	registerPeer(func() PeerMessage { return new(FileSearchRequest) })
	registerPeer(func() PeerMessage { return new(FileSearchResponse) })
}
