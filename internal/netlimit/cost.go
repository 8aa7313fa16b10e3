package netlimit

import "time"

// AllowN takes n tokens at time now and reports whether they were
// available; on false nothing is taken. It charges a message by its size
// (peer relays: one token per few hundred bytes), so large messages cannot
// pass at the rate of small ones. A zero Rate allows everything.
func (b *Bucket) AllowN(r Rate, now time.Time, n float64) bool {
	if r.PerSecond <= 0 {
		return true
	}
	if n <= 1 {
		return b.Allow(r, now)
	}
	if b.last.IsZero() {
		b.tokens = r.Burst
	} else {
		b.tokens = min(r.Burst, b.tokens+now.Sub(b.last).Seconds()*r.PerSecond)
	}
	b.last = now
	if b.tokens < n {
		return false
	}
	b.tokens -= n
	return true
}
