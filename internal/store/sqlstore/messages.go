package sqlstore

import (
	"context"
	"fmt"

	"github.com/revival-net/revival/internal/store"
)

// messages implements store.Messages.
type messages struct{ s *Store }

// qMessageAdd uses RETURNING, which SQLite (3.35+) and PostgreSQL share.
const qMessageAdd = `INSERT INTO messages (network, sender, recipient, text, sent_at) VALUES (?, ?, ?, ?, ?) RETURNING id`

// Add stores m and returns its id. The insert has committed when Add
// returns (see the package doc on synchronous=NORMAL), so the server may
// acknowledge the message to the sender.
func (r messages) Add(ctx context.Context, m store.Message) (int64, error) {
	var id int64
	err := r.s.write.scanRow(ctx, qMessageAdd, []any{m.Network, m.From, m.To, m.Text, toNanos(m.SentAt)}, &id)
	if err != nil {
		return 0, fmt.Errorf("sqlstore: add message: %w", err)
	}
	return id, nil
}

const qMessagePending = `SELECT id, network, sender, recipient, text, sent_at FROM messages
WHERE network = ? AND recipient = ? ORDER BY id LIMIT ?`

func (r messages) Pending(ctx context.Context, network, to string, limit int) ([]store.Message, error) {
	rows, err := r.s.read.query(ctx, qMessagePending, network, to, limitArg(limit))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: pending messages: %w", err)
	}
	defer rows.Close()
	var out []store.Message
	for rows.Next() {
		var m store.Message
		var sent int64
		if err := rows.Scan(&m.ID, &m.Network, &m.From, &m.To, &m.Text, &sent); err != nil {
			return nil, fmt.Errorf("sqlstore: pending messages: %w", err)
		}
		m.SentAt = fromNanos(sent)
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: pending messages: %w", err)
	}
	return out, nil
}

// qMessageAck matches the recipient and network too, so a client can only
// acknowledge (delete) its own messages, whatever id it sends.
const qMessageAck = `DELETE FROM messages WHERE id = ? AND network = ? AND recipient = ?`

func (r messages) Ack(ctx context.Context, network, to string, id int64) (bool, error) {
	res, err := r.s.write.exec(ctx, qMessageAck, id, network, to)
	if err != nil {
		return false, fmt.Errorf("sqlstore: ack message: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("sqlstore: ack message: %w", err)
	}
	return n > 0, nil
}

const qMessageCount = `SELECT COUNT(*) FROM messages WHERE network = ? AND recipient = ?`

func (r messages) CountPending(ctx context.Context, network, to string) (int, error) {
	var n int
	if err := r.s.read.scanRow(ctx, qMessageCount, []any{network, to}, &n); err != nil {
		return 0, fmt.Errorf("sqlstore: count messages: %w", err)
	}
	return n, nil
}

// qMessageCountFrom counts a sender's pending messages in one pass over
// the messages_sender index (migration 0003): all of them, and those for
// one recipient.
const qMessageCountFrom = `SELECT COUNT(*), COALESCE(SUM(CASE WHEN recipient = ? THEN 1 ELSE 0 END), 0)
FROM messages WHERE network = ? AND sender = ?`

func (r messages) CountPendingFrom(ctx context.Context, network, from, to string) (toOne, total int, err error) {
	if err := r.s.read.scanRow(ctx, qMessageCountFrom, []any{to, network, from}, &total, &toOne); err != nil {
		return 0, 0, fmt.Errorf("sqlstore: count messages from a sender: %w", err)
	}
	return toOne, total, nil
}
