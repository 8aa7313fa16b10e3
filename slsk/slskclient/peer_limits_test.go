package slskclient

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/revival-net/revival/internal/netlimit"
	"github.com/revival-net/revival/slsk"
)

// openP opens a P socket to c and waits until c serves it (a
// UserInfoRequest answered), so the socket is counted.
func openP(t *testing.T, c *Client) *rawPeer {
	t.Helper()
	p := dialRaw(t, c)
	p.write(slsk.AppendInitFrame(nil, &slsk.PeerInit{Username: "x", Type: slsk.ConnTypePeer}))
	p.write(slsk.AppendPeerFrame(nil, &slsk.UserInfoRequest{}))
	if _, ok := p.next().(*slsk.UserInfoResponse); !ok {
		t.Fatal("no UserInfoResponse")
	}
	return p
}

// served reports whether a new P socket to c is served (true) or closed
// (false).
func served(t *testing.T, c *Client) bool {
	t.Helper()
	p := dialRaw(t, c)
	defer p.conn.Close()
	p.conn.SetDeadline(time.Now().Add(testTimeout))
	p.conn.Write(slsk.AppendInitFrame(nil, &slsk.PeerInit{Username: "x", Type: slsk.ConnTypePeer}))
	p.conn.Write(slsk.AppendPeerFrame(nil, &slsk.UserInfoRequest{}))
	_, err := readFrame(p.conn, slsk.MaxPeerFrame)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatal("socket neither served nor closed")
	}
	return err == nil
}

// TestInboundConnsPerHost checks that one host cannot hold more than
// maxConnsPerHost sockets, and that closing one frees its place.
func TestInboundConnsPerHost(t *testing.T) {
	alice := newTestPeer(t, "alice", Options{})
	var held []*rawPeer
	for range maxConnsPerHost {
		held = append(held, openP(t, alice))
	}
	if served(t, alice) {
		t.Fatalf("socket %d from one host was served", maxConnsPerHost+1)
	}

	held[0].conn.Close()
	// The reader notices the close on its own time: retry until the
	// place is free (each try is a full round trip, bounded overall).
	deadline := time.Now().Add(testTimeout)
	for !served(t, alice) {
		if time.Now().After(deadline) {
			t.Fatal("a closed socket's place was never freed")
		}
	}
}

