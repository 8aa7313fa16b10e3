package hub_test

import (
	"context"
	"errors"
	"log/slog"
	"net/netip"
	"os"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/revival-net/revival/internal/hub"
	"github.com/revival-net/revival/internal/netlimit"
	"github.com/revival-net/revival/internal/store/sqlstore"
)

var (
	hostA = netip.MustParseAddr("192.0.2.1")
	hostB = netip.MustParseAddr("192.0.2.2")
	// fixed is the guards' clock: budgets never refill during a test.
	fixed = func() time.Time { return time.Unix(1_000_000, 0) }
)

// openHub opens a hub on dir with the data directory's login key, as the
// app does; opening it again on the same dir is a restart.
func openHub(t *testing.T, dir string, opts hub.AccountsOptions) *hub.Hub {
	t.Helper()
	st, err := sqlstore.OpenDir(t.Context(), dir, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	key, err := hub.LoadOrCreateKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	opts.BcryptCost = bcrypt.MinCost
	opts.VerifierKey = key
	return hub.New(st, opts)
}

func login(h *hub.Hub, name, password string, host netip.Addr, g *hub.Guard) error {
	_, err := h.Accounts.Authenticate(context.Background(), hub.LoginRequest{
		Name: name, Password: password, Host: host, Register: true, Guard: g,
	})
	return err
}

// N wrong passwords sent in parallel from one host run at most the host's
// budget of bcrypt checks: the token is taken before the check, not after.
// Each check is held in flight (the hook) until every attempt has either
// reached bcrypt or been refused, so the attempts really overlap.
func TestParallelWrongPasswordsRunAtMostTheBudget(t *testing.T) {
	dir := t.TempDir()
	h := openHub(t, dir, hub.AccountsOptions{})
	if err := login(h, "alice", "right", hostA, nil); err != nil {
		t.Fatal(err)
	}
	// A restart without the key: alice has no verifier, so every attempt
	// needs bcrypt.
	if err := os.Remove(filepath.Join(dir, hub.KeyFile)); err != nil {
		t.Fatal(err)
	}
	h = openHub(t, dir, hub.AccountsOptions{MaxConcurrentHashes: 64})
	const budget, n = 3, 30
	entered, release := make(chan struct{}, n), make(chan struct{})
	hub.SetBeforeHash(h.Accounts, func() { entered <- struct{}{}; <-release })
	g := hub.NewGuard(hub.GuardOptions{HostFailures: netlimit.Rate{PerSecond: 0.001, Burst: budget}}, fixed)
	results := make(chan error, n)
	for range n {
		go func() { results <- login(h, "alice", "wrong", hostA, g) }()
	}
	inCheck, throttled := 0, 0
	for inCheck+throttled < n {
		select {
		case <-entered:
			inCheck++
		case err := <-results:
			if !errors.Is(err, hub.ErrHostThrottled) {
				t.Fatalf("attempt refused before any check with %v, want ErrHostThrottled", err)
			}
			throttled++
		case <-time.After(30 * time.Second):
			t.Fatalf("stuck: %d checks in flight, %d refused of %d", inCheck, throttled, n)
		}
	}
	close(release)
	for range inCheck {
		if err := <-results; !errors.Is(err, hub.ErrBadPassword) {
			t.Fatalf("checked attempt: %v, want ErrBadPassword", err)
		}
	}
	if inCheck > budget || h.Accounts.HashRuns() > budget {
		t.Fatalf("%d bcrypt checks (%d runs) for a budget of %d", inCheck, h.Accounts.HashRuns(), budget)
	}
}

// A right password gives its tokens back: a user who logs in all day
// never spends the host's budget.
func TestRightPasswordRefundsTheBudget(t *testing.T) {
	h := openHub(t, t.TempDir(), hub.AccountsOptions{})
	g := hub.NewGuard(hub.GuardOptions{HostFailures: netlimit.Rate{PerSecond: 0.001, Burst: 1}}, fixed)
	for _, name := range []string{"alice", "bob"} {
		if err := login(h, name, "pw", hostA, nil); err != nil {
			t.Fatal(err)
		}
	}
	// Forget drops the known hosts each time, so every login takes the
	// path that spends the host token.
	for range 5 {
		h.Accounts.Forget("bob")
		if err := login(h, "bob", "pw", hostB, g); err != nil {
			t.Fatalf("right password: %v", err)
		}
	}
	h.Accounts.Forget("bob")
	if err := login(h, "bob", "wrong", hostB, g); !errors.Is(err, hub.ErrBadPassword) {
		t.Fatalf("first wrong password: %v", err)
	}
	if err := login(h, "bob", "wrong", hostB, g); !errors.Is(err, hub.ErrHostThrottled) {
		t.Fatalf("second wrong password: %v, want ErrHostThrottled", err)
	}
}

// After a host spent its budget on wrong passwords (someone else behind
// the same NAT), a user who logged in from that host before still gets in
// with the right password; a stranger's account does not, and the
// account budget stops guessing from other hosts.
func TestKnownHostGetsInAfterTheHostBudgetIsSpent(t *testing.T) {
	h := openHub(t, t.TempDir(), hub.AccountsOptions{})
	g := hub.NewGuard(hub.GuardOptions{
		HostFailures:      netlimit.Rate{PerSecond: 0.001, Burst: 2},
		AccountFailures:   netlimit.Rate{PerSecond: 0.001, Burst: 3},
		KnownHostFailures: netlimit.Rate{PerSecond: 0.001, Burst: 1},
	}, fixed)
	for _, name := range []string{"alice", "bob", "carol"} {
		if err := login(h, name, "pw-"+name, hostA, g); err != nil {
			t.Fatal(err)
		}
	}
	// carol's only login was from host B.
	h.Accounts.Forget("carol")
	if err := login(h, "carol", "pw-carol", hostB, g); err != nil {
		t.Fatal(err)
	}
	// Someone behind host A guesses at dave's account.
	if err := login(h, "dave", "pw-dave", hostB, g); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := login(h, "dave", "guess", hostA, g); !errors.Is(err, hub.ErrBadPassword) {
			t.Fatal(err)
		}
	}
	if err := login(h, "dave", "guess", hostA, g); !errors.Is(err, hub.ErrHostThrottled) {
		t.Fatalf("host budget not spent: %v", err)
	}
	if err := login(h, "alice", "pw-alice", hostA, g); err != nil {
		t.Fatalf("known user's right password after the host's budget was spent: %v", err)
	}
	if err := login(h, "carol", "pw-carol", hostA, g); !errors.Is(err, hub.ErrHostThrottled) {
		t.Fatalf("a host that never logged in to carol: %v, want ErrHostThrottled", err)
	}
	// The known host's own wrong password spends its (host, account)
	// budget; then even the right one waits: no free oracle.
	if err := login(h, "bob", "guess", hostA, g); !errors.Is(err, hub.ErrBadPassword) {
		t.Fatalf("known host, wrong password: %v", err)
	}
	if err := login(h, "bob", "pw-bob", hostA, g); !errors.Is(err, hub.ErrHostThrottled) {
		t.Fatalf("known host past its own budget: %v, want ErrHostThrottled", err)
	}
	// Guesses at carol from several hosts hit the account budget (3).
	refusedForAccount := false
	for i := range 6 {
		err := login(h, "carol", "guess", netip.AddrFrom4([4]byte{198, 51, 100, byte(i)}), g)
		if errors.Is(err, hub.ErrAccountThrottled) {
			refusedForAccount = true
		}
	}
	if !refusedForAccount {
		t.Fatal("guesses at one account from six hosts never hit the account budget")
	}
}

