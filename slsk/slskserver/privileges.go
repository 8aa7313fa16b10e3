package slskserver

import (
	"context"
	"sort"
	"time"

	"github.com/revival-net/revival/slsk"
)

func init() {
	on(handleCheckPrivileges)
	on(handleGivePrivileges)
	on(handleNotifyPrivileges)
	on(handleChangePassword)
}

// Wishlist intervals in seconds (spec §2 code 104: 12 min, 2 min when
// privileged).
const (
	wishlistInterval           = 720
	wishlistIntervalPrivileged = 120
)

// loadPrivileged reads who holds privileges from the store at start-up.
func (s *Server) loadPrivileged(ctx context.Context) error {
	now := s.opts.Now()
	after := ""
	for {
		users, err := s.opts.Hub.Store.Users().List(ctx, after, 1000)
		if err != nil {
			return err
		}
		for _, u := range users {
			if now.Before(u.PrivilegedUntil) {
				s.privileged[u.Name] = u.PrivilegedUntil
			}
		}
		if len(users) < 1000 {
			return nil
		}
		after = users[len(users)-1].Name
	}
}

func (s *Server) wishlistIntervalLocked(name string, now time.Time) uint32 {
	if s.privilegedAt(name, now) {
		return wishlistIntervalPrivileged
	}
	return wishlistInterval
}

// privilegedListLocked lists users whose privileges are running (code 69).
func (s *Server) privilegedListLocked(now time.Time) []string {
	var out []string
	for name, until := range s.privileged {
		if now.Before(until) {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// handleCheckPrivileges answers with the seconds of privileges left
// (spec §2 code 92; Soulseek.NET waits for it).
func handleCheckPrivileges(s *Server, u *session, m *slsk.CheckPrivileges) error {
	s.mu.Lock()
	left := s.privileged[u.name].Sub(s.opts.Now())
	s.mu.Unlock()
	u.send(&slsk.CheckPrivilegesReply{Seconds: uint32(max(left, 0) / time.Second)})
	return nil
}

// handleGivePrivileges moves up to the giver's remaining privileges to the
// target (spec §2 code 123). Admins give without spending their own. Both
// sides then learn their new state.
func handleGivePrivileges(s *Server, u *session, m *slsk.GivePrivileges) error {
	if m.Days == 0 || m.Days > 3650 || m.Username == u.name {
		return nil
	}
	now := s.opts.Now()
	gift := time.Duration(m.Days) * 24 * time.Hour
	s.mu.Lock()
	own := s.privileged[u.name].Sub(now)
	if !u.admin && own < gift {
		s.mu.Unlock()
		s.notify(u, "You do not have enough privileges to give that many days.")
		return nil
	}
	giverUntil := s.privileged[u.name]
	if !u.admin {
		giverUntil = giverUntil.Add(-gift)
	}
	targetUntil := s.privileged[m.Username]
	if targetUntil.Before(now) {
		targetUntil = now
	}
	targetUntil = targetUntil.Add(gift)
	s.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	users := s.opts.Hub.Store.Users()
	if err := users.SetPrivilegedUntil(ctx, m.Username, targetUntil); err != nil {
		s.notify(u, "User "+m.Username+" does not exist.")
		return nil
	}
	if !u.admin {
		if err := users.SetPrivilegedUntil(ctx, u.name, giverUntil); err != nil {
			s.log.Error("updating giver's privileges failed", "user", u.name, "err", err)
		}
	}
	s.mu.Lock()
	s.privileged[m.Username] = targetUntil
	if !u.admin {
		s.privileged[u.name] = giverUntil
	}
	s.refreshPrivilegesLocked(u.name, now)
	s.refreshPrivilegesLocked(m.Username, now)
	s.mu.Unlock()
	return nil
}

// refreshPrivilegesLocked tells an online user its privilege time,
// wishlist interval and status after a change.
func (s *Server) refreshPrivilegesLocked(name string, now time.Time) {
	o := s.users[name]
	if o == nil {
		return
	}
	left := s.privileged[name].Sub(now)
	o.send(&slsk.CheckPrivilegesReply{Seconds: uint32(max(left, 0) / time.Second)})
	o.send(&slsk.WishlistInterval{Seconds: s.wishlistIntervalLocked(name, now)})
	s.broadcastStatusLocked(o)
}

// handleNotifyPrivileges is answered with AckNotifyPrivileges(token), as
// the official server and Soulfind do (spec §2 code 124).
func handleNotifyPrivileges(s *Server, u *session, m *slsk.NotifyPrivileges) error {
	u.send(&slsk.AckNotifyPrivileges{Token: m.Token})
	return nil
}

// handleChangePassword stores the new password and echoes it on success
// (spec §2 code 142; Soulseek.NET waits for the echo).
func handleChangePassword(s *Server, u *session, m *slsk.ChangePassword) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := s.opts.Hub.Accounts.SetPassword(ctx, u.name, m.Password); err != nil {
		s.notify(u, "Your password was not changed: "+err.Error())
		return nil
	}
	u.send(&slsk.ChangePassword{Password: m.Password})
	return nil
}
