package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"
	"testing/fstest"
)

func file(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }

// rawDB opens a bare database of dialect d for the migration runner.
func rawDB(t *testing.T, d dialect) *sql.DB {
	t.Helper()
	var db *sql.DB
	var err error
	if d.name == DriverSQLite {
		db, err = sql.Open("sqlite", sqliteDSN(filepath.Join(t.TempDir(), "m.db"), true))
	} else {
		db, err = sql.Open("pgx", pgSchema(t))
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func tableExists(t *testing.T, db *sql.DB, name string) bool {
	t.Helper()
	_, err := db.Exec(`SELECT 1 FROM ` + name)
	return err == nil
}

func TestMigrate(t *testing.T) {
	for _, d := range []dialect{{name: DriverSQLite}, {name: DriverPostgres, numbered: true}} {
		t.Run(d.name, func(t *testing.T) {
			if d.name == DriverPostgres {
				pgDSN(t)
			}
			testMigrate(t, d)
		})
	}
}

func testMigrate(t *testing.T, d dialect) {
	ctx := context.Background()
	db := rawDB(t, d)
	version := func() int {
		t.Helper()
		v, err := schemaVersion(ctx, db, d)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	fsys := fstest.MapFS{"0001_a.sql": file(`CREATE TABLE a (x INTEGER); INSERT INTO a VALUES (1);`)}
	if err := migrate(ctx, db, d, fsys, nil); err != nil {
		t.Fatal(err)
	}
	if v := version(); v != 1 {
		t.Fatalf("version = %d, want 1", v)
	}

	// A second run with a new file applies only the new file: were 0001
	// re-run, its INSERT would add a second row.
	fsys["0002_b.sql"] = file(`CREATE TABLE b (x INTEGER);`)
	if err := migrate(ctx, db, d, fsys, nil); err != nil {
		t.Fatal(err)
	}
	var rowsA int
	if err := db.QueryRow(`SELECT COUNT(*) FROM a`).Scan(&rowsA); err != nil {
		t.Fatal(err)
	}
	if v := version(); v != 2 || rowsA != 1 || !tableExists(t, db, "b") {
		t.Fatalf("after 0002: version %d, rows in a %d, b exists %v; want 2, 1, true", version(), rowsA, tableExists(t, db, "b"))
	}

	// A failing migration rolls back entirely and keeps the version.
	fsys["0003_bad.sql"] = file(`CREATE TABLE c (x INTEGER); CREATE TABLE a (x INTEGER);`)
	if err := migrate(ctx, db, d, fsys, nil); err == nil {
		t.Fatal("failing migration reported success")
	}
	if v := version(); v != 2 || tableExists(t, db, "c") {
		t.Errorf("after failed 0003: version %d, c exists %v; want 2, false", v, tableExists(t, db, "c"))
	}

	// The binary that only knows 0001 refuses the version-2 database.
	err := migrate(ctx, db, d, fstest.MapFS{"0001_a.sql": fsys["0001_a.sql"]}, nil)
	if !errors.Is(err, ErrSchemaTooNew) {
		t.Errorf("older binary: err = %v, want ErrSchemaTooNew", err)
	}
}

func TestLoadMigrationsRejectsBadSets(t *testing.T) {
	for name, fsys := range map[string]fstest.MapFS{
		"gap":        {"0001_a.sql": file(""), "0003_c.sql": file("")},
		"no number":  {"init.sql": file("")},
		"duplicate":  {"0001_a.sql": file(""), "0001_b.sql": file("")},
		"not from 1": {"0002_b.sql": file("")},
	} {
		if _, err := loadMigrations(fsys); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	for _, d := range []dialect{{name: DriverSQLite}, {name: DriverPostgres}} {
		ms, err := loadMigrations(migrationsFS(d))
		if err != nil || len(ms) == 0 {
			t.Errorf("%s: embedded migrations: %d, %v", d.name, len(ms), err)
		}
	}
}

// TestEmbeddedMigrationsInStep: both dialects must have the same migration
// files, or one database would silently lack a change.
func TestEmbeddedMigrationsInStep(t *testing.T) {
	lite, err1 := loadMigrations(migrationsFS(dialect{name: DriverSQLite}))
	pg, err2 := loadMigrations(migrationsFS(dialect{name: DriverPostgres}))
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	if len(lite) != len(pg) {
		t.Fatalf("sqlite has %d migrations, postgres %d", len(lite), len(pg))
	}
	for i := range lite {
		if lite[i].name != pg[i].name {
			t.Errorf("migration %d: sqlite %s, postgres %s", i+1, lite[i].name, pg[i].name)
		}
	}
}
