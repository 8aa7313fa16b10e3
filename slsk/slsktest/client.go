package slsktest

import (
	"crypto/md5"
	"encoding/hex"
	"errors"
	"io"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/revival-net/revival/internal/wire"
	"github.com/revival-net/revival/slsk"
)

// Timeout bounds every wait for a message; tests never sleep.
var Timeout = 10 * time.Second

// Client is a scripted raw-protocol client: it sends codec messages and
// checks what the server answers, message by message.
type Client struct {
	T    testing.TB
	Name string
	Conn net.Conn
	fr   *wire.FrameReader
}

// CmpOptions compare decoded messages: netip.Addr by value, nil and empty
// slices as equal.
var CmpOptions = cmp.Options{cmpopts.EquateComparable(netip.Addr{}), cmpopts.EquateEmpty()}

// Dial opens a connection without logging in.
func (h *Harness) Dial() *Client {
	h.T.Helper()
	nc, err := net.DialTimeout("tcp", h.Addr, Timeout)
	if err != nil {
		h.T.Fatalf("dial %s: %v", h.Addr, err)
	}
	c := &Client{T: h.T, Conn: nc, fr: wire.NewFrameReader(nc, 16<<20)}
	h.T.Cleanup(func() { _ = nc.Close() })
	return c
}

// Password is the password Login uses for name.
func Password(name string) string { return "pw-" + name }

// LoginMessage is the Login a Nicotine+ 3.4 client sends (spec §1.3).
func LoginMessage(name, password string) *slsk.Login {
	sum := md5.Sum([]byte(name + password))
	return &slsk.Login{Username: name, Password: password, Major: 160, Hash: hex.EncodeToString(sum[:]), Minor: 3}
}

// Login dials, logs in as name (registering it on first use), sends
// SetWaitPort like real clients, and reads everything up to the last
// post-login message (ExcludedSearchPhrases, spec §1.5), so the script
// starts from a quiet connection.
func (h *Harness) Login(name string) *Client {
	h.T.Helper()
	c := h.Dial()
	c.Name = name
	c.Send(LoginMessage(name, Password(name)))
	c.Send(&slsk.SetWaitPort{Port: 2234})
	m := c.Next()
	lr, ok := m.(*slsk.LoginReply)
	if !ok || !lr.Success {
		h.T.Fatalf("%s: login failed: %#v", name, m)
	}
	c.SkipUntil(slsk.CodeExcludedSearchPhrases)
	return c
}

// Send writes one message.
func (c *Client) Send(m slsk.ServerMessage) {
	c.T.Helper()
	c.SendRaw(slsk.AppendServerFrame(nil, m))
}

// SendRaw writes bytes as they are (for malformed-input tests).
func (c *Client) SendRaw(b []byte) {
	c.T.Helper()
	_ = c.Conn.SetWriteDeadline(time.Now().Add(Timeout))
	if _, err := c.Conn.Write(b); err != nil {
		c.T.Fatalf("%s: write: %v", c.Name, err)
	}
}

// Next reads and decodes the next message from the server.
func (c *Client) Next() slsk.ServerMessage {
	c.T.Helper()
	m, err := c.read()
	if err != nil {
		c.T.Fatalf("%s: reading next message: %v", c.Name, err)
	}
	return m
}

func (c *Client) read() (slsk.ServerMessage, error) {
	_ = c.Conn.SetReadDeadline(time.Now().Add(Timeout))
	body, err := c.fr.Next()
	if err != nil {
		return nil, err
	}
	return slsk.DecodeServerReply(body)
}

// Expect reads one message per want and compares them in order.
func (c *Client) Expect(want ...slsk.ServerMessage) {
	c.T.Helper()
	for i, w := range want {
		got := c.Next()
		if diff := cmp.Diff(w, got, CmpOptions); diff != "" {
			c.T.Fatalf("%s: message %d of %d differs (-want +got):\n%s", c.Name, i+1, len(want), diff)
		}
	}
}

// SkipUntil reads messages until one with the given code arrives, and
// returns it.
func (c *Client) SkipUntil(code slsk.ServerCode) slsk.ServerMessage {
	c.T.Helper()
	for {
		m := c.Next()
		if m.ServerCode() == code {
			return m
		}
	}
}

// Sync is a barrier: it sends ServerPing and reads until the echo, so
// everything this client sent before has been handled and every message
// the server queued for it before is returned, in order.
func (c *Client) Sync() []slsk.ServerMessage {
	c.T.Helper()
	c.Send(&slsk.ServerPing{})
	var got []slsk.ServerMessage
	for {
		m := c.Next()
		if _, ok := m.(*slsk.ServerPing); ok {
			return got
		}
		got = append(got, m)
	}
}

// ExpectNothing checks that nothing is waiting for this client: the next
// message after a ping barrier is the echo. Call it after the sender's
// Sync, so that fan-out caused by the sender has been queued.
func (c *Client) ExpectNothing() {
	c.T.Helper()
	if got := c.Sync(); len(got) > 0 {
		c.T.Fatalf("%s: expected nothing, got %d messages, first %#v", c.Name, len(got), got[0])
	}
}

// ExpectClosed reads until the server closes the connection, failing if
// that takes longer than Timeout. It returns the messages read before EOF.
func (c *Client) ExpectClosed() []slsk.ServerMessage {
	c.T.Helper()
	var got []slsk.ServerMessage
	for {
		m, err := c.read()
		if err != nil {
			// A server that drops a slow reader may cut a frame short.
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) || isReset(err) {
				return got
			}
			if errors.Is(err, slsk.ErrUnknownCode) {
				continue
			}
			c.T.Fatalf("%s: expected the server to close, got %v", c.Name, err)
		}
		got = append(got, m)
	}
}

func isReset(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && !op.Timeout()
}

// Close closes the connection.
func (c *Client) Close() { _ = c.Conn.Close() }