// A restarted hub (same data directory, same key) lets a returning user in
// without a bcrypt run, and still refuses a wrong password without one.
func TestVerifierSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	h := openHub(t, dir, hub.AccountsOptions{})
	if err := login(h, "alice", "pw", hostA, nil); err != nil {
		t.Fatal(err)
	}
	h = openHub(t, dir, hub.AccountsOptions{})
	if err := login(h, "alice", "pw", hostB, nil); err != nil {
		t.Fatal(err)
	}
	if err := login(h, "alice", "nope", hostB, nil); !errors.Is(err, hub.ErrBadPassword) {
		t.Fatalf("wrong password: %v", err)
	}
	if n := h.Accounts.HashRuns(); n != 0 {
		t.Fatalf("%d bcrypt runs after a restart, want 0", n)
	}
	// A new key (the file deleted) makes the stored verifier useless, not
	// wrong: the right password still gets in, with one bcrypt run.
	os.Remove(filepath.Join(dir, hub.KeyFile))
	h = openHub(t, dir, hub.AccountsOptions{})
	if err := login(h, "alice", "pw", hostB, nil); err != nil {
		t.Fatalf("after a new key: %v", err)
	}
	if n := h.Accounts.HashRuns(); n != 1 {
		t.Fatalf("%d bcrypt runs after a new key, want 1", n)
	}
}

