package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // registers database/sql driver "pgx"
	_ "modernc.org/sqlite"             // registers database/sql driver "sqlite"

	"github.com/revival-net/revival/internal/store"
)

// Driver names accepted by Open (the [store] driver key of the config).
const (
	DriverSQLite   = "sqlite"
	DriverPostgres = "postgres"
)

// DBFileName is the SQLite file OpenDir opens inside its directory.
const DBFileName = "revival.db"

// Store is the SQL implementation of store.Store. It is safe for
// concurrent use.
type Store struct {
	d      dialect
	logger *slog.Logger
	// write takes every statement that changes data. On SQLite it has a
	// single connection (see the package doc); on PostgreSQL it is the same
	// pool as read.
	write *stmtCache
	read  *stmtCache
}

var _ store.Store = (*Store)(nil)

// Open connects to the database, applies pending migrations and returns
// the store. driver is DriverSQLite or DriverPostgres.
//
// For SQLite, dsn is a file path ("revival.db", "/var/lib/revival/revival.db")
// or a "file:" URI; Open adds its own connection settings (see the package
// doc) and creates the file if needed. In-memory databases are refused: the
// read and write pools would each see a different, empty database. For
// PostgreSQL, dsn is any connection string pgx accepts
// ("postgres://user@host/db?sslmode=disable" or "host=… dbname=…").
//
// logger may be nil (no logging).
func Open(ctx context.Context, driver, dsn string, logger *slog.Logger) (*Store, error) {
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	switch driver {
	case DriverSQLite:
		return openSQLite(ctx, dsn, logger)
	case DriverPostgres:
		return openPostgres(ctx, dsn, logger)
	default:
		return nil, fmt.Errorf("sqlstore: unknown driver %q (want %q or %q)", driver, DriverSQLite, DriverPostgres)
	}
}

// OpenDir opens (creating it if needed, mode 0700 since it holds password
// hashes) the directory dir and the SQLite database DBFileName inside it.
// An existing directory open to group or others is tightened to the
// owner only, as the database files are (see securePath). It is what
// `revival serve` uses when no DSN is configured.
func OpenDir(ctx context.Context, dir string, logger *slog.Logger) (*Store, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("sqlstore: %w", err)
	}
	if err := securePath(dir, logger); err != nil {
		return nil, err
	}
	return Open(ctx, DriverSQLite, filepath.Join(dir, DBFileName), logger)
}

// privateFiles creates the SQLite file at path with mode 0600 if it does
// not exist, and tightens an existing one and its -wal, -shm and -journal
// siblings to the owner only: they hold password hashes and private
// messages, and were 0644 (issue 5, finding 11). SQLite creates the
// siblings with the main file's mode, so a private main file keeps new
// ones private. An empty file is a valid empty database.
func privateFiles(path string, logger *slog.Logger) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	switch {
	case err == nil:
		if err := f.Close(); err != nil {
			return fmt.Errorf("sqlstore: create %s: %w", path, err)
		}
	case !errors.Is(err, fs.ErrExist):
		return fmt.Errorf("sqlstore: create %s: %w", path, err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm", path + "-journal"} {
		if err := securePath(p, logger); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

// securePath removes group and other permissions from an existing file or
// directory. A file the process may not chmod (owned by someone else) is
// logged and left alone: the database may still work, and refusing to
// start would not make it private.
func securePath(p string, logger *slog.Logger) error {
	fi, err := os.Stat(p)
	if err != nil {
		return err
	}
	perm := fi.Mode().Perm()
	if perm&0o077 == 0 {
		return nil
	}
	if err := os.Chmod(p, perm&^0o077); err != nil {
		logger.Warn("store file is readable by others and could not be made private", "path", p, "mode", perm, "err", err)
		return nil
	}
	logger.Info("store file made private", "path", p, "was", perm, "now", perm&^0o077)
	return nil
}

func openSQLite(ctx context.Context, dsn string, logger *slog.Logger) (*Store, error) {
	if dsn == "" || strings.Contains(dsn, ":memory:") || strings.Contains(dsn, "mode=memory") {
		return nil, fmt.Errorf("sqlstore: SQLite needs a file path, not %q (an in-memory database is not shared between connections)", dsn)
	}
	if path := sqliteFilePath(dsn); path != "" {
		if err := privateFiles(path, logger); err != nil {
			return nil, err
		}
	}
	d := dialect{name: DriverSQLite}
	wdb, err := sql.Open("sqlite", sqliteDSN(dsn, true))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: open %s: %w", dsn, err)
	}
	// One writer connection, kept forever so its prepared statements stay.
	wdb.SetMaxOpenConns(1)
	wdb.SetMaxIdleConns(1)
	wdb.SetConnMaxLifetime(0)
	wdb.SetConnMaxIdleTime(0)
	// Migrate through the writer before the readers exist: the first
	// connection also switches a new file to WAL, which needs the write lock.
	if err := migrate(ctx, wdb, d, migrationsFS(d), logger); err != nil {
		wdb.Close()
		return nil, err
	}
	rdb, err := sql.Open("sqlite", sqliteDSN(dsn, false))
	if err != nil {
		wdb.Close()
		return nil, fmt.Errorf("sqlstore: open %s: %w", dsn, err)
	}
	n := max(4, runtime.GOMAXPROCS(0))
	rdb.SetMaxOpenConns(n)
	rdb.SetMaxIdleConns(n)
	s := &Store{d: d, logger: logger, write: newStmtCache(wdb, d), read: newStmtCache(rdb, d)}
	if err := s.write.prepare(ctx, txQueries); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.Ping(ctx); err != nil {
		s.Close()
		return nil, err
	}
	logger.Debug("store opened", "driver", d.name, "path", dsn)
	return s, nil
}

func openPostgres(ctx context.Context, dsn string, logger *slog.Logger) (*Store, error) {
	d := dialect{name: DriverPostgres, numbered: true}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: open postgres: %w", err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlstore: connect postgres: %w", err)
	}
	if err := migrate(ctx, db, d, migrationsFS(d), logger); err != nil {
		db.Close()
		return nil, err
	}
	c := newStmtCache(db, d)
	s := &Store{d: d, logger: logger, write: c, read: c}
	if err := c.prepare(ctx, txQueries); err != nil {
		s.Close()
		return nil, err
	}
	logger.Debug("store opened", "driver", d.name)
	return s, nil
}

