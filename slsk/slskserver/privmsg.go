package slskserver

import (
	"context"
	"strconv"
	"time"

	"github.com/revival-net/revival/internal/hub"
	"github.com/revival-net/revival/internal/logx"
	"github.com/revival-net/revival/internal/store"
	"github.com/revival-net/revival/slsk"
)

func init() {
	on(handleMessageUser)
	on(handleMessageAcked)
	on(handleMessageUsers)
}

// handleMessageUser stores a private message under a new id and delivers
// it if the recipient is online; it is re-delivered with is_new = 0 at each
// login until acknowledged (spec §2 codes 22/23). The store write comes
// first, so a message is never lost once the server has accepted it.
// Messages to "server" are commands (spec §5.1).
func handleMessageUser(s *Server, u *session, m *slsk.MessageUser) error {
	if ok, err := s.chatCheck(u); !ok {
		return err
	}
	if m.Username == serverUser {
		s.serverCommand(u, m.Message)
		return nil
	}
	if len(m.Message) > s.opts.Limits.MaxChatLen {
		s.notify(u, "Your message was not sent: it is longer than the server allows.")
		return nil
	}
	s.deliver(u, m.Username, m.Message)
	return nil
}

// deliver stores and, when the recipient is online, sends one private
// message. Nonexistent recipients are dropped, as the official server does;
// so are messages past the pending caps (see pendingFull). The sender is
// told (by a notice from "server") when its message was not kept, so it
// does not vanish without a word.
func (s *Server) deliver(u *session, to, text string) {
	from := u.name
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	st := s.opts.Hub.Store
	s.mu.Lock()
	online := s.users[to] != nil
	s.mu.Unlock()
	if !online {
		if _, err := st.Users().Get(ctx, to); err != nil {
			return
		}
	}
	if why := s.pendingFull(ctx, from, to); why != "" {
		s.notify(u, "Your message to "+logx.Peer(to)+" was not delivered: "+why)
		return
	}
	now := s.opts.Now()
	id, err := st.Messages().Add(ctx, store.Message{Network: hub.NetworkSoulseek, From: from, To: to, Text: text, SentAt: now})
	s.login.empty.added(to) // before the error check: a failed Add may have committed
	if err != nil {
		s.log.Error("storing a private message failed", "from", from, "to", to, "err", err)
		s.notify(u, "Your message to "+to+" was not delivered: the server could not store it. Try again later.")
		return
	}
	// Looked up again after the store write: a recipient who logged in
	// meanwhile may be reading its pending messages. Until it has sent
	// them, the ids it got live are noted, and the pending batch leaves
	// them out: the message arrives once, live (is_new = 1), whichever
	// side wins the race.
	s.mu.Lock()
	if recipient := s.users[to]; recipient != nil {
		if !recipient.pendingDone {
			if recipient.liveIDs == nil {
				recipient.liveIDs = map[int64]struct{}{}
			}
			recipient.liveIDs[id] = struct{}{}
		}
		recipient.send(&slsk.MessageUserReply{ID: uint32(id), Timestamp: uint32(now.Unix()), Username: from, Message: text, IsNew: true})
	}
	s.mu.Unlock()
}