func TestKeyFileIsPrivateAndStable(t *testing.T) {
	dir := t.TempDir()
	k1, err := hub.LoadOrCreateKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(dir, hub.KeyFile))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v, want 0600", fi.Mode().Perm())
	}
	k2, err := hub.LoadOrCreateKey(dir)
	if err != nil || string(k1) != string(k2) || len(k1) != 32 {
		t.Fatalf("second load: %v, same=%v, len %d", err, string(k1) == string(k2), len(k1))
	}
}

// A full hashing queue answers ErrBusy at once instead of a timeout.
func TestFullHashQueueIsBusy(t *testing.T) {
	h := openHub(t, t.TempDir(), hub.AccountsOptions{MaxConcurrentHashes: 1, MaxHashQueue: 1})
	entered, release := make(chan struct{}, 2), make(chan struct{})
	hub.SetBeforeHash(h.Accounts, func() { entered <- struct{}{}; <-release })
	first := make(chan error, 1)
	go func() { first <- login(h, "alice", "pw", hostA, nil) }()
	<-entered // alice's registration holds the only slot
	// bob and carol arrive together: one queues, the other finds the slot
	// and the queue taken. Neither can end before alice's check is
	// released, except by being refused as busy.
	results := make(chan error, 2)
	for _, name := range []string{"bob", "carol"} {
		go func() { results <- login(h, name, "pw", hostA, nil) }()
	}
	if err := <-results; !errors.Is(err, hub.ErrBusy) {
		t.Fatalf("login past a full queue: %v, want ErrBusy", err)
	}
	close(release)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	if err := <-results; err != nil {
		t.Fatalf("queued login: %v", err)
	}
}

// "Server" and every other letter case of a reserved name are refused.
func TestReservedNamesInAnyCase(t *testing.T) {
	h := openHub(t, t.TempDir(), hub.AccountsOptions{})
	for _, name := range []string{"server", "Server", "SERVER", "sErVeR"} {
		if err := login(h, name, "pw", hostA, nil); !errors.Is(err, hub.ErrReservedName) {
			t.Errorf("login %q: %v, want ErrReservedName", name, err)
		}
		if _, err := h.Accounts.Register(t.Context(), name, "pw"); !errors.Is(err, hub.ErrReservedName) {
			t.Errorf("register %q: %v, want ErrReservedName", name, err)
		}
	}
}

// A returning user's account is kept in memory, but a ban or unban made
// through the hub takes effect at the next login all the same.
func TestKeptAccountFollowsBans(t *testing.T) {
	h := openHub(t, t.TempDir(), hub.AccountsOptions{})
	for range 2 {
		if err := login(h, "alice", "pw", hostA, nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := h.Ban(t.Context(), "alice", time.Now().Add(time.Hour), "spam"); err != nil {
		t.Fatal(err)
	}
	var ban *hub.BanError
	if err := login(h, "alice", "pw", hostA, nil); !errors.As(err, &ban) {
		t.Fatalf("login after a ban: %v", err)
	}
	if err := h.Ban(t.Context(), "alice", time.Time{}, ""); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := login(h, "alice", "pw", hostA, nil); err != nil {
			t.Fatalf("login after the ban was lifted: %v", err)
		}
	}
}
