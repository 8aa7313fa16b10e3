package netconn

import (
	"errors"
	"net"
	"net/netip"
	"sync"
	"time"
)

// Conn is one client connection. Its handler goroutine reads from it (it is
// an io.Reader) and sets its read deadlines; any goroutine may queue frames
// with Send or SendOptional and close it.
type Conn struct {
	srv    *Server
	nc     net.Conn
	id     uint64
	remote netip.Addr

	wmu      sync.Mutex
	queue    [][]byte // frames waiting for the writer, shared read-only between recipients
	queued   int      // backlog in queue, each frame counted at most frameCost
	writing  bool     // a writer goroutine is draining queue
	closing  bool     // close once the queue is drained (after a refusal, a kick)
	closed   bool
	loggedIn bool // Conn.LoggedIn was called: the socket left the pre-login cap
	closeWhy string
	sealer   Sealer // set once by SetSealer; frames from queue[plain:] go through it
	plain    int    // frames at the head of queue queued before SetSealer

	// writer goroutine only
	sealBuf []byte // the sealed batch, reused between batches

	// handler goroutine only
	readDeadline time.Time // as last set
	idleDeadline bool      // readDeadline is AwaitFrame's: a frame that starts replaces it
}

// Errors returned by Send. Callers may ignore them: the connection has
// been dealt with (closed, or the frame dropped and counted).
var (
	// ErrClosed: the connection is closed or closing; nothing was queued.
	ErrClosed = errors.New("netconn: connection closed")
	// ErrSlowConsumer: the client did not drain its queue and was
	// disconnected.
	ErrSlowConsumer = errors.New("slow consumer: write queue full")
	// ErrFrameTooLarge: the frame exceeds Limits.MaxSendFrame and was not
	// queued; the connection stays.
	ErrFrameTooLarge = errors.New("netconn: frame larger than MaxSendFrame")
	// ErrQueueHigh: SendOptional dropped the frame; the connection stays.
	ErrQueueHigh = errors.New("netconn: queue above the optional high-water mark")
)

// ID is the connection's number in this server, for logs.
func (c *Conn) ID() uint64 { return c.id }

// Remote is the peer's address (IPv4-mapped addresses unmapped).
func (c *Conn) Remote() netip.Addr { return c.remote }

// Local is the address the peer connected to: a server without a
// configured public address announces this one (WinMX handles and node
// lists carry the primary's own IP).
func (c *Conn) Local() netip.AddrPort {
	if a, ok := c.nc.LocalAddr().(*net.TCPAddr); ok {
		ap := a.AddrPort()
		return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
	}
	return netip.AddrPort{}
}

// Read reads from the socket. Only the handler goroutine reads.
func (c *Conn) Read(p []byte) (int, error) { return c.nc.Read(p) }

// SetReadDeadline sets the socket's read deadline (login and idle
// timeouts). Only the handler goroutine sets deadlines.
func (c *Conn) SetReadDeadline(t time.Time) error {
	c.idleDeadline = false
	return c.setReadDeadline(t)
}

func (c *Conn) setReadDeadline(t time.Time) error {
	if t.IsZero() && c.readDeadline.IsZero() {
		return nil // already none: spare the poller
	}
	c.readDeadline = t
	return c.nc.SetReadDeadline(t)
}

// AwaitFrame sets the deadline for the next frame to start: idle from now,
// or none when idle is 0. Call it before reading a frame's first byte.
func (c *Conn) AwaitFrame(idle time.Duration) {
	var t time.Time
	if idle > 0 {
		t = time.Now().Add(idle)
	}
	c.idleDeadline = true
	_ = c.setReadDeadline(t)
}

// FrameStarted gives the frame whose first byte just arrived
// Limits.FrameTimeout to complete, whatever the idle timeout: a peer that
// announces a frame and stalls is dropped instead of holding the reader and
// its buffer (issue 5, finding 5). It replaces AwaitFrame's idle deadline
// (which bounds the wait for a frame to start); an earlier deadline set
// with SetReadDeadline (the login timeout) stays. Framing code calls it
// (for Soulseek, wire.FrameReader.OnStart).
func (c *Conn) FrameStarted() {
	t := time.Now().Add(c.srv.lim.FrameTimeout)
	if !c.idleDeadline && !c.readDeadline.IsZero() && c.readDeadline.Before(t) {
		return
	}
	_ = c.setReadDeadline(t)
}

// LoggedIn moves the connection out of the pre-login cap. The protocol
// calls it once the peer has authenticated; later calls do nothing.
func (c *Conn) LoggedIn() {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if c.loggedIn || c.closed {
		return
	}
	c.loggedIn = true
	c.srv.preLogin.Add(-1)
}

// frameCost is what one frame counts toward the backlog: its length, but
// at most half the queue. A client is a slow consumer when the bytes it
// leaves unread pile up, not because one reply is large (issue 5,
// finding 2: a RoomList reply above 2 MiB disconnected everyone who asked).
// Two such frames unread, plus anything, still make a slow consumer, so the
// memory one connection holds stays bounded by MaxQueueBytes plus two
// frames of at most MaxSendFrame.
func (c *Conn) frameCost(n int) int { return min(n, c.srv.lim.MaxQueueBytes/2) }

