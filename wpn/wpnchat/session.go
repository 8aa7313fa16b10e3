package wpnchat

import (
	"errors"
	"io"
	"net"
	"net/netip"
	"time"

	"github.com/revival-net/revival/internal/netconn"
	"github.com/revival-net/revival/internal/netlimit"
	"github.com/revival-net/revival/wpn"
	"github.com/revival-net/revival/wpn/wpnconn"
)

// member is one chat connection. Its reader goroutine runs serve; other
// goroutines (operators' commands, reloads, shutdown) reach it through its
// room, whose mu guards the fields marked so.
type member struct {
	h      *Host
	c      *netconn.Conn
	remote netip.Addr
	old    bool // 3.31 client: no 0x13ED before the join (reader only, fixed at join)

	// Guarded by room.mu once the member is in a room.
	room         *room
	user         wpn.ChatUser // Rank unused: rooms compute it (room.rankLocked)
	admitted     bool         // listed, may speak; false while waiting for /login or /password
	account      string       // the account proven with /login ("" none)
	admin        bool         // the account is a server administrator
	reserved     string       // the account the current name belongs to ("" none)
	needPassword bool         // the room has a password not yet given
	voiced       bool
	recip        Recipient
	presence     *presenceSession

	// Reader goroutine only.
	textBucket, cmdBucket, pingBucket, loginBucket, strikeBucket netlimit.Bucket
	loginFailures                                                int
	pendingUntil                                                 time.Time
}

// ServeChat runs a chat session on c, whose initiator opened with a chat
// client's key block (in.ID == wpn.KeyChatClient; wpn.md §1.2): it answers
// the key exchange and serves the join and the session until the
// connection ends. It is called in the connection's goroutine and returns
// when the session is over; the caller closes c.
func (h *Host) ServeChat(c *netconn.Conn, in wpnconn.Opening) {
	if in.ID != wpn.KeyChatClient {
		c.Close("not a chat client")
		return
	}
	m := &member{h: h, c: c, remote: c.Remote(), old: true}
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		c.Close("server shutting down")
		return
	}
	h.sessions[m] = struct{}{}
	h.wg.Add(1)
	h.mu.Unlock()
	defer func() {
		m.leave()
		h.mu.Lock()
		delete(h.sessions, m)
		h.mu.Unlock()
		h.wg.Done()
	}()
	fr, err := wpnconn.Respond(c, in, h.opts.Limits.MaxFrame)
	if err != nil {
		return
	}
	m.serve(fr)
}

// send queues one packet to this member only.
func (m *member) send(p wpn.Packet) { _ = m.c.Send(wpn.AppendPacket(nil, p)) }

// notice shows the member a line from the server (0x00D3, wpn.md §6.2).
func (m *member) notice(text string) { m.send(&wpn.ChatNoticeLine{Text: text}) }

// serve reads the join (within JoinTimeout, wpn.md §6.1 step 8), then the
// session's frames in order until the connection ends or a handler ends
// it.
func (m *member) serve(fr *wpn.FrameReader) {
	l := m.h.opts.Limits
	_ = m.c.SetReadDeadline(time.Now().Add(l.JoinTimeout))
	for joined := false; !joined; {
		typ, payload, err := fr.Next()
		if err != nil {
			m.readFailed(err, "join")
			return
		}
		var ok bool
		if joined, ok = m.beforeJoin(typ, payload); !ok {
			return
		}
	}
	for {
		if m.waiting() {
			_ = m.c.SetReadDeadline(m.pendingUntil)
		} else {
			m.c.AwaitFrame(l.IdleTimeout)
		}
		typ, payload, err := fr.Next()
		if errors.Is(err, wpn.ErrFrameTooLarge) {
			m.h.metrics.protocolErrors.WithLabelValues("frame_too_large").Inc()
			if !m.strike("frame") {
				return
			}
			continue
		}
		if err != nil {
			if isTimeout(err) && m.waiting() {
				m.notice("Time is up: you did not log in or give the room password in time.")
				m.c.CloseAfterFlush("pending timeout")
				return
			}
			m.readFailed(err, "session")
			return
		}
		if !m.dispatch(typ, payload) || m.c.Closing() {
			return
		}
	}
}

// Poison packets (wpn.md §6.2): known to crash or confuse WinMX, so
// RoboServ disconnects whoever sends them.
func poison(t wpn.Type) bool { return t == 0x00AA || t == 0x00BB || t == 0x00CC }

// beforeJoin handles a frame before the join: the 3.53 announcement, a
// redirect note, pings and identification are accepted, the join ends the
// phase, anything else ends the connection.
func (m *member) beforeJoin(typ uint16, payload []byte) (joined, ok bool) {
	t := wpn.Type(typ)
	m.h.metrics.messages.WithLabelValues(label(t)).Inc()
	switch t {
	case wpn.ChatHello353:
		m.old = false
	case wpn.ChatRedirectedFrom, wpn.ChatSoftware, wpn.ChatIPReply:
	case wpn.ChatPing:
		m.pong()
	case wpn.ChatJoin:
		p, err := wpn.DecodeChat(typ, payload)
		if err != nil {
			return false, m.protocolError("malformed", err)
		}
		return true, m.join(p.(*wpn.ChatJoinRequest))
	default:
		reason := "unexpected_before_join"
		if poison(t) {
			reason = "poison"
		}
		m.h.metrics.protocolErrors.WithLabelValues(reason).Inc()
		m.h.log.Info("disconnecting chat client before join", "conn", m.c.ID(), "remote", m.remote, "type", label(t))
		return false, false
	}
	return false, true
}

