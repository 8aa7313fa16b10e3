package slskserver

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/revival-net/revival/internal/hub"
	"github.com/revival-net/revival/internal/logx"
	"github.com/revival-net/revival/internal/store"
	"github.com/revival-net/revival/slsk"
)

// Admin command settings (spec §5.1, Soulfind's command set).
const (
	// kickMinutes is how long kick and kickall ban by default (Soulfind:
	// a kick is a temporary ban of 2 minutes).
	kickMinutes = 2
	// maxCommandDays caps the days and minutes an admin may give, as
	// Soulfind does (65535).
	maxCommandDays = 65535
	// maxListed caps the names one answer lists; a PM with a hundred
	// thousand names helps nobody.
	maxListed = 500
	// adminTimeout bounds the store calls of one command.
	adminTimeout = 10 * time.Second
)

// adminCommands maps each admin command to its handler; args is the text
// after the command word.
var adminCommands = map[string]func(s *Server, u *session, args string) string{
	"help":          (*Server).cmdHelp,
	"admins":        (*Server).cmdAdmins,
	"users":         (*Server).cmdUsers,
	"rooms":         (*Server).cmdRooms,
	"userinfo":      (*Server).cmdUserInfo,
	"roominfo":      (*Server).cmdRoomInfo,
	"purgeroom":     (*Server).cmdPurgeRoom,
	"removetickers": (*Server).cmdRemoveTickers,
	"ban":           (*Server).cmdBan,
	"unban":         (*Server).cmdUnban,
	"kick":          (*Server).cmdKick,
	"kickall":       (*Server).cmdKickAll,
	"announcement":  (*Server).cmdAnnouncement,
	"message":       (*Server).cmdMessage,
	"uptime":        (*Server).cmdUptime,
}

// serverCommand runs a private message sent to the pseudo-user "server"
// (spec §5.1): admins get Soulfind's command set, everyone else only
// "help". Answers are PMs from "server". Arguments are split on single
// spaces as Soulfind does, so user and room names may contain spaces.
func (s *Server) serverCommand(u *session, text string) {
	word, args, _ := strings.Cut(strings.TrimSpace(text), " ")
	s.mu.Lock()
	admin := u.admin
	s.mu.Unlock()
	cmd, known := adminCommands[word]
	switch {
	case !known:
		s.notify(u, "Unknown command '"+logx.Peer(word)+"'. Type 'help' to list available commands.")
	case !admin && word == "help":
		s.notify(u, "Available commands:\n\nhelp\n    Show this list\n\nThe other commands of this server are for admins only.")
	case !admin:
		s.notify(u, "Only admins may use '"+logx.Peer(word)+"'. Type 'help' to list available commands.")
	default:
		if answer := cmd(s, u, strings.TrimSpace(args)); answer != "" {
			s.notify(u, answer)
		}
	}
}

func (s *Server) cmdHelp(*session, string) string {
	return fmt.Sprintf("Available commands:"+
		"\n\nadmins\n    List admins"+
		"\n\nusers [connected|banned|privileged]\n    List users"+
		"\n\nrooms [private]\n    List public rooms (private: private rooms)"+
		"\n\nuserinfo <user>\n    Show info about user"+
		"\n\nroominfo <room>\n    Show info about room"+
		"\n\npurgeroom <room>\n    Delete room and tell its users and members"+
		"\n\nremovetickers <user>\n    Remove user's public room tickers"+
		"\n\nban [days] <user>\n    Ban user (forever without days)"+
		"\n\nunban <user>\n    Unban user"+
		"\n\nkick [minutes] <user>\n    Disconnect user for [%d] minutes"+
		"\n\nkickall [minutes]\n    Disconnect active users for [%d] minutes"+
		"\n\nannouncement <message>\n    Send announcement to online users"+
		"\n\nmessage <message>\n    Send private message to online users (offline users do not get it)"+
		"\n\nuptime\n    Show server uptime", kickMinutes, kickMinutes)
}

// splitCount parses an optional leading number ("ban 3 bob"): it returns
// the number (capped) and the rest, or ok false when args does not start
// with a number.
func splitCount(args string) (n int, rest string, ok bool) {
	first, rest, _ := strings.Cut(args, " ")
	v, err := strconv.ParseUint(first, 10, 64)
	if err != nil {
		return 0, args, false
	}
	return int(min(v, maxCommandDays)), rest, true
}

func adminCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), adminTimeout)
}

// listUsers pages through every account and keeps those keep accepts.
func (s *Server) listUsers(ctx context.Context, keep func(store.User) bool) ([]store.User, error) {
	var out []store.User
	after := ""
	for {
		page, err := s.opts.Hub.Store.Users().List(ctx, after, 1000)
		if err != nil {
			return nil, err
		}
		for _, usr := range page {
			if keep(usr) {
				out = append(out, usr)
			}
		}
		if len(page) < 1000 {
			return out, nil
		}
		after = page[len(page)-1].Name
	}
}

// formatList renders "N <what>." and one indented line per entry, at most
// maxListed of them.
func formatList(what string, lines []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d %s.", len(lines), what)
	for _, l := range capped(lines) {
		b.WriteString("\n    ")
		b.WriteString(l)
	}
	return b.String()
}

// capped returns the first maxListed items and, when there are more, a
// last item saying how many were left out.
func capped(items []string) []string {
	if len(items) <= maxListed {
		return items
	}
	return append(items[:maxListed:maxListed], fmt.Sprintf("… and %d more", len(items)-maxListed))
}

func formatTime(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05 UTC") }

func (s *Server) online(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.users[name] != nil
}

func (s *Server) cmdAdmins(_ *session, _ string) string {
	ctx, cancel := adminCtx()
	defer cancel()
	admins, err := s.listUsers(ctx, func(usr store.User) bool { return usr.Admin })
	if err != nil {
		return "Could not list admins: " + err.Error()
	}
	lines := make([]string, 0, len(admins))
	for _, a := range admins {
		state := "offline"
		if s.online(a.Name) {
			state = "online"
		}
		lines = append(lines, a.Name+" ("+state+")")
	}
	return formatList("admins", lines)
}

func (s *Server) cmdUsers(_ *session, args string) string {
	now := s.opts.Now()
	switch args {
	case "connected":
		s.mu.Lock()
		names := make([]string, 0, len(s.users))
		for name := range s.users {
			names = append(names, name)
		}
		s.mu.Unlock()
		slices.Sort(names)
		return formatList("connected users", names)
	case "privileged":
		s.mu.Lock()
		var lines []string
		for _, name := range s.privilegedListLocked(now) {
			lines = append(lines, name+" (until "+formatTime(s.privileged[name])+")")
		}
		s.mu.Unlock()
		return formatList("privileged users", lines)
	case "banned", "":
		ctx, cancel := adminCtx()
		defer cancel()
		keep := func(usr store.User) bool { return args == "" || usr.Banned(now) }
		users, err := s.listUsers(ctx, keep)
		if err != nil {
			return "Could not list users: " + err.Error()
		}
		lines := make([]string, 0, len(users))
		for _, usr := range users {
			if args == "" {
				lines = append(lines, usr.Name)
			} else {
				lines = append(lines, usr.Name+" ("+banEnd(usr.BannedUntil)+")")
			}
		}
		if args == "" {
			return formatList("total users", lines)
		}
		return formatList("banned users", lines)
	}
	return "Syntax is: users [connected|banned|privileged]"
}

// banEnd describes when a ban ends: "forever" for a ban without a length,
// whichever tool set it (hub.IsPermanent).
func banEnd(until time.Time) string {
	if hub.IsPermanent(until) {
		return "forever"
	}
	return "until " + formatTime(until)
}

func (s *Server) cmdUptime(_ *session, _ string) string {
	up := s.opts.Now().Sub(s.started).Truncate(time.Second)
	return "Running for " + up.String() + " since " + formatTime(s.started)
}

func (s *Server) cmdAnnouncement(_ *session, args string) string {
	if args == "" {
		return "Syntax is: announcement <message>"
	}
	m := &slsk.AdminMessage{Message: args}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sendFrameTo(s.onlineLocked(), slsk.AppendServerFrame(nil, m), m.ServerCode())
	return ""
}

// cmdMessage sends a PM from "server" to every online user (the admin
// included). Unlike Soulfind, offline users do not get it: notices from
// "server" are not stored.
func (s *Server) cmdMessage(_ *session, args string) string {
	if args == "" {
		return "Syntax is: message <message>"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, o := range s.onlineLocked() {
		s.notify(o, args)
	}
	return ""
}

// onlineLocked lists the online sessions.
func (s *Server) onlineLocked() []*session {
	out := make([]*session, 0, len(s.users))
	for _, o := range s.users {
		out = append(out, o)
	}
	return out
}

func (s *Server) cmdRemoveTickers(_ *session, name string) string {
	if name == "" {
		return "Syntax is: removetickers <user>"
	}
	if !s.registered(name) {
		return "User " + name + " is not registered"
	}
	s.removeUserTickers(name, false)
	return "Removed user " + name + "'s public room tickers"
}

// registered reports whether an account exists (a failed lookup counts as
// no, and is logged).
func (s *Server) registered(name string) bool {
	ctx, cancel := adminCtx()
	defer cancel()
	_, err := s.opts.Hub.Store.Users().Get(ctx, name)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		s.log.Error("user lookup failed", "user", logx.Peer(name), "err", err)
	}
	return err == nil
}

// cmdBan bans a user for some days or for good, through the hub so the
// user is kicked from every network, and removes the user's tickers, as
// Soulfind does.
func (s *Server) cmdBan(u *session, args string) string {
	days, name, counted := splitCount(args)
	if name == "" {
		return "Syntax is: ban [days] <user>"
	}
	until := hub.PermanentBan
	if counted {
		until = s.opts.Now().Add(time.Duration(days) * 24 * time.Hour)
	}
	if err := s.ban(name, until, "banned by "+u.name); err != nil {
		return err.Error()
	}
	s.removeUserTickers(name, true)
	if !counted {
		return "Banned user " + name + " forever"
	}
	return fmt.Sprintf("Banned user %s for %d days", name, days)
}

// ban bans name until the given time (zero lifts it) and kicks its
// sessions; it words a failure for the admin.
func (s *Server) ban(name string, until time.Time, reason string) error {
	ctx, cancel := adminCtx()
	defer cancel()
	err := s.opts.Hub.Ban(ctx, name, until, reason)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return errors.New("User " + name + " is not registered")
	case err != nil:
		s.log.Error("ban failed", "user", logx.Peer(name), "err", err)
		return errors.New("Could not change the ban of user " + name + ": " + err.Error())
	}
	return nil
}

