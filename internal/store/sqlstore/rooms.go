package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"github.com/revival-net/revival/internal/store"
)

// rooms implements store.Rooms.
type rooms struct{ s *Store }

// One statement reads a room with its members, so the result is a
// consistent snapshot without a read transaction. Members come back sorted
// by name; Operators keep that order.
const roomSelect = `SELECT r.network, r.name, r.private, r.owner, r.created_at, m.username, m.operator
FROM rooms r LEFT JOIN room_members m ON m.network = r.network AND m.room = r.name `

const (
	qRoomGet  = roomSelect + `WHERE r.network = ? AND r.name = ? ORDER BY m.username`
	qRoomList = roomSelect + `WHERE r.network = ? ORDER BY r.name, m.username`
)

// scanRooms folds the joined rows (one per member, or one with NULL member
// columns for a room without members) into rooms.
func scanRooms(rows *sql.Rows) ([]store.Room, error) {
	var out []store.Room
	for rows.Next() {
		var rm store.Room
		var created int64
		var member sql.NullString
		var op sql.NullBool
		if err := rows.Scan(&rm.Network, &rm.Name, &rm.Private, &rm.Owner, &created, &member, &op); err != nil {
			return nil, err
		}
		if n := len(out); n == 0 || out[n-1].Name != rm.Name {
			rm.CreatedAt = fromNanos(created)
			out = append(out, rm)
		}
		last := &out[len(out)-1]
		if member.Valid {
			last.Members = append(last.Members, member.String)
			if op.Valid && op.Bool {
				last.Operators = append(last.Operators, member.String)
			}
		}
	}
	return out, rows.Err()
}

func (r rooms) Get(ctx context.Context, network, name string) (store.Room, error) {
	rows, err := r.s.read.query(ctx, qRoomGet, network, name)
	if err != nil {
		return store.Room{}, fmt.Errorf("sqlstore: get room: %w", err)
	}
	defer rows.Close()
	rs, err := scanRooms(rows)
	if err != nil {
		return store.Room{}, fmt.Errorf("sqlstore: get room: %w", err)
	}
	if len(rs) == 0 {
		return store.Room{}, fmt.Errorf("sqlstore: room %s/%q: %w", network, name, store.ErrNotFound)
	}
	return rs[0], nil
}

func (r rooms) List(ctx context.Context, network string) ([]store.Room, error) {
	rows, err := r.s.read.query(ctx, qRoomList, network)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: list rooms: %w", err)
	}
	defer rows.Close()
	rs, err := scanRooms(rows)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: list rooms: %w", err)
	}
	return rs, nil
}

// The room row is upserted rather than deleted and re-inserted, so the
// ON DELETE CASCADE does not fire and the room's tickers survive a Put.
const (
	qRoomUpsert = `INSERT INTO rooms (network, name, private, owner, created_at) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (network, name) DO UPDATE SET private = excluded.private, owner = excluded.owner, created_at = excluded.created_at`
	qRoomClearMembers = `DELETE FROM room_members WHERE network = ? AND room = ?`
	qRoomAddMember    = `INSERT INTO room_members (network, room, username, operator) VALUES (?, ?, ?, ?)`
)

// Put creates or replaces the room and its member list. Duplicate names
// in Members are stored once; an operator that is not a member is an
// error, since Soulseek operators are a subset of members (spec §2.2).
func (r rooms) Put(ctx context.Context, rm store.Room) error {
	members := slices.Clone(rm.Members)
	slices.Sort(members)
	members = slices.Compact(members)
	ops := make(map[string]bool, len(rm.Operators))
	for _, o := range rm.Operators {
		if _, ok := slices.BinarySearch(members, o); !ok {
			return fmt.Errorf("sqlstore: room %s/%q: operator %q is not a member", rm.Network, rm.Name, o)
		}
		ops[o] = true
	}
	return r.s.inTx(ctx, func(t *txn) error {
		if _, err := t.exec(qRoomUpsert, rm.Network, rm.Name, rm.Private, rm.Owner, toNanos(rm.CreatedAt)); err != nil {
			return fmt.Errorf("sqlstore: put room: %w", err)
		}
		if _, err := t.exec(qRoomClearMembers, rm.Network, rm.Name); err != nil {
			return fmt.Errorf("sqlstore: put room: %w", err)
		}
		for _, m := range members {
			if _, err := t.exec(qRoomAddMember, rm.Network, rm.Name, m, ops[m]); err != nil {
				return fmt.Errorf("sqlstore: put room: %w", err)
			}
		}
		return nil
	})
}

const qRoomDelete = `DELETE FROM rooms WHERE network = ? AND name = ?`

// Delete removes the room; members and tickers follow by ON DELETE
// CASCADE. Deleting a room that does not exist is not an error.
func (r rooms) Delete(ctx context.Context, network, name string) error {
	if _, err := r.s.write.exec(ctx, qRoomDelete, network, name); err != nil {
		return fmt.Errorf("sqlstore: delete room: %w", err)
	}
	return nil
}

const qTickers = `SELECT username, text FROM tickers WHERE network = ? AND room = ? ORDER BY seq, username`

func (r rooms) Tickers(ctx context.Context, network, room string) ([]store.Ticker, error) {
	rows, err := r.s.read.query(ctx, qTickers, network, room)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: tickers: %w", err)
	}
	defer rows.Close()
	var out []store.Ticker
	for rows.Next() {
		var tk store.Ticker
		if err := rows.Scan(&tk.User, &tk.Text); err != nil {
			return nil, fmt.Errorf("sqlstore: tickers: %w", err)
		}
		out = append(out, tk)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: tickers: %w", err)
	}
	return out, nil
}

// qTickerSet gives the ticker the room's next seq, so setting a ticker
// again moves it to the end: Tickers lists them in the order they were
// last set. Two PostgreSQL writers racing may draw the same seq; the
// username then breaks the tie.
const (
	qTickerSet = `INSERT INTO tickers (network, room, username, text, seq)
VALUES (?, ?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM tickers WHERE network = ? AND room = ?))
ON CONFLICT (network, room, username) DO UPDATE SET text = excluded.text, seq = excluded.seq`
	qTickerRemove = `DELETE FROM tickers WHERE network = ? AND room = ? AND username = ?`
)

// SetTicker sets or (text == "") removes a ticker. The room must have been
// stored with Put first; otherwise SetTicker returns ErrNotFound.
func (r rooms) SetTicker(ctx context.Context, network, room, user, text string) error {
	if text == "" {
		if _, err := r.s.write.exec(ctx, qTickerRemove, network, room, user); err != nil {
			return fmt.Errorf("sqlstore: remove ticker: %w", err)
		}
		return nil
	}
	_, err := r.s.write.exec(ctx, qTickerSet, network, room, user, text, network, room)
	if classify(err) == foreignKeyViolation {
		return fmt.Errorf("sqlstore: ticker for room %s/%q: %w", network, room, store.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("sqlstore: set ticker: %w", err)
	}
	return nil
}
