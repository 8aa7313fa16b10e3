package wpnclient

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/revival-net/revival/wpn"
	"github.com/revival-net/revival/wpn/wpnconn"
)

// Options configures a secondary.
type Options struct {
	Name         string // base name, without the "_NNNNN" the primary adds (required)
	LineType     uint16 // wpn.LineDSL if zero
	TransferPort uint16 // 0: passive (no incoming transfers)
	// Status is the queue/upload status string (wpn.md §3.4), sent after
	// login, in answer to every 0x03A1 and every 30 s.
	Status string
	// AutoReply is the receipt status for incoming PMs ("" = "SENT").
	AutoReply string
}

// PM is an incoming private message; its receipt was already sent.
type PM struct {
	From wpn.Target // the sender's handle and full name
	Text string
}

// Client is a logged-in secondary. Its methods may be called from any
// goroutine; one reader goroutine matches answers to requests.
type Client struct {
	s      *wpnconn.Session
	opts   Options
	name   string // full name
	handle wpn.Handle
	pms    chan PM

	mu       sync.Mutex
	whois    map[string][]func(wpn.Packet) // by lower-cased target name, in request order
	pmStatus map[string][]chan string      // by lower-cased target name
	browses  map[string]*browse
	searches map[uint32]chan *wpn.SearchHit
	rooms    *[]wpn.RoomListEntry // collecting, until the barrier answers
	nextID   uint32
	err      error
	done     chan struct{}
}

// ErrNotFound is returned for a user the primary (and the network) does
// not know: 0x138B, 0x1BD0, or a PM status "User is Ofline".
var ErrNotFound = errors.New("wpnclient: user not found")

// Dial logs in to the primary at addr (wpn.md §3.2): key exchange, 0x03E9,
// 0x0460 (which must come first), the 0x03A1 node list whose first entry
// is this primary (its handle), and the first status string.
func Dial(ctx context.Context, addr string, opts Options) (*Client, error) {
	if opts.Name == "" {
		return nil, errors.New("wpnclient: Options.Name is required")
	}
	if opts.LineType == 0 {
		opts.LineType = wpn.LineDSL
	}
	if opts.Status == "" {
		opts.Status = "9000 0 of 0 available"
	}
	s, err := wpnconn.Dial(ctx, addr, wpn.KeySecondaryClient)
	if err != nil {
		return nil, err
	}
	fail := func(err error) (*Client, error) { _ = s.Close(); return nil, err }
	if err := s.Send(&wpn.Login{BaseName: opts.Name, LineType: opts.LineType, TransferPort: opts.TransferPort}); err != nil {
		return fail(err)
	}
	dl := time.Now().Add(wpnconn.HandshakeTimeout)
	if d, ok := ctx.Deadline(); ok && d.Before(dl) {
		dl = d
	}
	_ = s.Conn.SetReadDeadline(dl)
	fr := s.Frames(0)
	p, err := next(fr)
	if err != nil {
		return fail(fmt.Errorf("wpnclient: login: %w", err))
	}
	ack, ok := p.(*wpn.LoginAck)
	if !ok {
		return fail(fmt.Errorf("wpnclient: login: the primary answered %T, not 0x0460", p))
	}
	p, err = next(fr)
	if err != nil {
		return fail(fmt.Errorf("wpnclient: login: %w", err))
	}
	nl, ok := p.(*wpn.NodeList)
	if !ok || len(nl.Nodes) == 0 {
		return fail(fmt.Errorf("wpnclient: login: no node list after 0x0460 (got %T)", p))
	}
	_ = s.Conn.SetReadDeadline(time.Time{})
	c := &Client{
		s: s, opts: opts,
		name:     wpn.FullName(opts.Name, ack.ClientID),
		handle:   wpn.Handle{IP: nl.Nodes[0].IP, UDPPort: nl.Nodes[0].UDPPort},
		pms:      make(chan PM, 64),
		whois:    map[string][]func(wpn.Packet){},
		pmStatus: map[string][]chan string{},
		browses:  map[string]*browse{},
		searches: map[uint32]chan *wpn.SearchHit{},
		done:     make(chan struct{}),
	}
	if err := s.Send(&wpn.Status{Status: opts.Status}); err != nil {
		return fail(err)
	}
	go c.read(fr)
	go c.statusLoop()
	return c, nil
}

func next(fr *wpn.FrameReader) (wpn.Packet, error) {
	typ, payload, err := fr.Next()
	if err != nil {
		return nil, err
	}
	return wpn.DecodePacket(typ, payload)
}

// Name is the full name the primary gave ("Base_NNNNN").
func (c *Client) Name() string { return c.name }

// Handle is this primary's handle: with Name, how others address us.
func (c *Client) Handle() wpn.Handle { return c.handle }

// Target is how other users address this client.
func (c *Client) Target() wpn.Target { return wpn.Target{Handle: c.handle.String(), Name: c.name} }

// PMs delivers incoming private messages (buffered; when the buffer is
// full, messages are still acknowledged but dropped).
func (c *Client) PMs() <-chan PM { return c.pms }

// Done is closed when the connection ends; Err says why.
func (c *Client) Done() <-chan struct{} { return c.done }

// Err is why the connection ended (nil while it lasts).
func (c *Client) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// Close logs out.
func (c *Client) Close() error { return c.s.Close() }

// statusLoop sends the status string every 30 s, as independent clients
// do (wpn.md §3.2 step 9).
func (c *Client) statusLoop() {
	t := time.NewTicker(30 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-c.done:
			return
		case <-t.C:
			_ = c.s.Send(&wpn.Status{Status: c.opts.Status})
		}
	}
}

func key(name string) string { return strings.ToLower(name) }

// wait blocks until ch yields, ctx ends or the connection does.
func wait[T any](ctx context.Context, c *Client, ch <-chan T) (T, error) {
	var zero T
	select {
	case v := <-ch:
		return v, nil
	case <-ctx.Done():
		return zero, ctx.Err()
	case <-c.done:
		if err := c.Err(); err != nil {
			return zero, err
		}
		return zero, errors.New("wpnclient: connection closed")
	}
}
