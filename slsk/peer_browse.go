package slsk

import "github.com/revival-net/revival/internal/wire"

// SharedFileListRequest is peer code 4 (spec §3.3): asks for the whole
// share list. The payload is empty; aioslsk may add a u32 ticket, which is
// ignored like any trailing bytes.
type SharedFileListRequest struct{}

func (*SharedFileListRequest) PeerCode() PeerCode   { return PeerCodeSharedFileListRequest }
func (*SharedFileListRequest) Encode(*wire.Builder) {}
func (*SharedFileListRequest) Decode(*wire.Reader)  {}

// SharedFileListResponse is peer code 5 (spec §3.3), one zlib stream of:
// the public directories, a u32 that official clients always send as 0, and
// optionally the directories only buddies may download (PrivateDirs).
// Nicotine+ leaves the private list out when it is empty, and so does Encode.
type SharedFileListResponse struct {
	Dirs        []Dir
	PrivateDirs []Dir
}

func (*SharedFileListResponse) PeerCode() PeerCode { return PeerCodeSharedFileListResponse }

func (m *SharedFileListResponse) Encode(b *wire.Builder) {
	encodeZlib(b, func(p *wire.Builder) {
		WriteDirs(p, m.Dirs)
		p.Uint32(0)
		if len(m.PrivateDirs) > 0 {
			WriteDirs(p, m.PrivateDirs)
		}
	})
}

func (m *SharedFileListResponse) Decode(r *wire.Reader) { decodeDefault(m, r) }

func (m *SharedFileListResponse) decodeLimited(r *wire.Reader, lim ZlibLimit) {
	decodeZlib(r, lim, func(z *wire.Reader, b *EntryBudget) {
		m.Dirs = ReadDirs(z, b)
		if z.Len() >= 4 {
			z.Uint32() // unknown, always 0
		}
		if z.Len() >= 4 {
			m.PrivateDirs = ReadDirs(z, b)
		}
	})
}

// UserInfoRequest is peer code 15 (spec §3.3): asks for the user's
// description, picture and upload state. Empty payload.
type UserInfoRequest struct{}

func (*UserInfoRequest) PeerCode() PeerCode   { return PeerCodeUserInfoRequest }
func (*UserInfoRequest) Encode(*wire.Builder) {}
func (*UserInfoRequest) Decode(*wire.Reader)  {}

// UserInfoResponse is peer code 16 (spec §3.3). The picture is present only
// when HasPicture is set (Encode also sends it when Picture is non-empty).
// UploadPermission is optional on the wire: it is read only when 4 bytes
// are left, because Museek+ sends SlotsFree as a u32 and so leaves 3 bytes
// of garbage there (Nicotine+ guards the same way); Encode always sends it.
type UserInfoResponse struct {
	Description      string
	HasPicture       bool
	Picture          []byte
	TotalUploads     uint32
	QueueSize        uint32
	SlotsFree        bool
	UploadPermission uint32
}

func (*UserInfoResponse) PeerCode() PeerCode { return PeerCodeUserInfoResponse }

func (m *UserInfoResponse) Encode(b *wire.Builder) {
	b.String(m.Description)
	has := m.HasPicture || len(m.Picture) > 0
	b.Bool(has)
	if has {
		b.LenBytes(m.Picture)
	}
	b.Uint32(m.TotalUploads)
	b.Uint32(m.QueueSize)
	b.Bool(m.SlotsFree)
	b.Uint32(m.UploadPermission)
}

func (m *UserInfoResponse) Decode(r *wire.Reader) {
	m.Description = r.String()
	m.HasPicture = r.Bool()
	if m.HasPicture {
		// Copy: the frame buffer is reused by the reader that produced it.
		if p := r.LenBytes(); p != nil {
			m.Picture = append([]byte{}, p...)
		}
	}
	m.TotalUploads = r.Uint32()
	m.QueueSize = r.Uint32()
	m.SlotsFree = r.Bool()
	if r.Len() >= 4 {
		m.UploadPermission = r.Uint32()
	}
}

// FolderContentsRequest is peer code 36 (spec §3.3): asks for the files of
// one folder (backslash path), tagged with a token the answer echoes.
type FolderContentsRequest struct {
	Token  uint32
	Folder string
}

func (*FolderContentsRequest) PeerCode() PeerCode { return PeerCodeFolderContentsRequest }

func (m *FolderContentsRequest) Encode(b *wire.Builder) {
	b.Uint32(m.Token)
	b.String(m.Folder)
}

func (m *FolderContentsRequest) Decode(r *wire.Reader) {
	m.Token = r.Uint32()
	m.Folder = r.String()
}

// FolderContentsResponse is peer code 37 (spec §3.3), one zlib stream of
// the request's token and folder, then the directories (the folder and, for
// some clients, its subfolders) with their files.
type FolderContentsResponse struct {
	Token  uint32
	Folder string
	Dirs   []Dir
}

func (*FolderContentsResponse) PeerCode() PeerCode { return PeerCodeFolderContentsResponse }

func (m *FolderContentsResponse) Encode(b *wire.Builder) {
	encodeZlib(b, func(p *wire.Builder) {
		p.Uint32(m.Token)
		p.String(m.Folder)
		WriteDirs(p, m.Dirs)
	})
}

func (m *FolderContentsResponse) Decode(r *wire.Reader) { decodeDefault(m, r) }

func (m *FolderContentsResponse) decodeLimited(r *wire.Reader, lim ZlibLimit) {
	decodeZlib(r, lim, func(z *wire.Reader, b *EntryBudget) {
		m.Token = z.Uint32()
		m.Folder = z.String()
		m.Dirs = ReadDirs(z, b)
	})
}

// PeekFolderContentsToken returns the token a FolderContentsResponse
// payload (after the code) echoes, inflating only its first 4 bytes, so a
// receiver can drop an answer to a request it never made before paying
// for the rest.
func PeekFolderContentsToken(payload []byte) (uint32, error) {
	head, err := wire.InflatePrefix(payload, 4)
	if err != nil {
		return 0, err
	}
	r := wire.NewReader(head)
	token := r.Uint32()
	return token, r.Err()
}

func init() {
	registerPeer(func() PeerMessage { return new(SharedFileListRequest) })
	registerPeer(func() PeerMessage { return new(SharedFileListResponse) })
	registerPeer(func() PeerMessage { return new(UserInfoRequest) })
	registerPeer(func() PeerMessage { return new(UserInfoResponse) })
	registerPeer(func() PeerMessage { return new(FolderContentsRequest) })
	registerPeer(func() PeerMessage { return new(FolderContentsResponse) })
}
