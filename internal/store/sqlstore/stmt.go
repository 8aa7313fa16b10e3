package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
)

var errClosed = errors.New("sqlstore: store is closed")

// stmtCache prepares each query once per pool, after rebinding it for the
// dialect, so hot paths (Users.Get on every login) skip SQL parsing.
// database/sql re-prepares a *sql.Stmt on whichever connection runs it.
type stmtCache struct {
	db *sql.DB
	d  dialect

	mu     sync.Mutex
	stmts  map[string]*sql.Stmt
	closed bool
}

func newStmtCache(db *sql.DB, d dialect) *stmtCache {
	return &stmtCache{db: db, d: d, stmts: make(map[string]*sql.Stmt)}
}

// stmt returns the prepared form of query q (written with ? placeholders).
// The mutex is not held while preparing: preparing waits for a
// connection, and on SQLite the only write connection may be held by a
// transaction that itself needs the cache.
func (c *stmtCache) stmt(ctx context.Context, q string) (*sql.Stmt, error) {
	c.mu.Lock()
	st, ok := c.stmts[q]
	closed := c.closed
	c.mu.Unlock()
	if closed {
		return nil, errClosed
	}
	if ok {
		return st, nil
	}
	st, err := c.db.PrepareContext(ctx, c.d.rebind(q))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: prepare: %w", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		st.Close()
		return nil, errClosed
	}
	if prev, ok := c.stmts[q]; ok { // another goroutine won the race
		st.Close()
		return prev, nil
	}
	c.stmts[q] = st
	return st, nil
}

// lookup returns the prepared form of q if it has been prepared already.
func (c *stmtCache) lookup(q string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stmts[q]
}

// prepare prepares every query in qs, for use by transactions.
func (c *stmtCache) prepare(ctx context.Context, qs []string) error {
	for _, q := range qs {
		if _, err := c.stmt(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

func (c *stmtCache) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	st, err := c.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

func (c *stmtCache) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	st, err := c.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// scanRow runs a one-row query and scans it into dest; no row is
// sql.ErrNoRows.
func (c *stmtCache) scanRow(ctx context.Context, q string, args []any, dest ...any) error {
	st, err := c.stmt(ctx, q)
	if err != nil {
		return err
	}
	return st.QueryRowContext(ctx, args...).Scan(dest...)
}

func (c *stmtCache) close() error {
	c.mu.Lock()
	var err error
	if !c.closed {
		c.closed = true
		for _, st := range c.stmts {
			err = errors.Join(err, st.Close())
		}
		c.stmts = nil
	}
	c.mu.Unlock()
	return errors.Join(err, c.db.Close())
}

// txn is a write transaction that runs the cached statements.
type txn struct {
	ctx   context.Context
	tx    *sql.Tx
	cache *stmtCache
}

// exec runs q inside the transaction. It must not prepare through the
// pool: on SQLite the transaction holds the only write connection, so
// that would wait forever. Statements listed in txQueries are prepared at
// Open; any other runs unprepared.
func (t *txn) exec(q string, args ...any) (sql.Result, error) {
	if st := t.cache.lookup(q); st != nil {
		return t.tx.StmtContext(t.ctx, st).ExecContext(t.ctx, args...)
	}
	return t.tx.ExecContext(t.ctx, t.cache.d.rebind(q), args...)
}

// inTx runs fn in a write transaction, committing if it returns nil and
// rolling back otherwise. On SQLite the transaction takes the write lock
// at BEGIN (_txlock=immediate).
func (s *Store) inTx(ctx context.Context, fn func(t *txn) error) error {
	tx, err := s.write.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlstore: begin: %w", err)
	}
	if err := fn(&txn{ctx: ctx, tx: tx, cache: s.write}); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlstore: commit: %w", err)
	}
	return nil
}
