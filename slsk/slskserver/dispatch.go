package slskserver

import (
	"errors"
	"fmt"
	"time"

	"github.com/revival-net/revival/slsk"
)

// handler handles one decoded message of a logged-in session. A non-nil
// error disconnects the client (after flushing what was queued); protocol
// refusals are replies, not errors.
type handler func(s *Server, u *session, m slsk.ServerMessage) error

// handlers is the dispatch table (style §3.2): one entry per code the
// server acts on, registered by the file that implements it.
var handlers = map[slsk.ServerCode]handler{}

// on registers fn for messages of type M. The type switch happens once
// here, so handlers take their concrete message type.
func on[M slsk.ServerMessage](fn func(s *Server, u *session, m M) error) {
	var zero M
	code := zero.ServerCode()
	if _, dup := handlers[code]; dup {
		panic(fmt.Sprintf("slskserver: two handlers for %v", code))
	}
	handlers[code] = func(s *Server, u *session, m slsk.ServerMessage) error { return fn(s, u, m.(M)) }
}

// ignore registers codes the server accepts and drops: obsolete messages
// that clients still send (spec §2, OBS rows).
func ignore(codes ...slsk.ServerCode) {
	for _, c := range codes {
		handlers[c] = func(*Server, *session, slsk.ServerMessage) error { return nil }
	}
}

// malformedBudget disconnects a client that keeps sending frames we cannot
// decode; a few are tolerated since clients differ in details.
const malformedBudget = 10

// strikeWindow is how long rate-limit strikes count: a long-lived client
// that sometimes trips a limit is not disconnected for its total.
const strikeWindow = time.Minute

// dispatch decodes and handles one frame body.
func (s *Server) dispatch(u *session, body []byte) error {
	m, err := slsk.DecodeServerRequest(body)
	if err != nil {
		code, _, _ := slsk.SplitServerFrame(body)
		if errors.Is(err, slsk.ErrUnknownCode) {
			// Unknown codes are ignored, as clients do (spec §2).
			s.metrics.in(code, "unknown")
			s.log.Debug("ignoring unknown message", "user", u.name, "code", uint32(code))
			return nil
		}
		s.metrics.protocolErrors.WithLabelValues("malformed").Inc()
		s.log.Warn("malformed message", "user", u.name, "code", code.Label(), "err", err)
		u.malformed++
		if u.malformed > malformedBudget {
			return errors.New("too many malformed messages")
		}
		return nil
	}
	code := m.ServerCode()
	h, ok := handlers[code]
	if !ok {
		s.metrics.in(code, "unhandled")
		s.log.Debug("ignoring message the server does not act on", "user", u.name, "code", code.Label())
		return nil
	}
	s.metrics.in(code, "ok")
	return h(s, u, m)
}

// floodCheck reports whether a rate-limited message may go on, given
// whether its bucket had a token. Dropped messages are strikes; a client
// with more than FloodStrikes in a minute is disconnected.
func (s *Server) floodCheck(u *session, which string, allowed bool) (bool, error) {
	if allowed {
		return true, nil
	}
	s.metrics.floods.WithLabelValues(which).Inc()
	now := s.opts.Now()
	if now.Sub(u.strikesFrom) > strikeWindow {
		u.strikes, u.strikesFrom = 0, now
	}
	u.strikes++
	if u.strikes > s.opts.Limits.FloodStrikes {
		return false, fmt.Errorf("flooding %s", which)
	}
	return false, nil
}

// chatCheck applies the chat bucket (chat lines, private messages, room
// creation and private-room changes).
func (s *Server) chatCheck(u *session) (bool, error) {
	return s.floodCheck(u, "chat", u.chat.Allow(s.opts.Limits.ChatRate, s.opts.Now()))
}

// searchCheck applies the search bucket to a message that makes the server
// scan many users or rooms; kind labels the drop in metrics.
func (s *Server) searchCheck(u *session, kind string) (bool, error) {
	return s.floodCheck(u, kind, u.search.Allow(s.opts.Limits.SearchRate, s.opts.Now()))
}

// fanoutCheck applies the fan-out bucket to a message that makes the
// server send to other users (status, stats, room join/leave, peer relays),
// so one client cannot flood others or push them into slow-consumer
// disconnects.
func (s *Server) fanoutCheck(u *session) (bool, error) {
	return s.floodCheck(u, "fanout", u.fanout.Allow(s.opts.Limits.FanoutRate, s.opts.Now()))
}

// lookupCheck applies the lookup bucket to a message that looks a user up
// by name: names that are not online are read from the store, and a client
// asking for unknown names at tens of thousands a second (issue 5, finding
// 10) would keep the store and Server.mu busy for everyone. Drops are
// strikes: a real client's login burst stays far below the bucket.
func (s *Server) lookupCheck(u *session) (bool, error) {
	return s.floodCheck(u, "lookup", u.lookup.Allow(s.opts.Limits.LookupRate, s.opts.Now()))
}

// ackAllowed applies the acknowledgement bucket (same rate as lookups) to
// MessageAcked, each a store write. A dropped acknowledgement is not a
// strike and takes no lookup token: a client acknowledges what others send
// it, so many senders must not be able to get it disconnected or starve
// its lookups. The message it did not get to acknowledge stays pending and
// counts against its senders' caps, which stops them.
func (s *Server) ackAllowed(u *session) bool {
	if u.acks.Allow(s.opts.Limits.LookupRate, s.opts.Now()) {
		return true
	}
	s.metrics.floods.WithLabelValues("ack").Inc()
	return false
}
