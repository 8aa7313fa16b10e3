package sqlstore

import (
	"context"
	"fmt"

	"github.com/revival-net/revival/internal/store"
)

// changes implements store.Changes.
type changes struct{ s *Store }

// Changes returns the change log (see store.Changes).
func (s *Store) Changes() store.Changes { return changes{s} }

const qChangeAppend = `INSERT INTO changes (kind, network, name, at) VALUES (?, ?, ?, ?) RETURNING seq`

// qChangeLock makes PostgreSQL appends take their seq and commit one at a
// time. Without it, two appends could take seqs 4 and 5 and commit 5
// first; a reader then sees 5, moves past it and never reads 4. EXCLUSIVE
// mode blocks other writers only, not readers. SQLite needs nothing: its
// write transactions already run one at a time.
const qChangeLock = `LOCK TABLE changes IN EXCLUSIVE MODE`

// Append stores c in its own transaction and returns the seq assigned.
func (r changes) Append(ctx context.Context, c store.Change) (int64, error) {
	var seq int64
	err := r.s.inTx(ctx, func(t *txn) error {
		if r.s.d.name == DriverPostgres {
			if _, err := t.exec(qChangeLock); err != nil {
				return err
			}
		}
		return t.tx.QueryRowContext(ctx, r.s.d.rebind(qChangeAppend), c.Kind, c.Network, c.Name, toNanos(c.At)).Scan(&seq)
	})
	if err != nil {
		return 0, fmt.Errorf("sqlstore: append change: %w", err)
	}
	return seq, nil
}

const qChangeAfter = `SELECT seq, kind, network, name, at FROM changes WHERE seq > ? ORDER BY seq LIMIT ?`

func (r changes) After(ctx context.Context, seq int64, limit int) ([]store.Change, error) {
	rows, err := r.s.read.query(ctx, qChangeAfter, seq, limitArg(limit))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: list changes: %w", err)
	}
	defer rows.Close()
	var out []store.Change
	for rows.Next() {
		var c store.Change
		var at int64
		if err := rows.Scan(&c.Seq, &c.Kind, &c.Network, &c.Name, &at); err != nil {
			return nil, fmt.Errorf("sqlstore: list changes: %w", err)
		}
		c.At = fromNanos(at)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: list changes: %w", err)
	}
	return out, nil
}

const qChangeLast = `SELECT COALESCE(MAX(seq), 0) FROM changes`

func (r changes) Last(ctx context.Context) (int64, error) {
	var seq int64
	if err := r.s.read.scanRow(ctx, qChangeLast, nil, &seq); err != nil {
		return 0, fmt.Errorf("sqlstore: last change: %w", err)
	}
	return seq, nil
}

const qChangeDeleteBefore = `DELETE FROM changes WHERE seq < ?`

func (r changes) DeleteBefore(ctx context.Context, seq int64) error {
	if _, err := r.s.write.exec(ctx, qChangeDeleteBefore, seq); err != nil {
		return fmt.Errorf("sqlstore: delete changes: %w", err)
	}
	return nil
}
