package hub

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"

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
)

// BanError reports a login refused because the account is banned.
type BanError struct {
	Until  time.Time
	Reason string
}

func (e *BanError) Error() string {
	return fmt.Sprintf("hub: banned until %s: %s", e.Until.UTC().Format(time.RFC3339), e.Reason)
}

// AccountsOptions configures Accounts.
type AccountsOptions struct {
	// BcryptCost is the cost for new hashes (default bcrypt.DefaultCost).
	// Load tests lower it so that registering 10,000 users is quick.
	BcryptCost int
	// MaxConcurrentHashes bounds concurrent bcrypt work (default 2), so a
	// login storm queues instead of starving every other goroutine.
	MaxConcurrentHashes int
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Accounts checks and creates accounts. A password verified once with
// bcrypt is remembered as an HMAC under a per-process random key, next to
// the bcrypt hash it was checked against. A returning user whose stored hash
// is unchanged is then verified with one HMAC instead of a ~50 ms bcrypt run:
// this is what makes thousands of reconnects per second possible. A password
// change (which changes the stored hash) invalidates the remembered entry.
type Accounts struct {
	users store.Users
	opts  AccountsOptions
	sem   chan struct{}
	key   [32]byte

	mu       sync.Mutex
	verified map[string]verifiedPassword
}

type verifiedPassword struct {
	hash string   // the bcrypt hash the password was checked against
	mac  [32]byte // HMAC-SHA256(key, name \x00 password)
}

// maxVerified bounds the fast-path cache; past it, entries are dropped at
// random (map order), which only costs a bcrypt run on the next login.
const maxVerified = 1 << 20

// NewAccounts returns Accounts over users.
func NewAccounts(users store.Users, opts AccountsOptions) *Accounts {
	if opts.BcryptCost == 0 {
		opts.BcryptCost = bcrypt.DefaultCost
	}
	if opts.MaxConcurrentHashes <= 0 {
		opts.MaxConcurrentHashes = 2
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	a := &Accounts{users: users, opts: opts, sem: make(chan struct{}, opts.MaxConcurrentHashes), verified: map[string]verifiedPassword{}}
	if _, err := rand.Read(a.key[:]); err != nil {
		panic("hub: no randomness: " + err.Error())
	}
	return a
}

// Users exposes the underlying store, for listings.
func (a *Accounts) Users() store.Users { return a.users }

// Now returns the accounts clock.
func (a *Accounts) Now() time.Time { return a.opts.Now() }

func (a *Accounts) mac(name, password string) [32]byte {
	h := hmac.New(sha256.New, a.key[:])
	h.Write([]byte(name))
	h.Write([]byte{0})
	h.Write([]byte(password))
	var out [32]byte
	copy(out[:], h.Sum(nil))
	return out
}

// HashPassword returns a bcrypt hash of password at the configured cost.
func (a *Accounts) HashPassword(ctx context.Context, password string) (string, error) {
	if password == "" {
		return "", ErrEmptyPassword
	}
	if len(password) > 72 {
		return "", ErrPasswordTooLong
	}
	if err := a.acquire(ctx); err != nil {
		return "", err
	}
	defer a.release()
	h, err := bcrypt.GenerateFromPassword([]byte(password), a.opts.BcryptCost)
	if err != nil {
		return "", fmt.Errorf("hub: hash password: %w", err)
	}
	return string(h), nil
}

func (a *Accounts) acquire(ctx context.Context) error {
	select {
	case a.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (a *Accounts) release() { <-a.sem }

// Register creates an account. store.ErrConflict if the name is taken.
func (a *Accounts) Register(ctx context.Context, name, password string) (store.User, error) {
	hash, err := a.HashPassword(ctx, password)
	if err != nil {
		return store.User{}, err
	}
	u := store.User{Name: name, PasswordHash: hash, CreatedAt: a.opts.Now()}
	if err := a.users.Create(ctx, u); err != nil {
		return store.User{}, err
	}
	a.remember(name, hash, password)
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
	a.remember(name, hash, password)
	return nil
}

// LoginResult is a successful authentication.
type LoginResult struct {
	User store.User
	// Created is true when the login registered a new account.
	Created bool
}

// Login authenticates name with password. When register is true an unknown
// name is registered with that password (Soulseek's implicit registration,
// spec §1.3); otherwise ErrUnknownUser. Banned accounts get a *BanError.
func (a *Accounts) Login(ctx context.Context, name, password string, register bool) (LoginResult, error) {
	if password == "" {
		return LoginResult{}, ErrEmptyPassword
	}
	u, err := a.users.Get(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		if !register {
			return LoginResult{}, ErrUnknownUser
		}
		u, err = a.Register(ctx, name, password)
		if errors.Is(err, store.ErrConflict) {
			// Two first logins raced; the other one registered. Check
			// this password against what it stored.
			return a.Login(ctx, name, password, false)
		}
		if err != nil {
			return LoginResult{}, err
		}
		return LoginResult{User: u, Created: true}, nil
	}
	if err != nil {
		return LoginResult{}, err
	}
	if u.Banned(a.opts.Now()) {
		return LoginResult{}, &BanError{Until: u.BannedUntil, Reason: u.BanReason}
	}
	if err := a.check(ctx, u, password); err != nil {
		return LoginResult{}, err
	}
	return LoginResult{User: u}, nil
}

// check verifies password against u's stored hash, using the remembered
// HMAC when the stored hash has not changed since it was verified.
func (a *Accounts) check(ctx context.Context, u store.User, password string) error {
	if len(password) > 72 {
		return ErrBadPassword
	}
	mac := a.mac(u.Name, password)
	a.mu.Lock()
	v, ok := a.verified[u.Name]
	a.mu.Unlock()
	if ok && v.hash == u.PasswordHash {
		if hmac.Equal(v.mac[:], mac[:]) {
			return nil
		}
		// Remembered password differs: fall through to bcrypt, since the
		// user may legitimately have several sessions with an old cache.
	}
	if err := a.acquire(ctx); err != nil {
		return err
	}
	err := bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(password))
	a.release()
	if err != nil {
		return ErrBadPassword
	}
	a.rememberMAC(u.Name, u.PasswordHash, mac)
	return nil
}

func (a *Accounts) remember(name, hash, password string) {
	a.rememberMAC(name, hash, a.mac(name, password))
}

func (a *Accounts) rememberMAC(name, hash string, mac [32]byte) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.verified) >= maxVerified {
		for k := range a.verified {
			delete(a.verified, k)
			break
		}
	}
	a.verified[name] = verifiedPassword{hash: hash, mac: mac}
}

// Forget drops the remembered password of name (after a ban or deletion).
func (a *Accounts) Forget(name string) {
	a.mu.Lock()
	delete(a.verified, name)
	a.mu.Unlock()
}
