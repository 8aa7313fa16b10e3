package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/revival-net/revival/internal/store"
)

// settings implements store.Settings.
type settings struct{ s *Store }

const qSettingGet = `SELECT value FROM settings WHERE username = ? AND key = ?`

func (r settings) Get(ctx context.Context, user, key string) (string, error) {
	var v string
	err := r.s.read.scanRow(ctx, qSettingGet, []any{user, key}, &v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("sqlstore: setting %q of user %q: %w", key, user, store.ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("sqlstore: get setting: %w", err)
	}
	return v, nil
}

const qSettingSet = `INSERT INTO settings (username, key, value) VALUES (?, ?, ?)
ON CONFLICT (username, key) DO UPDATE SET value = excluded.value`

func (r settings) Set(ctx context.Context, user, key, value string) error {
	if _, err := r.s.write.exec(ctx, qSettingSet, user, key, value); err != nil {
		return fmt.Errorf("sqlstore: set setting: %w", err)
	}
	return nil
}

const qSettingDelete = `DELETE FROM settings WHERE username = ? AND key = ?`

func (r settings) Delete(ctx context.Context, user, key string) error {
	if _, err := r.s.write.exec(ctx, qSettingDelete, user, key); err != nil {
		return fmt.Errorf("sqlstore: delete setting: %w", err)
	}
	return nil
}

// qSettingList scans the keys from prefix upwards in byte order (SQLite
// BINARY, PostgreSQL COLLATE "C"), where every key with the prefix comes
// before the first key without it. This avoids LIKE, which is
// case-insensitive on SQLite and treats '%' and '_' in a prefix as
// wildcards.
const qSettingList = `SELECT key, value FROM settings WHERE username = ? AND key >= ? ORDER BY key`

// List returns the user's settings whose key starts with prefix ("" for
// all); the map is empty, not nil, when there are none.
func (r settings) List(ctx context.Context, user, prefix string) (map[string]string, error) {
	rows, err := r.s.read.query(ctx, qSettingList, user, prefix)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: list settings: %w", err)
	}
	defer rows.Close()
	out := make(map[string]string)
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, fmt.Errorf("sqlstore: list settings: %w", err)
		}
		if !strings.HasPrefix(k, prefix) {
			break
		}
		out[k] = v
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: list settings: %w", err)
	}
	return out, nil
}
