package hub_test

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/revival-net/revival/internal/hub"
	"github.com/revival-net/revival/internal/store"
	"github.com/revival-net/revival/internal/store/sqlstore"
)

func newHub(t *testing.T) *hub.Hub {
	t.Helper()
	st, err := sqlstore.OpenDir(t.Context(), t.TempDir(), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return hub.New(st, hub.AccountsOptions{BcryptCost: bcrypt.MinCost})
}

func TestLoginRegistersThenChecksPassword(t *testing.T) {
	h := newHub(t)
	ctx := t.Context()
	res, err := h.Accounts.Login(ctx, "alice", "pw", true)
	if err != nil || !res.Created {
		t.Fatalf("first login: %+v %v, want registration", res, err)
	}
	stored, _ := h.Store.Users().Get(ctx, "alice")
	if stored.PasswordHash == "pw" || bcrypt.CompareHashAndPassword([]byte(stored.PasswordHash), []byte("pw")) != nil {
		t.Fatal("password not stored as a bcrypt hash")
	}
	if res, err := h.Accounts.Login(ctx, "alice", "pw", true); err != nil || res.Created {
		t.Fatalf("second login: %+v %v", res, err)
	}
	if _, err := h.Accounts.Login(ctx, "alice", "nope", true); !errors.Is(err, hub.ErrBadPassword) {
		t.Fatalf("wrong password: %v", err)
	}
	if _, err := h.Accounts.Login(ctx, "bob", "pw", false); !errors.Is(err, hub.ErrUnknownUser) {
		t.Fatalf("unknown without registration: %v", err)
	}
	if _, err := h.Accounts.Login(ctx, "bob", "", true); !errors.Is(err, hub.ErrEmptyPassword) {
		t.Fatalf("empty password: %v", err)
	}
	long := string(make([]byte, 73))
	if _, err := h.Accounts.Register(ctx, "carol", long); !errors.Is(err, hub.ErrPasswordTooLong) {
		t.Fatalf("73-byte password: %v", err)
	}
}

// The fast path must not outlive a password change made elsewhere (the CLI
// in another process writes a new hash, and the app's account watcher
// reports it with AccountChanged within a poll interval).
func TestPasswordChangeInvalidatesFastPath(t *testing.T) {
	h := newHub(t)
	ctx := t.Context()
	h.Accounts.Login(ctx, "alice", "old", true)
	h.Accounts.Login(ctx, "alice", "old", true) // the account is now kept in memory
	other := hub.NewAccounts(h.Store.Users(), hub.AccountsOptions{BcryptCost: bcrypt.MinCost})
	if err := other.SetPassword(ctx, "alice", "new"); err != nil {
		t.Fatal(err)
	}
	h.AccountChanged(ctx, "alice")
	if _, err := h.Accounts.Login(ctx, "alice", "old", true); !errors.Is(err, hub.ErrBadPassword) {
		t.Fatalf("old password after change: %v", err)
	}
	if _, err := h.Accounts.Login(ctx, "alice", "new", true); err != nil {
		t.Fatalf("new password: %v", err)
	}
}

func TestBannedLoginAndKick(t *testing.T) {
	h := newHub(t)
	ctx := t.Context()
	h.Accounts.Login(ctx, "alice", "pw", true)
	s := &fakeSession{name: "alice"}
	h.Presence.Add(s)
	if err := h.Ban(ctx, "alice", time.Now().Add(time.Hour), "spam"); err != nil {
		t.Fatal(err)
	}
	if s.kicked != "banned: spam" {
		t.Fatalf("online session kick reason %q", s.kicked)
	}
	var ban *hub.BanError
	if _, err := h.Accounts.Login(ctx, "alice", "pw", true); !errors.As(err, &ban) || ban.Reason != "spam" {
		t.Fatalf("banned login: %v", err)
	}
	h.Ban(ctx, "alice", time.Time{}, "")
	if _, err := h.Accounts.Login(ctx, "alice", "pw", true); err != nil {
		t.Fatalf("after unban: %v", err)
	}
	if err := h.Ban(ctx, "ghost", time.Now().Add(time.Hour), ""); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("ban unknown user: %v", err)
	}
}

// Two first logins of one new name race: one registers, the other is
// checked against what was stored.
func TestConcurrentFirstLogins(t *testing.T) {
	h := newHub(t)
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() { _, errs[i] = h.Accounts.Login(context.Background(), "alice", "pw", true) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("login %d: %v", i, err)
		}
	}
}

func TestPresenceCountsAndUsers(t *testing.T) {
	p := hub.NewPresence()
	a := &fakeSession{name: "alice", network: hub.NetworkSoulseek}
	b := &fakeSession{name: "alice", network: hub.NetworkMSN}
	c := &fakeSession{name: "bob", network: hub.NetworkSoulseek}
	p.Add(a)
	p.Add(b)
	p.Add(c)
	p.Add(c)
	if p.Count(hub.NetworkSoulseek) != 2 || p.Count(hub.NetworkMSN) != 1 {
		t.Fatalf("counts slsk=%d msn=%d", p.Count(hub.NetworkSoulseek), p.Count(hub.NetworkMSN))
	}
	if got := p.Users(hub.NetworkSoulseek); len(got) != 2 || got[0] != "alice" || got[1] != "bob" {
		t.Fatalf("users %v", got)
	}
	if n := p.Kick("alice", "bye"); n != 2 || a.kicked != "bye" || b.kicked != "bye" {
		t.Fatalf("kick reached %d sessions", n)
	}
	p.Remove(a)
	p.Remove(a)
	if p.Online("alice", hub.NetworkSoulseek) || !p.Online("alice", "") {
		t.Fatal("Online wrong after Remove")
	}
}

type fakeSession struct {
	name, network, kicked string
}

func (f *fakeSession) Network() string {
	if f.network == "" {
		return hub.NetworkSoulseek
	}
	return f.network
}
func (f *fakeSession) Username() string   { return f.name }
func (f *fakeSession) Kick(reason string) { f.kicked = reason }

// BenchmarkReturningLogin measures the fast path a reconnecting user takes
// (the "logins/s for returning users" without the network).
func BenchmarkReturningLogin(b *testing.B) {
	st, err := sqlstore.OpenDir(context.Background(), b.TempDir(), slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	h := hub.New(st, hub.AccountsOptions{})
	h.Accounts.Login(context.Background(), "alice", "pw", true)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := h.Accounts.Login(context.Background(), "alice", "pw", true); err != nil {
			b.Fatal(err)
		}
	}
}
