package wpnserver

import (
	"fmt"

	"github.com/revival-net/revival/wpn"
)

// pmOrigin is where a delivered PM's receipt goes: the sender (local or
// through the mesh) and the recipient as the sender named it.
type pmOrigin struct {
	seq    uint64
	target wpn.Target
	reply  func(wpn.Packet)
}

// handlePM routes 0x13EC (wpn.md §3.9): a local recipient gets 0x13F6
// with a fresh 12-character id, and its 0x144F receipt comes back to the
// sender as 0x13ED; an unknown or unreachable recipient gets the sender
// an immediate "User is Ofline" (WinMX has no offline messages).
func (s *Server) handlePM(ss *session, p *wpn.PrivateMessage) {
	if !ss.messages.Allow(s.lim.Messages, s.now()) {
		s.metrics.flood.WithLabelValues("pm").Inc()
		ss.send(&wpn.PMStatus{Target: p.Target, Status: wpn.PMOffline})
		return
	}
	r := s.resolve(ss, p.Target)
	if r.local == nil {
		if !s.forward(ss, r, p) {
			ss.send(&wpn.PMStatus{Target: p.Target, Status: wpn.PMOffline})
		}
		return
	}
	reply := func(pk wpn.Packet) { ss.send(pk) }
	s.deliverPM(r.local, p.Target, ss.origin(), p.Text, reply)
}

// deliverPM gives a local secondary a PM from `from` and remembers where
// its receipt goes (the mesh will call it for PMs from other primaries).
func (s *Server) deliverPM(to *session, target wpn.Target, from Origin, text string, reply func(wpn.Packet)) {
	to.mu.Lock()
	if to.pms == nil { // logged out
		to.mu.Unlock()
		reply(&wpn.PMStatus{Target: target, Status: wpn.PMOffline})
		return
	}
	to.pmSeq++
	var id [wpn.MessageIDSize]byte
	copy(id[:], fmt.Sprintf("%012x", to.pmSeq))
	var evicted *pmOrigin
	if len(to.pms) >= s.lim.MaxPendingPMs {
		// A recipient that never acknowledges: the oldest receipt is
		// given up. Its PM was queued to the recipient, so its sender
		// is told SENT rather than left waiting.
		oldest := ""
		for k, o := range to.pms {
			if oldest == "" || o.seq < to.pms[oldest].seq {
				oldest = k
			}
		}
		o := to.pms[oldest]
		evicted = &o
		delete(to.pms, oldest)
	}
	to.pms[string(id[:])] = pmOrigin{seq: to.pmSeq, target: target, reply: reply}
	to.mu.Unlock()
	if evicted != nil {
		evicted.reply(&wpn.PMStatus{Target: evicted.target, Status: wpn.PMSent})
	}
	to.send(&wpn.IncomingPM{ID: id, Target: wpn.Target{Handle: from.Handle.String(), Name: from.Name}, Text: text})
	s.metrics.pms.Inc()
}

// handlePMReceipt passes a recipient's 0x144F status ("SENT" or its
// ignore/away text) back to the PM's sender as 0x13ED.
func (s *Server) handlePMReceipt(ss *session, p *wpn.PMReceipt) {
	ss.mu.Lock()
	o, ok := ss.pms[string(p.ID[:])]
	if ok {
		delete(ss.pms, string(p.ID[:]))
	}
	ss.mu.Unlock()
	if !ok {
		return // unknown or already answered: nothing to pass on
	}
	status := p.Status
	if status == "" {
		status = wpn.PMSent
	}
	o.reply(&wpn.PMStatus{Target: o.target, Status: clip(status, 256)})
}

// failPMs tells the senders of PMs a leaving secondary never
// acknowledged that it went offline.
func failPMs(ss *session) {
	ss.mu.Lock()
	pms := ss.pms
	ss.pms = nil
	ss.mu.Unlock()
	for _, o := range pms {
		o.reply(&wpn.PMStatus{Target: o.target, Status: wpn.PMOffline})
	}
}
