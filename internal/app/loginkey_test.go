package app

import (
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/revival-net/revival/internal/hub"
)

// The app keeps the login-verifier key in the data directory (mode 0600),
// so a restarted server checks its returning users without bcrypt.
func TestLoginKeyInDataDirectory(t *testing.T) {
	cfg := testConfig(t)
	a, err := New(t.Context(), cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Hub().Accounts.Login(t.Context(), "alice", "pw", true); err != nil {
		t.Fatal(err)
	}
	a.closeAll()
	fi, err := os.Stat(filepath.Join(cfg.Data, hub.KeyFile))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v, mode %v; want it, 0600", err, fi.Mode().Perm())
	}
	a, err = New(t.Context(), cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer a.closeAll()
	if _, err := a.Hub().Accounts.Login(t.Context(), "alice", "pw", true); err != nil {
		t.Fatal(err)
	}
	if n := a.Hub().Accounts.HashRuns(); n != 0 {
		t.Fatalf("%d bcrypt runs after a restart, want 0", n)
	}
}
