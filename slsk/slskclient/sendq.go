package slskclient

import (
	"errors"
	"sync"
)

// errSendQueueFull ends a connection whose peer stopped reading while we
// kept producing: the bounded-writer policy (doc.go).
var errSendQueueFull = errors.New("slskclient: send queue full (server not reading)")

// sendQueue holds encoded frames for the writer goroutine, bounded in
// bytes. put never blocks, so any goroutine (including the server reader,
// which acks private messages) can send.
type sendQueue struct {
	mu      sync.Mutex
	frames  [][]byte
	bytes   int
	max     int
	closed  bool
	writing bool          // the writer holds frames it has not written yet
	flushed chan struct{} // closed when the queue is next empty and idle
	wake    chan struct{} // capacity 1: "there is something to write"
}

func newSendQueue(max int) *sendQueue {
	return &sendQueue{max: max, wake: make(chan struct{}, 1)}
}

// put queues a frame. It fails when the queue is closed or would exceed
// its byte limit; the caller then tears the connection down.
func (q *sendQueue) put(frame []byte) error {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return errClosed
	}
	if q.bytes+len(frame) > q.max {
		q.mu.Unlock()
		return errSendQueueFull
	}
	q.frames = append(q.frames, frame)
	q.bytes += len(frame)
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
	return nil
}

// take removes and returns everything queued, joined into one buffer so
// the writer makes one system call for a burst (Soulseek.NET also sends
// Login and SetWaitPort in one write, spec §1.3).
func (q *sendQueue) take() []byte {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.frames) == 0 {
		return nil
	}
	out := make([]byte, 0, q.bytes)
	for _, f := range q.frames {
		out = append(out, f...)
	}
	q.frames, q.bytes = nil, 0
	q.writing = true
	return out
}

// written tells the queue the writer finished writing what take returned.
func (q *sendQueue) written() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.writing = false
	if len(q.frames) == 0 && q.flushed != nil {
		close(q.flushed)
		q.flushed = nil
	}
}

// drained returns a channel closed once everything queued so far has been
// written, or nil if that is already the case.
func (q *sendQueue) drained() <-chan struct{} {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed || (len(q.frames) == 0 && !q.writing) {
		return nil
	}
	if q.flushed == nil {
		q.flushed = make(chan struct{})
	}
	return q.flushed
}

func (q *sendQueue) close() {
	q.mu.Lock()
	q.closed = true
	q.frames, q.bytes = nil, 0
	q.mu.Unlock()
}
