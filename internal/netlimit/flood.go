package netlimit

import "time"

// Bucket is a token bucket for one session and one kind of message
// (chat lines, searches). It is owned by the session's reader goroutine,
// so it has no lock, and it is small enough to keep one per session.
type Bucket struct {
	tokens float64
	last   time.Time
}

// Rate is a bucket's refill rate and size.
type Rate struct {
	PerSecond float64
	Burst     float64
}

// Allow takes a token at time now and reports whether one was available.
// A zero Rate allows everything.
func (b *Bucket) Allow(r Rate, now time.Time) bool {
	if r.PerSecond <= 0 {
		return true
	}
	if b.last.IsZero() {
		b.tokens = r.Burst
	} else {
		b.tokens += now.Sub(b.last).Seconds() * r.PerSecond
		if b.tokens > r.Burst {
			b.tokens = r.Burst
		}
	}
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}