// dispatch handles one frame of a joined session; false ends it.
func (m *member) dispatch(typ uint16, payload []byte) bool {
	t := wpn.Type(typ)
	m.h.metrics.messages.WithLabelValues(label(t)).Inc()
	if poison(t) {
		m.h.metrics.protocolErrors.WithLabelValues("poison").Inc()
		m.h.log.Info("disconnecting chat client: poison packet", "conn", m.c.ID(), "remote", m.remote, "type", label(t))
		return false
	}
	switch t {
	case wpn.ChatText, wpn.ChatText331, wpn.ChatAction, wpn.ChatRename:
	case wpn.ChatPing:
		m.pong()
		return true
	default:
		// 0x13ED/0x13EE/0x9905/0x9901 after the join, a second join,
		// and types we do not know: ignored, as WinMX clients do.
		return true
	}
	p, err := wpn.DecodeChat(typ, payload)
	if err != nil {
		return m.protocolError("malformed", err)
	}
	switch p := p.(type) {
	case *wpn.ChatSay:
		m.onText(p.Text)
	case *wpn.ChatSay331:
		m.onText(p.Text)
	case *wpn.ChatEmote:
		if m.allow(&m.textBucket, m.h.opts.Limits.TextRate, "text") {
			m.action(p.Text)
		}
	case *wpn.ChatRenameRequest:
		if m.allow(&m.cmdBucket, m.h.opts.Limits.CommandRate, "rename") {
			m.rename(p)
		}
	}
	return !m.c.Closing()
}

// pong answers a ping with 0xFDE8 [0x00] (RoboServ), at most PingRate.
func (m *member) pong() {
	if m.pingBucket.Allow(m.h.opts.Limits.PingRate, time.Now()) {
		m.send(wpn.ChatFlag(wpn.ChatPing, 0))
	}
}

// allow takes a token of a flood bucket; a message over the rate is
// dropped with a notice and counts as a strike.
func (m *member) allow(b *netlimit.Bucket, r netlimit.Rate, kind string) bool {
	if b.Allow(r, time.Now()) {
		return true
	}
	m.h.metrics.floods.WithLabelValues(kind).Inc()
	if m.strike(kind) {
		m.notice("You are sending too fast; that message was dropped.")
	}
	return false
}

// strike counts a dropped message; past FloodStrikes a minute the member
// is disconnected (false).
func (m *member) strike(kind string) bool {
	n := float64(m.h.opts.Limits.FloodStrikes)
	if m.strikeBucket.Allow(netlimit.Rate{PerSecond: n / 60, Burst: n}, time.Now()) {
		return true
	}
	m.h.log.Info("disconnecting chat client: flooding", "conn", m.c.ID(), "remote", m.remote, "kind", kind)
	m.notice("Disconnected for flooding.")
	m.c.CloseAfterFlush("flooding")
	return false
}

func (m *member) protocolError(reason string, err error) bool {
	m.h.metrics.protocolErrors.WithLabelValues(reason).Inc()
	m.h.log.Info("disconnecting chat client: bad packet", "conn", m.c.ID(), "remote", m.remote, "err", err)
	return false
}

func (m *member) readFailed(err error, phase string) {
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, net.ErrClosed):
	case isTimeout(err):
		m.h.metrics.protocolErrors.WithLabelValues("timeout_" + phase).Inc()
		m.h.log.Debug("chat client timed out", "conn", m.c.ID(), "remote", m.remote, "phase", phase)
	default:
		m.h.log.Debug("chat read failed", "conn", m.c.ID(), "remote", m.remote, "err", err)
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// waiting reports whether the member is in a room but not admitted yet.
func (m *member) waiting() bool {
	r := m.room
	if r == nil {
		return false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	_, in := r.members[m]
	return in && !m.admitted
}

// leave takes the member out of its room when the session ends.
func (m *member) leave() {
	if r := m.room; r != nil {
		r.mu.Lock()
		r.removeLocked(m)
		r.mu.Unlock()
	}
	m.setPresence("")
}

// label names a packet type for the metrics: known chat types by name,
// others "unknown", so a client cannot mint label values.
func label(t wpn.Type) string {
	if n, ok := typeNames[t]; ok {
		return n
	}
	return "unknown"
}

var typeNames = map[wpn.Type]string{
	wpn.ChatJoin: "join", wpn.ChatRename: "rename", wpn.ChatText331: "text331", wpn.ChatText: "text",
	wpn.ChatAction: "action", wpn.ChatHello353: "hello353", wpn.ChatRedirectedFrom: "redirected_from",
	wpn.ChatIPReply: "ip_reply", wpn.ChatSoftware: "software", wpn.ChatPing: "ping",
	0x00AA: "poison", 0x00BB: "poison", 0x00CC: "poison",
}
