package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	"slices"
	"strconv"
	"strings"
)

//go:embed migrations
var migrations embed.FS

// ErrSchemaTooNew is returned by Open when the database was migrated by a
// newer revival: this binary does not know that schema and must not write
// to it. Upgrade the binary (or restore a backup) instead.
var ErrSchemaTooNew = errors.New("sqlstore: database schema is newer than this binary")

// migrationsFS returns the migration files of dialect d.
func migrationsFS(d dialect) fs.FS {
	sub, err := fs.Sub(migrations, "migrations/"+d.name)
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	return sub
}

type migration struct {
	version int
	name    string
	sql     string
}

// loadMigrations reads NNNN_name.sql files from fsys; versions must run
// 1, 2, 3… without gaps, so a missing file is caught at start-up.
func loadMigrations(fsys fs.FS) ([]migration, error) {
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	var ms []migration
	for i, name := range names {
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v != i+1 {
			return nil, fmt.Errorf("sqlstore: migration %s: want version %04d", name, i+1)
		}
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: path.Base(name), sql: string(b)})
	}
	return ms, nil
}

// migrate brings db up to the newest migration in fsys. Each migration and
// its version bump commit together, so a failed migration leaves the
// previous version intact. The version is re-read inside each transaction
// (which holds the write lock on SQLite and locks schema_version on
// PostgreSQL), so two processes starting at once apply each step once.
// logger may be nil.
func migrate(ctx context.Context, db *sql.DB, d dialect, fsys fs.FS, logger *slog.Logger) error {
	ms, err := loadMigrations(fsys)
	if err != nil {
		return err
	}
	if d.name == DriverPostgres {
		if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`); err != nil {
			return fmt.Errorf("sqlstore: create schema_version: %w", err)
		}
	}
	cur, err := schemaVersion(ctx, db, d)
	if err != nil {
		return err
	}
	if cur > len(ms) {
		return fmt.Errorf("%w: the database is at version %d, this binary knows versions up to %d; upgrade revival or restore a backup", ErrSchemaTooNew, cur, len(ms))
	}
	for _, m := range ms[cur:] {
		if err := applyMigration(ctx, db, d, m); err != nil {
			return err
		}
		if logger != nil {
			logger.Info("store migrated", "driver", d.name, "version", m.version, "migration", m.name)
		}
	}
	return nil
}

func applyMigration(ctx context.Context, db *sql.DB, d dialect, m migration) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlstore: migration %s: %w", m.name, err)
	}
	defer tx.Rollback()
	if d.name == DriverPostgres {
		if _, err := tx.ExecContext(ctx, `LOCK TABLE schema_version IN EXCLUSIVE MODE`); err != nil {
			return fmt.Errorf("sqlstore: migration %s: %w", m.name, err)
		}
	}
	cur, err := schemaVersion(ctx, tx, d)
	if err != nil {
		return err
	}
	if cur >= m.version {
		return nil // another process applied it meanwhile
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return fmt.Errorf("sqlstore: migration %s: %w", m.name, err)
	}
	if err := setSchemaVersion(ctx, tx, d, m.version); err != nil {
		return fmt.Errorf("sqlstore: migration %s: %w", m.name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlstore: migration %s: commit: %w", m.name, err)
	}
	return nil
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func schemaVersion(ctx context.Context, q querier, d dialect) (int, error) {
	var v int
	var err error
	if d.name == DriverSQLite {
		err = q.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&v)
	} else {
		err = q.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&v)
	}
	if err != nil {
		return 0, fmt.Errorf("sqlstore: read schema version: %w", err)
	}
	return v, nil
}

func setSchemaVersion(ctx context.Context, q querier, d dialect, v int) error {
	if d.name == DriverSQLite {
		// PRAGMA takes no parameters; v is an int we produced.
		_, err := q.ExecContext(ctx, fmt.Sprintf(`PRAGMA user_version = %d`, v))
		return err
	}
	if _, err := q.ExecContext(ctx, `DELETE FROM schema_version`); err != nil {
		return err
	}
	_, err := q.ExecContext(ctx, `INSERT INTO schema_version (version) VALUES ($1)`, v)
	return err
}
