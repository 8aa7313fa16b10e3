package netconn

import (
	"log/slog"
	"sync"
	"time"
)

// refusalLogEvery is how often each kind of refusal is logged at most.
var refusalLogEvery = 10 * time.Second

// sampler logs one line per key and interval and counts the rest, so a
// flood of refused connections costs a counter increment each, not a log
// line each (issue 5, finding 4: 112 MiB/s of log from one address).
type sampler struct {
	every time.Duration
	mu    sync.Mutex
	last  map[string]time.Time
	quiet map[string]int // suppressed since the last line
}

func newSampler(every time.Duration) *sampler {
	return &sampler{every: every, last: map[string]time.Time{}, quiet: map[string]int{}}
}

// warn logs msg for key unless a line for key was logged within the
// interval; the next line says how many were suppressed.
func (p *sampler) warn(log *slog.Logger, key, msg string, args ...any) {
	now := time.Now()
	p.mu.Lock()
	if t, ok := p.last[key]; ok && now.Sub(t) < p.every {
		p.quiet[key]++
		p.mu.Unlock()
		return
	}
	n := p.quiet[key]
	p.last[key] = now
	p.quiet[key] = 0
	p.mu.Unlock()
	log.Warn(msg, append(args, "suppressed_since_last", n)...)
}
