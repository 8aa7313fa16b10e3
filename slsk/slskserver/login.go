package slskserver

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"github.com/revival-net/revival/internal/hub"
	"github.com/revival-net/revival/internal/logx"
	"github.com/revival-net/revival/internal/wire"
	"github.com/revival-net/revival/slsk"
)

// maxNameLen is the longest username accepted (spec §1.3: "Nick too long."
// above 30 characters).
const maxNameLen = 30

// serverUser is the pseudo-user that admin and user commands are sent to
// by private message, and that sends the server's notices (spec §2.2, §5.1).
const serverUser = "server"

// loginPhase reads the first frame, which must be Login, and answers it.
// Until the reply is sent nothing else is read, so messages that clients
// pipeline after Login (SetWaitPort in the same write, spec §1.4) wait in
// the socket and are handled in order afterwards, never dropped.
func (s *Server) loginPhase(c *conn, fr *wire.FrameReader) *session {
	_ = c.nc.SetReadDeadline(time.Now().Add(s.opts.Limits.LoginTimeout))
	body, err := fr.Next()
	if err != nil {
		s.readFailed(c, nil, err)
		return nil
	}
	m, err := slsk.DecodeServerRequest(body)
	login, ok := m.(*slsk.Login)
	if err != nil || !ok {
		s.metrics.protocolErrors.WithLabelValues("not_login").Inc()
		if ok, n := s.login.log.Allow("not_login", s.opts.Now()); ok {
			s.log.Warn("first message is not a valid Login; disconnecting", "conn", c.id, "remote", c.remote, "err", err, "suppressed", n)
		}
		return nil
	}
	_ = c.nc.SetReadDeadline(time.Time{})
	u, reason, detail := s.authenticate(c, login)
	if u == nil {
		// Counted always, logged sampled: refusals are free to provoke, and
		// one host must not be able to fill the disk with them.
		label := refusalLabel(reason)
		s.metrics.logins.WithLabelValues(label).Inc()
		if ok, n := s.login.log.Allow(label, s.opts.Now()); ok {
			s.log.Info("login refused", "conn", c.id, "remote", c.remote, "user", logx.Peer(login.Username),
				"reason", label, "detail", detail, "suppressed_since_last", n)
		}
		c.send(&slsk.LoginReply{Reason: reason, Detail: detail})
		c.closeAfterFlush("login refused: " + reason)
		return nil
	}
	return u
}

// validateName applies the official server's username rules (spec §1.3)
// and returns the INVALIDUSERNAME detail, or "" when the name is fine.
func validateName(name string) string {
	switch {
	case name == "":
		return "Nick empty."
	case len(name) > maxNameLen:
		return "Nick too long."
	case strings.TrimSpace(name) != name:
		return "No leading and trailing spaces allowed in nick."
	}
	for i := 0; i < len(name); i++ {
		if name[i] < 0x20 || name[i] > 0x7e {
			return "Invalid characters in nick."
		}
	}
	return ""
}

