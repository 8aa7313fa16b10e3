package slskclient

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/revival-net/revival/internal/wire"
	"github.com/revival-net/revival/slsk"
)

// errPeerClosed is returned when sending on a P connection that ended.
var errPeerClosed = errors.New("slskclient: peer connection closed")

// peerConn is an established P connection (spec §3.3). Any goroutine may
// send on it; one goroutine reads it.
type peerConn struct {
	c    *Client
	conn net.Conn
	user string
	wmu  sync.Mutex
	dead atomic.Bool
}

// send writes one peer message, bounded by Options.WriteTimeout. A failed
// write closes the connection so the next send reconnects.
func (p *peerConn) send(m slsk.PeerMessage) error {
	frame := slsk.AppendPeerFrame(nil, m)
	p.wmu.Lock()
	defer p.wmu.Unlock()
	if p.dead.Load() {
		return errPeerClosed
	}
	p.conn.SetWriteDeadline(time.Now().Add(p.c.opts.WriteTimeout))
	if _, err := p.conn.Write(frame); err != nil {
		p.dead.Store(true)
		p.conn.Close()
		return fmt.Errorf("slskclient: writing to %s: %w", p.user, err)
	}
	return nil
}

// adoptPeer takes an initialised P socket (we sent or received PeerInit or
// PierceFireWall) and starts its reader. It becomes the socket we send to
// user on unless a live one is registered already; either way it is read,
// because the peer may send on any socket it opened (spec §3.2: Nicotine+
// sent QueueUpload on the socket it had pierced).
func (c *Client) adoptPeer(conn net.Conn, user string) *peerConn {
	p := &peerConn{c: c, conn: conn, user: user}
	if c.trackConn(conn, false) != nil {
		p.dead.Store(true)
		return p
	}
	c.mu.Lock()
	if old := c.peers[user]; old == nil || old.dead.Load() {
		c.peers[user] = p
	}
	c.peerReaders[user]++
	c.mu.Unlock()
	if !c.spawn(func() { c.readPeer(p) }) {
		p.dead.Store(true)
		c.endPeer(p)
	}
	return p
}

// endPeer forgets a P connection whose reader ended. When it was the last
// P connection of its user, the user's waiting uploads are dropped: a
// downloader that is gone cannot take them, and they must not hold
// queue places meanwhile (its QueueUpload is sent again on reconnect).
func (c *Client) endPeer(p *peerConn) {
	p.dead.Store(true)
	c.mu.Lock()
	if c.peers[p.user] == p {
		delete(c.peers, p.user)
	}
	c.peerReaders[p.user]--
	last := c.peerReaders[p.user] <= 0
	if last {
		delete(c.peerReaders, p.user)
	}
	c.mu.Unlock()
	c.untrackConn(p.conn)
	if last {
		c.dropUploads(p.user, errPeerGone)
	}
}

// readPeer is the reader goroutine of one P connection. Unknown codes are
// skipped, as clients do, but they do not count as activity: only a known
// message resets the IdleTimeout deadline, so a peer cannot hold a socket
// open with junk. A malformed known message, a frame above
// slsk.MaxPeerFrame or IdleTimeout without a known message ends the
// connection.
func (c *Client) readPeer(p *peerConn) {
	defer c.endPeer(p)
	br := bufio.NewReader(p.conn)
	p.conn.SetReadDeadline(time.Now().Add(c.opts.IdleTimeout))
	for {
		body, err := readFrame(br, slsk.MaxPeerFrame)
		if err != nil {
			if !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) {
				c.log.Debug("slsk: peer connection ended", "user", p.user, "err", err)
			}
			return
		}
		m, err := slsk.DecodePeer(body)
		if err != nil {
			if errors.Is(err, slsk.ErrUnknownCode) {
				continue
			}
			c.log.Debug("slsk: malformed peer message; disconnecting", "user", p.user, "err", err)
			return
		}
		p.conn.SetReadDeadline(time.Now().Add(c.opts.IdleTimeout))
		c.handlePeer(p, m)
	}
}

// readFrame reads one u32-length-prefixed frame. The body grows as bytes
// actually arrive, so a peer that announces a large frame and sends
// nothing costs no memory.
func readFrame(r io.Reader, max uint32) ([]byte, error) {
	var hdr [4]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, err
	}
	n := binary.LittleEndian.Uint32(hdr[:])
	if n > max {
		return nil, fmt.Errorf("%w: %d bytes, limit %d", wire.ErrFrameTooLarge, n, max)
	}
	var buf bytes.Buffer
	if n <= 64<<10 {
		buf.Grow(int(n))
	}
	if _, err := io.CopyN(&buf, r, int64(n)); err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	return buf.Bytes(), nil
}

// dialCall is one connection attempt to a user that concurrent senders
// share.
type dialCall struct {
	done chan struct{}
	p    *peerConn
	err  error
}

// peer returns the P connection to user, opening one with the race of
// spec §3.2 if there is none. Concurrent callers share one attempt, which
// runs on the client's lifetime (bounded by PeerConnectTimeout) so one
// caller giving up does not fail the others.
func (c *Client) peer(ctx context.Context, user string) (*peerConn, error) {
	c.mu.Lock()
	if p := c.peers[user]; p != nil && !p.dead.Load() {
		c.mu.Unlock()
		return p, nil
	}
	d := c.dialing[user]
	if d == nil {
		d = &dialCall{done: make(chan struct{})}
		c.dialing[user] = d
		c.mu.Unlock()
		if !c.spawn(func() { c.dialPeer(user, d) }) {
			// Shutting down: end the attempt here, so no later caller
			// finds it in c.dialing and waits for a done that never
			// comes.
			d.err = c.failure()
			c.mu.Lock()
			if c.dialing[user] == d {
				delete(c.dialing, user)
			}
			c.mu.Unlock()
			close(d.done)
			return nil, d.err
		}
	} else {
		c.mu.Unlock()
	}
	select {
	case <-d.done:
		return d.p, d.err
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-c.closing:
		return nil, c.failure()
	}
}

func (c *Client) dialPeer(user string, d *dialCall) {
	ctx, cancel := c.peerContext(c.opts.PeerConnectTimeout)
	defer cancel()
	conn, err := c.connect(ctx, user, slsk.ConnTypePeer)
	if err == nil {
		d.p = c.adoptPeer(conn, user)
		if d.p.dead.Load() {
			d.p, err = nil, c.failure()
		}
	}
	d.err = err
	c.mu.Lock()
	delete(c.dialing, user)
	c.mu.Unlock()
	close(d.done)
}

// sendPeer sends m to user over the P connection, connecting if needed.
// If the registered connection turns out to be dead, it retries once on a
// fresh one.
func (c *Client) sendPeer(ctx context.Context, user string, m slsk.PeerMessage) error {
	var err error
	for range 2 {
		var p *peerConn
		p, err = c.peer(ctx, user)
		if err != nil {
			return err
		}
		if err = p.send(m); err == nil {
			return nil
		}
	}
	return err
}
