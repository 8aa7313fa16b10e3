package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/revival-net/revival/internal/store"
)

var messageTests = []test{
	{"AddPending", testMessageAddPending},
	{"PendingLimit", testMessagePendingLimit},
	{"NetworkIsolation", testMessageNetworks},
	{"AckOnlyByRecipient", testMessageAck},
	{"CountPending", testMessageCount},
	{"CountPendingFrom", testMessageCountFrom},
	{"IDsNotReused", testMessageIDsNotReused},
	{"ConcurrentAdd", testMessageConcurrentAdd},
}

func msg(net, from, to, text string, at time.Time) store.Message {
	return store.Message{Network: net, From: from, To: to, Text: text, SentAt: at}
}

// add stores m and returns it with its new ID.
func add(t *testing.T, s store.Store, m store.Message) store.Message {
	t.Helper()
	id, err := s.Messages().Add(ctx, m)
	must(t, err)
	m.ID = id
	return m
}

func testMessageAddPending(t *testing.T, s store.Store) {
	// SentAt deliberately out of order: Pending orders by arrival (ID).
	m1 := add(t, s, msg("slsk", "bob", "alice", "first", t0.Add(time.Minute)))
	m2 := add(t, s, msg("slsk", "carol", "alice", "second ✓ ünïcode\nwith newline", t0))
	m3 := add(t, s, msg("slsk", "bob", "alice", "", time.Time{}))
	add(t, s, msg("slsk", "alice", "bob", "to bob", t0))
	if !(m1.ID < m2.ID && m2.ID < m3.ID) {
		t.Errorf("IDs not increasing: %d, %d, %d", m1.ID, m2.ID, m3.ID)
	}
	got, err := s.Messages().Pending(ctx, "slsk", "alice", 0)
	must(t, err)
	diff(t, "Pending", []store.Message{m1, m2, m3}, got)

	got, err = s.Messages().Pending(ctx, "slsk", "nobody", 0)
	must(t, err)
	diff(t, "Pending for nobody", []store.Message(nil), got)
}

func testMessagePendingLimit(t *testing.T, s store.Store) {
	var all []store.Message
	for i := range 5 {
		all = append(all, add(t, s, msg("slsk", "bob", "alice", fmt.Sprint("m", i), t0)))
	}
	for _, c := range []struct {
		limit int
		want  []store.Message
	}{
		{0, all}, {1, all[:1]}, {3, all[:3]}, {5, all}, {10, all},
	} {
		got, err := s.Messages().Pending(ctx, "slsk", "alice", c.limit)
		must(t, err)
		diff(t, fmt.Sprintf("Pending limit %d", c.limit), c.want, got)
	}
}

func testMessageNetworks(t *testing.T, s store.Store) {
	a := add(t, s, msg("slsk", "bob", "alice", "on slsk", t0))
	b := add(t, s, msg("msn", "bob", "alice", "on msn", t0))
	for _, c := range []struct {
		net  string
		want []store.Message
	}{
		{"slsk", []store.Message{a}},
		{"msn", []store.Message{b}},
		{"wpn", nil},
	} {
		got, err := s.Messages().Pending(ctx, c.net, "alice", 0)
		must(t, err)
		diff(t, "Pending on "+c.net, c.want, got)
	}
	ok, err := s.Messages().Ack(ctx, "msn", "alice", a.ID)
	must(t, err)
	if ok {
		t.Error("Ack on the wrong network deleted a message")
	}
}

func testMessageAck(t *testing.T, s store.Store) {
	m1 := add(t, s, msg("slsk", "bob", "alice", "one", t0))
	m2 := add(t, s, msg("slsk", "bob", "alice", "two", t0))
	cases := []struct {
		name string
		net  string
		to   string
		id   int64
		want bool
	}{
		{"sender cannot ack", "slsk", "bob", m1.ID, false},
		{"other user cannot ack", "slsk", "carol", m1.ID, false},
		{"wrong network", "msn", "alice", m1.ID, false},
		{"unknown id", "slsk", "alice", m2.ID + 1000, false},
		{"recipient acks", "slsk", "alice", m1.ID, true},
		{"second ack", "slsk", "alice", m1.ID, false},
	}
	for _, c := range cases {
		got, err := s.Messages().Ack(ctx, c.net, c.to, c.id)
		must(t, err)
		if got != c.want {
			t.Errorf("%s: Ack = %v, want %v", c.name, got, c.want)
		}
	}
	got, err := s.Messages().Pending(ctx, "slsk", "alice", 0)
	must(t, err)
	diff(t, "Pending after acks", []store.Message{m2}, got)
}