func (s *Server) cmdUnban(_ *session, name string) string {
	if name == "" {
		return "Syntax is: unban <user>"
	}
	if err := s.ban(name, time.Time{}, ""); err != nil {
		return err.Error()
	}
	return "Unbanned user " + name
}

// cmdKick disconnects a user and bans it for a few minutes, so its client
// does not reconnect at once (Soulfind's kick).
func (s *Server) cmdKick(u *session, args string) string {
	minutes, name, counted := splitCount(args)
	if !counted {
		minutes = kickMinutes
	}
	if name == "" {
		return "Syntax is: kick [minutes] <user>"
	}
	if err := s.ban(name, s.opts.Now().Add(time.Duration(minutes)*time.Minute), "kicked by "+u.name); err != nil {
		return err.Error()
	}
	return fmt.Sprintf("Kicked user %s for %d minutes", name, minutes)
}

// cmdKickAll kicks every online user but the admin.
func (s *Server) cmdKickAll(u *session, args string) string {
	minutes := kickMinutes
	if args != "" {
		n, rest, ok := splitCount(args)
		if !ok || rest != "" {
			return "Syntax is: kickall [minutes]"
		}
		minutes = n
	}
	s.mu.Lock()
	var names []string
	for name := range s.users {
		if name != u.name {
			names = append(names, name)
		}
	}
	s.mu.Unlock()
	until := s.opts.Now().Add(time.Duration(minutes) * time.Minute)
	kicked := 0
	for _, name := range names {
		if err := s.ban(name, until, "kicked by "+u.name); err == nil {
			kicked++
		}
	}
	return fmt.Sprintf("Kicked all %d users for %d minutes", kicked, minutes)
}