// pendingFull says why a message from `from` to `to` may not be kept, or
// "" when it may. Unacknowledged messages are capped, online or not (a bot
// that never acknowledges must not fill the disk): per sender and
// recipient first, then per sender over all recipients, then per recipient
// (MaxPending). The sender caps come first so that a few flooding accounts
// hit their own limit long before they fill the recipient's queue, and a
// friend's message still gets through (issue 5, finding 8). A store error
// lets the message through: Add reports a failing store anyway. Refusals
// by the sender caps are logged at Debug only: the sender is told, and a
// flooder must not turn them into a log stream (finding 4).
func (s *Server) pendingFull(ctx context.Context, from, to string) string {
	lim, msgs := s.opts.Limits, s.opts.Hub.Store.Messages()
	one, total, err := msgs.CountPendingFrom(ctx, hub.NetworkSoulseek, from, to)
	switch {
	case err != nil:
	case one >= lim.MaxPendingPerPair:
		s.log.Debug("private message dropped: too many unread from this sender", "from", from, "to", logx.Peer(to), "pending", one)
		return "they have not read your last " + strconv.Itoa(one) + " messages yet."
	case total >= lim.MaxPendingPerSender:
		s.log.Debug("private message dropped: too many unread from this sender in all", "from", from, "to", logx.Peer(to), "pending", total)
		return "you have " + strconv.Itoa(total) + " messages that their recipients have not read yet."
	}
	if n, err := msgs.CountPending(ctx, hub.NetworkSoulseek, to); err == nil && n >= lim.MaxPending {
		s.log.Warn("private message dropped: recipient's queue is full", "from", from, "to", logx.Peer(to))
		return "they have too many unread messages."
	}
	return ""
}

// maxMessageUsers caps the recipients of one MessageUsers (code 149).
const maxMessageUsers = 100

// handleMessageAcked deletes a stored message, only when it was addressed
// to the acknowledging user (spec §2 code 23). Past the acknowledgement
// bucket it is dropped (see ackAllowed).
func handleMessageAcked(s *Server, u *session, m *slsk.MessageAcked) error {
	if !s.ackAllowed(u) {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := s.opts.Hub.Store.Messages().Ack(ctx, hub.NetworkSoulseek, u.name, int64(m.ID)); err != nil {
		s.log.Error("acknowledging a private message failed", "user", u.name, "err", err)
	}
	return nil
}

// handleMessageUsers sends one message to each listed online user (spec §2
// code 149, as Soulfind does); it is not stored for offline users. Each
// recipient costs a chat token, so the list cannot multiply the chat limit.
func handleMessageUsers(s *Server, u *session, m *slsk.MessageUsers) error {
	if len(m.Message) > s.opts.Limits.MaxChatLen || len(m.Usernames) > maxMessageUsers {
		return nil
	}
	for _, to := range m.Usernames {
		if ok, err := s.chatCheck(u); !ok {
			return err
		}
		s.mu.Lock()
		online := s.users[to] != nil
		s.mu.Unlock()
		if online && to != serverUser {
			s.deliver(u, to, m.Message)
		}
	}
	return nil
}

// sendPendingMessages re-delivers stored messages at login with is_new = 0
// (spec §1.5 step 2).
func (s *Server) sendPendingMessages(u *session) {
	if f := s.beforePending.Load(); f != nil {
		(*f)(u.name)
	}
	var msgs []store.Message
	if none, gen := s.login.empty.known(u.name); !none {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		var err error
		msgs, err = s.opts.Hub.Store.Messages().Pending(ctx, hub.NetworkSoulseek, u.name, s.opts.Limits.MaxPending)
		cancel()
		if err != nil {
			s.log.Error("loading offline messages failed", "user", u.name, "err", err)
		} else if len(msgs) == 0 {
			s.login.empty.empty(u.name, gen)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	live := u.liveIDs
	u.pendingDone, u.liveIDs = true, nil
	for _, m := range msgs {
		if _, sent := live[m.ID]; sent {
			continue // delivered live while this login read the store
		}
		u.send(&slsk.MessageUserReply{ID: uint32(m.ID), Timestamp: uint32(m.SentAt.Unix()), Username: m.From, Message: m.Text})
	}
}

// notify sends u a private message from the pseudo-user "server", which is
// how the official server reports room errors (spec §2.2). Notices are not
// stored: the user is online to read them.
func (s *Server) notify(u *session, text string) {
	u.send(&slsk.MessageUserReply{ID: s.nextMsgID.Add(1) | 1<<31, Timestamp: uint32(s.opts.Now().Unix()), Username: serverUser, Message: text, IsNew: true})
}
