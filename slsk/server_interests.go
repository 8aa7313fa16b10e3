package slsk

import "github.com/revival-net/revival/internal/wire"

// Interests and recommendations (spec §2, §2.2): each user has a set of
// liked and hated items; the server derives recommendations and similar
// users from them.

// AddThingILike is server code 51, client to server (spec §2).
type AddThingILike struct{ Item string }

func (*AddThingILike) ServerCode() ServerCode   { return CodeAddThingILike }
func (m *AddThingILike) Encode(b *wire.Builder) { b.String(m.Item) }
func (m *AddThingILike) Decode(r *wire.Reader)  { m.Item = r.String() }

// RemoveThingILike is server code 52, client to server (spec §2).
type RemoveThingILike struct{ Item string }

func (*RemoveThingILike) ServerCode() ServerCode   { return CodeRemoveThingILike }
func (m *RemoveThingILike) Encode(b *wire.Builder) { b.String(m.Item) }
func (m *RemoveThingILike) Decode(r *wire.Reader)  { m.Item = r.String() }

// AddThingIHate is server code 117, client to server (spec §2).
type AddThingIHate struct{ Item string }

func (*AddThingIHate) ServerCode() ServerCode   { return CodeAddThingIHate }
func (m *AddThingIHate) Encode(b *wire.Builder) { b.String(m.Item) }
func (m *AddThingIHate) Decode(r *wire.Reader)  { m.Item = r.String() }

// RemoveThingIHate is server code 118, client to server (spec §2).
type RemoveThingIHate struct{ Item string }

func (*RemoveThingIHate) ServerCode() ServerCode   { return CodeRemoveThingIHate }
func (m *RemoveThingIHate) Encode(b *wire.Builder) { b.String(m.Item) }
func (m *RemoveThingIHate) Decode(r *wire.Reader)  { m.Item = r.String() }

// SimilarRecommendations is server code 50, client to server (spec §2,
// obsolete).
type SimilarRecommendations struct{ Item string }

func (*SimilarRecommendations) ServerCode() ServerCode   { return CodeSimilarRecommendations }
func (m *SimilarRecommendations) Encode(b *wire.Builder) { b.String(m.Item) }
func (m *SimilarRecommendations) Decode(r *wire.Reader)  { m.Item = r.String() }

// SimilarRecommendationsReply is server code 50, server to client (spec
// §2, obsolete): the server answers with an empty list. Entries are plain
// strings, as Nicotine+ parses them.
type SimilarRecommendationsReply struct {
	Item    string
	Similar []string
}

func (*SimilarRecommendationsReply) ServerCode() ServerCode { return CodeSimilarRecommendations }

func (m *SimilarRecommendationsReply) Encode(b *wire.Builder) {
	b.String(m.Item)
	writeStrings(b, m.Similar)
}

func (m *SimilarRecommendationsReply) Decode(r *wire.Reader) {
	m.Item = r.String()
	m.Similar = readStrings(r)
}

// Recommendations is server code 54, client to server (spec §2): empty
// request for the caller's personal recommendations.
type Recommendations struct{}

func (*Recommendations) ServerCode() ServerCode { return CodeRecommendations }
func (*Recommendations) Encode(*wire.Builder)   {}
func (*Recommendations) Decode(*wire.Reader)    {}

// RecommendationsReply is server code 54, server to client (spec §2,
// §2.2): recommended items, then unrecommended ones (negative scores). The
// second list is optional on decode.
type RecommendationsReply struct {
	Recommendations   []Recommendation
	Unrecommendations []Recommendation
}

func (*RecommendationsReply) ServerCode() ServerCode { return CodeRecommendations }

func (m *RecommendationsReply) Encode(b *wire.Builder) {
	writeRecommendations(b, m.Recommendations)
	writeRecommendations(b, m.Unrecommendations)
}

