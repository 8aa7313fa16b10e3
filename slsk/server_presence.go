package slsk

import "github.com/revival-net/revival/internal/wire"

// SetWaitPort is server code 2, client to server (spec §2): the port the
// client listens on for peers. SoulseekQt and aioslsk add an obfuscation
// type (1 = rotated) and a second, obfuscated port (spec §3.5); the server
// only stores and forwards them. Both are optional on decode (spec §8.1) and
// sent only when either is non-zero.
type SetWaitPort struct {
	Port            uint32
	ObfuscationType uint32
	ObfuscatedPort  uint32
}

func (*SetWaitPort) ServerCode() ServerCode { return CodeSetWaitPort }

func (m *SetWaitPort) Encode(b *wire.Builder) {
	b.Uint32(m.Port)
	if m.ObfuscationType != 0 || m.ObfuscatedPort != 0 {
		b.Uint32(m.ObfuscationType)
		b.Uint32(m.ObfuscatedPort)
	}
}

func (m *SetWaitPort) Decode(r *wire.Reader) {
	m.Port = r.Uint32()
	if !r.Empty() {
		m.ObfuscationType = r.Uint32()
	}
	if !r.Empty() {
		m.ObfuscatedPort = r.Uint32()
	}
}

// WatchUser is server code 5, client to server (spec §2, §2.1): add a user
// to the caller's watch list so status changes (code 7) are pushed.
type WatchUser struct{ Username string }

func (*WatchUser) ServerCode() ServerCode   { return CodeWatchUser }
func (m *WatchUser) Encode(b *wire.Builder) { b.String(m.Username) }
func (m *WatchUser) Decode(r *wire.Reader)  { m.Username = r.String() }

// WatchUserReply is server code 5, server to client (spec §2). Status and
// Stats follow only when Exists. Country follows only when Status > 0: the
// spec says so and Soulfind's SWatchUser does exactly that (it sends an
// empty string, as in the captures: exists=1, status=2, stats, ""). Decode
// reads Country only under the same condition and only if bytes remain, so
// decode and encode agree; Nicotine+ reads it whenever bytes remain.
type WatchUserReply struct {
	Username string
	Exists   bool
	Status   UserStatus
	Stats    UserStats
	Country  string
}

func (*WatchUserReply) ServerCode() ServerCode { return CodeWatchUser }

func (m *WatchUserReply) Encode(b *wire.Builder) {
	b.String(m.Username)
	b.Bool(m.Exists)
	if !m.Exists {
		return
	}
	b.Uint32(uint32(m.Status))
	writeUserStats(b, m.Stats)
	if m.Status != StatusOffline {
		b.String(m.Country)
	}
}

func (m *WatchUserReply) Decode(r *wire.Reader) {
	m.Username = r.String()
	m.Exists = r.Bool()
	if !m.Exists {
		return
	}
	m.Status = UserStatus(r.Uint32())
	m.Stats = readUserStats(r)
	if m.Status != StatusOffline && !r.Empty() {
		m.Country = r.String()
	}
}

// UnwatchUser is server code 6, client to server (spec §2): remove a user
// from the watch list. Servers never unwatch the caller itself (§2.1).
type UnwatchUser struct{ Username string }

func (*UnwatchUser) ServerCode() ServerCode   { return CodeUnwatchUser }
func (m *UnwatchUser) Encode(b *wire.Builder) { b.String(m.Username) }
func (m *UnwatchUser) Decode(r *wire.Reader)  { m.Username = r.String() }

// GetUserStatus is server code 7, client to server (spec §2).
type GetUserStatus struct{ Username string }

func (*GetUserStatus) ServerCode() ServerCode   { return CodeGetUserStatus }
func (m *GetUserStatus) Encode(b *wire.Builder) { b.String(m.Username) }
func (m *GetUserStatus) Decode(r *wire.Reader)  { m.Username = r.String() }

// GetUserStatusReply is server code 7, server to client (spec §2, §2.1):
// the answer to GetUserStatus and the push to watchers and room co-members
// when a status changes. Privileged is optional on decode.
type GetUserStatusReply struct {
	Username   string
	Status     UserStatus
	Privileged bool
}

func (*GetUserStatusReply) ServerCode() ServerCode { return CodeGetUserStatus }

func (m *GetUserStatusReply) Encode(b *wire.Builder) {
	b.String(m.Username)
	b.Uint32(uint32(m.Status))
	b.Bool(m.Privileged)
}

func (m *GetUserStatusReply) Decode(r *wire.Reader) {
	m.Username = r.String()
	m.Status = UserStatus(r.Uint32())
	if !r.Empty() {
		m.Privileged = r.Bool()
	}
}

// IgnoreUser is server code 11 (spec §2, obsolete): the same str user both
// ways; servers accept and ignore it.
type IgnoreUser struct{ Username string }

func (*IgnoreUser) ServerCode() ServerCode   { return CodeIgnoreUser }
func (m *IgnoreUser) Encode(b *wire.Builder) { b.String(m.Username) }
func (m *IgnoreUser) Decode(r *wire.Reader)  { m.Username = r.String() }

// UnignoreUser is server code 12 (spec §2, obsolete), like IgnoreUser.
type UnignoreUser struct{ Username string }

func (*UnignoreUser) ServerCode() ServerCode   { return CodeUnignoreUser }
func (m *UnignoreUser) Encode(b *wire.Builder) { b.String(m.Username) }
func (m *UnignoreUser) Decode(r *wire.Reader)  { m.Username = r.String() }

// SetStatus is server code 28, client to server (spec §2). The wire field
// is an int32; values other than StatusAway and StatusOnline (including
// negative ones, seen as large UserStatus values) are to be ignored.
type SetStatus struct{ Status UserStatus }