// authenticate checks a Login in Soulfind's order (spec §1.3): version,
// name, empty password, then the account (ban, private mode, full, password).
// It returns the new session, or the refusal reason and detail.
func (s *Server) authenticate(c *conn, login *slsk.Login) (*session, string, string) {
	if login.Major == 0 {
		return nil, slsk.ReasonInvalidVersion, ""
	}
	// The reserved name "server" is refused with an empty detail, as
	// Soulfind does, in every letter case: "Server" must not pose as it.
	if d := validateName(login.Username); d != "" || hub.Reserved(login.Username) {
		return nil, slsk.ReasonInvalidUsername, d
	}
	if login.Password == "" {
		return nil, slsk.ReasonEmptyPassword, ""
	}
	if s.opts.MaxUsers > 0 {
		s.mu.Lock()
		_, relog := s.users[login.Username]
		full := !relog && len(s.users) >= s.opts.MaxUsers
		s.mu.Unlock()
		if full {
			return nil, slsk.ReasonServerFull, ""
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	changes := s.opts.Hub.Changes()
	res, err := s.opts.Hub.Accounts.Authenticate(ctx, hub.LoginRequest{
		Name: login.Username, Password: login.Password, Host: c.remote,
		Register: !s.opts.PrivateMode, Guard: s.login.guard,
	})
	var ban *hub.BanError
	switch {
	case err == nil:
	case errors.As(err, &ban):
		// The official server now answers a banned user with silence until
		// the login timeout (spec §1.3). We answer BANNED instead: clients
		// show the reason string, which tells the user what happened
		// rather than leaving them with an endless "connecting".
		return nil, reasonBanned, ""
	case errors.Is(err, hub.ErrUnknownUser):
		return nil, slsk.ReasonServerPrivate, ""
	case errors.Is(err, hub.ErrBadPassword), errors.Is(err, hub.ErrPasswordTooLong):
		return nil, slsk.ReasonInvalidPass, ""
	case errors.Is(err, hub.ErrEmptyPassword):
		return nil, slsk.ReasonEmptyPassword, ""
	case errors.Is(err, hub.ErrReservedName):
		return nil, slsk.ReasonInvalidUsername, ""
	case errors.Is(err, hub.ErrHostThrottled):
		return nil, reasonTooManyFailures, ""
	case errors.Is(err, hub.ErrAccountThrottled):
		return nil, reasonAccountFailures, ""
	case errors.Is(err, hub.ErrRegistrationLimited):
		return nil, reasonRegistrations, ""
	case errors.Is(err, hub.ErrBusy):
		return nil, reasonBusy, ""
	default:
		s.log.Error("login failed in the store", "user", logx.Peer(login.Username), "err", err)
		return nil, reasonStoreDown, ""
	}
	u := &session{
		c:         c,
		name:      login.Username,
		status:    slsk.StatusOnline,
		ip:        c.remote,
		admin:     res.User.Admin,
		supporter: !res.User.PrivilegedUntil.IsZero(),
		watching:  map[string]struct{}{login.Username: {}},
		joined:    map[string]*room{},
		dist:      distState{haveNoParent: true},
	}
	// A fresh deadline: a registration may have spent most of ctx waiting
	// for a hashing slot.
	sctx, scancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer scancel()
	if res.Created {
		// A new account inherits nothing kept for an old one of that name
		// (deleted from the CLI a moment ago, before the watcher said so).
		s.login.kept.drop(u.name)
	}
	s.loadUserSettings(sctx, u)
	s.register(u, login.Password, changes)
	return u, "", ""
}

// register makes u the user's session: the old session, if any, gets
// Relogged and is closed (spec §1.3), then u gets its Login reply and the
// post-login messages in the official order (spec §1.5), and watchers learn
// that it is online. The old session is replaced in the same critical
// section that reads it, so two simultaneous logins of one name cannot both
// keep a session.
func (s *Server) register(u *session, password string, changes uint64) {
	u.c.nc.LoggedIn() // leaves the pre-login cap before the client can read its reply (netconn.Limits.MaxPreLogin)
	sum := md5.Sum([]byte(password))
	now := s.opts.Now()
	s.mu.Lock()
	old := s.users[u.name]
	if old != nil {
		// The old session's statistics may be newer than the store's (they
		// are saved periodically and at logout): carry them over, and let
		// the new session save them.
		u.stats = old.stats
		old.statsSaved = old.stats
		s.carryInterestsLocked(old, u)
	}
	s.users[u.name] = u
	s.addWatchLocked(u, u.name)
	if until, ok := s.privileged[u.name]; ok && now.Before(until) {
		u.supporter = true
	}
	// Counted before the reply, so a client that reads the reply and then
	// scrapes /metrics sees its own login.
	s.metrics.logins.WithLabelValues("ok").Inc()
	u.send(&slsk.LoginReply{
		Success:   true,
		Greeting:  s.opts.Greeting,
		IP:        u.ip,
		PassHash:  hex.EncodeToString(sum[:]),
		Supporter: u.supporter,
	})
	s.mu.Unlock()
	if old != nil {
		old.send(&slsk.Relogged{})
		old.c.closeAfterFlush("relogged")
		s.logout(old) // not current any more: watchers are not told "offline"
	}
	s.opts.Hub.Presence.Add(u)
	if s.opts.Hub.Changes() != changes {
		s.recheckBan(u, now)
	}
	s.sendPendingMessages(u)
	s.mu.Lock()
	s.sendRoomListLocked(u)
	s.sendLoginExtrasLocked(u, now)
	s.broadcastStatusLocked(u)
	s.mu.Unlock()
}

// recheckBan closes the race between a login that read the account before
// an operator banned it and the ban's kick, which ran before this session
// was registered: if any ban or account change happened meanwhile, the
// registered session is checked again.
func (s *Server) recheckBan(u *session, now time.Time) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if cur, err := s.opts.Hub.Store.Users().Get(ctx, u.name); err == nil && cur.Banned(now) {
		u.Kick("banned: " + cur.BanReason)
	}
}

// sendLoginExtrasLocked sends the distributed-network parameters, wishlist
// interval, privileged list and excluded phrases (spec §1.5 steps 4–8).
func (s *Server) sendLoginExtrasLocked(u *session, now time.Time) {
	u.send(&slsk.ParentMinSpeed{Speed: parentMinSpeed})
	u.send(&slsk.ParentSpeedRatio{Ratio: parentSpeedRatio})
	u.send(&slsk.WishlistInterval{Seconds: s.wishlistIntervalLocked(u.name, now)})
	u.send(&slsk.PrivilegedUsers{Usernames: s.privilegedListLocked(now)})
	u.send(&slsk.ExcludedSearchPhrases{Phrases: s.excluded})
}

// logout removes u from every shared structure and tells watchers and room
// co-members that the user left (spec §2.1: leave rooms, then status 0).
// It runs once per session, from whichever of the reader goroutine or a
// relogin gets there first.
func (s *Server) logout(u *session) {
	s.mu.Lock()
	if u.loggedOut {
		s.mu.Unlock()
		return
	}
	u.loggedOut = true
	stats, changed := u.stats, u.stats != u.statsSaved
	u.statsSaved = u.stats
	s.mu.Unlock()
	// Statistics are saved before anyone is told the user went offline, so
	// that they read the final values from the store.
	if changed {
		s.storeStats(u.name, stats)
	}
	s.saveInterests(u)
	s.mu.Lock()
	current := s.users[u.name] == u
	for _, r := range u.joined {
		s.leaveRoomLocked(u, r, false)
	}
	if current {
		s.login.kept.put(u.name, keptUser{stats: stats, likes: u.likes, hates: u.hates})
		delete(s.users, u.name)
		s.sendToWatchersLocked(u.name, u, &slsk.GetUserStatusReply{Username: u.name, Status: slsk.StatusOffline})
	}
	for name := range u.watching {
		s.removeWatchLocked(u, name)
	}
	delete(s.globalFeed, u)
	s.mu.Unlock()
	s.opts.Hub.Presence.Remove(u)
}
