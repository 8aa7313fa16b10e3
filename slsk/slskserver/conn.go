package slskserver

import (
	"errors"
	"net"
	"net/netip"
	"sync"
	"time"

	"github.com/revival-net/revival/slsk"
)

// conn is one client connection. Its reader goroutine (Server.serveConn)
// owns decoding and handling; any goroutine may queue frames with send.
type conn struct {
	s      *Server
	nc     net.Conn
	id     uint64
	remote netip.Addr

	wmu      sync.Mutex
	queue    [][]byte // frames waiting for the writer, shared read-only between recipients
	queued   int      // bytes in queue
	writing  bool     // a writer goroutine is draining queue
	closing  bool     // close once the queue is drained (after Relogged, a refusal)
	closed   bool
	closeWhy string
}

// errSlowConsumer is the close reason of a client that does not read.
var errSlowConsumer = errors.New("slow consumer: write queue full")

// sendFrame queues an encoded frame. It never blocks: frames fan out from
// other users' goroutines, which must not wait for this client. When the
// client falls more than MaxQueueBytes behind, it is disconnected (style
// §3.3, nats' slow consumer). frame must not be modified afterwards; the
// same slice is queued to every recipient of a broadcast.
func (c *conn) sendFrame(frame []byte) {
	c.wmu.Lock()
	if c.closed || c.closing {
		c.wmu.Unlock()
		return
	}
	if queued := c.queued; queued+len(frame) > c.s.opts.Limits.MaxQueueBytes {
		c.wmu.Unlock()
		c.s.metrics.slowConsumers.Inc()
		c.s.log.Warn("disconnecting slow consumer", "conn", c.id, "remote", c.remote, "queued_bytes", queued)
		c.close(errSlowConsumer.Error())
		return
	}
	c.queue = append(c.queue, frame)
	c.queued += len(frame)
	start := !c.writing
	c.writing = true
	c.wmu.Unlock()
	if start {
		go c.writeLoop()
	}
}

// send encodes m and queues it.
func (c *conn) send(m slsk.ServerMessage) {
	c.s.metrics.out(m.ServerCode())
	c.sendFrame(slsk.AppendServerFrame(nil, m))
}

// writeLoop drains the queue with one vectored write per batch and exits
// when the queue is empty, so idle connections have no writer goroutine.
func (c *conn) writeLoop() {
	for {
		c.wmu.Lock()
		batch := c.queue
		c.queue = nil
		c.queued = 0
		if len(batch) == 0 || c.closed {
			c.writing = false
			closing := c.closing && !c.closed
			c.wmu.Unlock()
			if closing {
				c.close(c.closeReason())
			}
			return
		}
		c.wmu.Unlock()
		bufs := net.Buffers(batch)
		_ = c.nc.SetWriteDeadline(time.Now().Add(c.s.opts.Limits.WriteTimeout))
		if _, err := bufs.WriteTo(c.nc); err != nil {
			c.close("write: " + err.Error())
			c.wmu.Lock()
			c.writing = false
			c.wmu.Unlock()
			return
		}
	}
}

func (c *conn) closeReason() string {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return c.closeWhy
}

// closeAfterFlush sends what is queued, then closes: used after Relogged
// and login refusals so the client reads the reason before EOF.
func (c *conn) closeAfterFlush(reason string) {
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
		c.close(reason)
	}
}

// close closes the socket at once; the reader goroutine then sees an error
// and runs the session clean-up. Safe to call from any goroutine, and with
// Server.mu held (it takes only c.wmu).
func (c *conn) close(reason string) {
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
	c.wmu.Unlock()
	_ = c.nc.Close()
}

// isClosing reports whether the connection is closed or closing after a
// flush (Relogged, a kick): its reader then stops handling messages, so a
// replaced session cannot change shared state any more.
func (c *conn) isClosing() bool {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return c.closed || c.closing
}