func (*SetStatus) ServerCode() ServerCode   { return CodeSetStatus }
func (m *SetStatus) Encode(b *wire.Builder) { b.Uint32(uint32(m.Status)) }
func (m *SetStatus) Decode(r *wire.Reader)  { m.Status = UserStatus(r.Uint32()) }

// SendDownloadSpeed is server code 34, client to server (spec §2,
// obsolete): accepted and ignored.
type SendDownloadSpeed struct {
	Username string
	Speed    uint32
}

func (*SendDownloadSpeed) ServerCode() ServerCode { return CodeSendDownloadSpeed }

func (m *SendDownloadSpeed) Encode(b *wire.Builder) {
	b.String(m.Username)
	b.Uint32(m.Speed)
}

func (m *SendDownloadSpeed) Decode(r *wire.Reader) {
	m.Username = r.String()
	m.Speed = r.Uint32()
}

// SharedFoldersFiles is server code 35, client to server (spec §2): the
// caller's share counts; the server stores them and pushes GetUserStats
// to watchers and room co-members (§2.1). Dirs comes first on the wire.
type SharedFoldersFiles struct {
	Dirs  uint32
	Files uint32
}

func (*SharedFoldersFiles) ServerCode() ServerCode { return CodeSharedFoldersFiles }

func (m *SharedFoldersFiles) Encode(b *wire.Builder) {
	b.Uint32(m.Dirs)
	b.Uint32(m.Files)
}

func (m *SharedFoldersFiles) Decode(r *wire.Reader) {
	m.Dirs = r.Uint32()
	m.Files = r.Uint32()
}

// GetUserStats is server code 36, client to server (spec §2).
type GetUserStats struct{ Username string }

func (*GetUserStats) ServerCode() ServerCode   { return CodeGetUserStats }
func (m *GetUserStats) Encode(b *wire.Builder) { b.String(m.Username) }
func (m *GetUserStats) Decode(r *wire.Reader)  { m.Username = r.String() }

// GetUserStatsReply is server code 36, server to client (spec §2, §2.1):
// the answer (all zeros for unknown users) and the push after stats change.
// Nicotine+ learns its own upload speed from it (spec §1.5).
type GetUserStatsReply struct {
	Username string
	Stats    UserStats
}

func (*GetUserStatsReply) ServerCode() ServerCode { return CodeGetUserStats }

func (m *GetUserStatsReply) Encode(b *wire.Builder) {
	b.String(m.Username)
	writeUserStats(b, m.Stats)
}

func (m *GetUserStatsReply) Decode(r *wire.Reader) {
	m.Username = r.String()
	m.Stats = readUserStats(r)
}

// UploadSlotsFull is server code 40, client to server (spec §2, obsolete):
// a u32 flag.
type UploadSlotsFull struct{ Full bool }

func (*UploadSlotsFull) ServerCode() ServerCode   { return CodeUploadSlotsFull }
func (m *UploadSlotsFull) Encode(b *wire.Builder) { writeU32Bool(b, m.Full) }
func (m *UploadSlotsFull) Decode(r *wire.Reader)  { m.Full = u32Bool(r) }

// UploadSlotsFullReply is server code 40, server to client (spec §2,
// obsolete): Soulfind relays the flag, with the user's name, to the rooms
// the user joined.
type UploadSlotsFullReply struct {
	Username string
	Full     bool
}

func (*UploadSlotsFullReply) ServerCode() ServerCode { return CodeUploadSlotsFull }

func (m *UploadSlotsFullReply) Encode(b *wire.Builder) {
	b.String(m.Username)
	writeU32Bool(b, m.Full)
}

func (m *UploadSlotsFullReply) Decode(r *wire.Reader) {
	m.Username = r.String()
	m.Full = u32Bool(r)
}

// SendUploadSpeed is server code 121, client to server (spec §2, §3.4 step
// 8): the speed in bytes/s of an upload that just finished; the server
// folds it into AvgSpeed and pushes GetUserStats to watchers.
type SendUploadSpeed struct{ Speed uint32 }

func (*SendUploadSpeed) ServerCode() ServerCode   { return CodeSendUploadSpeed }
func (m *SendUploadSpeed) Encode(b *wire.Builder) { b.Uint32(m.Speed) }
func (m *SendUploadSpeed) Decode(r *wire.Reader)  { m.Speed = r.Uint32() }

func init() {
	registerRequest(func() ServerMessage { return new(SetWaitPort) })
	registerRequest(func() ServerMessage { return new(WatchUser) })
	registerReply(func() ServerMessage { return new(WatchUserReply) })
	registerRequest(func() ServerMessage { return new(UnwatchUser) })
	registerRequest(func() ServerMessage { return new(GetUserStatus) })
	registerReply(func() ServerMessage { return new(GetUserStatusReply) })
	registerBoth(func() ServerMessage { return new(IgnoreUser) })
	registerBoth(func() ServerMessage { return new(UnignoreUser) })
	registerRequest(func() ServerMessage { return new(SetStatus) })
	registerRequest(func() ServerMessage { return new(SendDownloadSpeed) })
	registerRequest(func() ServerMessage { return new(SharedFoldersFiles) })
	registerRequest(func() ServerMessage { return new(GetUserStats) })
	registerReply(func() ServerMessage { return new(GetUserStatsReply) })
	registerRequest(func() ServerMessage { return new(UploadSlotsFull) })
	registerReply(func() ServerMessage { return new(UploadSlotsFullReply) })
	registerRequest(func() ServerMessage { return new(SendUploadSpeed) })
}
