package wpntest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/revival-net/revival/wpn"
	"github.com/revival-net/revival/wpn/wpnconn"
)

// Secondary is a scripted raw secondary: it sends codec packets and reads
// the primary's answers one by one.
type Secondary struct {
	T        testing.TB
	S        *wpnconn.Session
	ID       uint16 // from 0x0460
	FullName string
	Handle   string // the primary's handle as the node list told us
	fr       *wpn.FrameReader
}

// Dial completes the key exchange as a secondary, without logging in.
func (h *Harness) Dial() *Secondary {
	h.T.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	s, err := wpnconn.Dial(ctx, h.Addr, wpn.KeySecondaryClient)
	if err != nil {
		h.T.Fatalf("dial %s: %v", h.Addr, err)
	}
	h.T.Cleanup(func() { _ = s.Close() })
	return &Secondary{T: h.T, S: s, fr: s.Frames(0)}
}

// Login logs in with base name, line type DSL and transfer port 6699, as
// WinMX does (wpn.md §3.2), reads 0x0460 and the 0x03A1 node list, and
// sends the first status string.
func (h *Harness) Login(base string) *Secondary {
	h.T.Helper()
	return h.LoginWith(base, wpn.LineDSL, 6699)
}

// LoginWith logs in with a line type and transfer port (0: passive).
func (h *Harness) LoginWith(base string, line, port uint16) *Secondary {
	h.T.Helper()
	c := h.Dial()
	c.Send(&wpn.Login{BaseName: base, LineType: line, TransferPort: port})
	ack := Expect[*wpn.LoginAck](c)
	c.ID = ack.ClientID
	c.FullName = wpn.FullName(base, ack.ClientID)
	nl := Expect[*wpn.NodeList](c)
	if len(nl.Nodes) == 0 {
		h.T.Fatalf("%s: empty node list", base)
	}
	c.Handle = wpn.Handle{IP: nl.Nodes[0].IP, UDPPort: nl.Nodes[0].UDPPort}.String()
	c.Send(&wpn.Status{Status: "9006 6 of 6 available"})
	return c
}

// Send writes one packet.
func (c *Secondary) Send(p wpn.Packet) {
	c.T.Helper()
	if err := c.S.Send(p); err != nil {
		c.T.Fatalf("%s: send %T: %v", c.FullName, p, err)
	}
}

// Next reads the next packet (within Timeout); node-list keep-alives are
// returned like any other packet.
func (c *Secondary) Next() wpn.Packet {
	c.T.Helper()
	p, err := c.TryNext()
	if err != nil {
		c.T.Fatalf("%s: read: %v", c.FullName, err)
	}
	return p
}

// TryNext is Next returning the error (EOF when the primary closed).
func (c *Secondary) TryNext() (wpn.Packet, error) {
	_ = c.S.Conn.SetReadDeadline(time.Now().Add(Timeout))
	typ, payload, err := c.fr.Next()
	if err != nil {
		return nil, err
	}
	return wpn.DecodePacket(typ, payload)
}

// Expect reads the next packet and fails unless it is a T.
func Expect[T wpn.Packet](c *Secondary) T {
	c.T.Helper()
	p := c.Next()
	v, ok := p.(T)
	if !ok {
		var zero T
		c.T.Fatalf("%s: got %T %+v, want %T", c.FullName, p, p, zero)
	}
	return v
}

// Target names c as other users address it: its primary's handle and its
// full name.
func (c *Secondary) Target() wpn.Target { return wpn.Target{Handle: c.Handle, Name: c.FullName} }

// ExpectClosed reads until the primary closes the connection; any packet
// first is an error.
func (c *Secondary) ExpectClosed() {
	c.T.Helper()
	p, err := c.TryNext()
	if err == nil {
		c.T.Fatalf("%s: got %T %+v, want the connection closed", c.FullName, p, p)
	}
	var ne interface{ Timeout() bool }
	if errors.As(err, &ne) && ne.Timeout() {
		c.T.Fatalf("%s: timed out waiting for the close", c.FullName)
	}
}

// String names the secondary in failures.
func (c *Secondary) String() string { return fmt.Sprintf("secondary %s", c.FullName) }
