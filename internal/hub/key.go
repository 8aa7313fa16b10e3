package hub

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// KeyFile is the name of the login-verifier key in the data directory.
const KeyFile = "login.key"

// keySize is the length of the login-verifier key (an HMAC-SHA256 key).
const keySize = 32

// LoadOrCreateKey returns the login-verifier key kept in dir/login.key,
// creating it (32 random bytes, mode 0600) on first start. The key seals
// the returning-login verifiers stored in the database (see Accounts): a
// copy of the database without this file cannot be used to test password
// guesses. Deleting the file is safe: every stored verifier becomes
// useless and each user costs one bcrypt run at their next login.
func LoadOrCreateKey(dir string) ([]byte, error) {
	path := filepath.Join(dir, KeyFile)
	key, err := os.ReadFile(path)
	if err == nil {
		if len(key) != keySize {
			return nil, fmt.Errorf("hub: %s: want %d bytes, found %d (delete it to make a new one)", path, keySize, len(key))
		}
		if fi, err := os.Stat(path); err == nil && fi.Mode().Perm()&0o077 != 0 {
			// A key others can read defeats its purpose: tighten it.
			if err := os.Chmod(path, 0o600); err != nil {
				return nil, fmt.Errorf("hub: %s is readable by others and cannot be fixed: %w", path, err)
			}
		}
		return key, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("hub: read %s: %w", path, err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("hub: create %s: %w", dir, err)
	}
	key = make([]byte, keySize)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("hub: no randomness for %s: %w", path, err)
	}
	// Written to a temporary file and linked into place: two processes
	// starting at once must not each keep a different key, nor read a
	// half-written one. The loser of the link reads the winner's key.
	tmp, err := os.CreateTemp(dir, KeyFile+".tmp*")
	if err != nil {
		return nil, fmt.Errorf("hub: create %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		_ = tmp.Close()
		return nil, fmt.Errorf("hub: create %s: %w", path, err)
	}
	_, err = tmp.Write(key)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("hub: write %s: %w", path, err)
	}
	if err := os.Link(tmp.Name(), path); errors.Is(err, fs.ErrExist) {
		return LoadOrCreateKey(dir)
	} else if err != nil {
		return nil, fmt.Errorf("hub: create %s: %w", path, err)
	}
	return key, nil
}
