package slskclient

import (
	"bytes"
	"net"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/revival-net/revival/slsk"
)

// TestEventQueueKeepsPrivateMessages checks that a full queue drops other
// events before a PrivateMessage, refuses what it cannot take, and still
// ends with Disconnected (review finding 9).
func TestEventQueueKeepsPrivateMessages(t *testing.T) {
	pm := func(id uint32) PrivateMessage { return PrivateMessage{ID: id} }
	q := newEventQueue(3)
	steps := []struct {
		ev   Event
		want bool
	}{
		{pm(1), true},
		{AdminMessage{Text: "a"}, true},
		{pm(2), true},
		{AdminMessage{Text: "b"}, true}, // drops a, behind pm 1
		{pm(3), true},                   // drops b
		{AdminMessage{Text: "c"}, false},
		{pm(4), false},
	}
	for i, s := range steps {
		if got := q.push(s.ev); got != s.want {
			t.Errorf("push %d (%+v) = %v, want %v", i, s.ev, got, s.want)
		}
	}
	q.close(Disconnected{})
	var got []Event
	for ev := range q.ch {
		got = append(got, ev)
	}
	want := []Event{pm(1), pm(2), pm(3), Disconnected{}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	if n := q.dropped.Load(); n != 4 {
		t.Errorf("dropped %d, want 4 (a, b, c, pm 4)", n)
	}
}

// TestPrivateMessageAckedOnlyWhenQueued plays the server: with nobody
// reading Events, the client acknowledges the private messages it could
// queue and no others, so the server keeps those for the next login.
func TestPrivateMessageAckedOnlyWhenQueued(t *testing.T) {
	f := startFakeServer(t)
	c, err := Dial(testCtx(t), f.addr, Options{EventBuffer: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	conn := f.loginOK(c, "bob")

	msg := func(id uint32) slsk.ServerMessage {
		return &slsk.MessageUserReply{ID: id, Timestamp: 1, Username: "alice", Message: "m", IsNew: true}
	}
	// GetUserStatus is a barrier: the client handles server messages in
	// order, so when its reply arrives, 1 to 4 have been handled. (Its
	// StatusChanged event finds the queue full of private messages.)
	status := make(chan error, 1)
	go func() {
		_, err := c.GetUserStatus(testCtx(t), "alice")
		status <- err
	}()
	f.next(func(m slsk.ServerMessage) bool { _, ok := m.(*slsk.GetUserStatus); return ok })
	f.send(conn, msg(1), msg(2), msg(3), msg(4), &slsk.GetUserStatusReply{Username: "alice", Status: slsk.StatusOnline})
	if err := <-status; err != nil {
		t.Fatal(err)
	}
	for _, id := range []uint32{1, 2} {
		select {
		case ev := <-c.Events():
			if pm, ok := ev.(PrivateMessage); !ok || pm.ID != id {
				t.Fatalf("event %+v, want private message %d", ev, id)
			}
		case <-time.After(testTimeout):
			t.Fatalf("no private message %d", id)
		}
	}
	// The client handles server messages in order, so the ack of 5 comes
	// after whatever it did with 3 and 4.
	f.send(conn, msg(5))
	var acked []uint32
	for len(acked) == 0 || acked[len(acked)-1] != 5 {
		m := f.next(func(m slsk.ServerMessage) bool { _, ok := m.(*slsk.MessageAcked); return ok })
		acked = append(acked, m.(*slsk.MessageAcked).ID)
	}
	if diff := cmp.Diff([]uint32{1, 2, 5}, acked); diff != "" {
		t.Errorf("acknowledged messages (-want +got):\n%s", diff)
	}
}

// TestPrivateMessageAckedBeforeSeen: the acknowledgement of a private
// message is queued for the server before the consumer can see the
// message, so whatever the consumer sends on seeing it (a barrier round
// trip, or Close) leaves after the acknowledgement. Queued after, it could
// come too late, and the server delivered the message again at the next
// login (TestPrivateMessageAcked failed now and then).
func TestPrivateMessageAckedBeforeSeen(t *testing.T) {
	c := newTestPeer(t, "bob", Options{})
	ours, theirs := net.Pipe()
	defer theirs.Close()
	c.conn, c.sendq = ours, newSendQueue(1<<20) // no writer: frames stay queued

	// While the test holds the send queue, no acknowledgement can be
	// queued, so the message must not be seen.
	c.sendq.mu.Lock()
	go c.handleServer(&slsk.MessageUserReply{ID: 7, Username: "alice", Message: "hi", IsNew: true})
	select {
	case ev := <-c.Events():
		c.sendq.mu.Unlock()
		t.Fatalf("%+v was seen before its acknowledgement was queued", ev)
	case <-time.After(100 * time.Millisecond):
		// Not a timing assertion: with the right order nothing can
		// arrive however long we wait; the wait gives a wrong order the
		// time to show.
	}
	c.sendq.mu.Unlock()
	waitEvent(t, c, func(ev Event) bool { pm, ok := ev.(PrivateMessage); return ok && pm.ID == 7 })
	got := c.sendq.take()
	c.sendq.written()
	if want := slsk.AppendServerFrame(nil, &slsk.MessageAcked{ID: 7}); !bytes.Equal(got, want) {
		t.Errorf("queued for the server % x, want the acknowledgement % x", got, want)
	}
}
