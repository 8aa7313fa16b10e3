package logx

import (
	"sync"
	"time"
)

// Sampler lets through at most one log line per key and interval and
// counts the lines it held back, so an event that a hostile peer can
// trigger at will (a refused login, a malformed frame) costs a bounded
// amount of log however often it happens. The count is kept in a metric
// by the caller; the line that does get through says how many were
// suppressed since the previous one.
//
// Keys must come from a small fixed set chosen by the program (refusal
// reasons, error kinds), never from peer input: the map keeps one entry
// per key.
type Sampler struct {
	every time.Duration
	mu    sync.Mutex
	keys  map[string]*sampled
}

type sampled struct {
	last       time.Time
	suppressed int
}

// NewSampler returns a Sampler allowing one line per key every interval.
func NewSampler(every time.Duration) *Sampler {
	return &Sampler{every: every, keys: map[string]*sampled{}}
}

// Allow reports whether a line for key may be logged at now and, if so,
// how many lines for key were suppressed since the last one allowed.
func (s *Sampler) Allow(key string, now time.Time) (ok bool, suppressed int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := s.keys[key]
	if k == nil {
		s.keys[key] = &sampled{last: now}
		return true, 0
	}
	if now.Sub(k.last) < s.every {
		k.suppressed++
		return false, 0
	}
	n := k.suppressed
	k.last, k.suppressed = now, 0
	return true, n
}