// TestOutboundReserve checks that inbound sockets cannot take the last
// tenth of MaxPeerConns, so we can still connect out, and that a dial
// past the limit fails with ErrTooManyConns, not ErrClosed.
func TestOutboundReserve(t *testing.T) {
	alice := newTestPeer(t, "alice", Options{MaxPeerConns: 10})
	alice.mu.Lock()
	alice.perHost = netlimit.NewPerIP(0) // all test sockets come from one host
	alice.mu.Unlock()
	for range 9 {
		openP(t, alice)
	}
	if served(t, alice) {
		t.Fatal("an inbound socket took the outbound reserve")
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	conn, err := alice.dialPeerAddr(testCtx(t), ln.Addr().String())
	if err != nil {
		t.Fatalf("outgoing connection with the reserve free: %v", err)
	}
	defer alice.untrackConn(conn)
	if _, err := alice.dialPeerAddr(testCtx(t), ln.Addr().String()); !errors.Is(err, ErrTooManyConns) {
		t.Errorf("dial past MaxPeerConns: %v, want ErrTooManyConns", err)
	}
}

// TestUnknownCodesDoNotKeepSocketOpen checks that frames with unknown
// codes, skipped as clients do, do not reset the idle deadline.
func TestUnknownCodesDoNotKeepSocketOpen(t *testing.T) {
	alice := newTestPeer(t, "alice", Options{IdleTimeout: 100 * time.Millisecond})
	p := dialRaw(t, alice)
	p.write(slsk.AppendInitFrame(nil, &slsk.PeerInit{Username: "x", Type: slsk.ConnTypePeer}))
	unknown := []byte{4, 0, 0, 0, 0x39, 0x05, 0, 0}
	deadline := time.Now().Add(testTimeout)
	p.conn.SetWriteDeadline(deadline)
	for {
		if _, err := p.conn.Write(unknown); err != nil {
			return // closed by alice
		}
		if time.Now().After(deadline) {
			t.Fatal("a socket sending only unknown codes was kept open")
		}
	}
}

// TestPeerAfterClose checks that peer() on a closed client fails at once
// every time, even with a context that never ends.
func TestPeerAfterClose(t *testing.T) {
	c := newTestPeer(t, "alice", Options{})
	c.Close()
	for i := range 2 {
		done := make(chan error, 1)
		go func() {
			_, err := c.peer(context.Background(), "bob")
			done <- err
		}()
		select {
		case err := <-done:
			if !errors.Is(err, ErrClosed) {
				t.Errorf("call %d: %v, want ErrClosed", i, err)
			}
		case <-time.After(testTimeout):
			t.Fatalf("call %d blocked", i)
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.dialing) != 0 {
		t.Errorf("%d connection attempts left behind", len(c.dialing))
	}
}

// pendingToken returns the token of c's race to user.
func pendingToken(t *testing.T, c *Client, user string) uint32 {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	for tok, pc := range c.pending {
		if pc.user == user {
			return tok
		}
	}
	t.Fatalf("no race to %s", user)
	return 0
}

// TestRaceTokensUnpredictable plays a peer that saw the token of our race
// to it and pierces with the next tokens, hoping to win our race to
// someone else (spec §3.2 step 4): it must not.
func TestRaceTokensUnpredictable(t *testing.T) {
	alice := newTestPeer(t, "alice", Options{})
	entered, release := make(chan string, 2), make(chan struct{})
	alice.addrHook = func(user string) (string, error) {
		entered <- user // the race is registered before its direct path starts
		<-release       // keep both races open while the attacker pierces
		return "", errors.New("no address")
	}
	ctx := testCtx(t)
	results := make(chan error, 2)
	race := func(user string) {
		conn, err := alice.connect(ctx, user, slsk.ConnTypePeer)
		if err == nil {
			conn.Close()
		}
		results <- err
	}
	go race("evil")
	<-entered
	seen := pendingToken(t, alice, "evil")
	go race("victim")
	<-entered

	for k := uint32(1); k <= 16; k++ {
		p := dialRaw(t, alice)
		p.write(slsk.AppendInitFrame(nil, &slsk.PierceFirewall{Token: seen + k}))
		p.expectClosed()
	}
	close(release)
	for range 2 {
		if err := <-results; err == nil {
			t.Error("a race was won by a guessed token")
		}
	}
}

// TestPierceFromWrongAddress checks that once the server told us a user's
// address, a PierceFireWall with the race's token from another address is
// refused, and one from the right address wins.
func TestPierceFromWrongAddress(t *testing.T) {
	alice := newTestPeer(t, "alice", Options{})
	newRace := func(addr string) (*pendingConn, uint32) {
		pc := &pendingConn{user: "bob", typ: slsk.ConnTypePeer, won: make(chan net.Conn, 1), failed: make(chan struct{})}
		tok := alice.addPending(pc)
		pc.expect(addr)
		return pc, tok
	}
	far, farTok := newRace("192.0.2.1:2234") // TEST-NET-1: never dialled
	p := dialRaw(t, alice)
	p.write(slsk.AppendInitFrame(nil, &slsk.PierceFirewall{Token: farTok}))
	p.expectClosed()
	select {
	case <-far.won:
		t.Error("a pierce from the wrong address won the race")
	default:
	}

	near, nearTok := newRace("127.0.0.1:1")
	dialRaw(t, alice).write(slsk.AppendInitFrame(nil, &slsk.PierceFirewall{Token: nearTok}))
	select {
	case conn := <-near.won:
		alice.untrackConn(conn)
	case <-time.After(testTimeout):
		t.Error("a pierce from the user's address did not win")
	}
}

// TestOfflineUserFailsFast checks that a user the server reports offline
// (GetPeerAddress 0.0.0.0:0) fails the race at once, even from a server
// that never relays CantConnectToPeer.
func TestOfflineUserFailsFast(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go answeringServer(ln, func(m slsk.ServerMessage) slsk.ServerMessage {
		if g, ok := m.(*slsk.GetPeerAddress); ok {
			return &slsk.GetPeerAddressReply{Username: g.Username, IP: netip.IPv4Unspecified()}
		}
		return nil // ConnectToPeer: never answered
	})
	ctx := testCtx(t)
	c, err := Dial(ctx, ln.Addr().String(), Options{PeerConnectTimeout: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, err = c.peer(ctx, "ghost")
	if err == nil || ctx.Err() != nil {
		t.Fatalf("peer(ghost) = %v, want a failure before the deadline", err)
	}
}

// answeringServer answers each client request on the first connection of ln
// with answer's reply, if any.
func answeringServer(ln net.Listener, answer func(slsk.ServerMessage) slsk.ServerMessage) {
	conn, err := ln.Accept()
	if err != nil {
		return
	}
	defer conn.Close()
	for {
		body, err := readFrame(conn, maxServerReply)
		if err != nil {
			return
		}
		m, err := slsk.DecodeServerRequest(body)
		if err != nil {
			continue
		}
		if r := answer(m); r != nil {
			conn.Write(slsk.AppendServerFrame(nil, r))
		}
	}
}

// TestDirectSearchOffReader checks that the obsolete direct search (spec
// §3.3 code 8) is matched off the P reader and bounded by searchSem:
// with every search slot busy it is dropped and the reader goes on.
func TestDirectSearchOffReader(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"song.mp3": "x"})
	alice := newTestPeer(t, "alice", Options{ShareDir: dir, ShareName: "S"})
	for range cap(alice.searchSem) {
		alice.searchSem <- struct{}{}
	}
	p := dialRaw(t, alice)
	p.write(slsk.AppendInitFrame(nil, &slsk.PeerInit{Username: "x", Type: slsk.ConnTypePeer}))
	p.write(slsk.AppendPeerFrame(nil, &slsk.FileSearchRequest{Token: 1, Query: "song"}))
	p.write(slsk.AppendPeerFrame(nil, &slsk.UserInfoRequest{}))
	if m, ok := p.next().(*slsk.UserInfoResponse); !ok {
		t.Fatalf("with no search slot free the next answer is %T, want UserInfoResponse", m)
	}
	for range cap(alice.searchSem) {
		<-alice.searchSem
	}
	p.write(slsk.AppendPeerFrame(nil, &slsk.FileSearchRequest{Token: 2, Query: "song"}))
	r, ok := p.next().(*slsk.FileSearchResponse)
	if !ok {
		t.Fatal("no answer to the direct search")
	}
	if diff := cmp.Diff([]slsk.File{{Code: 1, Name: `S\song.mp3`, Size: 1}}, r.Files); r.Token != 2 || diff != "" {
		t.Errorf("answer token %d, files (-want +got):\n%s", r.Token, diff)
	}
}
