package wpnchat

import (
	"context"
	"errors"
	"runtime"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/revival-net/revival/internal/hub"
	"github.com/revival-net/revival/internal/netlimit"
)

// cmdLogin proves the account the member's name belongs to (WinMX has no
// password at the WPN level, docs/wpn-chat.md "Accounts"). Guessing is
// rationed per connection (LoginRate, MaxLoginFailures) and, through the
// hub's Guard, per host and per account.
func (m *member) cmdLogin(password string) {
	r := m.room
	r.mu.Lock()
	reserved, account := m.reserved, m.account
	r.mu.Unlock()
	switch {
	case password == "":
		m.notice("Usage: /login PASSWORD")
		return
	case reserved == "":
		m.notice("Your name " + nameBase(m.user.Name) + " is not a Revival account: /login proves the account your name is. Join with your account's name to log in.")
		return
	case account == reserved:
		m.notice("You are logged in as " + account + " already.")
		return
	}
	if !m.loginAllowed() {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	res, err := m.h.opts.Hub.Accounts.Authenticate(ctx, hub.LoginRequest{
		Name: reserved, Password: password, Host: m.remote, Guard: m.h.guard,
	})
	var ban *hub.BanError
	switch {
	case err == nil:
	case errors.Is(err, hub.ErrBadPassword):
		m.loginFailed("Wrong password.")
		return
	case errors.As(err, &ban):
		m.h.metrics.logins.WithLabelValues("banned").Inc()
		m.notice("The account " + reserved + " is banned.")
		m.c.CloseAfterFlush("banned account")
		return
	case errors.Is(err, hub.ErrUnknownUser):
		// Deleted since the join: the name is free.
		m.h.metrics.logins.WithLabelValues("unknown").Inc()
		r.mu.Lock()
		m.reserved = ""
		m.notice("The account " + reserved + " no longer exists; your name is free to use.")
		m.tryAdmitLocked()
		r.mu.Unlock()
		return
	case errors.Is(err, hub.ErrHostThrottled), errors.Is(err, hub.ErrAccountThrottled):
		m.h.metrics.logins.WithLabelValues("throttled").Inc()
		m.notice("Too many wrong passwords; wait a few minutes before trying again.")
		return
	default:
		m.h.metrics.logins.WithLabelValues("error").Inc()
		m.notice("The server cannot check passwords right now; try again in a moment.")
		return
	}
	m.h.metrics.logins.WithLabelValues("ok").Inc()
	m.setPresence(res.User.Name)
	r.mu.Lock()
	defer r.mu.Unlock()
	if m.reserved != reserved { // renamed meanwhile? only this goroutine renames
		return
	}
	old := r.rankLocked(m)
	m.account, m.admin = res.User.Name, res.User.Admin
	m.notice("You are logged in as " + m.account + ".")
	if m.admitted {
		r.rankChangedLocked(m, old)
		return
	}
	m.tryAdmitLocked()
}

// loginAllowed takes a token of the connection's login budget.
func (m *member) loginAllowed() bool {
	if m.loginBucket.Allow(m.h.opts.Limits.LoginRate, time.Now()) {
		return true
	}
	m.h.metrics.logins.WithLabelValues("rate_limited").Inc()
	m.notice("Too many attempts; wait a few seconds before trying again.")
	return false
}

// loginFailed counts a wrong password; MaxLoginFailures of them end the
// connection.
func (m *member) loginFailed(text string) {
	m.h.metrics.logins.WithLabelValues("wrong_password").Inc()
	m.loginFailures++
	if m.loginFailures >= m.h.opts.Limits.MaxLoginFailures {
		m.notice(text + " Too many wrong passwords: disconnecting.")
		m.c.CloseAfterFlush("too many wrong passwords")
		return
	}
	m.notice(text)
}

// hashSlots bounds the room-password checks running at once (each is a
// bcrypt run), so a crowd at the door cannot take every CPU.
var hashSlots = make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))

// cmdPassword checks a room's password. Guessing is rationed per
// connection and, like /login, per host (the room password is the same
// for everyone, so the host budget is the one that matters).
func (m *member) cmdPassword(password string) {
	r := m.room
	r.mu.Lock()
	need, hash := m.needPassword, r.rec.PasswordHash
	r.mu.Unlock()
	switch {
	case password == "":
		m.notice("Usage: /password PASSWORD")
		return
	case !need || hash == "":
		m.notice("This room needs no password.")
		return
	}
	if !m.loginAllowed() {
		return
	}
	if !m.h.roomPasswordHosts.Take(netlimit.HostKey(m.remote), time.Now()) {
		m.h.metrics.logins.WithLabelValues("throttled").Inc()
		m.notice("Too many wrong passwords from your address; wait a few minutes before trying again.")
		return
	}
	select {
	case hashSlots <- struct{}{}:
	default:
		m.h.roomPasswordHosts.Refund(netlimit.HostKey(m.remote))
		m.notice("The server is busy; try again in a moment.")
		return
	}
	err := bcrypt.CompareHashAndPassword([]byte(hash), []byte(password))
	<-hashSlots
	if err != nil {
		m.loginFailed("Wrong room password.")
		return
	}
	m.h.roomPasswordHosts.Refund(netlimit.HostKey(m.remote))
	m.h.metrics.logins.WithLabelValues("room_ok").Inc()
	r.mu.Lock()
	defer r.mu.Unlock()
	m.needPassword = false
	m.tryAdmitLocked()
}
