package slskload

import (
	"context"
	"sync/atomic"
	"time"
)

// progress counts first deliveries toward an expected total and signals
// when it is reached, so a phase ends as soon as everything arrived
// instead of after a fixed sleep.
type progress struct {
	n      atomic.Int64
	target int64
	done   chan struct{}

	// For searches: which search this counts, and the searcher, whose own
	// copy (if the server sent one) is not expected.
	index, searcher int
}

func newProgress(target int) *progress {
	p := &progress{target: int64(target), done: make(chan struct{})}
	if target <= 0 {
		close(p.done)
	}
	return p
}

func (p *progress) add() {
	if p.n.Add(1) == p.target {
		close(p.done)
	}
}

// count returns the deliveries counted so far.
func (p *progress) count() int { return int(p.n.Load()) }

// wait blocks until the target is reached, timeout passes or ctx ends, and
// reports whether the target was reached.
func (p *progress) wait(ctx context.Context, timeout time.Duration) bool {
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case <-p.done:
		return true
	case <-t.C:
	case <-ctx.Done():
	}
	return false
}

// slot holds the progress of the phase running now; readers count into
// whatever it holds, and nothing when it is empty.
type slot struct{ atomic.Pointer[progress] }

func (s *slot) add() {
	if p := s.Load(); p != nil {
		p.add()
	}
}
