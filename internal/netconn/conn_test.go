package netconn

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/revival-net/revival/internal/wire"
)

// sendUntil calls send with frame until it fails and returns the error and
// how many frames were accepted. The test client does not read, so the
// kernel's buffers fill, the writer blocks and the queue grows.
func sendUntil(send func([]byte) error, frame []byte) (int, error) {
	for n := 0; ; n++ {
		if err := send(frame); err != nil {
			return n, err
		}
	}
}

// A client that does not read is disconnected once its backlog passes
// MaxQueueBytes, and the sender is never blocked (style §3.3).
func TestSlowConsumerIsDisconnected(t *testing.T) {
	got := make(chan error, 1)
	_, addr, reg := start(t, Options{Limits: Limits{MaxQueueBytes: 64 << 10}, Handle: func(c *Conn) {
		_, err := sendUntil(c.Send, make([]byte, 4<<10))
		got <- err
		_, _ = io.Copy(io.Discard, c)
	}})
	c := dial(t, addr)
	if err := <-got; !errors.Is(err, ErrSlowConsumer) {
		t.Fatalf("Send returned %v, want ErrSlowConsumer", err)
	}
	c.expectClosed()
	if n := counter(t, reg, "revival_slow_consumer_disconnects_total", ""); n != 1 {
		t.Fatalf("slow consumers counted %v, want 1", n)
	}
}

// Issue 5, finding 2: one frame larger than the whole queue, on a quiet
// queue, is delivered; only a backlog the client leaves unread makes a
// slow consumer.
func TestOneLargeFrameIsNotASlowConsumer(t *testing.T) {
	big := bytes.Repeat([]byte("x"), 1<<20)
	got := make(chan error, 1)
	_, addr, _ := start(t, Options{Limits: Limits{MaxQueueBytes: 64 << 10}, Handle: func(c *Conn) {
		got <- c.Send(big)
		echoHandler(c)
	}})
	c := dial(t, addr)
	if err := <-got; err != nil {
		t.Fatalf("Send of one 1 MiB frame on an empty 64 KiB queue: %v", err)
	}
	c.expect(string(big))
	c.ping()
}

// A frame above MaxSendFrame is refused with an error to the caller; the
// client is not punished for it.
func TestOversizedFrameIsRefusedNotTheClient(t *testing.T) {
	got := make(chan error, 1)
	_, addr, reg := start(t, Options{Limits: Limits{MaxSendFrame: 1 << 10}, Handle: func(c *Conn) {
		got <- c.Send(make([]byte, 2<<10))
		echoHandler(c)
	}})
	c := dial(t, addr)
	if err := <-got; !errors.Is(err, ErrFrameTooLarge) {
		t.Fatalf("Send returned %v, want ErrFrameTooLarge", err)
	}
	c.ping()
	if n := counter(t, reg, "revival_oversized_sends_total", ""); n != 1 {
		t.Fatalf("oversized sends counted %v, want 1", n)
	}
}

// Issue 5, finding 3: optional messages stop at the high-water mark and
// are dropped there, so they can never make the recipient a slow
// consumer; mandatory ones still get through.
func TestSendOptionalDropsInsteadOfDisconnecting(t *testing.T) {
	const frame = 1 << 10
	type result struct {
		accepted, dropped int
		err, after        error
	}
	got := make(chan result, 1)
	_, addr, reg := start(t, Options{Limits: Limits{MaxQueueBytes: 64 << 10, OptionalHighWater: 16 << 10}, Handle: func(c *Conn) {
		o := bytes.Repeat([]byte("o"), frame)
		r := result{dropped: 1}
		r.accepted, r.err = sendUntil(c.SendOptional, o)
		// Many more, mostly above the mark: dropped, never a disconnect.
		for range 1000 {
			if c.SendOptional(o) == nil {
				r.accepted++
			} else {
				r.dropped++
			}
		}
		r.after = c.Send([]byte("END"))
		got <- r
		echoHandler(c)
	}})
	c := dial(t, addr)
	r := <-got
	if !errors.Is(r.err, ErrQueueHigh) || r.after != nil {
		t.Fatalf("SendOptional stopped with %v, then Send returned %v; want ErrQueueHigh, nil", r.err, r.after)
	}
	if n := c.expectUntil("END"); n != r.accepted*frame+3 {
		t.Fatalf("read %d bytes up to END, want %d", n, r.accepted*frame+3)
	}
	c.ping()
	if n := counter(t, reg, "revival_optional_drops_total", ""); n != float64(r.dropped) {
		t.Fatalf("optional drops counted %v, want %d", n, r.dropped)
	}
}

// CloseAfterFlush delivers everything queued before EOF (a login refusal,
// a kick reason); the handler returning does the same.
func TestCloseAfterFlush(t *testing.T) {
	late := make(chan error, 1)
	_, addr, _ := start(t, Options{Handle: func(c *Conn) {
		for range 100 {
			_ = c.Send(bytes.Repeat([]byte("z"), 1000))
		}
		c.CloseAfterFlush("bye")
		late <- c.Send([]byte("late"))
	}})
	c := dial(t, addr)
	if n := c.expectClosed(); n != 100*1000 {
		t.Fatalf("read %d bytes before EOF, want %d", n, 100*1000)
	}
	if err := <-late; !errors.Is(err, ErrClosed) {
		t.Fatalf("Send after CloseAfterFlush returned %v, want ErrClosed", err)
	}
}

// A panic in one connection's handler closes that connection, is counted,
// and the server goes on serving.
func TestPanicIsContained(t *testing.T) {
	_, addr, reg := start(t, Options{Handle: echoHandler})
	bad := dial(t, addr)
	good := dial(t, addr)
	good.ping()
	bad.write("!")
	bad.expectClosed()
	good.ping()
	dial(t, addr).ping()
	if n := counter(t, reg, "revival_handler_panics_total", ""); n != 1 {
		t.Fatalf("panics counted %v, want 1", n)
	}
}

// Issue 5, finding 5: a frame that has started must finish within
// FrameTimeout even when idle connections never time out.
func TestStalledFrameIsDropped(t *testing.T) {
	_, addr, _ := start(t, Options{Limits: Limits{FrameTimeout: 50 * time.Millisecond}, Handle: func(c *Conn) {
		fr := wire.NewFrameReader(c, 64<<10)
		fr.OnStart = c.FrameStarted
		for {
			c.AwaitFrame(0)
			if _, err := fr.Next(); err != nil {
				return
			}
			_ = c.Send([]byte("f"))
		}
	}})
	c := dial(t, addr)
	c.write("\x01\x00\x00\x00A")
	c.expect("f")
	c.write("\x00\x01\x00\x00half a frame")
	c.expectClosed()
}

// A frame that starts before the login deadline does not extend it: the
// frame deadline replaces only the idle wait, so a peer cannot hold a
// socket for the login timeout plus the frame timeout.
func TestFrameStartKeepsAnEarlierLoginDeadline(t *testing.T) {
	_, addr, _ := start(t, Options{Limits: Limits{FrameTimeout: time.Hour}, Handle: func(c *Conn) {
		_ = c.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
		fr := wire.NewFrameReader(c, 64<<10)
		fr.OnStart = c.FrameStarted
		_, _ = fr.Next()
	}})
	c := dial(t, addr)
	c.write("\x00\x01\x00\x00half a frame")
	c.expectClosed()
}
