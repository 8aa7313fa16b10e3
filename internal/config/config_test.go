package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestDefaultIsValid(t *testing.T) {
	c := Default()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestLoadOverridesDefaults(t *testing.T) {
	p := filepath.Join(t.TempDir(), "revival.toml")
	os.WriteFile(p, []byte("data = \"/tmp/x\"\n[slsk]\nlisten = \"off\"\nidle_timeout = \"90s\"\n"), 0o600)
	c, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	if c.Data != "/tmp/x" || Enabled(c.Slsk.Listen) || c.Slsk.IdleTimeout.Duration != 90*time.Second {
		t.Fatalf("file values not applied: %+v", c)
	}
	if c.Admin.Listen != Default().Admin.Listen {
		t.Fatalf("default lost: %+v", c.Admin)
	}
}

func TestLoadRejectsUnknownKeys(t *testing.T) {
	p := filepath.Join(t.TempDir(), "revival.toml")
	os.WriteFile(p, []byte("[slsk]\nlisten = \":1\"\nlistn = \":2\"\n"), 0o600)
	if _, err := Load(p); err == nil || !strings.Contains(err.Error(), "slsk.listn") {
		t.Fatalf("want unknown-key error naming slsk.listn, got %v", err)
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	c := Default()
	c.Store.Driver = "mysql"
	c.Log.Level = "loud"
	err := c.Validate()
	if err == nil || !strings.Contains(err.Error(), "mysql") || !strings.Contains(err.Error(), "loud") {
		t.Fatalf("want both problems, got %v", err)
	}
}

func TestRegistrationRations(t *testing.T) {
	p := filepath.Join(t.TempDir(), "revival.toml")
	os.WriteFile(p, []byte("[slsk]\nregistrations_per_host_per_hour = -1\nregistrations_per_minute = 7\n"), 0o600)
	c, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	if c.Slsk.RegistrationsPerHostHour != -1 || c.Slsk.RegistrationsPerMinute != 7 {
		t.Fatalf("registration rations not read: %+v", c.Slsk)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	c.Slsk.RegistrationsPerMinute = 0
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "registrations_per_minute") {
		t.Fatalf("zero ration: %v, want an error", err)
	}
}
