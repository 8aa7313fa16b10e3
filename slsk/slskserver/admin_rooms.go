package slskserver

import (
	"errors"
	"fmt"
	"slices"

	"github.com/revival-net/revival/internal/logx"
)

// cmdRooms lists the public rooms, or with "private" the private rooms
// with their owners, so an operator can find rooms to purge.
func (s *Server) cmdRooms(_ *session, args string) string {
	var private bool
	switch args {
	case "":
	case "private":
		private = true
	default:
		return "Syntax is: rooms [private]"
	}
	s.mu.Lock()
	var lines []string
	for _, r := range s.rooms {
		switch {
		case r.private != private:
		case private:
			lines = append(lines, fmt.Sprintf("%s (owner: %s, members: %d, users: %d, tickers: %d)",
				r.name, r.owner, len(r.members), len(r.joined), len(r.tickers)))
		default:
			lines = append(lines, fmt.Sprintf("%s (users: %d, tickers: %d)", r.name, len(r.joined), len(r.tickers)))
		}
	}
	s.mu.Unlock()
	slices.Sort(lines)
	if private {
		return formatList("private rooms", lines)
	}
	return formatList("public rooms", lines)
}

// cmdPurgeRoom deletes a room, public or private, with its tickers and
// members (see purgeRoom).
func (s *Server) cmdPurgeRoom(u *session, name string) string {
	if name == "" {
		return "Syntax is: purgeroom <room>"
	}
	ctx, cancel := adminCtx()
	defer cancel()
	_, err := s.purgeRoom(ctx, name)
	switch {
	case errors.Is(err, errNoRoom):
		return "Room " + logx.Peer(name) + " is not registered"
	case err != nil:
		s.log.Error("purging a room failed", "room", logx.Peer(name), "admin", u.name, "err", err)
		return "Could not purge room " + logx.Peer(name) + ": " + err.Error()
	}
	return "Purged room " + logx.Peer(name)
}
