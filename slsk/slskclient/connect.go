package slskclient

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"time"

	"github.com/revival-net/revival/slsk"
)

// lateWindow is how long a finished connection attempt still recognises
// its token, so a PierceFireWall that loses the race is handled (adopted
// as an extra P reader, or closed) instead of being treated as unknown.
const lateWindow = time.Minute

// pendingConn is one outgoing connection race (spec §3.2), keyed by its
// ConnectToPeer token.
type pendingConn struct {
	user, typ string

	mu           sync.Mutex
	resolved     bool
	directFailed bool
	cantConnect  bool
	won          chan net.Conn // capacity 1: the winning socket
	failed       chan struct{} // closed when both paths failed
}

// offer hands a socket that works to the race. It returns false if the
// race is already over; the caller then disposes of the socket.
func (pc *pendingConn) offer(conn net.Conn) bool {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if pc.resolved {
		return false
	}
	pc.resolved = true
	pc.won <- conn
	return true
}

// fail records that one path failed; when both have, the race is lost.
func (pc *pendingConn) fail(direct bool) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if direct {
		pc.directFailed = true
	} else {
		pc.cantConnect = true
	}
	if pc.directFailed && pc.cantConnect && !pc.resolved {
		pc.resolved = true
		close(pc.failed)
	}
}

// connect opens a peer socket of type typ ("P" or "F") to user with the
// modern race (spec §3.2): ConnectToPeer and GetPeerAddress go to the
// server together, we dial the address directly and send PeerInit, and a
// PierceFireWall with our token on the listener is the indirect path. The
// first socket that works is returned; the loser is handled by
// disposeLoser. It fails when the direct dial failed and the server relayed
// CantConnectToPeer, or when ctx ends.
func (c *Client) connect(ctx context.Context, user, typ string) (net.Conn, error) {
	return c.connectTo(ctx, user, typ, "")
}

// connectTo is connect with the direct path dialling addr instead of
// asking the server with GetPeerAddress; addr "" means ask. PossibleParents
// carries each candidate's address, and Nicotine+ and aioslsk dial it
// without a GetPeerAddress (spec §4.2).
func (c *Client) connectTo(ctx context.Context, user, typ, addr string) (net.Conn, error) {
	token := c.nextToken()
	pc := &pendingConn{user: user, typ: typ, won: make(chan net.Conn, 1), failed: make(chan struct{})}
	c.mu.Lock()
	c.pending[token] = pc
	c.mu.Unlock()
	defer time.AfterFunc(lateWindow, func() {
		c.mu.Lock()
		delete(c.pending, token)
		c.mu.Unlock()
	})

	if err := c.send(&slsk.ConnectToPeer{Token: token, Username: user, Type: typ}); err != nil {
		pc.fail(false) // no server: only the direct path is left
	}
	started := c.spawn(func() {
		conn, err := c.dialDirect(ctx, user, typ, addr)
		if err != nil {
			c.log.Debug("slsk: direct connection failed", "user", user, "type", typ, "err", err)
			pc.fail(true)
			return
		}
		if !pc.offer(conn) {
			c.disposeLoser(conn, user, typ)
		}
	})
	if !started {
		return nil, c.failure()
	}
	select {
	case conn := <-pc.won:
		return conn, nil
	case <-pc.failed:
		return nil, fmt.Errorf("slskclient: cannot connect to %s", user)
	case <-ctx.Done():
	}
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if pc.resolved {
		select {
		case conn := <-pc.won: // won just as ctx ended
			return conn, nil
		default:
			return nil, fmt.Errorf("slskclient: cannot connect to %s", user)
		}
	}
	pc.resolved = true
	return nil, fmt.Errorf("slskclient: connecting to %s: %w", user, ctx.Err())
}

// disposeLoser handles the socket that lost a race or arrived late. A P
// socket is kept as an extra reader (the peer may send on it); F and D
// sockets are closed.
func (c *Client) disposeLoser(conn net.Conn, user, typ string) {
	if typ == slsk.ConnTypePeer {
		c.adoptPeer(conn, user)
		return
	}
	c.untrackConn(conn)
}

// peerAddress resolves user's listening address through the server
// (GetPeerAddress, spec §2 code 3).
func (c *Client) peerAddress(ctx context.Context, user string) (string, error) {
	if c.addrHook != nil {
		return c.addrHook(user)
	}
	r, err := c.GetPeerAddress(ctx, user)
	if err != nil {
		return "", err
	}
	if !r.IP.IsValid() || r.IP.IsUnspecified() || r.Port == 0 || r.Port > 65535 {
		return "", fmt.Errorf("slskclient: %s is offline or has no address", user)
	}
	return netip.AddrPortFrom(r.IP, uint16(r.Port)).String(), nil
}

// dialDirect dials user (at addr, or where the server says when addr is
// "") and sends PeerInit(self, typ, 0); Nicotine+ sends token 0 too and
// receivers ignore it (spec §3.1).
func (c *Client) dialDirect(ctx context.Context, user, typ, addr string) (net.Conn, error) {
	if addr == "" {
		var err error
		if addr, err = c.peerAddress(ctx, user); err != nil {
			return nil, err
		}
	}
	conn, err := c.dialPeerAddr(ctx, addr)
	if err != nil {
		return nil, err
	}
	if err := c.writeInit(conn, &slsk.PeerInit{Username: c.Username(), Type: typ}); err != nil {
		c.untrackConn(conn)
		return nil, err
	}
	return conn, nil
}

