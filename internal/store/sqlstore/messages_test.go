package sqlstore

import (
	"context"
	"strings"
	"testing"
)

// The per-sender count runs on every private message, so it must use the
// messages_sender index (migration 0003), not scan the table.
func TestCountPendingFromUsesSenderIndex(t *testing.T) {
	s := openTempSQLite(t)
	defer s.Close()
	rows, err := s.read.db.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+qMessageCountFrom, "alice", "slsk", "bob")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(plan, "; "); !strings.Contains(got, "messages_sender") {
		t.Errorf("query plan %q does not use messages_sender", got)
	}
}
