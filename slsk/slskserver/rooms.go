package slskserver

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/revival-net/revival/internal/hub"
	"github.com/revival-net/revival/internal/logx"
	"github.com/revival-net/revival/internal/store"
	"github.com/revival-net/revival/slsk"
)

func init() {
	on(handleJoinRoom)
	on(handleLeaveRoom)
	on(handleSayChatroom)
	on(handleJoinGlobalRoom)
	on(handleLeaveGlobalRoom)
}

// Room limits. maxRoomNameLen is the official rule (spec §2 code 14);
// the others protect the server and are our own choices.
const (
	maxRoomNameLen = 24
	// maxRooms is the default of Limits.MaxRooms, which caps the rooms
	// kept in memory: public rooms (already bounded by online users ×
	// MaxRoomsJoined, plus the rooms that hold tickers) and private
	// rooms. Creating more is refused.
	maxRooms = 100_000
	// maxOwnedRooms caps the private rooms one user may own, and is the
	// default of Limits.MaxRoomsPerAccount.
	maxOwnedRooms = 50
	// storeTimeout bounds each store call made for a room.
	storeTimeout = 5 * time.Second
)

// room is a chat room (spec §2.2).
//
// A public room exists while it has members or tickers: its first joiner
// creates it, and it is forgotten when it has neither. The store holds a
// public room only while it has tickers: it is written with the first
// ticker (Put before SetTicker) and deleted with the last, so tickers
// survive restarts and nothing else of a public room is kept. The
// official rule "a room name once used as public can never be claimed as
// private" therefore holds for as long as the public room exists. We do
// not remember every name ever used as public: anyone with free accounts
// could fill memory and the store with names for good, and every restart
// would load them all.
//
// A private room has an owner, members (excluding the owner) and
// operators (a subset of the members); it is stored at creation and kept
// until its owner gives it up.
//
// Fields marked (mu) are guarded by Server.mu. The private-room lists,
// tickers and stored change only with op held as well (see
// changePrivateRoom and setTicker).
type room struct {
	name    string
	created time.Time
	creator string // the account that created it, "" if unknown (see roomCaps)

	// (mu)
	joined    []*session // sessions in the room, in join order
	tickers   []slsk.RoomTicker
	private   bool
	owner     string
	members   map[string]struct{}
	operators map[string]struct{}
	stored    bool // the store has the room (SetTicker needs it)
	gone      bool // a disbanded private room, no longer in Server.rooms
	busy      int  // ticker changes under way; a busy room stays in Server.rooms

	// op serialises the store writes of a room, so a change can be checked
	// under mu, written without mu, and applied under mu again without
	// anything changing in between. Lock order: op, then Server.mu.
	op sync.Mutex
}

func newRoom(name string, created time.Time) *room {
	return &room{name: name, created: created, members: map[string]struct{}{}, operators: map[string]struct{}{}}
}

// roomFromRecord rebuilds a stored room (without its tickers).
func roomFromRecord(rec store.Room) *room {
	r := newRoom(rec.Name, rec.CreatedAt)
	r.stored = true
	r.private = rec.Private
	if rec.Private {
		r.owner, r.creator = rec.Owner, rec.Owner
		for _, m := range rec.Members {
			r.members[m] = struct{}{}
		}
		for _, o := range rec.Operators {
			r.operators[o] = struct{}{}
		}
	}
	return r
}

// record is r as the store keeps it. Caller holds mu.
func (r *room) record() store.Room {
	rec := store.Room{Network: hub.NetworkSoulseek, Name: r.name, Private: r.private, Owner: r.owner, CreatedAt: r.created}
	if r.private {
		rec.Members = sortedNames(r.members)
		rec.Operators = sortedNames(r.operators)
	}
	return rec
}

