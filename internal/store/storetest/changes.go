package storetest

import (
	"testing"

	"github.com/revival-net/revival/internal/store"
)

var changeTests = []test{
	{"AppendAfter", testChangeAppendAfter},
	{"SeqIgnoresClock", testChangeSeqIgnoresClock},
	{"DeleteBefore", testChangeDeleteBefore},
}

func testChangeAppendAfter(t *testing.T, s store.Store) {
	cs := s.Changes()
	last, err := cs.Last(ctx)
	must(t, err)
	diff(t, "Last of an empty log", int64(0), last)
	in := []store.Change{
		{Kind: store.ChangeAccount, Name: "alice", At: t0},
		{Kind: store.ChangeRoomPurged, Network: "slsk", Name: "retro ✓", At: t0},
		{Kind: store.ChangeAccount, Name: "bob", At: t0, Seq: 999}, // Seq is ignored
	}
	var want []store.Change
	prev := int64(0)
	for _, c := range in {
		seq, err := cs.Append(ctx, c)
		must(t, err)
		if seq <= prev {
			t.Fatalf("Append returned seq %d after %d, want increasing", seq, prev)
		}
		c.Seq, prev = seq, seq
		want = append(want, c)
	}
	got, err := cs.After(ctx, 0, 0)
	must(t, err)
	diff(t, "After(0)", want, got)
	got, err = cs.After(ctx, want[0].Seq, 1)
	must(t, err)
	diff(t, "After(first, limit 1)", want[1:2], got)
	got, err = cs.After(ctx, want[2].Seq, 0)
	must(t, err)
	diff(t, "After(last)", []store.Change(nil), got)
	last, err = cs.Last(ctx)
	must(t, err)
	diff(t, "Last", want[2].Seq, last)
}

// A change written by a clock far behind still comes after the changes
// before it: order is the database's, not the writer's.
func testChangeSeqIgnoresClock(t *testing.T, s store.Store) {
	cs := s.Changes()
	first, err := cs.Append(ctx, store.Change{Kind: store.ChangeAccount, Name: "a", At: t0})
	must(t, err)
	behind, err := cs.Append(ctx, store.Change{Kind: store.ChangeAccount, Name: "b", At: t0.AddDate(0, 0, -1)})
	must(t, err)
	got, err := cs.After(ctx, first, 0)
	must(t, err)
	if len(got) != 1 || got[0].Seq != behind || got[0].Name != "b" {
		t.Errorf("After(%d) = %+v, want the change stamped a day earlier (seq %d)", first, got, behind)
	}
}

func testChangeDeleteBefore(t *testing.T, s store.Store) {
	cs := s.Changes()
	var seqs []int64
	for _, n := range []string{"a", "b", "c"} {
		seq, err := cs.Append(ctx, store.Change{Kind: store.ChangeAccount, Name: n, At: t0})
		must(t, err)
		seqs = append(seqs, seq)
	}
	must(t, cs.DeleteBefore(ctx, seqs[2]))
	got, err := cs.After(ctx, 0, 0)
	must(t, err)
	if len(got) != 1 || got[0].Seq != seqs[2] {
		t.Errorf("after DeleteBefore(%d): %+v, want only seq %d", seqs[2], got, seqs[2])
	}
	must(t, cs.DeleteBefore(ctx, seqs[2]+1))
	last, err := cs.Last(ctx)
	must(t, err)
	next, err := cs.Append(ctx, store.Change{Kind: store.ChangeAccount, Name: "d", At: t0})
	must(t, err)
	if next <= seqs[2] || next <= last {
		t.Errorf("Append after emptying the log returned seq %d, want more than %d: seqs are never reused", next, seqs[2])
	}
}
