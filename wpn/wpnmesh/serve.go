package wpnmesh

import (
	"math/rand/v2"
	"time"

	"github.com/revival-net/revival/internal/netconn"
	"github.com/revival-net/revival/wpn"
	"github.com/revival-net/revival/wpn/wpnconn"
)

// ServeLink serves a primary link the primary's listener accepted (key
// block 0x50, wpn.md §4.1): another Revival primary, or a room lister
// that only listens for 0x4E queries.
func (m *Mesh) ServeLink(c *netconn.Conn, in wpnconn.Opening) {
	if m.srv.Load() == nil {
		return
	}
	dec, err := wpnconn.RespondStream(c, in)
	if err != nil {
		return
	}
	_ = c.SetReadDeadline(time.Time{})
	l := newIncomingLink(m, c)
	if !m.addLink(l) {
		m.metrics.drops.WithLabelValues("links_full").Inc()
		return
	}
	l.run(wpnconn.NewCipherReader(c, dec))
}

// dialLoop keeps a link to addr up: dial, serve until the link drops,
// wait (doubling from DialBackoff to MaxDialBackoff, with jitter; reset
// after a link that lasted), dial again.
func (m *Mesh) dialLoop(addr string) {
	backoff := m.lim.DialBackoff
	for m.ctx.Err() == nil {
		if m.srv.Load() != nil {
			began := time.Now()
			if s, err := wpnconn.Dial(m.ctx, addr, wpn.KeyPrimaryClient); err != nil {
				m.log.Debug("mesh dial failed", "peer", addr, "err", err)
			} else {
				l := newOutgoingLink(m, s)
				if m.addLink(l) {
					m.log.Info("mesh link up", "peer", addr)
					m.wg.Go(l.writeLoop)
					l.run(s.Stream())
					m.log.Info("mesh link down", "peer", addr)
				} else {
					_ = s.Close()
				}
				if time.Since(began) > m.lim.MaxDialBackoff {
					backoff = m.lim.DialBackoff
				}
			}
		}
		wait := backoff/2 + rand.N(backoff/2+1)
		backoff = min(2*backoff, m.lim.MaxDialBackoff)
		t := time.NewTimer(wait)
		select {
		case <-m.ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}
