package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/revival-net/revival/internal/store"
)

// users implements store.Users.
type users struct{ s *Store }

const userColumns = `name, password_hash, created_at, banned_until, ban_reason, privileged_until, admin`

func scanUser(sc interface{ Scan(...any) error }) (store.User, error) {
	var u store.User
	var created, banned, priv int64
	err := sc.Scan(&u.Name, &u.PasswordHash, &created, &banned, &u.BanReason, &priv, &u.Admin)
	u.CreatedAt, u.BannedUntil, u.PrivilegedUntil = fromNanos(created), fromNanos(banned), fromNanos(priv)
	return u, err
}

const qUserCreate = `INSERT INTO users (` + userColumns + `) VALUES (?, ?, ?, ?, ?, ?, ?)`

func (r users) Create(ctx context.Context, u store.User) error {
	_, err := r.s.write.exec(ctx, qUserCreate, u.Name, u.PasswordHash, toNanos(u.CreatedAt),
		toNanos(u.BannedUntil), u.BanReason, toNanos(u.PrivilegedUntil), u.Admin)
	if classify(err) == uniqueViolation {
		return fmt.Errorf("sqlstore: user %q: %w", u.Name, store.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("sqlstore: create user: %w", err)
	}
	return nil
}

// qUserGet runs on every login; it is a primary-key lookup through a
// prepared statement (see BenchmarkUsersGet).
const qUserGet = `SELECT ` + userColumns + ` FROM users WHERE name = ?`

func (r users) Get(ctx context.Context, name string) (store.User, error) {
	st, err := r.s.read.stmt(ctx, qUserGet)
	if err != nil {
		return store.User{}, err
	}
	u, err := scanUser(st.QueryRowContext(ctx, name))
	if errors.Is(err, sql.ErrNoRows) {
		return store.User{}, fmt.Errorf("sqlstore: user %q: %w", name, store.ErrNotFound)
	}
	if err != nil {
		return store.User{}, fmt.Errorf("sqlstore: get user: %w", err)
	}
	return u, nil
}

const qUserList = `SELECT ` + userColumns + ` FROM users WHERE name > ? ORDER BY name LIMIT ?`

func (r users) List(ctx context.Context, after string, limit int) ([]store.User, error) {
	rows, err := r.s.read.query(ctx, qUserList, after, limitArg(limit))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: list users: %w", err)
	}
	defer rows.Close()
	var out []store.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: list users: %w", err)
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: list users: %w", err)
	}
	return out, nil
}

const qUserCount = `SELECT COUNT(*) FROM users`

func (r users) Count(ctx context.Context) (int, error) {
	var n int
	if err := r.s.read.scanRow(ctx, qUserCount, nil, &n); err != nil {
		return 0, fmt.Errorf("sqlstore: count users: %w", err)
	}
	return n, nil
}

// update runs a one-row UPDATE keyed by name; no row means no such user.
func (r users) update(ctx context.Context, q, name string, args ...any) error {
	res, err := r.s.write.exec(ctx, q, append(args, name)...)
	if err != nil {
		return fmt.Errorf("sqlstore: update user: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("sqlstore: update user: %w", err)
	} else if n == 0 {
		return fmt.Errorf("sqlstore: user %q: %w", name, store.ErrNotFound)
	}
	return nil
}

const qUserSetHash = `UPDATE users SET password_hash = ? WHERE name = ?`

func (r users) SetPasswordHash(ctx context.Context, name, hash string) error {
	return r.update(ctx, qUserSetHash, name, hash)
}

const qUserSetBan = `UPDATE users SET banned_until = ?, ban_reason = ? WHERE name = ?`

func (r users) SetBan(ctx context.Context, name string, until time.Time, reason string) error {
	return r.update(ctx, qUserSetBan, name, toNanos(until), reason)
}

const qUserSetPriv = `UPDATE users SET privileged_until = ? WHERE name = ?`

func (r users) SetPrivilegedUntil(ctx context.Context, name string, until time.Time) error {
	return r.update(ctx, qUserSetPriv, name, toNanos(until))
}

const qUserSetAdmin = `UPDATE users SET admin = ? WHERE name = ?`

func (r users) SetAdmin(ctx context.Context, name string, admin bool) error {
	return r.update(ctx, qUserSetAdmin, name, admin)
}

// The statements Users.Delete runs after removing the account row: the
// user's messages waiting on every network, settings, tickers and room
// memberships, and the rooms they own (whose members and tickers go by
// ON DELETE CASCADE). Messages the user sent to others stay: they belong
// to the recipients.
const (
	qUserDelete         = `DELETE FROM users WHERE name = ?`
	qUserDeleteMessages = `DELETE FROM messages WHERE recipient = ?`
	qUserDeleteSettings = `DELETE FROM settings WHERE username = ?`
	qUserDeleteTickers  = `DELETE FROM tickers WHERE username = ?`
	qUserDeleteMembers  = `DELETE FROM room_members WHERE username = ?`
	qUserDeleteRooms    = `DELETE FROM rooms WHERE owner = ?`
)

// Delete removes the user and everything stored for them in one
// transaction; ErrNotFound if there is no such user.
func (r users) Delete(ctx context.Context, name string) error {
	return r.s.inTx(ctx, func(t *txn) error {
		res, err := t.exec(qUserDelete, name)
		if err != nil {
			return fmt.Errorf("sqlstore: delete user: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("sqlstore: delete user: %w", err)
		} else if n == 0 {
			return fmt.Errorf("sqlstore: user %q: %w", name, store.ErrNotFound)
		}
		for _, q := range []string{qUserDeleteMessages, qUserDeleteSettings, qUserDeleteTickers, qUserDeleteMembers, qUserDeleteRooms} {
			if _, err := t.exec(q, name); err != nil {
				return fmt.Errorf("sqlstore: delete user: %w", err)
			}
		}
		return nil
	})
}
