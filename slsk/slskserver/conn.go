package slskserver

import (
	"net/netip"

	"github.com/revival-net/revival/internal/netconn"
	"github.com/revival-net/revival/slsk"
)

// conn is one client connection: the connection layer's Conn (write queue,
// deadlines, slow-consumer rule, see internal/netconn) with the Soulseek
// server's names. Its reader goroutine (Server.serveConn) owns decoding and
// handling; any goroutine may queue frames with send.
type conn struct {
	s      *Server
	nc     *netconn.Conn
	id     uint64
	remote netip.Addr
}

// sendFrame queues an encoded frame; it never blocks. A client that does
// not drain its queue is disconnected; one large frame is not a backlog
// (netconn.Conn.Send). frame must not be modified afterwards; the same
// slice is queued to every recipient of a broadcast.
func (c *conn) sendFrame(frame []byte) { _ = c.nc.Send(frame) }

// sendOptional queues a frame the client can do without (a relayed peer
// request); it is dropped, not the client, when the queue is high.
func (c *conn) sendOptional(frame []byte) bool { return c.nc.SendOptional(frame) == nil }

// send encodes m and queues it.
func (c *conn) send(m slsk.ServerMessage) {
	c.s.metrics.out(m.ServerCode())
	c.sendFrame(slsk.AppendServerFrame(nil, m))
}

// closeAfterFlush sends what is queued, then closes: used after Relogged
// and login refusals so the client reads the reason before EOF.
func (c *conn) closeAfterFlush(reason string) { c.nc.CloseAfterFlush(reason) }

// close closes the socket at once; the reader goroutine then sees an error
// and runs the session clean-up. Safe to call from any goroutine, and with
// Server.mu held (it takes only the connection's lock and leaf locks).
func (c *conn) close(reason string) { c.nc.Close(reason) }

// isClosing reports whether the connection is closed or closing after a
// flush (Relogged, a kick): its reader then stops handling messages, so a
// replaced session cannot change shared state any more.
func (c *conn) isClosing() bool { return c.nc.Closing() }