func (m *RecommendationsReply) Decode(r *wire.Reader) {
	m.Recommendations = readRecommendations(r)
	if !r.Empty() {
		m.Unrecommendations = readRecommendations(r)
	}
}

// MyRecommendations is server code 55, client to server (spec §2,
// obsolete): empty request for the caller's own likes.
type MyRecommendations struct{}

func (*MyRecommendations) ServerCode() ServerCode { return CodeMyRecommendations }
func (*MyRecommendations) Encode(*wire.Builder)   {}
func (*MyRecommendations) Decode(*wire.Reader)    {}

// MyRecommendationsReply is server code 55, server to client (spec §2,
// obsolete): the server answers with an empty list of strings.
type MyRecommendationsReply struct{ Items []string }

func (*MyRecommendationsReply) ServerCode() ServerCode   { return CodeMyRecommendations }
func (m *MyRecommendationsReply) Encode(b *wire.Builder) { writeStrings(b, m.Items) }
func (m *MyRecommendationsReply) Decode(r *wire.Reader)  { m.Items = readStrings(r) }

// GlobalRecommendations is server code 56, client to server (spec §2):
// empty request.
type GlobalRecommendations struct{}

func (*GlobalRecommendations) ServerCode() ServerCode { return CodeGlobalRecommendations }
func (*GlobalRecommendations) Encode(*wire.Builder)   {}
func (*GlobalRecommendations) Decode(*wire.Reader)    {}

// GlobalRecommendationsReply is server code 56, server to client (spec §2):
// the same shape as RecommendationsReply, counted over online users.
type GlobalRecommendationsReply struct {
	Recommendations   []Recommendation
	Unrecommendations []Recommendation
}

func (*GlobalRecommendationsReply) ServerCode() ServerCode { return CodeGlobalRecommendations }

func (m *GlobalRecommendationsReply) Encode(b *wire.Builder) {
	(*RecommendationsReply)(m).Encode(b)
}

func (m *GlobalRecommendationsReply) Decode(r *wire.Reader) {
	(*RecommendationsReply)(m).Decode(r)
}

// UserInterests is server code 57, client to server (spec §2).
type UserInterests struct{ Username string }

func (*UserInterests) ServerCode() ServerCode   { return CodeUserInterests }
func (m *UserInterests) Encode(b *wire.Builder) { b.String(m.Username) }
func (m *UserInterests) Decode(r *wire.Reader)  { m.Username = r.String() }

// UserInterestsReply is server code 57, server to client (spec §2): a
// user's likes and hates (empty for unknown users).
type UserInterestsReply struct {
	Username string
	Likes    []string
	Hates    []string
}

func (*UserInterestsReply) ServerCode() ServerCode { return CodeUserInterests }

func (m *UserInterestsReply) Encode(b *wire.Builder) {
	b.String(m.Username)
	writeStrings(b, m.Likes)
	writeStrings(b, m.Hates)
}

func (m *UserInterestsReply) Decode(r *wire.Reader) {
	m.Username = r.String()
	m.Likes = readStrings(r)
	m.Hates = readStrings(r)
}

// SimilarUsers is server code 110, client to server (spec §2): empty
// request for users sharing the caller's interests.
type SimilarUsers struct{}

func (*SimilarUsers) ServerCode() ServerCode { return CodeSimilarUsers }
func (*SimilarUsers) Encode(*wire.Builder)   {}
func (*SimilarUsers) Decode(*wire.Reader)    {}

// SimilarUser is one entry of SimilarUsersReply.
type SimilarUser struct {
	Username string
	Rating   uint32
}

// SimilarUsersReply is server code 110, server to client (spec §2).
type SimilarUsersReply struct{ Users []SimilarUser }

func (*SimilarUsersReply) ServerCode() ServerCode { return CodeSimilarUsers }

func (m *SimilarUsersReply) Encode(b *wire.Builder) {
	b.Uint32(uint32(len(m.Users)))
	for _, u := range m.Users {
		b.String(u.Username)
		b.Uint32(u.Rating)
	}
}

