package wpnload

import (
	"context"
	"errors"
	"time"

	"github.com/revival-net/revival/wpn"
	"github.com/revival-net/revival/wpn/wpnconn"
)

// secondary is one raw logged-in secondary. Its reader drains everything
// the primary sends (so its queue never fills) and signals the answers a
// phase waits for.
type secondary struct {
	s      *wpnconn.Session
	name   string
	handle string
	hits   chan int      // hits counted between two barriers
	synced chan struct{} // a whois of itself came back: everything before was answered
}

func login(ctx context.Context, addr, base string) (*secondary, error) {
	s, err := wpnconn.Dial(ctx, addr, wpn.KeySecondaryClient)
	if err != nil {
		return nil, err
	}
	fail := func(err error) (*secondary, error) { _ = s.Close(); return nil, err }
	if err := s.Send(&wpn.Login{BaseName: base, LineType: wpn.LineDSL, TransferPort: 6699}); err != nil {
		return fail(err)
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = s.Conn.SetReadDeadline(dl)
	}
	fr := s.Frames(0)
	typ, payload, err := fr.Next()
	if err != nil {
		return fail(err)
	}
	p, err := wpn.DecodePacket(typ, payload)
	ack, ok := p.(*wpn.LoginAck)
	if err != nil || !ok {
		return fail(errors.New("the primary did not answer 0x0460 first"))
	}
	typ, payload, err = fr.Next()
	if err != nil {
		return fail(err)
	}
	p, err = wpn.DecodePacket(typ, payload)
	nl, ok := p.(*wpn.NodeList)
	if err != nil || !ok || len(nl.Nodes) == 0 {
		return fail(errors.New("no node list after 0x0460"))
	}
	_ = s.Conn.SetReadDeadline(time.Time{})
	c := &secondary{
		s:      s,
		name:   wpn.FullName(base, ack.ClientID),
		handle: wpn.Handle{IP: nl.Nodes[0].IP, UDPPort: nl.Nodes[0].UDPPort}.String(),
		hits:   make(chan int, 1),
		synced: make(chan struct{}, 1),
	}
	go c.read(fr)
	return c, nil
}

// read counts search hits and reports whois answers about itself (the
// barrier); everything else is drained.
func (c *secondary) read(fr *wpn.FrameReader) {
	hits := 0
	for {
		typ, _, err := fr.Next()
		if err != nil {
			return
		}
		switch wpn.Type(typ) {
		case wpn.TypeSearchHit:
			hits++
		case wpn.TypeWhoisReply:
			c.hits <- hits
			hits = 0
			c.synced <- struct{}{}
		}
	}
}

// barrier sends a whois of itself: the primary handles a secondary's
// packets in order, so its answer means everything before was answered.
// It returns the hits that arrived before it.
func (c *secondary) barrier(ctx context.Context) (int, error) {
	if err := c.s.Send(&wpn.Whois{Target: wpn.Target{Handle: c.handle, Name: c.name}}); err != nil {
		return 0, err
	}
	select {
	case n := <-c.hits:
		<-c.synced
		return n, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}
