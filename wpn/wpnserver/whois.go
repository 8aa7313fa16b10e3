package wpnserver

import (
	"time"

	"github.com/revival-net/revival/wpn"
)

// Whois failure texts as WinMX clients show them (wpn.md §3.3 0x138B).
const (
	whoisFailed   = "Whois query failed"
	whoisNoAnswer = "No response from remote host"
)

// handleWhois answers 0x1389 with 0x138A for a known user (line type,
// seconds online, file count capped at 65535, status; wpn.md §3.8) or
// 0x138B.
func (s *Server) handleWhois(ss *session, p *wpn.Whois) {
	if !ss.messages.Allow(s.lim.Messages, s.now()) {
		s.metrics.flood.WithLabelValues("whois").Inc()
		ss.send(&wpn.WhoisFailed{Target: p.Target, Message: whoisFailed})
		return
	}
	r := s.resolve(ss, p.Target)
	if r.local == nil {
		if !s.forward(ss, r, p) {
			ss.send(&wpn.WhoisFailed{Target: p.Target, Message: whoisFailed})
		}
		return
	}
	ss.send(s.whoisReply(p.Target.Handle, r.local))
}

func (s *Server) whoisReply(handle string, t *session) *wpn.WhoisReply {
	t.mu.Lock()
	defer t.mu.Unlock()
	return &wpn.WhoisReply{
		Target:        wpn.Target{Handle: handle, Name: t.name},
		LineType:      t.line,
		OnlineSeconds: uint32(s.now().Sub(t.since) / time.Second),
		Files:         uint16(min(s.index.Count(t.owner()), 65535)),
		Status:        t.status,
	}
}
