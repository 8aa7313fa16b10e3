package hub

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/netip"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/revival-net/revival/internal/netlimit"
	"github.com/revival-net/revival/internal/store"
)

// Errors returned by Accounts. Protocol servers map them to their own
// refusals (Soulseek INVALIDPASS, MSN 911, …).
var (
	ErrBadPassword   = errors.New("hub: wrong password")
	ErrUnknownUser   = errors.New("hub: no such user")
	ErrEmptyPassword = errors.New("hub: empty password")
	// ErrPasswordTooLong: bcrypt reads only 72 bytes, so longer passwords
	// are refused up front instead of being silently truncated.
	ErrPasswordTooLong    = errors.New("hub: password longer than 72 bytes")
	ErrRegistrationClosed = errors.New("hub: registration is closed")
	// ErrReservedName: the name (in any letter case) is one the server
	// itself uses, such as Soulseek's "server" pseudo-user.
	ErrReservedName = errors.New("hub: reserved name")
	// ErrHostThrottled: the host sent too many wrong passwords (for any
	// account, or for this one if it logged in to it before).
	ErrHostThrottled = errors.New("hub: too many failed logins from this host")
	// ErrAccountThrottled: the account got too many wrong passwords from
	// anywhere.
	ErrAccountThrottled = errors.New("hub: too many failed logins for this account")
	// ErrRegistrationLimited: the host, or the server, created too many
	// accounts lately.
	ErrRegistrationLimited = errors.New("hub: too many new accounts")
	// ErrBusy: every password-hashing slot is taken and the queue is full
	// (a restart storm of users whose verifiers were lost); try later.
	ErrBusy = errors.New("hub: too many password checks at once")
)

// BanError reports a login refused because the account is banned.
type BanError struct {
	Until  time.Time
	Reason string
}

func (e *BanError) Error() string {
	return fmt.Sprintf("hub: banned until %s: %s", e.Until.UTC().Format(time.RFC3339), e.Reason)
}

// reservedNames are the names no account may take on any network, in
// lower case; they are compared case-insensitively, so "Server" cannot
// pose as the server either.
var reservedNames = []string{"server"}

// Reserved reports whether name is reserved, in any letter case.
func Reserved(name string) bool {
	for _, r := range reservedNames {
		if strings.EqualFold(name, r) {
			return true
		}
	}
	return false
}

