package store

import (
	"context"
	"time"
)

// WPNRoom is a WinMX chat room this server hosts (wpn.md §6.3). Rooms
// exist only when an operator adds one (revival wpn room add), so every
// hosted room is stored; its members live in the server's memory only.
type WPNRoom struct {
	// Name is the room's base name, without the "_IIIIIIIIPPPP" address
	// suffix (wpn.md §1.4): the host's address can change, the room
	// cannot. Names are unique ignoring ASCII letter case, since WinMX
	// users type them back in any case.
	Name  string
	Topic string
	// MOTD is the message of the day, lines separated by "\n".
	MOTD string
	// PasswordHash is a bcrypt hash of the room password ("" = none).
	PasswordHash string
	// Owner and Operators are Revival account names; their rank applies
	// once the user proves the account with /login.
	Owner     string
	Operators []string // sorted, each once
	// Bans are the room's ban entries, sorted, each once: a lower-case
	// chat base name, optionally followed by "@" and an IP address.
	Bans []string
	// Limit caps the members (0: the server's default).
	Limit int
	// Moderated rooms let only operators and voiced users speak.
	Moderated bool
	CreatedAt time.Time
}

// WPNRooms stores the hosted WinMX chat rooms.
type WPNRooms interface {
	// Get returns the room whose name equals name ignoring ASCII case,
	// or ErrNotFound.
	Get(ctx context.Context, name string) (WPNRoom, error)
	// List returns every room, by name.
	List(ctx context.Context) ([]WPNRoom, error)
	// Create adds r; ErrConflict if a room of that name (ignoring ASCII
	// case) exists.
	Create(ctx context.Context, r WPNRoom) error
	// Put replaces the room of that name (ignoring ASCII case, keeping
	// the stored spelling), or creates it.
	Put(ctx context.Context, r WPNRoom) error
	// Delete removes the room (ignoring ASCII case); ErrNotFound if
	// there is none.
	Delete(ctx context.Context, name string) error
	// FoldedAccounts returns the names of the accounts whose name equals
	// name ignoring ASCII letter case, sorted (Soulseek names are
	// case-sensitive, so there may be several). WinMX chat names are
	// reserved for the account of the same name in any case (see
	// docs/wpn-chat.md).
	FoldedAccounts(ctx context.Context, name string) ([]string, error)
}
