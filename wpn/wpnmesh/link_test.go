package wpnmesh

import (
	"net"
	"testing"

	"github.com/revival-net/revival/wpn/wpnconn"
)

// A peer that does not read fills its outgoing link's queue; further
// frames are dropped, and sending never blocks the caller.
func TestOutgoingQueueDropsWhenFull(t *testing.T) {
	m := New(Options{Limits: Limits{QueueBytes: 64 << 10}})
	defer m.Close()
	ours, theirs := net.Pipe() // no writer runs and nobody reads: the queue only fills
	defer theirs.Close()
	l := newOutgoingLink(m, &wpnconn.Session{Conn: ours})
	frame := make([]byte, 1<<10)
	sent := 0
	for range 200 {
		if l.send(frame, false) {
			sent++
		}
	}
	if sent != 64 {
		t.Fatalf("queued %d frames of 1 KiB into a 64 KiB queue", sent)
	}
	// Optional frames get half the queue, which is already used.
	if l.send(frame, true) {
		t.Fatal("an optional frame was queued above half the queue")
	}
	l.close("test")
	if l.send(frame, false) {
		t.Fatal("a frame was queued on a closed link")
	}
}