func sortedNames(set map[string]struct{}) []string {
	out := make([]string, 0, len(set))
	for n := range set {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// canEnter reports whether name may join r: anyone for a public room, the
// owner and members for a private one (spec §2.2). Caller holds mu.
func (r *room) canEnter(name string) bool {
	if !r.private {
		return true
	}
	_, member := r.members[name]
	return member || name == r.owner
}

// loadRooms reads every stored room of the network with its tickers, at
// start-up: private rooms with their owner, members and operators, and
// public rooms with their tickers. A stored public room without tickers
// (left by an earlier version, which stored every public name, or by a
// deletion that failed) is deleted instead of loaded: it would be an
// empty room that nothing removes.
func (s *Server) loadRooms(ctx context.Context) error {
	rs := s.opts.Hub.Store.Rooms()
	recs, err := rs.List(ctx, hub.NetworkSoulseek)
	if err != nil {
		return fmt.Errorf("slskserver: loading rooms: %w", err)
	}
	loaded := make(map[string]*room, len(recs))
	var stale []string
	for _, rec := range recs {
		tk, err := rs.Tickers(ctx, hub.NetworkSoulseek, rec.Name)
		if err != nil {
			return fmt.Errorf("slskserver: loading tickers of room %q: %w", rec.Name, err)
		}
		if !rec.Private && len(tk) == 0 {
			stale = append(stale, rec.Name)
			continue
		}
		r := roomFromRecord(rec)
		for _, t := range tk {
			r.tickers = append(r.tickers, slsk.RoomTicker{Username: t.User, Ticker: t.Text})
		}
		loaded[rec.Name] = r
	}
	deleted := 0
	for _, name := range stale {
		if err := rs.Delete(ctx, hub.NetworkSoulseek, name); err != nil {
			// Not loaded either way; the next start tries again.
			s.log.Warn("deleting a stored public room without tickers failed", "room", logx.Peer(name), "err", err)
			continue
		}
		deleted++
	}
	if deleted > 0 {
		s.log.Info("deleted stored public rooms without tickers", "rooms", deleted)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range loaded {
		s.addRoomLocked(r)
	}
	return nil
}

// roomNameError applies the official room-name rules (spec §2 code 14,
// §2.2) in Soulfind's order, and returns the PM text from "server" for a
// bad name, or "" when the name is fine. The text quotes the name through
// logx.Peer: a bad name may be 64 KB long or hold escape bytes.
func roomNameError(name string) string {
	const prefix = "Could not create room. Reason: "
	quoted := logx.Peer(name)
	switch {
	case name == "":
		return prefix + "Room name empty."
	case len(name) > maxRoomNameLen:
		return fmt.Sprintf("%sRoom name %s longer than %d characters.", prefix, quoted, maxRoomNameLen)
	case strings.TrimSpace(name) != name:
		return prefix + "Room name " + quoted + " contains leading or trailing spaces."
	}
	for i := 0; i < len(name); i++ {
		if name[i] < 0x20 || name[i] > 0x7e {
			return prefix + "Room name " + quoted + " contains invalid characters."
		}
	}
	if strings.Contains(name, "  ") {
		return prefix + "Room name " + quoted + " contains multiple following spaces."
	}
	return ""
}

// joinOutcome is what joinLocked did or still needs.
type joinOutcome int

const (
	joinDone         joinOutcome = iota // joined, created a public room, refused, or nothing to do
	joinNeedsCreate                     // the name is free; creating costs a chat flood token
	joinClaimPrivate                    // a private room was reserved (op held); store it, then enter
)

// handleJoinRoom joins, or creates and joins, a room (spec §2 code 14,
// §2.2). Every JoinRoom costs a fan-out token, since joining sends
// UserJoinedRoom to every member. Creating a new name costs a chat flood
// token as well: a private room is a store write, and a public one holds
// its name until it empties, so names cannot be taken in bulk. Clients
// rejoin their rooms at login; the fan-out burst allows for that.
func handleJoinRoom(s *Server, u *session, m *slsk.JoinRoom) error {
	if reason := roomNameError(m.Room); reason != "" {
		s.notify(u, reason)
		return nil
	}
	if ok, err := s.fanoutCheck(u); !ok {
		return err
	}
	s.mu.Lock()
	out, r := s.joinLocked(u, m.Room, m.Private, false)
	s.mu.Unlock()
	if out == joinNeedsCreate {
		if ok, err := s.chatCheck(u); !ok {
			return err
		}
		s.mu.Lock()
		out, r = s.joinLocked(u, m.Room, m.Private, true)
		s.mu.Unlock()
	}
	if out == joinClaimPrivate {
		s.claimPrivateRoom(u, r)
	}
	return nil
}

// joinLocked decides a JoinRoom under mu. With create false it never
// creates a room and reports joinNeedsCreate instead. A new public room
// lives in memory only; the store gets it with its first ticker.
func (s *Server) joinLocked(u *session, name string, private, create bool) (joinOutcome, *room) {
	if u.loggedOut {
		return joinDone, nil // a relogin replaced u while this message waited
	}
	r := s.rooms[name]
	if r != nil && slices.Contains(r.joined, u) {
		return joinDone, nil // already in the room: nothing, as the official server
	}
	if len(u.joined) >= s.opts.Limits.MaxRoomsJoined {
		s.notify(u, fmt.Sprintf("Could not join room %s. Reason: you are in too many rooms (at most %d).", logx.Peer(name), s.opts.Limits.MaxRoomsJoined))
		return joinDone, nil
	}
	if r != nil {
		if !r.canEnter(u.name) {
			u.send(&slsk.CantCreateRoom{Room: name})
			s.notify(u, "The room you are trying to enter ("+logx.Peer(name)+") is registered as private.")
			return joinDone, nil
		}
		if private && !r.private && len(r.joined) == 0 {
			// An unclaimed public room (kept for its tickers) stays
			// public; the user joins it as a public room (spec §2.2).
			s.notify(u, "Room ("+logx.Peer(name)+") is registered as public.")
		}
		s.enterLocked(u, r)
		return joinDone, nil
	}
	if !create {
		return joinNeedsCreate, nil
	}
	if len(s.rooms) >= s.opts.Limits.MaxRooms {
		s.notify(u, "Could not create room. Reason: the server has too many rooms.")
		return joinDone, nil
	}
	if private {
		if owned := s.ownedCountLocked(u.name); owned >= maxOwnedRooms {
			s.notify(u, fmt.Sprintf("Could not create room. Reason: you already own %d private rooms.", owned))
			return joinDone, nil
		}
	}
	if reason := s.creationRefusalLocked(u); reason != "" {
		s.notify(u, reason)
		return joinDone, nil
	}
	r = newRoom(name, s.opts.Now())
	r.creator = u.name
	if !private {
		s.addRoomLocked(r)
		s.enterLocked(u, r)
		return joinDone, nil
	}
	// Reserve the name: until the store has it, others are refused as
	// from any private room, and changes to it wait for op.
	r.private, r.owner = true, u.name
	r.op.Lock() // uncontended: nobody else has r yet
	s.addRoomLocked(r)
	return joinClaimPrivate, r
}

// enterLocked adds u to r in the official order (spec §2 code 14, capture
// e2e_soulfind_2x_nicotine): UserJoinedRoom to every member including the
// joiner, then JoinRoom with the member list to the joiner (with owner
// and operators only for a private room), then RoomTickers.
func (s *Server) enterLocked(u *session, r *room) {
	r.joined = append(r.joined, u)
	u.joined[r.name] = r
	ujr := &slsk.UserJoinedRoom{Room: r.name, User: roomUserOf(u)}
	s.sendFrameTo(r.joined, slsk.AppendServerFrame(nil, ujr), ujr.ServerCode())
	reply := &slsk.JoinRoomReply{Room: r.name, Users: make([]slsk.RoomUser, 0, len(r.joined))}
	for _, o := range r.joined {
		reply.Users = append(reply.Users, roomUserOf(o))
	}
	if r.private {
		reply.Private, reply.Owner, reply.Operators = true, r.owner, sortedNames(r.operators)
	}
	u.send(reply)
	u.send(&slsk.RoomTickers{Room: r.name, Tickers: r.tickers})
}

// roomUserOf describes u as room lists do. Caller holds mu. The server
// does not track upload slots or countries, so those stay zero.
func roomUserOf(u *session) slsk.RoomUser {
	return slsk.RoomUser{Username: u.name, Status: u.status, Stats: u.stats}
}

// dropIfUnusedLocked forgets a public room that has neither members nor
// tickers and no ticker change under way (spec §2.2 as we apply it, see
// room). The store does not hold it: setTicker deleted it with its last
// ticker. A private room stays until its owner gives it up.
func (s *Server) dropIfUnusedLocked(r *room) {
	if !r.private && len(r.joined) == 0 && len(r.tickers) == 0 && r.busy == 0 {
		s.removeRoomLocked(r)
	}
}

// leaveRoomLocked removes u from r (spec §2 codes 15 and 17): UserLeftRoom
// to the members left, and the LeaveRoom echo to u when echo is true (a
// disconnecting user gets none). A public room left empty is forgotten
// unless it holds tickers.
func (s *Server) leaveRoomLocked(u *session, r *room, echo bool) {
	i := slices.Index(r.joined, u)
	if i < 0 {
		return
	}
	r.joined = slices.Delete(r.joined, i, i+1)
	delete(u.joined, r.name)
	left := &slsk.UserLeftRoom{Room: r.name, Username: u.name}
	s.sendFrameTo(r.joined, slsk.AppendServerFrame(nil, left), left.ServerCode())
	if echo {
		u.send(&slsk.LeaveRoom{Room: r.name})
	}
	s.dropIfUnusedLocked(r)
}

// handleLeaveRoom leaves a joined room; other names are ignored (spec §2
// code 15). Leaving sends UserLeftRoom to every member, so it costs a
// fan-out token like JoinRoom, and join/leave flapping cannot flood a
// room. A LeaveRoom dropped for want of a token changes nothing: the user
// is still in the room for the server and its members, keeps receiving
// the room's messages and may send LeaveRoom again; a client that closed
// the room without waiting for the echo just ignores them until then.
func handleLeaveRoom(s *Server, u *session, m *slsk.LeaveRoom) error {
	if ok, err := s.fanoutCheck(u); !ok {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := u.joined[m.Room]; r != nil {
		s.leaveRoomLocked(u, r, true)
	}
	return nil
}

// handleSayChatroom sends a line to every member of a joined room,
// including the sender, whose client shows its own line from this echo,
// and copies public-room lines to the global feed (spec §2 codes 13, 152).
// Lines longer than MaxChatLen or containing a line break are dropped, as
// Soulfind does: a line break would let one user print lines that look
// like other users' in clients that render them.
func handleSayChatroom(s *Server, u *session, m *slsk.SayChatroom) error {
	if ok, err := s.chatCheck(u); !ok {
		return err
	}
	if len(m.Message) > s.opts.Limits.MaxChatLen || strings.ContainsAny(m.Message, "\r\n") {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r := u.joined[m.Room]
	if r == nil {
		return nil
	}
	line := &slsk.SayChatroomReply{Room: r.name, Username: u.name, Message: m.Message}
	s.sendFrameTo(r.joined, slsk.AppendServerFrame(nil, line), line.ServerCode())
	if r.private || len(s.globalFeed) == 0 {
		return nil
	}
	feed := make([]*session, 0, len(s.globalFeed))
	for o := range s.globalFeed {
		feed = append(feed, o)
	}
	g := &slsk.GlobalRoomMessage{Room: r.name, Username: u.name, Message: m.Message}
	s.sendFrameTo(feed, slsk.AppendServerFrame(nil, g), g.ServerCode())
	return nil
}

// handleJoinGlobalRoom subscribes u to every public-room line (spec §2
// codes 150, 152).
func handleJoinGlobalRoom(s *Server, u *session, _ *slsk.JoinGlobalRoom) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !u.loggedOut {
		s.globalFeed[u] = struct{}{}
	}
	return nil
}

// handleLeaveGlobalRoom ends the subscription (spec §2 code 151).
func handleLeaveGlobalRoom(s *Server, u *session, _ *slsk.LeaveGlobalRoom) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.globalFeed, u)
	return nil
}
