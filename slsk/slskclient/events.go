package slskclient

import (
	"slices"
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

// PrivateMessage is a private message (spec §2 code 22). The client
// acknowledges it with MessageAcked as soon as it is queued on Events, as
// real clients do, so the server will not deliver it again; a queued
// PrivateMessage is therefore never dropped to make room. When Events
// holds Options.EventBuffer private messages, a new one is neither queued
// nor acknowledged, and the server delivers it again at the next login.
// New is false for messages queued while we were offline.
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
// consumer. PrivateMessage events are never dropped once queued: the
// server forgets a message we acknowledged (spec §2 code 23), so a full
// queue drops the oldest other event instead, and a PrivateMessage that
// finds the queue full of private messages is refused (push returns
// false) and left unacknowledged for the server to deliver again. The
// channel has one slot more than n, used only by close, so the final
// Disconnected always fits. Pushes are serialised by mu, which also
// makes close safe.
type eventQueue struct {
	mu      sync.Mutex
	ch      chan Event
	n       int
	closed  bool
	dropped atomic.Uint64
}

func newEventQueue(n int) *eventQueue { return &eventQueue{ch: make(chan Event, n+1), n: n} }

// keep reports whether ev must not be dropped once queued.
func keep(ev Event) bool {
	_, ok := ev.(PrivateMessage)
	return ok
}

// push queues ev, dropping the oldest droppable event if the queue is
// full. It returns false if ev itself was dropped: the queue holds only
// private messages, or it is closed.
func (q *eventQueue) push(ev Event) bool {
	return q.pushThen(ev, nil)
}

// pushThen is push that, when ev is going to be queued, first runs queued
// (if not nil) under the queue's lock, before the consumer can receive
// ev. The private-message acknowledgement goes out that way: queued
// before the consumer sees the message, so whatever the consumer sends
// after seeing it (a barrier round trip, or Close) leaves after the
// acknowledgement. queued must not block, push or close the queue.
func (q *eventQueue) pushThen(ev Event, queued func()) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.pushLocked(ev, q.n, queued)
}

// pushLocked queues ev if the channel then holds at most limit events,
// running queued (if not nil) just before. Only pushes (serialised by mu)
// add to the channel, so a length below limit stays below it until the
// send.
func (q *eventQueue) pushLocked(ev Event, limit int, queued func()) bool {
	if q.closed {
		return false
	}
	if len(q.ch) >= limit && !q.evictLocked(limit) {
		q.dropped.Add(1)
		return false
	}
	if queued != nil {
		queued()
	}
	q.ch <- ev
	return true
}

// evictLocked drops the oldest event that is not kept and reports whether
// the channel now holds fewer than limit events (the consumer may also
// have made room meanwhile).
func (q *eventQueue) evictLocked(limit int) bool {
	// Common case: the oldest event may be dropped.
	var held []Event
	select {
	case old := <-q.ch:
		if !keep(old) {
			q.dropped.Add(1)
			return true
		}
		held = append(held, old)
	default:
		return true
	}
	// The oldest is kept: take everything out, drop the first droppable
	// event and put the rest back in order.
	for len(q.ch) > 0 {
		select {
		case ev := <-q.ch:
			held = append(held, ev)
		default:
		}
	}
	if i := slices.IndexFunc(held, func(ev Event) bool { return !keep(ev) }); i >= 0 {
		held = slices.Delete(held, i, i+1)
		q.dropped.Add(1)
	}
	for _, ev := range held {
		q.ch <- ev
	}
	return len(q.ch) < limit
}

// close closes the channel after a last event; later pushes are ignored.
// The last event uses the spare slot if the queue holds only private
// messages.
func (q *eventQueue) close(last Event) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return
	}
	if len(q.ch) >= q.n {
		q.evictLocked(q.n) // if all are kept, last takes the spare slot
	}
	q.ch <- last
	q.closed = true
	close(q.ch)
}
