package hub

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"net/netip"
	"strings"

	"github.com/revival-net/revival/internal/store"
)

// The returning-login verifier.
//
// A password checked once with bcrypt is remembered as a verifier:
// HMAC-SHA256(key, name, bcrypt hash, password), next to a tag of the
// bcrypt hash it was checked against. While the stored hash keeps that
// tag, a login is checked with one HMAC instead of a ~50 ms bcrypt run;
// since only one password matches a hash, a verifier that does not match
// also proves the password wrong, without bcrypt. A password change
// (a new hash, a new tag) makes the verifier stale: it is ignored.
//
// Verifiers are kept in memory and, when Accounts has a key from the data
// directory (LoadOrCreateKey), in the store as the per-user setting
// "hub.login", so a restarted server lets its returning users in without
// a bcrypt storm.
//
// Threat model of the stored form. The database holds, per user, the key's
// identifier, the hash tag and the HMAC; the key is only in the data
// directory (login.key, mode 0600). Someone who reads the database alone
// (a backup, a PostgreSQL dump, an injection) learns nothing usable: the
// HMAC cannot be recomputed, so it cannot test a guess, and it is not a
// password, so it cannot log in. Someone who reads both the database and
// the key can test guesses at HMAC speed instead of bcrypt speed, for the
// users who logged in since the key was made: keep the key out of backups
// that leave the machine (losing it costs one bcrypt run per user; a new
// key is made at the next start and old verifiers are ignored). With
// SQLite both live in the data directory, so the file modes are what
// protects them; there the sealing protects copies of revival.db.

// verifierSetting is the per-user setting holding the sealed verifier.
const verifierSetting = "hub.login"

// knownHosts is how many hosts a verifier remembers (see Authenticate).
const knownHosts = 4

type verifier struct {
	tag   [8]byte  // hashTag of the bcrypt hash the password was checked against
	mac   [32]byte // HMAC(key, name, hash, password)
	hosts [knownHosts]netip.Addr
	// user is the account as read at the last successful login, so a
	// returning login needs no store read (see Authenticate); valid when
	// hasUser. Forget drops it with the verifier.
	user    store.User
	hasUser bool
}

// knows reports whether host logged in with this verifier before.
func (v *verifier) knows(host netip.Addr) bool {
	for _, h := range v.hosts {
		if h == host && h.IsValid() {
			return true
		}
	}
	return false
}

// note makes host the most recent known host.
func (v *verifier) note(host netip.Addr) {
	if !host.IsValid() || v.hosts[0] == host {
		return
	}
	i := 0
	for i < knownHosts-1 && v.hosts[i] != host {
		i++
	}
	copy(v.hosts[1:i+1], v.hosts[:i])
	v.hosts[0] = host
}

func hashTag(hash string) [8]byte {
	sum := sha256.Sum256([]byte(hash))
	var t [8]byte
	copy(t[:], sum[:])
	return t
}

func (a *Accounts) mac(name, pwHash, password string) [32]byte {
	// Keyed HMAC states are pooled: one runs on every login.
	h, _ := a.macs.Get().(hash.Hash)
	if h == nil {
		h = hmac.New(sha256.New, a.key)
	}
	defer a.macs.Put(h)
	h.Reset()
	h.Write([]byte("revival login v1\x00"))
	h.Write([]byte(name))
	h.Write([]byte{0})
	h.Write([]byte(pwHash))
	h.Write([]byte{0})
	h.Write([]byte(password))
	var out [32]byte
	h.Sum(out[:0])
	return out
}

// verifierFor returns u's verifier from memory or, after a restart, from
// the store, and whether it was made for u's current hash.
func (a *Accounts) verifierFor(ctx context.Context, u *userRecord) (verifier, bool) {
	tag := hashTag(u.hash)
	a.mu.Lock()
	v, ok := a.verified[u.name]
	a.mu.Unlock()
	if !ok {
		v, ok = a.loadVerifier(ctx, u.name)
		if ok && v.tag == tag {
			a.mu.Lock()
			if _, raced := a.verified[u.name]; !raced {
				a.putLocked(u.name, v)
			}
			a.mu.Unlock()
		}
	}
	return v, ok && v.tag == tag
}

// userRecord is the part of an account the check needs.
type userRecord struct{ name, hash string }

// remember keeps a verifier for (name, hash, mac) in memory and in the
// store, with host as its first known host.
func (a *Accounts) remember(ctx context.Context, name, hash string, mac [32]byte, host netip.Addr) {
	v := verifier{tag: hashTag(hash), mac: mac}
	v.note(host)
	a.mu.Lock()
	a.putLocked(name, v)
	a.mu.Unlock()
	a.saveVerifier(ctx, name, v)
}

func (a *Accounts) putLocked(name string, v verifier) {
	if _, ok := a.verified[name]; !ok && len(a.verified) >= maxVerified {
		for k := range a.verified {
			delete(a.verified, k)
			break
		}
	}
	a.verified[name] = v
}

// noteLogin records that host logged in to u's account, and keeps u for
// the next login.
func (a *Accounts) noteLogin(u *store.User, host netip.Addr) {
	a.mu.Lock()
	if v, ok := a.verified[u.Name]; ok && hashTag(u.PasswordHash) == v.tag {
		v.note(host)
		v.user, v.hasUser = *u, true
		a.verified[u.Name] = v
	}
	a.mu.Unlock()
}

// cachedUser returns the account kept by noteLogin.
func (a *Accounts) cachedUser(name string) (store.User, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	v, ok := a.verified[name]
	return v.user, ok && v.hasUser
}

// sealed is the stored form: "v1:" key id ":" tag ":" mac, in hex. Known
// hosts are not stored (they are personal data and cheap to relearn).
func (a *Accounts) sealed(v verifier) string {
	return "v1:" + hex.EncodeToString(a.keyID[:]) + ":" + hex.EncodeToString(v.tag[:]) + ":" + hex.EncodeToString(v.mac[:])
}

func (a *Accounts) saveVerifier(ctx context.Context, name string, v verifier) {
	if a.opts.Settings == nil || a.opts.VerifierKey == nil {
		return
	}
	// Best effort: a verifier that was not stored costs one bcrypt run
	// after the next restart, nothing more.
	_ = a.opts.Settings.Set(ctx, name, verifierSetting, a.sealed(v))
}

func (a *Accounts) loadVerifier(ctx context.Context, name string) (verifier, bool) {
	if a.opts.Settings == nil || a.opts.VerifierKey == nil {
		return verifier{}, false
	}
	s, err := a.opts.Settings.Get(ctx, name, verifierSetting)
	if err != nil {
		return verifier{}, false
	}
	parts := strings.Split(s, ":")
	if len(parts) != 4 || parts[0] != "v1" || parts[1] != hex.EncodeToString(a.keyID[:]) {
		return verifier{}, false // another key made it: useless
	}
	var v verifier
	if !decodeHex(v.tag[:], parts[2]) || !decodeHex(v.mac[:], parts[3]) {
		return verifier{}, false
	}
	return v, true
}

// decodeHex fills dst from exactly 2*len(dst) hex digits.
func decodeHex(dst []byte, s string) bool {
	if len(s) != 2*len(dst) {
		return false
	}
	_, err := hex.Decode(dst, []byte(s))
	return err == nil
}
