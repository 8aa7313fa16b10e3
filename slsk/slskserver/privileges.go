package slskserver

import (
	"context"
	"errors"
	"sort"
	"time"

	"github.com/revival-net/revival/internal/hub"
	"github.com/revival-net/revival/internal/netlimit"
	"github.com/revival-net/revival/internal/store"
	"github.com/revival-net/revival/slsk"
)

func init() {
	on(handleCheckPrivileges)
	on(handleGivePrivileges)
	on(handleNotifyPrivileges)
	on(handleChangePassword)
}

// passwordRate allows a few password changes, then one a minute.
var passwordRate = netlimit.Rate{PerSecond: 1.0 / 60, Burst: 3}

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
	// privMu makes read, store write and apply one step, so two gifts at
	// once cannot both read the same balance (a lost update).
	s.privMu.Lock()
	defer s.privMu.Unlock()
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
	if _, err := users.Get(ctx, m.Username); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			s.notify(u, "User "+m.Username+" does not exist.")
		} else {
			s.notify(u, "The server could not give privileges right now; try again later.")
		}
		return nil
	}
	// The giver is charged first: if crediting then fails, days are lost
	// rather than created twice.
	if !u.admin {
		if err := users.SetPrivilegedUntil(ctx, u.name, giverUntil); err != nil {
			s.log.Error("charging the giver's privileges failed", "user", u.name, "err", err)
			s.notify(u, "The server could not give privileges right now; try again later.")
			return nil
		}
	}
	if err := users.SetPrivilegedUntil(ctx, m.Username, targetUntil); err != nil {
		s.log.Error("crediting privileges failed", "user", m.Username, "days", m.Days, "err", err)
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
// Each change costs a bcrypt run, so it has its own small budget.
func handleChangePassword(s *Server, u *session, m *slsk.ChangePassword) error {
	if ok, err := s.floodCheck(u, "password", u.password.Allow(passwordRate, s.opts.Now())); !ok {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := s.opts.Hub.Accounts.SetPassword(ctx, u.name, m.Password); err != nil {
		why := "the server could not store it; try again later."
		switch {
		case errors.Is(err, hub.ErrEmptyPassword):
			why = "the new password is empty."
		case errors.Is(err, hub.ErrPasswordTooLong):
			why = "the new password is longer than 72 bytes."
		default:
			s.log.Error("changing a password failed", "user", u.name, "err", err)
		}
		s.notify(u, "Your password was not changed: "+why)
		return nil
	}
	u.send(&slsk.ChangePassword{Password: m.Password})
	return nil
}
