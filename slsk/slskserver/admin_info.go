package slskserver

import (
	"fmt"
	"slices"
	"strings"

	"github.com/revival-net/revival/slsk"
)

// cmdUserInfo describes one account and, when online, its session, as
// Soulfind's userinfo does (spec §5.1).
func (s *Server) cmdUserInfo(_ *session, name string) string {
	if name == "" {
		return "Syntax is: userinfo <user>"
	}
	ctx, cancel := adminCtx()
	defer cancel()
	usr, err := s.opts.Hub.Store.Users().Get(ctx, name)
	if err != nil {
		return "User " + name + " is not registered"
	}
	now := s.opts.Now()
	var b strings.Builder
	b.WriteString(name)
	b.WriteString("\n\nSession info:")
	s.mu.Lock()
	if o := s.users[name]; o != nil {
		status := "online"
		if o.status == slsk.StatusAway {
			status = "away"
		}
		var rooms []string
		for rn := range o.joined {
			rooms = append(rooms, rn)
		}
		slices.Sort(rooms)
		_, global := s.globalFeed[o]
		fmt.Fprintf(&b, "\n    status: %s\n    IP address: %s\n    port: %d\n    obfuscated port: %d"+
			"\n    accepts room invitations: %s\n    watched users: %d\n    liked items: %s\n    hated items: %s"+
			"\n    joined rooms: %s\n    joined global room: %s\n    upload speed: %d\n    files: %d\n    folders: %d",
			status, o.ip, o.port, o.obfPort, yesNo(o.invitable), len(o.watching),
			strings.Join(sortedNames(o.likes), ", "), strings.Join(sortedNames(o.hates), ", "),
			strings.Join(rooms, ", "), yesNo(global), o.stats.AvgSpeed, o.stats.Files, o.stats.Dirs)
	} else {
		b.WriteString("\n    status: offline")
	}
	var tickers []string
	for r := range s.index.public {
		if i := tickerIndex(r, name); i >= 0 {
			tickers = append(tickers, "["+r.name+"] "+r.tickers[i].Ticker)
		}
	}
	s.mu.Unlock()
	slices.Sort(tickers)
	banned, privileged := "no", "no"
	if usr.Banned(now) {
		banned = banEnd(usr.BannedUntil)
	}
	if now.Before(usr.PrivilegedUntil) {
		privileged = "until " + formatTime(usr.PrivilegedUntil)
	}
	fmt.Fprintf(&b, "\n\nPersistent info:\n    registered: %s\n    admin: %s\n    banned: %s\n    privileged: %s\n    public tickers:",
		formatTime(usr.CreatedAt), yesNo(usr.Admin), banned, privileged)
	for _, t := range capped(tickers) {
		b.WriteString("\n        ")
		b.WriteString(t)
	}
	return b.String()
}

func yesNo(v bool) string {
	if v {
		return "yes"
	}
	return "no"
}

// cmdRoomInfo lists a room's users and tickers (spec §5.1), and for a
// private room its owner, members and operators. Like every listing, each
// list shows at most maxListed names.
func (s *Server) cmdRoomInfo(_ *session, name string) string {
	if name == "" {
		return "Syntax is: roominfo <room>"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.rooms[name]
	if r == nil {
		return "Room " + name + " is not registered"
	}
	var b strings.Builder
	b.WriteString(name)
	if r.private {
		fmt.Fprintf(&b, "\nPrivate room of %s\nMembers (%d): %s\nOperators (%d): %s", r.owner,
			len(r.members), strings.Join(capped(sortedNames(r.members)), ", "),
			len(r.operators), strings.Join(capped(sortedNames(r.operators)), ", "))
	}
	users := make([]string, len(r.joined))
	for i, o := range r.joined {
		users[i] = o.name
	}
	fmt.Fprintf(&b, "\nUsers (%d):", len(users))
	for _, l := range capped(users) {
		b.WriteString("\n    " + l)
	}
	fmt.Fprintf(&b, "\nTickers (%d):", len(r.tickers))
	for _, l := range capped(tickerLines(r.tickers)) {
		b.WriteString("\n    " + l)
	}
	return b.String()
}

func tickerLines(tk []slsk.RoomTicker) []string {
	out := make([]string, len(tk))
	for i, t := range tk {
		out[i] = "[" + t.Username + "] " + t.Ticker
	}
	return out
}