// Send queues an encoded frame. It never blocks: frames fan out from other
// users' goroutines, which must not wait for this client. A client whose
// backlog passes MaxQueueBytes is disconnected as a slow consumer (style
// §3.3, nats); a frame above MaxSendFrame is refused and the client stays.
// frame must not be modified afterwards; the same slice is queued to every
// recipient of a broadcast.
func (c *Conn) Send(frame []byte) error {
	cost, err := c.lockForFrame(frame)
	if err != nil {
		return err
	}
	if queued := c.queued; queued+cost > c.srv.lim.MaxQueueBytes {
		c.wmu.Unlock()
		c.srv.metrics.SlowConsumers.Inc()
		c.srv.log.Warn("disconnecting slow consumer", "conn", c.id, "remote", c.remote, "queued_bytes", queued)
		c.Close(ErrSlowConsumer.Error())
		return ErrSlowConsumer
	}
	c.enqueueLocked(frame, cost)
	return nil
}

// lockForFrame refuses a frame above MaxSendFrame or a connection that is
// closing; otherwise it returns the frame's cost with wmu held.
func (c *Conn) lockForFrame(frame []byte) (cost int, err error) {
	if len(frame) > c.srv.lim.MaxSendFrame {
		c.srv.metrics.Oversized.Inc()
		c.srv.refusal.warn(c.srv.log, "oversized_send", "frame too large to queue; dropped", "conn", c.id, "bytes", len(frame))
		return 0, ErrFrameTooLarge
	}
	c.wmu.Lock()
	if c.closed || c.closing {
		c.wmu.Unlock()
		return 0, ErrClosed
	}
	return c.frameCost(len(frame)), nil
}

// SendOptional queues a frame the recipient can do without (a peer's relayed
// request): above Limits.OptionalHighWater it is dropped and counted
// instead, so another user's flood can fill this client's queue only to the
// high-water mark, never to a slow-consumer disconnect (issue 5, finding 3).
func (c *Conn) SendOptional(frame []byte) error {
	cost, err := c.lockForFrame(frame)
	if err != nil {
		return err
	}
	if c.queued+cost > c.srv.lim.OptionalHighWater {
		c.wmu.Unlock()
		c.srv.metrics.OptionalDrops.Inc()
		return ErrQueueHigh
	}
	c.enqueueLocked(frame, cost)
	return nil
}

// enqueueLocked appends and starts the writer if none runs; it unlocks wmu.
func (c *Conn) enqueueLocked(frame []byte, cost int) {
	c.queue = append(c.queue, frame)
	c.queued += cost
	start := !c.writing
	c.writing = true
	c.wmu.Unlock()
	if start {
		go c.writeLoop()
	}
}

// writeLoop drains the queue with one vectored write per batch and exits
// when the queue is empty, so idle connections have no writer goroutine.
func (c *Conn) writeLoop() {
	for {
		c.wmu.Lock()
		batch := c.queue
		sealer, plain := c.sealer, c.plain
		c.queue = nil
		c.queued = 0
		c.plain = 0
		if len(batch) == 0 || c.closed {
			c.writing = false
			closing := c.closing && !c.closed
			why := c.closeWhy
			c.wmu.Unlock()
			if closing {
				c.Close(why)
			}
			return
		}
		c.wmu.Unlock()
		if sealer != nil {
			batch = c.seal(sealer, batch, plain)
		}
		bufs := net.Buffers(batch)
		_ = c.nc.SetWriteDeadline(time.Now().Add(c.srv.lim.WriteTimeout))
		if _, err := bufs.WriteTo(c.nc); err != nil {
			c.Close("write: " + err.Error())
			c.wmu.Lock()
			c.writing = false
			c.wmu.Unlock()
			return
		}
	}
}

// CloseReason returns why the connection was closed or is closing.
func (c *Conn) CloseReason() string {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return c.closeWhy
}

// CloseAfterFlush sends what is queued, then closes: used after login
// refusals and kicks so the client reads the reason before EOF.
func (c *Conn) CloseAfterFlush(reason string) {
	c.wmu.Lock()
	if c.closed || c.closing {
		c.wmu.Unlock()
		return
	}
	c.closing = true
	c.closeWhy = reason
	idle := !c.writing
	c.wmu.Unlock()
	if idle {
		c.Close(reason)
	}
}

// Close closes the socket at once; the handler then sees a read error and
// returns. Safe from any goroutine and with the protocol's locks held (it
// takes only the connection's lock and leaf locks). The connection's slots
// under the caps are freed before the socket closes, so a peer that reads
// EOF may connect again at once.
func (c *Conn) Close(reason string) {
	c.wmu.Lock()
	if c.closed {
		c.wmu.Unlock()
		return
	}
	c.closed = true
	if c.closeWhy == "" {
		c.closeWhy = reason
	}
	c.queue = nil
	c.queued = 0
	loggedIn := c.loggedIn
	c.wmu.Unlock()
	c.srv.release(c, loggedIn)
	_ = c.nc.Close()
}

// Closing reports whether the connection is closed or closing after a
// flush; its reader then stops handling messages.
func (c *Conn) Closing() bool {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return c.closed || c.closing
}