// AccountsOptions configures Accounts.
type AccountsOptions struct {
	// BcryptCost is the cost for new hashes (default bcrypt.DefaultCost).
	// Load tests lower it so that registering 10,000 users is quick.
	BcryptCost int
	// MaxConcurrentHashes bounds concurrent bcrypt work (default: one per
	// CPU), so a login storm queues instead of starving every other
	// goroutine.
	MaxConcurrentHashes int
	// MaxHashQueue bounds the bcrypt runs waiting for a slot (default 100
	// per slot, a few seconds of work at the default cost); past it a
	// login is answered ErrBusy at once rather than after a long wait.
	MaxHashQueue int
	// VerifierKey seals the returning-login verifiers kept in Settings
	// (see verifier.go); it comes from LoadOrCreateKey. Without it
	// verifiers are kept in memory only, under a per-process random key.
	VerifierKey []byte
	// Settings stores the sealed verifiers (hub.New sets it).
	Settings store.Settings
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Accounts checks and creates accounts. Returning users are checked with
// a verifier instead of bcrypt (verifier.go); logins are rationed by a
// Guard (guard.go).
type Accounts struct {
	users   store.Users
	opts    AccountsOptions
	sem     chan struct{}
	waiting atomic.Int64  // bcrypt runs waiting for or holding a slot
	hashes  atomic.Uint64 // bcrypt runs, for tests and metrics
	key     []byte
	keyID   [4]byte
	macs    sync.Pool // hash.Hash: HMAC-SHA256 under key

	// beforeHash, when set (tests), runs before each bcrypt run.
	beforeHash func()

	mu       sync.Mutex
	verified map[string]verifier
}

// storeAfterHash bounds the store writes that follow a bcrypt run.
const storeAfterHash = 10 * time.Second

// maxVerified bounds the verifier cache; past it, entries are dropped at
// random (map order), which only costs a store read on the next login.
const maxVerified = 1 << 20

// NewAccounts returns Accounts over users.
func NewAccounts(users store.Users, opts AccountsOptions) *Accounts {
	if opts.BcryptCost == 0 {
		opts.BcryptCost = bcrypt.DefaultCost
	}
	if opts.MaxConcurrentHashes <= 0 {
		opts.MaxConcurrentHashes = max(1, runtime.GOMAXPROCS(0))
	}
	if opts.MaxHashQueue <= 0 {
		opts.MaxHashQueue = 100 * opts.MaxConcurrentHashes
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	a := &Accounts{users: users, opts: opts, sem: make(chan struct{}, opts.MaxConcurrentHashes), verified: map[string]verifier{}}
	a.key = opts.VerifierKey
	if a.key == nil {
		a.key = make([]byte, keySize)
		if _, err := rand.Read(a.key); err != nil {
			panic("hub: no randomness: " + err.Error())
		}
	}
	id := hmac.New(sha256.New, a.key)
	id.Write([]byte("revival login key id"))
	copy(a.keyID[:], id.Sum(nil))
	return a
}

// Users exposes the underlying store, for listings.
func (a *Accounts) Users() store.Users { return a.users }

// Now returns the accounts clock.
func (a *Accounts) Now() time.Time { return a.opts.Now() }

// HashRuns returns how many bcrypt runs (hashes and checks) Accounts made.
func (a *Accounts) HashRuns() uint64 { return a.hashes.Load() }

// HashPassword returns a bcrypt hash of password at the configured cost.
func (a *Accounts) HashPassword(ctx context.Context, password string) (string, error) {
	if password == "" {
		return "", ErrEmptyPassword
	}
	if len(password) > 72 {
		return "", ErrPasswordTooLong
	}
	var h []byte
	err := a.bcrypt(ctx, func() (err error) {
		h, err = bcrypt.GenerateFromPassword([]byte(password), a.opts.BcryptCost)
		return err
	})
	if errors.Is(err, ErrBusy) {
		return "", err
	}
	if err != nil {
		return "", fmt.Errorf("hub: hash password: %w", err)
	}
	return string(h), nil
}

// bcrypt runs f in a hashing slot. A full queue, or a wait that outlives
// ctx, is ErrBusy.
func (a *Accounts) bcrypt(ctx context.Context, f func() error) error {
	if a.waiting.Add(1) > int64(a.opts.MaxConcurrentHashes+a.opts.MaxHashQueue) {
		a.waiting.Add(-1)
		return ErrBusy
	}
	defer a.waiting.Add(-1)
	select {
	case a.sem <- struct{}{}:
	case <-ctx.Done():
		return fmt.Errorf("%w: %w", ErrBusy, ctx.Err())
	}
	defer func() { <-a.sem }()
	if a.beforeHash != nil {
		a.beforeHash()
	}
	a.hashes.Add(1)
	return f()
}

// Register creates an account. store.ErrConflict if the name is taken.
func (a *Accounts) Register(ctx context.Context, name, password string) (store.User, error) {
	return a.register(ctx, name, password, netip.Addr{})
}

func (a *Accounts) register(ctx context.Context, name, password string, host netip.Addr) (store.User, error) {
	if Reserved(name) {
		return store.User{}, ErrReservedName
	}
	hash, err := a.HashPassword(ctx, password)
	if err != nil {
		return store.User{}, err
	}
	// The hash was paid for, possibly after a long wait in the queue:
	// storing it gets its own time rather than what is left of ctx.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), storeAfterHash)
	defer cancel()
	u := store.User{Name: name, PasswordHash: hash, CreatedAt: a.opts.Now()}
	if err := a.users.Create(ctx, u); err != nil {
		return store.User{}, err
	}
	a.remember(ctx, name, hash, a.mac(name, hash, password), host)
	return u, nil
}

// SetPassword replaces a user's password.
func (a *Accounts) SetPassword(ctx context.Context, name, password string) error {
	hash, err := a.HashPassword(ctx, password)
	if err != nil {
		return err
	}
	if err := a.users.SetPasswordHash(ctx, name, hash); err != nil {
		return err
	}
	a.remember(ctx, name, hash, a.mac(name, hash, password), netip.Addr{})
	return nil
}

// LoginResult is a successful authentication.
type LoginResult struct {
	User store.User
	// Created is true when the login registered a new account.
	Created bool
}

// LoginRequest is one login attempt.
type LoginRequest struct {
	Name, Password string
	// Host is the client's address; budgets are kept per host (IPv6: /64).
	Host netip.Addr
	// Register registers an unknown name with this password (Soulseek's
	// implicit registration, spec §1.3); otherwise ErrUnknownUser.
	Register bool
	// Guard rations wrong passwords and registrations (nil: no limits).
	Guard *Guard
}

// Login authenticates name with password, with no host and no limits (see
// Authenticate).
func (a *Accounts) Login(ctx context.Context, name, password string, register bool) (LoginResult, error) {
	return a.Authenticate(ctx, LoginRequest{Name: name, Password: password, Register: register})
}

// Authenticate checks a login. Banned accounts get a *BanError; the
// Guard's refusals are ErrHostThrottled, ErrAccountThrottled and
// ErrRegistrationLimited, a full hashing queue ErrBusy.
//
// How the budgets apply (and why a correct password gets through a host
// that spent its budget without reopening the guessing hole):
//
//   - A host that logged in to the account before with the current
//     password (a "known host" of its verifier) is checked against the
//     verifier alone and needs only its own (host, account) token, taken
//     first and refunded on success. So users behind a NAT or in a /64
//     where someone else spent the host budget still get in with the
//     right password. Their wrong passwords spend that token (and charge
//     the host and account budgets), so a guesser sharing the address
//     gets no more guesses at that account than the known-host budget.
//   - Every other attempt takes a host token and an account token before
//     any check (so N parallel attempts run at most budget checks) and
//     gets both back when the password is right. Guessing is thus bounded
//     per host, and per account from any number of hosts.
//
// Every answer that can say "right password" is preceded by taking a
// token that a wrong password keeps: there is no free oracle.
func (a *Accounts) Authenticate(ctx context.Context, req LoginRequest) (LoginResult, error) {
	if req.Password == "" {
		return LoginResult{}, ErrEmptyPassword
	}
	host := netlimit.HostKey(req.Host)
	// A returning user's account was kept at their last login: changes
	// made in this process (Ban, SetPassword) and those another process
	// reports (Hub.AccountChanged) drop it, so it is as fresh as the
	// sessions it would be checked against.
	u, cached := a.cachedUser(req.Name)
	var err error
	if !cached {
		u, err = a.users.Get(ctx, req.Name)
	}
	if errors.Is(err, store.ErrNotFound) {
		if !req.Register {
			return LoginResult{}, ErrUnknownUser
		}
		if Reserved(req.Name) {
			return LoginResult{}, ErrReservedName
		}
		if err := req.Guard.takeRegistration(host); err != nil {
			return LoginResult{}, err
		}
		u, err = a.register(ctx, req.Name, req.Password, host)
		if err != nil {
			req.Guard.refundRegistration(host)
		}
		if errors.Is(err, store.ErrConflict) {
			// Two first logins raced; the other one registered. Check
			// this password against what it stored.
			req.Register = false
			return a.Authenticate(ctx, req)
		}
		if err != nil {
			return LoginResult{}, err
		}
		a.noteLogin(&u, host)
		return LoginResult{User: u, Created: true}, nil
	}
	if err != nil {
		return LoginResult{}, err
	}
	if u.Banned(a.opts.Now()) {
		return LoginResult{}, &BanError{Until: u.BannedUntil, Reason: u.BanReason}
	}
	if err := a.check(ctx, &userRecord{name: u.Name, hash: u.PasswordHash}, req.Password, host, req.Guard); err != nil {
		return LoginResult{}, err
	}
	a.noteLogin(&u, host)
	return LoginResult{User: u}, nil
}

// check verifies password for u as Authenticate describes.
func (a *Accounts) check(ctx context.Context, u *userRecord, password string, host netip.Addr, g *Guard) error {
	if len(password) > 72 {
		return ErrBadPassword // never matches a hash we made; no check needed
	}
	mac := a.mac(u.name, u.hash, password)
	v, current := a.verifierFor(ctx, u)
	if current && v.knows(host) {
		if !g.takeKnown(host, u.name) {
			return ErrHostThrottled
		}
		if hmac.Equal(v.mac[:], mac[:]) {
			g.refundKnown(host, u.name)
			return nil
		}
		g.chargeFailure(host, u.name)
		return ErrBadPassword
	}
	if err := g.takeFailure(host, u.name); err != nil {
		return err
	}
	var ok bool
	if current {
		// Only one password matches the hash the verifier was made for,
		// so a mismatch proves the password wrong without bcrypt.
		ok = hmac.Equal(v.mac[:], mac[:])
	} else {
		err := a.bcrypt(ctx, func() error {
			return bcrypt.CompareHashAndPassword([]byte(u.hash), []byte(password))
		})
		if errors.Is(err, ErrBusy) {
			g.refundFailure(host, u.name) // nothing was checked
			return err
		}
		ok = err == nil
		if ok {
			sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), storeAfterHash)
			a.remember(sctx, u.name, u.hash, mac, host)
			cancel()
		}
	}
	if !ok {
		return ErrBadPassword
	}
	g.refundFailure(host, u.name)
	return nil
}

// Forget drops the remembered verifier of name from memory (after a ban
// or an account change made elsewhere); the stored one is bound to the
// password hash and goes stale with it.
func (a *Accounts) Forget(name string) {
	a.mu.Lock()
	delete(a.verified, name)
	a.mu.Unlock()
}