func (m *SimilarUsersReply) Decode(r *wire.Reader) {
	n := r.Count(minString + 4)
	if n > 0 {
		m.Users = make([]SimilarUser, n)
	}
	for i := range m.Users {
		m.Users[i].Username = r.String()
		m.Users[i].Rating = r.Uint32()
	}
}

// ItemRecommendations is server code 111, client to server (spec §2).
type ItemRecommendations struct{ Item string }

func (*ItemRecommendations) ServerCode() ServerCode   { return CodeItemRecommendations }
func (m *ItemRecommendations) Encode(b *wire.Builder) { b.String(m.Item) }
func (m *ItemRecommendations) Decode(r *wire.Reader)  { m.Item = r.String() }

// ItemRecommendationsReply is server code 111, server to client (spec §2):
// items liked by the users who like Item.
type ItemRecommendationsReply struct {
	Item            string
	Recommendations []Recommendation
}

func (*ItemRecommendationsReply) ServerCode() ServerCode { return CodeItemRecommendations }

func (m *ItemRecommendationsReply) Encode(b *wire.Builder) {
	b.String(m.Item)
	writeRecommendations(b, m.Recommendations)
}

func (m *ItemRecommendationsReply) Decode(r *wire.Reader) {
	m.Item = r.String()
	m.Recommendations = readRecommendations(r)
}

// ItemSimilarUsers is server code 112, client to server (spec §2).
type ItemSimilarUsers struct{ Item string }

func (*ItemSimilarUsers) ServerCode() ServerCode   { return CodeItemSimilarUsers }
func (m *ItemSimilarUsers) Encode(b *wire.Builder) { b.String(m.Item) }
func (m *ItemSimilarUsers) Decode(r *wire.Reader)  { m.Item = r.String() }

// ItemSimilarUsersReply is server code 112, server to client (spec §2):
// users who like Item.
type ItemSimilarUsersReply struct {
	Item      string
	Usernames []string
}

func (*ItemSimilarUsersReply) ServerCode() ServerCode { return CodeItemSimilarUsers }

func (m *ItemSimilarUsersReply) Encode(b *wire.Builder) {
	b.String(m.Item)
	writeStrings(b, m.Usernames)
}

func (m *ItemSimilarUsersReply) Decode(r *wire.Reader) {
	m.Item = r.String()
	m.Usernames = readStrings(r)
}

func init() {
	registerRequest(func() ServerMessage { return new(AddThingILike) })
	registerRequest(func() ServerMessage { return new(RemoveThingILike) })
	registerRequest(func() ServerMessage { return new(AddThingIHate) })
	registerRequest(func() ServerMessage { return new(RemoveThingIHate) })
	registerRequest(func() ServerMessage { return new(SimilarRecommendations) })
	registerReply(func() ServerMessage { return new(SimilarRecommendationsReply) })
	registerRequest(func() ServerMessage { return new(Recommendations) })
	registerReply(func() ServerMessage { return new(RecommendationsReply) })
	registerRequest(func() ServerMessage { return new(MyRecommendations) })
	registerReply(func() ServerMessage { return new(MyRecommendationsReply) })
	registerRequest(func() ServerMessage { return new(GlobalRecommendations) })
	registerReply(func() ServerMessage { return new(GlobalRecommendationsReply) })
	registerRequest(func() ServerMessage { return new(UserInterests) })
	registerReply(func() ServerMessage { return new(UserInterestsReply) })
	registerRequest(func() ServerMessage { return new(SimilarUsers) })
	registerReply(func() ServerMessage { return new(SimilarUsersReply) })
	registerRequest(func() ServerMessage { return new(ItemRecommendations) })
	registerReply(func() ServerMessage { return new(ItemRecommendationsReply) })
	registerRequest(func() ServerMessage { return new(ItemSimilarUsers) })
	registerReply(func() ServerMessage { return new(ItemSimilarUsersReply) })
}
