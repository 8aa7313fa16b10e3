package slsk

import "github.com/revival-net/revival/internal/wire"

// UserStatus is a user's online state as sent in GetUserStatus, WatchUser,
// JoinRoom and UserJoinedRoom (spec §2, code 7).
type UserStatus uint32

// User status values (spec §2, code 7).
const (
	StatusOffline UserStatus = 0
	StatusAway    UserStatus = 1
	StatusOnline  UserStatus = 2
)

// UserStats is the spec's recurring "avgspeed, uploadnum, unknown, files,
// dirs" group (spec §2, codes 5, 14, 16, 36). AvgSpeed is in bytes/s;
// Unknown is always 0 (Soulseek.NET reads UploadNum and Unknown as one u64,
// so keep it 0 to stay compatible).
type UserStats struct {
	AvgSpeed  uint32
	UploadNum uint32
	Unknown   uint32
	Files     uint32
	Dirs      uint32
}

// userStatsSize is the wire size of UserStats, used as the minimum element
// size when checking list counts.
const userStatsSize = 20

func readUserStats(r *wire.Reader) UserStats {
	return UserStats{
		AvgSpeed:  r.Uint32(),
		UploadNum: r.Uint32(),
		Unknown:   r.Uint32(),
		Files:     r.Uint32(),
		Dirs:      r.Uint32(),
	}
}

func writeUserStats(b *wire.Builder, s UserStats) {
	b.Uint32(s.AvgSpeed)
	b.Uint32(s.UploadNum)
	b.Uint32(s.Unknown)
	b.Uint32(s.Files)
	b.Uint32(s.Dirs)
}

// Minimum wire sizes of list elements, for wire.Reader.Count: a string is
// at least its 4-byte length, a u32 is 4 bytes.
const (
	minString = 4
	minUint32 = 4
)

// readStrings reads a u32 count then that many strings; the count is
// checked against the bytes left before allocating (spec §8.1).
func readStrings(r *wire.Reader) []string {
	n := r.Count(minString)
	if n == 0 {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = r.String()
	}
	return out
}

func writeStrings(b *wire.Builder, s []string) {
	b.Uint32(uint32(len(s)))
	for _, v := range s {
		b.String(v)
	}
}

// u32Bool reads a u32 used as a flag: any non-zero value is true.
func u32Bool(r *wire.Reader) bool { return r.Uint32() != 0 }

// writeU32Bool writes a flag carried as a u32 (1 or 0).
func writeU32Bool(b *wire.Builder, v bool) {
	if v {
		b.Uint32(1)
	} else {
		b.Uint32(0)
	}
}

// readFlexBool reads a flag that clients send as one byte or as a u32
// (HaveNoParent and AcceptChildren: slsk-client sends a u32, spec §8.1):
// it is true when any byte of what is left is non-zero.
func readFlexBool(r *wire.Reader) bool {
	if r.Empty() {
		r.Uint8() // records ErrShort: the flag is required
		return false
	}
	for _, c := range r.Rest() {
		if c != 0 {
			return true
		}
	}
	return false
}

// wireError is a constant error type for decode failures found by this
// package (not by wire.Reader).
type wireError string

func (e wireError) Error() string { return string(e) }

// Recommendation is an item with its score, as listed by the
// recommendation messages (spec §2, codes 54, 56, 111). Scores are signed:
// hated items count negative.
type Recommendation struct {
	Item  string
	Score int32
}

func readRecommendations(r *wire.Reader) []Recommendation {
	n := r.Count(minString + 4)
	if n == 0 {
		return nil
	}
	out := make([]Recommendation, n)
	for i := range out {
		out[i].Item = r.String()
		out[i].Score = r.Int32()
	}
	return out
}

func writeRecommendations(b *wire.Builder, recs []Recommendation) {
	b.Uint32(uint32(len(recs)))
	for _, rec := range recs {
		b.String(rec.Item)
		b.Int32(rec.Score)
	}
}

// errArrayMismatch reports parallel arrays of different lengths
// (JoinRoomReply's per-user arrays, RoomListReply's names and counts).
var errArrayMismatch = wireError("slsk: parallel arrays differ in length")
