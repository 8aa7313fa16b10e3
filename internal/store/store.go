// Package store defines what Revival keeps across restarts, as narrow
// interfaces per aggregate so each consumer depends only on what it uses
// (style guide §3.5). The one implementation, store/sqlstore, runs on the
// embedded SQLite file by default and on PostgreSQL when configured; the
// conformance suite in store/storetest runs against both.
//
// Every write is durable when the method returns: the server acknowledges
// an account, an offline message or a setting to a client only after the
// store call succeeded, so a kill -9 loses nothing that was acknowledged.
package store

import (
	"context"
	"errors"
	"time"
)

// ErrNotFound reports that the named record does not exist.
var ErrNotFound = errors.New("store: not found")

// ErrConflict reports that a record with that key already exists.
var ErrConflict = errors.New("store: already exists")

// Store is everything the application opens at start-up.
type Store interface {
	Users() Users
	Messages() Messages
	Rooms() Rooms
	Settings() Settings
	Changes() Changes
	WPNRooms() WPNRooms
	Close() error
}

// User is an account. Accounts are shared by every network: the same name
// and password log in to Soulseek, WinMX chat and (as an e-mail handle) MSN.
type User struct {
	Name string
	// PasswordHash is a self-describing verifier, e.g. a bcrypt hash
	// ("$2a$…"). Never the password itself.
	PasswordHash string
	CreatedAt    time.Time
	// BannedUntil is zero when not banned; a far-future time is a
	// permanent ban.
	BannedUntil time.Time
	BanReason   string
	// PrivilegedUntil is when Soulseek privileges run out (zero = none).
	PrivilegedUntil time.Time
	// Admin users may run operator commands from inside a network (for
	// Soulseek: private messages to the pseudo-user "server").
	Admin bool
}

// Banned reports whether u is banned at time now.
func (u *User) Banned(now time.Time) bool {
	return !u.BannedUntil.IsZero() && now.Before(u.BannedUntil)
}

// Users stores accounts. Names are compared exactly (Soulseek names are
// case-sensitive); callers normalise where a network requires it (MSN
// lower-cases e-mail handles).
type Users interface {
	// Create adds u; ErrConflict if the name exists.
	Create(ctx context.Context, u User) error
	// Get returns the named user or ErrNotFound.
	Get(ctx context.Context, name string) (User, error)
	// List returns users ordered by name, at most limit (0 = all),
	// starting after the name `after` ("" = from the start).
	List(ctx context.Context, after string, limit int) ([]User, error)
	// Count returns how many accounts exist.
	Count(ctx context.Context) (int, error)
	SetPasswordHash(ctx context.Context, name, hash string) error
	// SetBan bans until the given time (zero time lifts the ban).
	SetBan(ctx context.Context, name string, until time.Time, reason string) error
	SetPrivilegedUntil(ctx context.Context, name string, until time.Time) error
	SetAdmin(ctx context.Context, name string, admin bool) error
	// Delete removes the user and everything stored for them: settings,
	// messages waiting for them on every network, tickers, room
	// memberships and the rooms they own (messages they sent to others
	// stay). ErrNotFound if there is no such user.
	Delete(ctx context.Context, name string) error
}

// Message is a private message kept until its recipient acknowledges it.
type Message struct {
	// ID is assigned by Add; unique per store, increasing.
	ID int64
	// Network is the namespace ("slsk", "msn", "wpn"); messages are only
	// delivered on the network they were sent on.
	Network string
	From    string
	To      string
	Text    string
	SentAt  time.Time
}

// Messages stores private messages for offline (or not yet acknowledging)
// recipients.
type Messages interface {
	// Add stores m and returns its ID.
	Add(ctx context.Context, m Message) (int64, error)
	// Pending lists messages for a recipient on a network, oldest first,
	// at most limit (0 = all).
	Pending(ctx context.Context, network, to string, limit int) ([]Message, error)
	// Ack deletes message id if it is addressed to `to` on that network;
	// it reports whether a message was deleted.
	Ack(ctx context.Context, network, to string, id int64) (bool, error)
	// CountPending counts messages waiting for `to`, so a flood of offline
	// messages can be capped per recipient.
	CountPending(ctx context.Context, network, to string) (int, error)
	// CountPendingFrom counts the messages from `from` still waiting on a
	// network: toOne of them for `to`, total for all recipients together.
	// It lets a server cap what one sender may leave in one inbox and in
	// all of them, so a few senders cannot fill a recipient's queue and
	// shut out everyone else (issue 5, finding 8).
	CountPendingFrom(ctx context.Context, network, from, to string) (toOne, total int, err error)
}

