package slsk

import "github.com/revival-net/revival/internal/wire"

// FileSearch is server code 26, client to server (spec §2): a global
// search, routed to branch roots as EmbeddedMessage or sent directly as
// FileSearchReply (spec §4.3).
type FileSearch struct {
	Token uint32
	Query string
}

func (*FileSearch) ServerCode() ServerCode { return CodeFileSearch }

func (m *FileSearch) Encode(b *wire.Builder) {
	b.Uint32(m.Token)
	b.String(m.Query)
}

func (m *FileSearch) Decode(r *wire.Reader) {
	m.Token = r.Uint32()
	m.Query = r.String()
}

// FileSearchReply is server code 26, server to client (spec §2): a search
// delivered to a user who may answer it, carrying the searcher's name. It
// also delivers UserSearch and RoomSearch.
type FileSearchReply struct {
	Username string
	Token    uint32
	Query    string
}

func (*FileSearchReply) ServerCode() ServerCode { return CodeFileSearch }

func (m *FileSearchReply) Encode(b *wire.Builder) {
	b.String(m.Username)
	b.Uint32(m.Token)
	b.String(m.Query)
}

func (m *FileSearchReply) Decode(r *wire.Reader) {
	m.Username = r.String()
	m.Token = r.Uint32()
	m.Query = r.String()
}

// FileSearchRoom is server code 25, client to server (spec §2, obsolete):
// a search in a room given by numeric id; accepted and ignored.
type FileSearchRoom struct {
	Token  uint32
	RoomID uint32
	Query  string
}

func (*FileSearchRoom) ServerCode() ServerCode { return CodeFileSearchRoom }

func (m *FileSearchRoom) Encode(b *wire.Builder) {
	b.Uint32(m.Token)
	b.Uint32(m.RoomID)
	b.String(m.Query)
}

func (m *FileSearchRoom) Decode(r *wire.Reader) {
	m.Token = r.Uint32()
	m.RoomID = r.Uint32()
	m.Query = r.String()
}

// UserSearch is server code 42, client to server (spec §2): search one
// user's shares; the server sends FileSearchReply to that user only.
type UserSearch struct {
	Username string
	Token    uint32
	Query    string
}

func (*UserSearch) ServerCode() ServerCode { return CodeUserSearch }

func (m *UserSearch) Encode(b *wire.Builder) {
	b.String(m.Username)
	b.Uint32(m.Token)
	b.String(m.Query)
}

func (m *UserSearch) Decode(r *wire.Reader) {
	m.Username = r.String()
	m.Token = r.Uint32()
	m.Query = r.String()
}

// ExactFileSearch is server code 65, client to server (spec §2, obsolete:
// even the official server returns nothing). Accepted and ignored. The
// trailing byte's meaning is unknown; it is optional on decode.
type ExactFileSearch struct {
	Token    uint32
	Filename string
	Folder   string
	Size     uint64
	Checksum uint32
	Unknown  uint8
}

func (*ExactFileSearch) ServerCode() ServerCode { return CodeExactFileSearch }

func (m *ExactFileSearch) Encode(b *wire.Builder) {
	b.Uint32(m.Token)
	b.String(m.Filename)
	b.String(m.Folder)
	b.Uint64(m.Size)
	b.Uint32(m.Checksum)
	b.Uint8(m.Unknown)
}

func (m *ExactFileSearch) Decode(r *wire.Reader) {
	m.Token = r.Uint32()
	m.Filename = r.String()
	m.Folder = r.String()
	m.Size = r.Uint64()
	m.Checksum = r.Uint32()
	if !r.Empty() {
		m.Unknown = r.Uint8()
	}
}

// WishlistSearch is server code 103, client to server (spec §2): treated
// like FileSearch.
type WishlistSearch struct {
	Token uint32
	Query string
}

func (*WishlistSearch) ServerCode() ServerCode { return CodeWishlistSearch }

