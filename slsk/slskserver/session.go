package slskserver

import (
	"net/netip"
	"time"

	"github.com/revival-net/revival/internal/hub"
	"github.com/revival-net/revival/internal/netlimit"
	"github.com/revival-net/revival/slsk"
)

// session is a logged-in user. Fields marked (mu) are read by other
// goroutines and guarded by Server.mu; the rest belong to the reader
// goroutine.
type session struct {
	c    *conn
	name string

	// (mu)
	status     slsk.UserStatus
	stats      slsk.UserStats
	ip         netip.Addr
	port       uint32
	obfType    uint32
	obfPort    uint32
	admin      bool
	supporter  bool
	invitable  bool                // EnableRoomInvitations
	watching   map[string]struct{} // names this session watches (never empty: itself)
	joined     map[string]*room
	likes      map[string]struct{}
	hates      map[string]struct{}
	dist       distState
	loggedOut  bool
	statsSaved slsk.UserStats // what the store holds

	// (mu) likes or hates changed since they were last saved
	// (flushInterests).
	interestsDirty bool

	// (mu) until the login's pending messages are sent (pendingDone),
	// the ids of messages delivered live meanwhile, so the pending batch
	// does not repeat them (see deliver and sendPendingMessages).
	pendingDone bool
	liveIDs     map[int64]struct{}

	// reader goroutine only
	chat, search netlimit.Bucket
	fanout       netlimit.Bucket // messages that fan out to others: status, stats, join/leave, peer relays
	password     netlimit.Bucket // ChangePassword: each costs a bcrypt run
	lookup       netlimit.Bucket // lookups of users by name (lookupCheck)
	acks         netlimit.Bucket // MessageAcked: each a store write (ackAllowed)
	strikes      int             // rate-limited messages in the current strike window
	strikesFrom  time.Time       // start of the strike window
	malformed    int             // undecodable messages, for the whole session
}

var _ hub.Session = (*session)(nil)

// Network implements hub.Session.
func (u *session) Network() string { return hub.NetworkSoulseek }

// Username implements hub.Session.
func (u *session) Username() string { return u.name }

// Kick implements hub.Session: tell the user why, then disconnect.
func (u *session) Kick(reason string) {
	u.c.send(&slsk.AdminMessage{Message: "You have been disconnected by the server: " + reason})
	u.c.closeAfterFlush("kicked: " + reason)
}

func (u *session) send(m slsk.ServerMessage) { u.c.send(m) }

// privilegedAt reports whether name holds privileges at now. Caller holds mu.
func (s *Server) privilegedAt(name string, now time.Time) bool {
	until, ok := s.privileged[name]
	return ok && now.Before(until)
}
