package wpnserver

import (
	"github.com/revival-net/revival/wpn"
	"github.com/revival-net/revival/wpn/wpnserver/shareindex"
)

// handleBrowse answers 0x1B59 for a local user from the index: one 0x1BBC
// per file (the name after the last backslash, as WinMX shows it), then
// 0x1BC6; 0x1BD0 when the user is not here and the mesh cannot reach
// them (wpn.md §3.7). The target is never asked.
func (s *Server) handleBrowse(ss *session, p *wpn.Browse) {
	if !ss.messages.Allow(s.lim.Messages, s.now()) {
		s.metrics.flood.WithLabelValues("browse").Inc()
		ss.send(&wpn.BrowseError{Target: p.Target})
		return
	}
	r := s.resolve(ss, p.Target)
	if r.local == nil {
		if !s.forward(ss, r, p) {
			ss.send(&wpn.BrowseError{Target: p.Target})
		}
		return
	}
	s.metrics.browses.Inc()
	target := wpn.Target{Handle: p.Target.Handle, Name: r.local.fullName()}
	n := 0
	s.index.Browse(r.local.owner(), func(f *shareindex.File) bool {
		e := &wpn.BrowseEntry{Target: target, FileName: f.Path, Hash: f.Hash, Size: f.Size, Media: f.Media}
		if ss.c.Send(wpn.AppendPacket(nil, e)) != nil {
			return false
		}
		n++
		return n < s.lim.MaxBrowseEntries
	})
	ss.send(&wpn.BrowseDone{Target: target})
}