func (m *WishlistSearch) Encode(b *wire.Builder) {
	b.Uint32(m.Token)
	b.String(m.Query)
}

func (m *WishlistSearch) Decode(r *wire.Reader) {
	m.Token = r.Uint32()
	m.Query = r.String()
}

// WishlistInterval is server code 104, server to client (spec §2, §1.5):
// how often, in seconds, the client may run a wishlist search (720, or 120
// for privileged users).
type WishlistInterval struct{ Seconds uint32 }

func (*WishlistInterval) ServerCode() ServerCode   { return CodeWishlistInterval }
func (m *WishlistInterval) Encode(b *wire.Builder) { b.Uint32(m.Seconds) }
func (m *WishlistInterval) Decode(r *wire.Reader)  { m.Seconds = r.Uint32() }

// RoomSearch is server code 120, client to server (spec §2): search the
// members of a room; the server sends FileSearchReply to each.
type RoomSearch struct {
	Room  string
	Token uint32
	Query string
}

func (*RoomSearch) ServerCode() ServerCode { return CodeRoomSearch }

func (m *RoomSearch) Encode(b *wire.Builder) {
	b.String(m.Room)
	b.Uint32(m.Token)
	b.String(m.Query)
}

func (m *RoomSearch) Decode(r *wire.Reader) {
	m.Room = r.String()
	m.Token = r.Uint32()
	m.Query = r.String()
}

// RelatedSearch is server code 153, client to server (spec §2, obsolete).
type RelatedSearch struct{ Query string }

func (*RelatedSearch) ServerCode() ServerCode   { return CodeRelatedSearch }
func (m *RelatedSearch) Encode(b *wire.Builder) { b.String(m.Query) }
func (m *RelatedSearch) Decode(r *wire.Reader)  { m.Query = r.String() }

// RelatedSearchReply is server code 153, server to client (spec §2,
// obsolete): the server answers with an empty list. Entries are (str term,
// u32 score) as Nicotine+ parses them; Recommendation has that layout.
type RelatedSearchReply struct {
	Query string
	Terms []Recommendation
}

func (*RelatedSearchReply) ServerCode() ServerCode { return CodeRelatedSearch }

func (m *RelatedSearchReply) Encode(b *wire.Builder) {
	b.String(m.Query)
	writeRecommendations(b, m.Terms)
}

func (m *RelatedSearchReply) Decode(r *wire.Reader) {
	m.Query = r.String()
	m.Terms = readRecommendations(r)
}

// ExcludedSearchPhrases is server code 160, server to client (spec §2,
// §1.5): phrases clients must not return results for. Sent at login, even
// when empty, and whenever the list changes.
type ExcludedSearchPhrases struct{ Phrases []string }

func (*ExcludedSearchPhrases) ServerCode() ServerCode   { return CodeExcludedSearchPhrases }
func (m *ExcludedSearchPhrases) Encode(b *wire.Builder) { writeStrings(b, m.Phrases) }
func (m *ExcludedSearchPhrases) Decode(r *wire.Reader)  { m.Phrases = readStrings(r) }

func init() {
	registerRequest(func() ServerMessage { return new(FileSearch) })
	registerReply(func() ServerMessage { return new(FileSearchReply) })
	registerRequest(func() ServerMessage { return new(FileSearchRoom) })
	registerRequest(func() ServerMessage { return new(UserSearch) })
	registerRequest(func() ServerMessage { return new(ExactFileSearch) })
	registerRequest(func() ServerMessage { return new(WishlistSearch) })
	registerReply(func() ServerMessage { return new(WishlistInterval) })
	registerRequest(func() ServerMessage { return new(RoomSearch) })
	registerRequest(func() ServerMessage { return new(RelatedSearch) })
	registerReply(func() ServerMessage { return new(RelatedSearchReply) })
	registerReply(func() ServerMessage { return new(ExcludedSearchPhrases) })
}
