package slskclient

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/revival-net/revival/slsk"
)

// Event is something the server or a peer told us without being asked:
// one of the types below. Receive them from Client.Events.
type Event interface{ event() }

// RoomMessage is a line said in a joined room (spec §2 code 13), our own
// lines included: the server echoes them.
type RoomMessage struct{ Room, User, Text string }

// PrivateMessage is a private message (spec §2 code 22). The client has
// already acknowledged it with MessageAcked, as real clients do, so the
// server will not deliver it again. New is false for messages queued while
// we were offline.
type PrivateMessage struct {
	ID   uint32
	Time time.Time
	User string
	Text string
	New  bool
}

// UserJoinedRoom reports another user entering a room we are in (spec §2
// code 16).
type UserJoinedRoom struct {
	Room    string
	User    string
	Status  slsk.UserStatus
	Stats   slsk.UserStats
	Country string
}

// UserLeftRoom reports a user leaving a room we are in (spec §2 code 17).
type UserLeftRoom struct{ Room, User string }

// StatusChanged is a user's status, pushed for watched users and room
// co-members, and also the answer to GetUserStatus (spec §2 code 7, §2.1).
type StatusChanged struct {
	User       string
	Status     slsk.UserStatus
	Privileged bool
}

// StatsChanged is a user's statistics (spec §2 code 36).
type StatsChanged struct {
	User  string
	Stats slsk.UserStats
}

// Relogged means another session logged in with our name; the server
// closes this connection next (spec §1.3). A Disconnected event follows.
type Relogged struct{}

// Disconnected is the last event: the server connection ended. Err says
// why (nil after Close).
type Disconnected struct{ Err error }

// AdminMessage is a global announcement from the server (spec §2 code 66).
type AdminMessage struct{ Text string }

// UploadFinished reports the end of an upload we served (spec §3.4), with
// the bytes sent and the error that ended it, if any.
type UploadFinished struct {
	User  string
	Path  string
	Bytes int64
	Err   error
}

// SearchAnswered reports that we answered someone's search with N files
// (spec §2 code 26, §4.2).
type SearchAnswered struct {
	User  string
	Query string
	Files int
}

// Unhandled carries any other server message the codec decoded, so scripts
// can react to messages this package has no typed event for (RoomList
// updates, tickers, privileges, ...).
type Unhandled struct{ Msg slsk.ServerMessage }

func (RoomMessage) event()    {}
func (PrivateMessage) event() {}
func (UserJoinedRoom) event() {}
func (UserLeftRoom) event()   {}
func (StatusChanged) event()  {}
func (StatsChanged) event()   {}
func (Relogged) event()       {}
func (Disconnected) event()   {}
func (AdminMessage) event()   {}
func (UploadFinished) event() {}
func (SearchAnswered) event() {}
func (Unhandled) event()      {}

// eventQueue is a bounded channel that drops its oldest event when full,
// so producers (the server reader, peer readers) never block on a slow
// consumer. Pushes are serialised by mu, which also makes close safe.
type eventQueue struct {
	mu      sync.Mutex
	ch      chan Event
	closed  bool
	dropped atomic.Uint64
}

func newEventQueue(n int) *eventQueue { return &eventQueue{ch: make(chan Event, n)} }

func (q *eventQueue) push(ev Event) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return
	}
	for {
		select {
		case q.ch <- ev:
			return
		default:
		}
		select {
		case <-q.ch:
			q.dropped.Add(1)
		default:
		}
	}
}

// close closes the channel after a last event; later pushes are ignored.
func (q *eventQueue) close(last Event) {
	q.push(last)
	q.mu.Lock()
	defer q.mu.Unlock()
	if !q.closed {
		q.closed = true
		close(q.ch)
	}
}
