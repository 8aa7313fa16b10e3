package wpnmesh

import (
	"cmp"
	"slices"
	"sync"
	"time"

	"github.com/revival-net/revival/wpn"
)

// maxNodes bounds the route table: a peer cannot make us remember more
// primaries than this by announcing invented ones.
const maxNodes = 4096

// route is how to reach one primary, learnt from its flooded
// announcements (docs/wpn-mesh.md "Routes"): every copy of its latest
// announcement that arrived, by link, with the hops it took. Forwarded
// requests take the link with the fewest hops.
type route struct {
	node    wpn.NodeEntry
	seq     uint32
	via     map[*link]uint8
	fwd     []byte // the announcement as passed on, replayed to new peers (nil: TTL spent)
	expires time.Time
}

type routes struct {
	mu  sync.Mutex
	by  map[wpn.Handle]*route
	max int
}

func newRoutes(max int) *routes { return &routes{by: map[wpn.Handle]*route{}, max: max} }

// newer compares announcement sequences as serial numbers (RFC 1982), so
// the clock-based start survives wrapping.
func newer(a, b uint32) bool { return int32(a-b) > 0 }

// learn records that h (entry node, sequence seq) is reachable through l
// in hops. A newer sequence replaces what was known; an older one is
// stale and ignored.
func (t *routes) learn(h wpn.Handle, node wpn.NodeEntry, seq uint32, l *link, hops uint8, fwd []byte, expires time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	r := t.by[h]
	switch {
	case r == nil:
		if len(t.by) >= t.max {
			return
		}
		r = &route{via: map[*link]uint8{}}
		t.by[h] = r
	case newer(r.seq, seq):
		return
	case newer(seq, r.seq):
		clear(r.via)
	}
	r.node, r.seq, r.expires = node, seq, expires
	if fwd != nil || r.fwd == nil {
		r.fwd = fwd
	}
	if old, ok := r.via[l]; !ok || hops < old {
		r.via[l] = hops
	}
}

// best returns the link to h with the fewest hops (the lowest link id on
// a tie), never skip; nil when h is unknown.
func (t *routes) best(h wpn.Handle, skip *link) *link {
	t.mu.Lock()
	defer t.mu.Unlock()
	r := t.by[h]
	if r == nil {
		return nil
	}
	var best *link
	var bestHops uint8
	for l, hops := range r.via {
		if l == skip {
			continue
		}
		if best == nil || hops < bestHops || hops == bestHops && l.id < best.id {
			best, bestHops = l, hops
		}
	}
	return best
}

// goneNote is a primary that became unreachable, to be flooded as kind
// gone so that routes through loops die at once rather than at expiry.
type goneNote struct {
	h   wpn.Handle
	seq uint32
}

// dropLink forgets every route that went through l. The other ways to
// those primaries are forgotten too: they may lead back through us. The
// primaries, if alive, announce themselves again when they hear they
// were declared gone.
func (t *routes) dropLink(l *link) []goneNote {
	t.mu.Lock()
	defer t.mu.Unlock()
	var notes []goneNote
	for h, r := range t.by {
		if _, ok := r.via[l]; ok {
			delete(t.by, h)
			notes = append(notes, goneNote{h: h, seq: r.seq})
		}
	}
	return notes
}

// gone forgets h unless its route is newer than seq.
func (t *routes) gone(h wpn.Handle, seq uint32) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	r := t.by[h]
	if r == nil || newer(r.seq, seq) {
		return false
	}
	delete(t.by, h)
	return true
}

func (t *routes) expire(now time.Time) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	changed := false
	for h, r := range t.by {
		if now.After(r.expires) {
			delete(t.by, h)
			changed = true
		}
	}
	return changed
}

func (t *routes) has(h wpn.Handle) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.by[h] != nil
}

// nodes lists the known primaries, nearest first.
func (t *routes) nodes() []wpn.NodeEntry {
	t.mu.Lock()
	type near struct {
		e    wpn.NodeEntry
		hops uint8
	}
	list := make([]near, 0, len(t.by))
	for _, r := range t.by {
		hops := uint8(255)
		for _, n := range r.via {
			hops = min(hops, n)
		}
		list = append(list, near{r.node, hops})
	}
	t.mu.Unlock()
	slices.SortFunc(list, func(a, b near) int {
		return cmp.Or(cmp.Compare(a.hops, b.hops), a.e.IP.Compare(b.e.IP), cmp.Compare(a.e.UDPPort, b.e.UDPPort))
	})
	out := make([]wpn.NodeEntry, len(list))
	for i, n := range list {
		out[i] = n.e
	}
	return out
}

// replay returns the announcements to pass to a new peer, so it learns
// the primaries behind us without waiting for their next round.
func (t *routes) replay() [][]byte {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out [][]byte
	for _, r := range t.by {
		if r.fwd != nil {
			out = append(out, r.fwd)
		}
	}
	return out
}