// dialPeerAddr dials a peer and tracks the socket, so Close ends it.
func (c *Client) dialPeerAddr(ctx context.Context, addr string) (net.Conn, error) {
	d := net.Dialer{Timeout: c.opts.DialTimeout}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	if !c.trackConn(conn) {
		return nil, c.failure()
	}
	return conn, nil
}

func (c *Client) writeInit(conn net.Conn, m slsk.InitMessage) error {
	conn.SetWriteDeadline(time.Now().Add(c.opts.WriteTimeout))
	_, err := conn.Write(slsk.AppendInitFrame(nil, m))
	return err
}

// onCantConnect handles the server's CantConnectToPeer for one of our
// races (spec §3.2 step 6).
func (c *Client) onCantConnect(token uint32) {
	c.mu.Lock()
	pc := c.pending[token]
	c.mu.Unlock()
	if pc != nil {
		pc.fail(false)
	}
}

// onConnectToPeer answers the server's ConnectToPeer: a peer could not (or
// will not only) reach us directly, so we connect to it and send
// PierceFireWall(token) (spec §3.2 step 4), or report CantConnectToPeer
// when the dial fails. It runs in a goroutine; at most cap(connectSem) at
// once, and requests beyond that are refused with CantConnectToPeer.
func (c *Client) onConnectToPeer(m *slsk.ConnectToPeerReply) {
	cant := &slsk.CantConnectToPeer{Token: m.Token, Username: m.Username}
	if m.Type == slsk.ConnTypeDistrib {
		c.onChildConnectToPeer(m) // a would-be child (distrib_children.go)
		return
	}
	if m.Type != slsk.ConnTypePeer && m.Type != slsk.ConnTypeFile {
		c.send(cant)
		return
	}
	select {
	case c.connectSem <- struct{}{}:
	default:
		c.send(cant)
		return
	}
	ok := c.spawn(func() {
		defer func() { <-c.connectSem }()
		ctx, cancel := c.peerContext(c.opts.DialTimeout)
		defer cancel()
		addr := netip.AddrPortFrom(m.IP, uint16(m.Port)).String()
		if m.Port > 65535 {
			c.send(cant)
			return
		}
		conn, err := c.dialPeerAddr(ctx, addr)
		if err == nil {
			if err = c.writeInit(conn, &slsk.PierceFirewall{Token: m.Token}); err != nil {
				c.untrackConn(conn)
			}
		}
		if err != nil {
			c.log.Debug("slsk: cannot pierce", "user", m.Username, "err", err)
			c.send(cant)
			return
		}
		if m.Type == slsk.ConnTypePeer {
			c.adoptPeer(conn, m.Username)
			return
		}
		c.serveFileConn(conn, m.Username)
	})
	if !ok {
		<-c.connectSem
	}
}

// acceptLoop accepts peer sockets until the listener closes.
func (c *Client) acceptLoop() {
	for {
		conn, err := c.ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			c.log.Debug("slsk: accept", "err", err)
			select {
			case <-c.closing:
				return
			case <-time.After(100 * time.Millisecond): // e.g. EMFILE: back off
			}
			continue
		}
		if !c.trackConn(conn) { // shut down, or too many sockets: refuse
			continue
		}
		if !c.spawn(func() { c.serveIncoming(conn) }) {
			c.untrackConn(conn)
			return
		}
	}
}

// serveIncoming reads the first frame of an accepted socket (spec §3.1)
// and hands the socket to the P reader, the file-transfer code, or the
// connection race that owns its PierceFireWall token. Sockets that send
// anything else, or nothing within PeerConnectTimeout, are closed.
func (c *Client) serveIncoming(conn net.Conn) {
	handedOff := false
	defer func() {
		if !handedOff {
			c.untrackConn(conn)
		}
	}()
	conn.SetReadDeadline(time.Now().Add(c.opts.PeerConnectTimeout))
	// Read exactly one frame, with no read-ahead, so the bytes after it
	// (a P message, or an F token) stay in the socket for the next owner.
	body, err := readFrame(conn, slsk.MaxInitFrame)
	if err != nil {
		return
	}
	m, err := slsk.DecodeInit(body)
	if err != nil {
		c.log.Debug("slsk: bad peer-init", "remote", conn.RemoteAddr(), "err", err)
		return
	}
	conn.SetReadDeadline(time.Time{})
	switch m := m.(type) {
	case *slsk.PeerInit:
		switch m.Type {
		case slsk.ConnTypePeer:
			handedOff = true
			c.adoptPeer(conn, m.Username)
		case slsk.ConnTypeFile:
			handedOff = true
			c.serveFileConn(conn, m.Username)
		case slsk.ConnTypeDistrib:
			// A would-be child (spec §4.2); refused (closed) without
			// room for it (distrib_children.go).
			handedOff = c.acceptChild(conn, m.Username)
		}
	case *slsk.PierceFirewall:
		c.mu.Lock()
		pc := c.pending[m.Token]
		c.mu.Unlock()
		if pc == nil {
			return
		}
		handedOff = true
		if !pc.offer(conn) { // connect() owns it if the offer succeeded
			c.disposeLoser(conn, pc.user, pc.typ)
		}
	}
}
