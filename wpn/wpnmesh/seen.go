package wpnmesh

import (
	"sync"
	"time"
)

// seen remembers query ids for loop suppression (docs/wpn-mesh.md "Loops
// and hops"): a flooded message is handled and passed on the first time
// its (origin, query id) arrives and dropped every later time. Two
// generations are kept and the older is dropped every SeenFor/2, so an id
// is remembered for between SeenFor/2 and SeenFor, in O(1) per message;
// a generation that reaches max/2 ids rotates early, so a flood cannot
// grow the set without bound (it can only shorten the memory).
type seen struct {
	mu       sync.Mutex
	cur, old map[qkey]struct{}
	rotated  time.Time
	every    time.Duration
	max      int
}

func newSeen(window time.Duration, max int) *seen {
	return &seen{cur: map[qkey]struct{}{}, old: map[qkey]struct{}{}, every: window / 2, max: max}
}

// first records k and reports whether it was new.
func (s *seen) first(k qkey, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.cur[k]; ok {
		return false
	}
	if _, ok := s.old[k]; ok {
		return false
	}
	if s.rotated.IsZero() {
		s.rotated = now
	}
	if now.Sub(s.rotated) >= s.every || len(s.cur) >= s.max/2 {
		s.old, s.cur = s.cur, make(map[qkey]struct{}, len(s.cur))
		s.rotated = now
	}
	s.cur[k] = struct{}{}
	return true
}