func testMessageCount(t *testing.T, s store.Store) {
	for i := range 3 {
		n, err := s.Messages().CountPending(ctx, "slsk", "alice")
		must(t, err)
		if n != i {
			t.Errorf("CountPending = %d, want %d", n, i)
		}
		add(t, s, msg("slsk", "bob", "alice", "x", t0))
	}
	add(t, s, msg("msn", "bob", "alice", "x", t0))
	add(t, s, msg("slsk", "bob", "carol", "x", t0))
	n, err := s.Messages().CountPending(ctx, "slsk", "alice")
	must(t, err)
	if n != 3 {
		t.Errorf("CountPending = %d, want 3 (other network and recipient excluded)", n)
	}
}

// testMessageCountFrom: a sender's pending messages, for one recipient and
// in all, on one network; acknowledged ones no longer count.
func testMessageCountFrom(t *testing.T, s store.Store) {
	check := func(what, from, to string, wantOne, wantTotal int) {
		t.Helper()
		one, total, err := s.Messages().CountPendingFrom(ctx, "slsk", from, to)
		must(t, err)
		if one != wantOne || total != wantTotal {
			t.Errorf("%s: CountPendingFrom(%s, %s) = %d, %d; want %d, %d", what, from, to, one, total, wantOne, wantTotal)
		}
	}
	check("empty store", "bob", "alice", 0, 0)
	first := add(t, s, msg("slsk", "bob", "alice", "1", t0))
	add(t, s, msg("slsk", "bob", "alice", "2", t0))
	add(t, s, msg("slsk", "bob", "carol", "3", t0))
	add(t, s, msg("msn", "bob", "alice", "other network", t0))
	add(t, s, msg("slsk", "dave", "alice", "other sender", t0))
	add(t, s, msg("slsk", "alice", "bob", "reverse direction", t0))
	check("to alice", "bob", "alice", 2, 3)
	check("to carol", "bob", "carol", 1, 3)
	check("to nobody", "bob", "nobody", 0, 3)
	check("other sender", "dave", "alice", 1, 1)
	check("unknown sender", "erin", "alice", 0, 0)
	ok, err := s.Messages().Ack(ctx, "slsk", "alice", first.ID)
	must(t, err)
	if !ok {
		t.Fatal("Ack failed")
	}
	check("after an ack", "bob", "alice", 1, 2)
}

// testMessageIDsNotReused: a client acknowledging a stale id must never
// delete a newer message, so ids of deleted messages are not handed out
// again.
func testMessageIDsNotReused(t *testing.T, s store.Store) {
	m1 := add(t, s, msg("slsk", "bob", "alice", "one", t0))
	ok, err := s.Messages().Ack(ctx, "slsk", "alice", m1.ID)
	must(t, err)
	if !ok {
		t.Fatal("Ack failed")
	}
	m2 := add(t, s, msg("slsk", "bob", "alice", "two", t0))
	if m2.ID <= m1.ID {
		t.Errorf("ID after deleting the newest = %d, want > %d", m2.ID, m1.ID)
	}
}

func testMessageConcurrentAdd(t *testing.T, s store.Store) {
	const workers, each = 4, 10
	var wg sync.WaitGroup
	ids := make(chan int64, workers*each)
	errs := make(chan error, workers*each)
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				id, err := s.Messages().Add(ctx, msg("slsk", fmt.Sprint("w", w), "alice", fmt.Sprint(i), t0))
				if err != nil {
					errs <- err
					return
				}
				ids <- id
			}
		})
	}
	wg.Wait()
	close(ids)
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	seen := map[int64]bool{}
	for id := range ids {
		if seen[id] {
			t.Errorf("ID %d handed out twice", id)
		}
		seen[id] = true
	}
	n, err := s.Messages().CountPending(ctx, "slsk", "alice")
	must(t, err)
	if n != workers*each {
		t.Errorf("CountPending = %d, want %d", n, workers*each)
	}
}
