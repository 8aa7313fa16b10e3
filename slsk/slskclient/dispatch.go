package slskclient

import (
	"errors"
	"strings"
	"time"

	"github.com/revival-net/revival/slsk"
)

// handleServer handles one server message on the reader goroutine. It must
// never block: replies go to waiters (buffered), events to the dropping
// queue (which keeps private messages, see eventQueue), and anything that
// touches the network or costs CPU (answering a search) runs in a
// goroutine.
func (c *Client) handleServer(m slsk.ServerMessage) {
	switch m := m.(type) {
	case *slsk.LoginReply:
		c.deliver(serverKey(slsk.CodeLogin, ""), m)
	case *slsk.Relogged:
		c.events.push(Relogged{})
	case *slsk.GetUserStatusReply:
		c.deliver(serverKey(slsk.CodeGetUserStatus, m.Username), m)
		c.events.push(StatusChanged{User: m.Username, Status: m.Status, Privileged: m.Privileged})
	case *slsk.GetUserStatsReply:
		c.deliver(serverKey(slsk.CodeGetUserStats, m.Username), m)
		c.events.push(StatsChanged{User: m.Username, Stats: m.Stats})
	case *slsk.WatchUserReply:
		c.deliver(serverKey(slsk.CodeWatchUser, m.Username), m)
	case *slsk.GetPeerAddressReply:
		c.deliver(serverKey(slsk.CodeGetPeerAddress, m.Username), m)
	case *slsk.ConnectToPeerReply:
		c.onConnectToPeer(m)
	case *slsk.CantConnectToPeerReply:
		c.onCantConnect(m.Token)
	case *slsk.SayChatroomReply:
		c.events.push(RoomMessage{Room: m.Room, User: m.Username, Text: m.Message})
	case *slsk.JoinRoomReply:
		if !c.deliver(serverKey(slsk.CodeJoinRoom, m.Room), m) {
			c.events.push(Unhandled{Msg: m})
		}
	case *slsk.CantCreateRoom:
		if !c.deliver(serverKey(slsk.CodeJoinRoom, m.Room), m) {
			c.events.push(Unhandled{Msg: m})
		}
	case *slsk.LeaveRoom:
		c.deliver(serverKey(slsk.CodeLeaveRoom, m.Room), m)
	case *slsk.UserJoinedRoom:
		c.events.push(UserJoinedRoom{Room: m.Room, User: m.User.Username, Status: m.User.Status, Stats: m.User.Stats, Country: m.User.Country})
	case *slsk.UserLeftRoom:
		c.events.push(UserLeftRoom{Room: m.Room, User: m.Username})
	case *slsk.RoomListReply:
		if !c.deliver(serverKey(slsk.CodeRoomList, ""), m) {
			c.events.push(Unhandled{Msg: m})
		}
	case *slsk.MessageUserReply:
		// Acknowledge once queued, as Nicotine+ does at once, or the
		// server delivers the message again at every login (spec §2
		// codes 22, 23). A queued PrivateMessage is never dropped; one
		// the full queue refuses is not acknowledged, so the server keeps
		// it for our next login. The acknowledgement is queued for the
		// server before the consumer can see the message (pushThen): a
		// consumer that closes or asks the server something as soon as it
		// sees the message must not overtake it, or the server sends the
		// message again at the next login.
		var ackErr error
		c.events.pushThen(PrivateMessage{ID: m.ID, Time: time.Unix(int64(m.Timestamp), 0), User: m.Username, Text: m.Message, New: m.IsNew},
			func() { ackErr = c.queueFrame(&slsk.MessageAcked{ID: m.ID}) })
		if errors.Is(ackErr, errSendQueueFull) {
			c.shutdown(ackErr)
		}
	case *slsk.CheckPrivilegesReply:
		if !c.deliver(serverKey(slsk.CodeCheckPrivileges, ""), m) {
			c.events.push(Unhandled{Msg: m})
		}
	case *slsk.AdminMessage:
		c.events.push(AdminMessage{Text: m.Message})
	case *slsk.FileSearchReply:
		// A global search (Soulfind's direct broadcast), a UserSearch or a
		// RoomSearch (spec §2 codes 26, 42, 120).
		c.answerSearch(m.Username, m.Token, m.Query)
	case *slsk.EmbeddedMessage:
		c.onEmbedded(m)
	case *slsk.ExcludedSearchPhrases:
		lower := make([]string, 0, len(m.Phrases))
		for _, p := range m.Phrases {
			if p = strings.ToLower(strings.TrimSpace(p)); p != "" {
				lower = append(lower, p)
			}
		}
		c.mu.Lock()
		c.excluded = lower
		c.mu.Unlock()
	case *slsk.PossibleParents:
		c.onPossibleParents(m) // distrib.go
	case *slsk.ResetDistributed:
		c.onResetDistributed() // distrib.go
	case *slsk.ServerPing, *slsk.ParentMinSpeed, *slsk.ParentSpeedRatio:
		// Our children limit is Options.MaxChildren, not derived from
		// these (see Options.MaxChildren).
	default:
		c.events.push(Unhandled{Msg: m})
	}
}

// onEmbedded handles EmbeddedMessage (93): the server delivering a
// distributed message to us as a branch root, in practice a DistribSearch
// (spec §4.2), which we answer and pass to our children (distrib.go).
// Other embedded codes are ignored.
func (c *Client) onEmbedded(m *slsk.EmbeddedMessage) {
	body := make([]byte, 0, 1+len(m.Payload))
	body = append(body, m.Code)
	body = append(body, m.Payload...)
	dm, err := slsk.DecodeDistrib(body)
	if err != nil {
		c.log.Debug("slsk: bad embedded message", "err", err)
		return
	}
	if s, ok := dm.(*slsk.DistribSearch); ok {
		c.onServerSearch(body, s)
	}
}
