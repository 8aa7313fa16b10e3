package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/revival-net/revival/internal/store"
	"github.com/revival-net/revival/internal/store/storetest"
)

// pgEnv names the variable holding a PostgreSQL DSN for the Postgres leg
// of the tests (soju's SOJU_TEST_POSTGRES gate). Unset: those tests skip.
const pgEnv = "REVIVAL_TEST_POSTGRES"

func openTempSQLite(t testing.TB) *Store {
	t.Helper()
	s, err := Open(context.Background(), DriverSQLite, filepath.Join(t.TempDir(), "test.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// pgDSN returns the DSN from the environment or skips the test.
func pgDSN(t *testing.T) string {
	t.Helper()
	dsn := os.Getenv(pgEnv)
	if dsn == "" {
		t.Skipf("%s not set", pgEnv)
	}
	return dsn
}

// withSearchPath adds a search_path run-time parameter to a pgx DSN in
// either of its forms (URL or key=value).
func withSearchPath(dsn, schema string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			panic(err)
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		return u.String()
	}
	return dsn + " search_path=" + schema
}

// pgSchema creates an empty schema for one test and drops it afterwards,
// so tests never see each other's rows and leave nothing behind. It
// returns a DSN that works inside that schema.
func pgSchema(t *testing.T) string {
	t.Helper()
	dsn := pgDSN(t)
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	schema := "revival_test_" + strings.ToLower(rand.Text()[:12])
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`); err != nil {
			t.Errorf("drop schema: %v", err)
		}
	})
	return withSearchPath(dsn, schema)
}

func openTempPostgres(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), DriverPostgres, pgSchema(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestConformance(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) store.Store { return openTempSQLite(t) })
	})
	t.Run("postgres", func(t *testing.T) {
		pgDSN(t)
		storetest.Run(t, func(t *testing.T) store.Store { return openTempPostgres(t) })
	})
}

func TestDriverAndPing(t *testing.T) {
	ctx := context.Background()
	s := openTempSQLite(t)
	defer s.Close()
	if s.Driver() != DriverSQLite {
		t.Errorf("Driver = %q", s.Driver())
	}
	if err := s.Ping(ctx); err != nil {
		t.Errorf("Ping: %v", err)
	}
	s.Close()
	if err := s.Ping(ctx); err == nil {
		t.Error("Ping after Close succeeded")
	}
	if _, err := s.Users().Get(ctx, "x"); err == nil || errors.Is(err, store.ErrNotFound) {
		t.Errorf("Get after Close: err = %v, want a closed-store error", err)
	}
}

func TestOpenErrors(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct{ driver, dsn string }{
		{"mysql", "x"},
		{DriverSQLite, ""},
		{DriverSQLite, ":memory:"},
		{DriverSQLite, "file::memory:?cache=shared"},
		{DriverSQLite, "file:x.db?mode=memory"},
		{DriverSQLite, filepath.Join(t.TempDir(), "missing-dir", "x.db")},
	} {
		if s, err := Open(ctx, c.driver, c.dsn, nil); err == nil {
			s.Close()
			t.Errorf("Open(%q, %q) succeeded", c.driver, c.dsn)
		}
	}
}

func TestOpenDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state", "revival")
	s, err := OpenDir(context.Background(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	fi, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o700 {
		t.Errorf("directory mode = %o, want 700", perm)
	}
	if _, err := os.Stat(filepath.Join(dir, DBFileName)); err != nil {
		t.Errorf("database file: %v", err)
	}
}

// TestSQLiteOddPaths: file names with URI syntax characters must open the
// file of that exact name, not a truncated one.
func TestSQLiteOddPaths(t *testing.T) {
	for _, name := range []string{"a?b.db", "c#d.db", "e%20f.db", "g h.db", "ünï.db"} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, name)
			s, err := Open(context.Background(), DriverSQLite, path, nil)
			if err != nil {
				t.Fatal(err)
			}
			s.Close()
			entries, err := os.ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, e := range entries {
				found = found || e.Name() == name
			}
			if !found {
				t.Errorf("%q not created; directory has %v", name, entries)
			}
		})
	}
}

// TestSQLitePragmas checks that the settings the package doc relies on
// are in force on both pools.
func TestSQLitePragmas(t *testing.T) {
	s := openTempSQLite(t)
	defer s.Close()
	for _, c := range []struct {
		pool   string
		db     *sql.DB
		pragma string
		want   string
	}{
		{"write", s.write.db, "journal_mode", "wal"},
		{"write", s.write.db, "busy_timeout", "5000"},
		{"write", s.write.db, "foreign_keys", "1"},
		{"write", s.write.db, "synchronous", "1"}, // NORMAL
		{"write", s.write.db, "query_only", "0"},
		{"read", s.read.db, "journal_mode", "wal"},
		{"read", s.read.db, "busy_timeout", "5000"},
		{"read", s.read.db, "query_only", "1"},
	} {
		var got string
		if err := c.db.QueryRow("PRAGMA " + c.pragma).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("%s pool: PRAGMA %s = %q, want %q", c.pool, c.pragma, got, c.want)
		}
	}
	if _, err := s.read.db.Exec(`DELETE FROM users`); err == nil {
		t.Error("the read pool accepted a write")
	}
}

// setVersion forces the recorded schema version, as a newer binary would
// have left it.
func setVersion(t *testing.T, db *sql.DB, d dialect, v int) {
	t.Helper()
	if err := setSchemaVersion(context.Background(), db, d, v); err != nil {
		t.Fatal(err)
	}
}

func TestSchemaTooNew(t *testing.T) {
	ctx := context.Background()
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "test.db")
		s, err := Open(ctx, DriverSQLite, path, nil)
		if err != nil {
			t.Fatal(err)
		}
		setVersion(t, s.write.db, s.d, 99)
		s.Close()
		_, err = Open(ctx, DriverSQLite, path, nil)
		if !errors.Is(err, ErrSchemaTooNew) || !strings.Contains(err.Error(), "99") {
			t.Errorf("Open = %v, want ErrSchemaTooNew naming version 99", err)
		}
	})
	t.Run("postgres", func(t *testing.T) {
		dsn := pgSchema(t)
		s, err := Open(ctx, DriverPostgres, dsn, nil)
		if err != nil {
			t.Fatal(err)
		}
		setVersion(t, s.write.db, s.d, 99)
		s.Close()
		_, err = Open(ctx, DriverPostgres, dsn, nil)
		if !errors.Is(err, ErrSchemaTooNew) || !strings.Contains(err.Error(), "99") {
			t.Errorf("Open = %v, want ErrSchemaTooNew naming version 99", err)
		}
	})
}

// TestReopen: opening an existing, current database applies nothing and
// keeps the data.
func TestReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "test.db")
	s, err := Open(ctx, DriverSQLite, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Users().Create(ctx, store.User{Name: "alice"}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(ctx, DriverSQLite, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Users().Get(ctx, "alice"); err != nil {
		t.Errorf("after reopen: %v", err)
	}
	v, err := schemaVersion(ctx, s.write.db, s.d)
	if err != nil {
		t.Fatal(err)
	}
	ms, _ := loadMigrations(migrationsFS(s.d))
	if v != len(ms) {
		t.Errorf("schema version = %d, want %d", v, len(ms))
	}
}