// sqliteDSN builds the modernc.org/sqlite connection string for path (a
// plain path or a "file:" URI) with the settings explained in the package
// doc. The read pool is query_only, so a bug can never write through it
// and bypass the single-writer queue.
func sqliteDSN(path string, write bool) string {
	params := []string{
		"_pragma=busy_timeout(5000)",
		"_pragma=foreign_keys(1)",
		"_pragma=synchronous(NORMAL)",
	}
	if write {
		params = append([]string{"_pragma=journal_mode(WAL)"}, params...)
		params = append(params, "_txlock=immediate")
	} else {
		params = append(params, "_pragma=query_only(1)", "_txlock=deferred")
	}
	q := strings.Join(params, "&")
	if strings.HasPrefix(path, "file:") {
		if strings.Contains(path, "?") {
			return path + "&" + q
		}
		return path + "?" + q
	}
	return "file:" + escapeURIPath(path) + "?" + q
}

// sqliteFilePath returns the file a SQLite dsn names: the dsn itself, or
// the path of a "file:" URI (percent-decoded, query removed). It returns
// "" when it cannot tell; Open then leaves file creation to SQLite.
func sqliteFilePath(dsn string) string {
	if !strings.HasPrefix(dsn, "file:") {
		return dsn
	}
	u, err := url.Parse(dsn)
	if err != nil || (u.Host != "" && u.Host != "localhost") {
		return ""
	}
	if u.Opaque != "" {
		p, err := url.PathUnescape(u.Opaque)
		if err != nil {
			return ""
		}
		return p
	}
	return u.Path
}

// escapeURIPath percent-encodes the bytes that would end or confuse the
// path part of an SQLite URI ('?', '#', '%') and anything that is not
// printable ASCII, so any file name round-trips.
func escapeURIPath(p string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c == '?' || c == '#' || c == '%' || c <= ' ' || c >= 0x7f {
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&0xf])
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// txQueries are the statements run inside transactions; Open prepares
// them up front (see txn.exec).
var txQueries = []string{
	qUserDelete, qUserDeleteMessages, qUserDeleteSettings, qUserDeleteTickers, qUserDeleteMembers, qUserDeleteRooms,
	qRoomUpsert, qRoomClearMembers, qRoomAddMember,
	qWPNRoomSet, qWPNRoomAdd,
}

// Driver returns DriverSQLite or DriverPostgres.
func (s *Store) Driver() string { return s.d.name }

// Ping checks that the database answers, for the /healthz endpoint.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.write.db.PingContext(ctx); err != nil {
		return fmt.Errorf("sqlstore: ping: %w", err)
	}
	if s.read != s.write {
		if err := s.read.db.PingContext(ctx); err != nil {
			return fmt.Errorf("sqlstore: ping: %w", err)
		}
	}
	return nil
}

// Close releases the connections. Calls in flight may fail.
func (s *Store) Close() error {
	err := s.write.close()
	if s.read != s.write {
		err = errors.Join(err, s.read.close())
	}
	return err
}

// Users returns the account store.
func (s *Store) Users() store.Users { return users{s} }

// Messages returns the offline-message store.
func (s *Store) Messages() store.Messages { return messages{s} }

// Rooms returns the room and ticker store.
func (s *Store) Rooms() store.Rooms { return rooms{s} }

// Settings returns the key/value settings store.
func (s *Store) Settings() store.Settings { return settings{s} }
