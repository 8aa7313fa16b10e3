package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/revival-net/revival/internal/store"
)

// wpnRooms implements store.WPNRooms.
type wpnRooms struct{ s *Store }

// WPNRooms returns the hosted WinMX chat rooms.
func (s *Store) WPNRooms() store.WPNRooms { return wpnRooms{s} }

const wpnRoomCols = `name, topic, motd, password_hash, owner, operators, bans, lim, moderated, created_at`

// Names are compared through lower(), which folds ASCII letters only on
// both databases (SQLite's lower; PostgreSQL's on the COLLATE "C"
// columns), against the argument folded the same way in Go: PostgreSQL
// would fold a bare parameter under the database's locale instead. The
// indexes on lower(name) serve these lookups.
const (
	qWPNRoomGet  = `SELECT ` + wpnRoomCols + ` FROM wpn_rooms WHERE lower(name) = ?`
	qWPNRoomList = `SELECT ` + wpnRoomCols + ` FROM wpn_rooms ORDER BY name`
	qWPNRoomAdd  = `INSERT INTO wpn_rooms (` + wpnRoomCols + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	qWPNRoomSet  = `UPDATE wpn_rooms SET topic = ?, motd = ?, password_hash = ?, owner = ?, operators = ?, bans = ?,
lim = ?, moderated = ?, created_at = ? WHERE lower(name) = ?`
	qWPNRoomDelete = `DELETE FROM wpn_rooms WHERE lower(name) = ?`
	qFoldedUsers   = `SELECT name FROM users WHERE lower(name) = ? ORDER BY name`
)

func scanWPNRoom(sc interface{ Scan(...any) error }) (store.WPNRoom, error) {
	var r store.WPNRoom
	var ops, bans string
	var lim, created int64
	if err := sc.Scan(&r.Name, &r.Topic, &r.MOTD, &r.PasswordHash, &r.Owner, &ops, &bans, &lim, &r.Moderated, &created); err != nil {
		return r, err
	}
	if err := json.Unmarshal([]byte(ops), &r.Operators); err != nil {
		return r, fmt.Errorf("operators of %q: %w", r.Name, err)
	}
	if err := json.Unmarshal([]byte(bans), &r.Bans); err != nil {
		return r, fmt.Errorf("bans of %q: %w", r.Name, err)
	}
	r.Limit = int(lim)
	r.CreatedAt = fromNanos(created)
	return r, nil
}

func (w wpnRooms) Get(ctx context.Context, name string) (store.WPNRoom, error) {
	st, err := w.s.read.stmt(ctx, qWPNRoomGet)
	if err != nil {
		return store.WPNRoom{}, fmt.Errorf("sqlstore: get wpn room: %w", err)
	}
	r, err := scanWPNRoom(st.QueryRowContext(ctx, asciiLower(name)))
	if errors.Is(err, sql.ErrNoRows) {
		return store.WPNRoom{}, fmt.Errorf("sqlstore: wpn room %q: %w", name, store.ErrNotFound)
	}
	if err != nil {
		return store.WPNRoom{}, fmt.Errorf("sqlstore: get wpn room: %w", err)
	}
	return r, nil
}

func (w wpnRooms) List(ctx context.Context) ([]store.WPNRoom, error) {
	rows, err := w.s.read.query(ctx, qWPNRoomList)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: list wpn rooms: %w", err)
	}
	defer rows.Close()
	var out []store.WPNRoom
	for rows.Next() {
		r, err := scanWPNRoom(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: list wpn rooms: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: list wpn rooms: %w", err)
	}
	return out, nil
}

// sortedSet returns a sorted copy of ss without duplicates, as JSON.
func sortedSet(ss []string) string {
	c := slices.Clone(ss)
	slices.Sort(c)
	c = slices.Compact(c)
	if len(c) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(c) // a []string always marshals
	return string(b)
}

func (w wpnRooms) Create(ctx context.Context, r store.WPNRoom) error {
	_, err := w.s.write.exec(ctx, qWPNRoomAdd, r.Name, r.Topic, r.MOTD, r.PasswordHash, r.Owner,
		sortedSet(r.Operators), sortedSet(r.Bans), int64(r.Limit), r.Moderated, toNanos(r.CreatedAt))
	if classify(err) == uniqueViolation {
		return fmt.Errorf("sqlstore: wpn room %q: %w", r.Name, store.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("sqlstore: create wpn room: %w", err)
	}
	return nil
}

// Put updates the row whose name folds to r.Name, keeping its spelling,
// or inserts one; both in one transaction so two Puts cannot both insert.
func (w wpnRooms) Put(ctx context.Context, r store.WPNRoom) error {
	return w.s.inTx(ctx, func(t *txn) error {
		res, err := t.exec(qWPNRoomSet, r.Topic, r.MOTD, r.PasswordHash, r.Owner, sortedSet(r.Operators),
			sortedSet(r.Bans), int64(r.Limit), r.Moderated, toNanos(r.CreatedAt), asciiLower(r.Name))
		if err != nil {
			return fmt.Errorf("sqlstore: put wpn room: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("sqlstore: put wpn room: %w", err)
		} else if n > 0 {
			return nil
		}
		_, err = t.exec(qWPNRoomAdd, r.Name, r.Topic, r.MOTD, r.PasswordHash, r.Owner,
			sortedSet(r.Operators), sortedSet(r.Bans), int64(r.Limit), r.Moderated, toNanos(r.CreatedAt))
		if err != nil {
			return fmt.Errorf("sqlstore: put wpn room: %w", err)
		}
		return nil
	})
}

func (w wpnRooms) Delete(ctx context.Context, name string) error {
	res, err := w.s.write.exec(ctx, qWPNRoomDelete, asciiLower(name))
	if err != nil {
		return fmt.Errorf("sqlstore: delete wpn room: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("sqlstore: delete wpn room: %w", err)
	} else if n == 0 {
		return fmt.Errorf("sqlstore: wpn room %q: %w", name, store.ErrNotFound)
	}
	return nil
}

func (w wpnRooms) FoldedAccounts(ctx context.Context, name string) ([]string, error) {
	rows, err := w.s.read.query(ctx, qFoldedUsers, asciiLower(name))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: folded accounts: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, fmt.Errorf("sqlstore: folded accounts: %w", err)
		}
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: folded accounts: %w", err)
	}
	return out, nil
}

// asciiLower folds ASCII letters only, as lower() does in the queries.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
