package slskclient

import (
	"context"
	"crypto/rand"
	"encoding/binary"
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

// errPeerOffline is the direct path's failure when the server gives the
// user's address as 0.0.0.0:0, its answer for offline and unknown users
// (spec §2 code 3). Nobody can then answer our ConnectToPeer either, so it
// fails both paths of the race at once.
var errPeerOffline = errors.New("slskclient: user is offline or has no address")

// pendingConn is one outgoing connection race (spec §3.2), keyed by its
// ConnectToPeer token.
type pendingConn struct {
	user, typ string

	mu           sync.Mutex
	ip           netip.Addr // the user's IP once known; a pierce must come from it
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

// expect records the address the direct path dials: the user's own, as
// the server reported it (or PossibleParents carried it).
func (pc *pendingConn) expect(addr string) {
	ap, err := netip.ParseAddrPort(addr)
	if err != nil {
		return
	}
	pc.mu.Lock()
	pc.ip = ap.Addr().Unmap()
	pc.mu.Unlock()
}

// admits reports whether a PierceFireWall from ip may belong to this race:
// the user connects back from the address the server knows for it, so
// once we know that address, a pierce from anywhere else is someone
// guessing our token. Before the address is known the random token alone
// has to do.
func (pc *pendingConn) admits(ip netip.Addr) bool {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	return !pc.ip.IsValid() || pc.ip == ip.Unmap()
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
	pc := &pendingConn{user: user, typ: typ, won: make(chan net.Conn, 1), failed: make(chan struct{})}
	token := c.addPending(pc)
	defer time.AfterFunc(lateWindow, func() {
		c.mu.Lock()
		delete(c.pending, token)
		c.mu.Unlock()
	})

	if err := c.send(&slsk.ConnectToPeer{Token: token, Username: user, Type: typ}); err != nil {
		pc.fail(false) // no server: only the direct path is left
	}
	started := c.spawn(func() {
		conn, err := c.dialDirect(ctx, pc, addr)
		if err != nil {
			c.log.Debug("slsk: direct connection failed", "user", user, "type", typ, "err", err)
			pc.fail(true)
			if errors.Is(err, errPeerOffline) {
				pc.fail(false) // no one will answer ConnectToPeer
			}
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

// addPending registers a race under a fresh random token and returns the
// token. Tokens are random 31-bit numbers, not the shared counter: a peer
// that saw one of our race tokens must not be able to guess the next one
// and win our race to another user with PierceFireWall(token+k) (spec
// §3.2 step 4 names the pending request by its token alone). The top bit
// stays clear for peers that read the token as a signed integer.
func (c *Client) addPending(pc *pendingConn) uint32 {
	c.mu.Lock()
	defer c.mu.Unlock()
	for {
		var b [4]byte
		rand.Read(b[:]) // never fails (crypto/rand)
		token := binary.LittleEndian.Uint32(b[:]) & 0x7fffffff
		if _, taken := c.pending[token]; token != 0 && !taken {
			c.pending[token] = pc
			return token
		}
	}
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
	if offline(r.IP, r.Port) {
		return "", fmt.Errorf("%w: %s", errPeerOffline, user)
	}
	return netip.AddrPortFrom(r.IP, uint16(r.Port)).String(), nil
}

// offline reports whether ip:port is the address the server gives for a
// user that is not online (0.0.0.0, port 0; spec §2 code 3), or one no
// peer can listen on.
func offline(ip netip.Addr, port uint32) bool {
	return !ip.IsValid() || ip.IsUnspecified() || port == 0 || port > 65535
}

// dialDirect dials pc's user (at addr, or where the server says when addr
// is "") and sends PeerInit(self, type, 0); Nicotine+ sends token 0 too
// and receivers ignore it (spec §3.1). The address becomes the one pc
// expects pierces from.
func (c *Client) dialDirect(ctx context.Context, pc *pendingConn, addr string) (net.Conn, error) {
	if addr == "" {
		var err error
		if addr, err = c.peerAddress(ctx, pc.user); err != nil {
			return nil, err
		}
	} else if ap, err := netip.ParseAddrPort(addr); err == nil && offline(ap.Addr(), uint32(ap.Port())) {
		return nil, fmt.Errorf("%w: %s", errPeerOffline, pc.user)
	}
	pc.expect(addr)
	conn, err := c.dialPeerAddr(ctx, addr)
	if err != nil {
		return nil, err
	}
	if err := c.writeInit(conn, &slsk.PeerInit{Username: c.Username(), Type: pc.typ}); err != nil {
		c.untrackConn(conn)
		return nil, err
	}
	return conn, nil
}

// dialPeerAddr dials a peer and tracks the socket, so Close ends it. It
// fails with ErrTooManyConns when Options.MaxPeerConns sockets are open.
func (c *Client) dialPeerAddr(ctx context.Context, addr string) (net.Conn, error) {
	d := net.Dialer{Timeout: c.opts.DialTimeout}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	if err := c.trackConn(conn, false); err != nil {
		return nil, err
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
		if offline(m.IP, m.Port) {
			c.send(cant)
			return
		}
		addr := netip.AddrPortFrom(m.IP, uint16(m.Port)).String()
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
		// Shut down, too many sockets, or too many from this host:
		// refuse (trackConn closes it).
		if err := c.trackConn(conn, true); err != nil {
			c.log.Debug("slsk: refusing peer socket", "remote", conn.RemoteAddr(), "err", err)
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
		if !pc.admits(remoteHost(conn)) {
			c.log.Debug("slsk: PierceFireWall from the wrong address", "user", pc.user, "remote", conn.RemoteAddr())
			return
		}
		handedOff = true
		if !pc.offer(conn) { // connect() owns it if the offer succeeded
			c.disposeLoser(conn, pc.user, pc.typ)
		}
	}
}
