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

	"github.com/revival-net/revival/internal/logx"
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

// readPeer is the reader goroutine of one P connection. Each frame's
// code is read before its payload: a response to no request of ours, an
// unknown code or one we do not act on is skipped unread (wantPeer), so
// it costs no memory; responses count in PeerStats.Unsolicited. Skipped
// frames do not count as activity: only a known message we read resets
// the IdleTimeout deadline, so a peer cannot hold a socket open with
// junk. A malformed message we read, a frame above slsk.MaxPeerFrame (or
// its type's smaller limit) or IdleTimeout without a message ends the
// connection.
func (c *Client) readPeer(p *peerConn) {
	defer c.endPeer(p)
	br := bufio.NewReader(p.conn)
	p.conn.SetReadDeadline(time.Now().Add(c.opts.IdleTimeout))
	for {
		code, size, err := readPeerHeader(br)
		if err != nil {
			if !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) {
				c.log.Debug("slsk: peer connection ended", "user", logx.Peer(p.user), "err", err)
			}
			return
		}
		want, response := c.wantPeer(p.user, code)
		if !want {
			if response {
				c.peerIn.unsolicited.Add(1)
			}
			if _, err := io.CopyN(io.Discard, br, int64(size)); err != nil {
				return
			}
			continue
		}
		if limit := c.peerIn.frameLimit(code); size+4 > limit {
			c.log.Debug("slsk: peer frame too large; disconnecting", "user", logx.Peer(p.user), "code", code.Label(), "bytes", size+4, "limit", limit)
			return
		}
		body, err := readBody(br, code, size)
		if err != nil {
			return
		}
		m, err := c.decodePeer(p, code, body)
		if err != nil {
			c.log.Debug("slsk: malformed or refused peer message; disconnecting", "user", logx.Peer(p.user), "code", code.Label(), "err", err)
			return
		}
		if m == nil {
			continue // an answer to no request of ours
		}
		p.conn.SetReadDeadline(time.Now().Add(c.opts.IdleTimeout))
		c.handlePeer(p, m)
	}
}

// readPeerHeader reads a P frame's u32 length and u32 code (spec §1.2,
// §3.3) and returns the code and the payload size. A length above
// slsk.MaxPeerFrame or too short to hold the code is an error.
func readPeerHeader(r io.Reader) (slsk.PeerCode, uint32, error) {
	var hdr [8]byte
	if _, err := io.ReadFull(r, hdr[:4]); err != nil {
		return 0, 0, err
	}
	n := binary.LittleEndian.Uint32(hdr[:4])
	if n > slsk.MaxPeerFrame {
		return 0, 0, fmt.Errorf("%w: %d bytes, limit %d", wire.ErrFrameTooLarge, n, slsk.MaxPeerFrame)
	}
	if n < 4 {
		return 0, 0, fmt.Errorf("slsk: %d-byte peer frame has no code: %w", n, wire.ErrShort)
	}
	if _, err := io.ReadFull(r, hdr[4:]); err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return 0, 0, err
	}
	return slsk.PeerCode(binary.LittleEndian.Uint32(hdr[4:])), n - 4, nil
}

// readBody reads a payload of size bytes and returns the frame body (code
// and payload) slsk.DecodePeer takes. Like readFrame it grows as bytes
// arrive.
func readBody(r io.Reader, code slsk.PeerCode, size uint32) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(4 + int(min(size, 64<<10)))
	buf.Write(binary.LittleEndian.AppendUint32(nil, uint32(code)))
	if _, err := io.CopyN(&buf, r, int64(size)); err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	return buf.Bytes(), nil
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