// Room is a persistent chat room. Public rooms only need persisting for
// their tickers and to remember that the name was public; private rooms
// keep their owner, members and operators.
type Room struct {
	Network   string
	Name      string
	Private   bool
	Owner     string
	Members   []string // excludes the owner (Soulseek semantics, spec §2.2)
	Operators []string // a subset of Members
	CreatedAt time.Time
}

// Ticker is one user's ticker line in a room (spec §2: codes 113–116).
type Ticker struct {
	User string
	Text string
}

// Rooms stores rooms and their tickers.
type Rooms interface {
	// Get returns the room or ErrNotFound. Members (and Operators) come
	// back sorted by name, in byte order.
	Get(ctx context.Context, network, name string) (Room, error)
	// List returns every stored room of a network, by name.
	List(ctx context.Context, network string) ([]Room, error)
	// Put creates or replaces the room with its member and operator lists.
	// Tickers survive a replace. Duplicate members are stored once; an
	// operator who is not in Members is an error.
	Put(ctx context.Context, r Room) error
	// Delete removes the room, its members, operators and tickers.
	// Deleting a missing room is not an error.
	Delete(ctx context.Context, network, name string) error
	// Tickers lists a room's tickers, in the order they were set (setting
	// one again moves it to the end); none for an unknown room.
	Tickers(ctx context.Context, network, room string) ([]Ticker, error)
	// SetTicker sets (text != "") or removes (text == "") a user's ticker.
	// The room must have been Put first, else ErrNotFound.
	SetTicker(ctx context.Context, network, room, user, text string) error
}

// Settings stores small values: server-wide ones under user "" (MOTD,
// excluded search phrases, registration mode) and per-user ones (a
// network's statistics, interests), each under a key that names its
// network, e.g. "slsk.stats".
type Settings interface {
	// Get returns the value or ErrNotFound.
	Get(ctx context.Context, user, key string) (string, error)
	// Set stores the value (replacing any previous one).
	Set(ctx context.Context, user, key, value string) error
	// Delete removes the value; deleting a missing key is not an error.
	Delete(ctx context.Context, user, key string) error
	// List returns every key and value of a user with the given prefix
	// (a plain string prefix, case-sensitive; "" = all).
	List(ctx context.Context, user, prefix string) (map[string]string, error)
}

// Change kinds: what a Change records.
const (
	// ChangeAccount: the account Name was changed (ban, password,
	// operator rights, deletion). Network is "".
	ChangeAccount = "account"
	// ChangeRoomPurged: an operator deleted room Name of Network from
	// the store; a running server drops it and tells its members.
	ChangeRoomPurged = "room.purged"
	// ChangeWPNRoom: the hosted WinMX chat room Name was added, changed
	// or removed (store.WPNRooms); a running server reloads it. Network
	// is "wpn".
	ChangeWPNRoom = "wpn.room"
)

// Change records that another process (the CLI) changed something a
// running server holds in memory, so the server applies it.
type Change struct {
	// Seq is assigned by Append from a database sequence: a later
	// Append gets a larger Seq whatever the writers' clocks say, so a
	// reader that remembers the last Seq it saw never misses one.
	Seq     int64
	Kind    string // ChangeAccount, ChangeRoomPurged
	Network string
	Name    string
	At      time.Time // informational only; order by Seq
}

// Changes is the change log written by the CLI and read by servers.
type Changes interface {
	// Append stores c (its Seq is ignored) and returns the Seq assigned.
	// Once Append returns, no Change with a smaller Seq is still to
	// become visible, so readers may skip past what they have seen.
	Append(ctx context.Context, c Change) (int64, error)
	// After lists changes with Seq > seq in Seq order, at most limit
	// (0 = all).
	After(ctx context.Context, seq int64, limit int) ([]Change, error)
	// Last returns the largest Seq in the log (0 when it is empty): a
	// reader starting now reads After(Last). Seqs are never reused, so
	// every later Append gets a larger Seq, even after DeleteBefore.
	Last(ctx context.Context) (int64, error)
	// DeleteBefore deletes changes with Seq < seq.
	DeleteBefore(ctx context.Context, seq int64) error
}
