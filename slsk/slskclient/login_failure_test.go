package slskclient

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/revival-net/revival/internal/wire"
	"github.com/revival-net/revival/slsk"
)

// fakeServer is a hand-driven Soulseek server socket: the test sees every
// message the client sends and writes what a server would.
type fakeServer struct {
	t    *testing.T
	addr string
	conn chan net.Conn           // the accepted connection, once
	msgs chan slsk.ServerMessage // what the client sent, in order
}

func startFakeServer(t *testing.T) *fakeServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	f := &fakeServer{t: t, addr: ln.Addr().String(), conn: make(chan net.Conn, 1), msgs: make(chan slsk.ServerMessage, 1000)}
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		t.Cleanup(func() { c.Close() })
		f.conn <- c
		fr := wire.NewFrameReader(c, 1<<20)
		for {
			body, err := fr.Next()
			if err != nil {
				close(f.msgs)
				return
			}
			if m, err := slsk.DecodeServerRequest(body); err == nil {
				f.msgs <- m
			}
		}
	}()
	return f
}

// next returns the next message the client sent that ok accepts.
func (f *fakeServer) next(ok func(slsk.ServerMessage) bool) slsk.ServerMessage {
	f.t.Helper()
	timer := time.NewTimer(testTimeout)
	defer timer.Stop()
	for {
		select {
		case m, open := <-f.msgs:
			if !open {
				f.t.Fatal("the client closed the server connection")
			}
			if ok(m) {
				return m
			}
		case <-timer.C:
			f.t.Fatal("timed out waiting for a client message")
		}
	}
}

func isLogin(m slsk.ServerMessage) bool { _, ok := m.(*slsk.Login); return ok }

// send writes server messages to the client.
func (f *fakeServer) send(c net.Conn, ms ...slsk.ServerMessage) {
	f.t.Helper()
	var buf []byte
	for _, m := range ms {
		buf = slsk.AppendServerFrame(buf, m)
	}
	c.SetWriteDeadline(time.Now().Add(testTimeout))
	if _, err := c.Write(buf); err != nil {
		f.t.Fatal(err)
	}
}

// accepted returns the client's connection.
func (f *fakeServer) accepted() net.Conn {
	f.t.Helper()
	select {
	case c := <-f.conn:
		return c
	case <-time.After(testTimeout):
		f.t.Fatal("the client did not connect")
	}
	return nil
}

// loginOK logs c in through the fake server.
func (f *fakeServer) loginOK(c *Client, user string) net.Conn {
	f.t.Helper()
	done := make(chan error, 1)
	go func() {
		_, err := c.Login(testCtx(f.t), user, "pw")
		done <- err
	}()
	conn := f.accepted()
	f.next(isLogin)
	f.send(conn, &slsk.LoginReply{Success: true, Greeting: "hi", IP: netip.MustParseAddr("127.0.0.1")})
	if err := <-done; err != nil {
		f.t.Fatal(err)
	}
	return conn
}

// TestLoginFailureEndsClient checks review finding 12: a Login whose ctx
// ends before the server answers leaves no user name behind and ends the
// client, so a retry fails at once instead of reporting "already logged
// in" or waiting for a second answer the server will not send.
func TestLoginFailureEndsClient(t *testing.T) {
	f := startFakeServer(t)
	c, err := Dial(testCtx(t), f.addr, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	ctx, cancel := context.WithCancel(testCtx(t))
	done := make(chan error, 1)
	go func() {
		_, err := c.Login(ctx, "alice", "pw")
		done <- err
	}()
	f.next(isLogin) // the server never answers
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("Login = %v, want context.Canceled", err)
	}
	if u := c.Username(); u != "" {
		t.Errorf("Username after a failed login = %q, want \"\"", u)
	}
	select {
	case <-c.Done():
	case <-time.After(testTimeout):
		t.Fatal("the client did not end after the failed login")
	}
	if err := c.Err(); !errors.Is(err, context.Canceled) {
		t.Errorf("Err = %v, want the login failure", err)
	}
	_, err = c.Login(testCtx(t), "alice", "pw")
	if err == nil || errors.Is(err, errLoggedIn) {
		t.Errorf("second Login = %v, want the client's failure", err)
	}
}
