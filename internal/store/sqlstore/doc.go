// Package sqlstore implements store.Store over database/sql, once, for
// both SQLite (the default: modernc.org/sqlite, pure Go, one file next to
// the binary) and PostgreSQL (github.com/jackc/pgx/v5/stdlib), as the
// style guide §3.5 asks: a tiny dialect shim rebinds `?` placeholders to
// `$n` and holds the few statements that differ, so no SQL is duplicated
// per dialect (soju's pitfall). Each query is a const next to its method.
//
// # SQLite
//
// Open uses two *sql.DB handles on the same file: one for writes limited to
// a single connection, so writers queue in Go instead of spinning on
// SQLITE_BUSY, and one read-only pool with several connections, which WAL
// lets read while the writer commits. Every connection gets soju's
// settings:
//
//   - journal_mode=WAL: readers never block the writer and vice versa, and
//     other processes (`revival user add` while `revival serve` runs) can
//     use the same file.
//   - busy_timeout=5000: a writer in another process waits up to 5 s for the
//     lock instead of failing at once.
//   - foreign_keys=on: deleting a room cascades to its members and tickers.
//   - synchronous=NORMAL: in WAL mode a commit is written to the WAL file
//     before it returns and is only fsynced at checkpoints. A killed process
//     therefore loses nothing it committed (the bytes are in the OS page
//     cache, which survives the process); only an OS crash or power cut can
//     lose the last commits, and never corrupts the file. That is the
//     durability store.Store promises ("a kill -9 loses nothing that was
//     acknowledged"); FULL would add an fsync per commit, a hundredfold cost
//     on the message and login paths, for power-loss safety we do not claim.
//   - _txlock=immediate on the write handle: transactions take the write
//     lock at BEGIN, so a transaction never fails half-way with
//     SQLITE_BUSY_SNAPSHOT when another process wrote in between.
//
// # PostgreSQL
//
// One pool serves reads and writes. Text keys that are ordered use
// COLLATE "C", so ordering and paging match SQLite's byte order.
//
// # Schema
//
// Migrations are embedded SQL files, migrations/<dialect>/NNNN_name.sql,
// applied forward-only, each in its own transaction. The version lives in
// PRAGMA user_version (SQLite) or the schema_version table (PostgreSQL);
// Open refuses a database whose version is newer than the binary knows
// (ErrSchemaTooNew), so an old binary never scribbles on a newer schema.
//
// Times are stored as unix nanoseconds (int64), the zero time as 0. That
// covers the years 1678–2262; times outside are clamped, so a "permanent"
// ban until year 9999 reads back as 2262, still in the far future. A time
// of exactly 1970-01-01T00:00:00Z reads back as the zero time.
package sqlstore
