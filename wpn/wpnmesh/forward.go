package wpnmesh

import (
	"net/netip"
	"time"

	"github.com/revival-net/revival/wpn"
	"github.com/revival-net/revival/wpn/wpnserver"
)

// pending is a forwarded request awaiting answers: at its origin (local
// is the requester) or in transit (answers go back over back). via is the
// link it went out on; answers come only from there.
type pending struct {
	m       *Mesh
	req     wpn.Packet
	hdr     header // the request's origin and query id: every answer carries them
	local   func(wpn.Packet)
	back    *link
	via     *link
	timeout time.Duration
	expires time.Time
}

// answer passes p towards the requester.
func (p *pending) answer(pk wpn.Packet) {
	if p.local != nil {
		p.local(pk)
		return
	}
	p.m.sendReply(p.back, p.hdr, pk)
}

// answers says which request type each answer type belongs to and whether
// it is the last answer (a browse sends many 0x1BBC before 0x1BC6).
var answers = map[wpn.Type]struct {
	req   wpn.Type
	final bool
}{
	wpn.TypeWhoisReply:     {wpn.TypeWhois, true},
	wpn.TypeWhoisFailed:    {wpn.TypeWhois, true},
	wpn.TypePMStatus:       {wpn.TypePrivateMessage, true},
	wpn.TypeBrowseEntry:    {wpn.TypeBrowse, false},
	wpn.TypeBrowseDone:     {wpn.TypeBrowse, true},
	wpn.TypeBrowseError:    {wpn.TypeBrowse, true},
	wpn.TypeStartDownload:  {wpn.TypeDownloadRequest, true},
	wpn.TypeDownloadFailed: {wpn.TypeDownloadRequest, true},
}

// replyKind is the request type an answer of type t belongs to (0: t is
// no answer).
func replyKind(t wpn.Type) wpn.Type { return answers[t].req }

// failureFor is the packet that tells a requester its request cannot be
// delivered, as the primary answers for an unreachable user (wpn.md
// §3.13 "Handles").
func failureFor(req wpn.Packet) wpn.Packet {
	switch p := req.(type) {
	case *wpn.Whois:
		return &wpn.WhoisFailed{Target: p.Target, Message: "No response from remote host"}
	case *wpn.PrivateMessage:
		return &wpn.PMStatus{Target: p.Target, Status: wpn.PMOffline}
	case *wpn.Browse:
		return &wpn.BrowseError{Target: p.Target}
	case *wpn.DownloadRequest:
		return &wpn.DownloadFailed{Target: p.Target, FileName: p.FileName, Status: wpn.DownloadTimedOut}
	}
	return nil
}

func (m *Mesh) timeoutFor(req wpn.Packet) time.Duration {
	if _, ok := req.(*wpn.DownloadRequest); ok {
		return m.lim.DownloadTimeout
	}
	return m.lim.RequestTimeout
}

// Forward sends a whois, PM, browse or download request towards the
// primary `to`, over the link with the fewest hops to it (routes learnt
// from announcements). It reports false when no route is known: the
// server then fails the request at once.
func (m *Mesh) Forward(to wpn.Handle, req wpn.Packet, from wpnserver.Origin, reply func(wpn.Packet)) bool {
	if failureFor(req) == nil {
		return false
	}
	via := m.routes.best(to, nil)
	if via == nil {
		m.metrics.drops.WithLabelValues("no_route").Inc()
		return false
	}
	h := header{origin: from.Handle, qid: newQID(), ttl: m.lim.MaxHops}
	f, err := encode(h, &message{kind: kindForward, handle: to, name: from.Name, addr: from.Addr, port: from.Port, packet: req})
	if err != nil {
		return false
	}
	now := m.now()
	m.seen.first(h.key(), now)
	p := &pending{m: m, req: req, hdr: h, local: reply, via: via, timeout: m.timeoutFor(req)}
	p.expires = now.Add(p.timeout)
	if !m.addPending(h.key(), p) {
		return false
	}
	if !via.send(f, false) {
		m.takePending(h.key())
		return false
	}
	return true
}

func (m *Mesh) addPending(k qkey, p *pending) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.pending) >= m.lim.MaxPending {
		m.metrics.drops.WithLabelValues("pending_full").Inc()
		return false
	}
	m.pending[k] = p
	return true
}

func (m *Mesh) takePending(k qkey) *pending {
	m.mu.Lock()
	defer m.mu.Unlock()
	p := m.pending[k]
	delete(m.pending, k)
	return p
}

// sendReply sends answer pk of the request hdr back over l.
func (m *Mesh) sendReply(l *link, hdr header, pk wpn.Packet) {
	h := header{origin: hdr.origin, tcpPort: hdr.tcpPort, qid: hdr.qid}
	if f, err := encode(h, &message{kind: kindReply, packet: pk}); err == nil {
		l.send(f, false)
	}
}

// onForward serves a request for one of our users, or passes it one hop
// nearer its primary; a request that cannot go on is answered with the
// failure packet.
func (m *Mesh) onForward(l *link, h header, msg *message) {
	now := m.now()
	if !l.requests.Allow(m.lim.Requests, now) {
		m.metrics.drops.WithLabelValues("flood").Inc()
		m.sendReply(l, h, failureFor(msg.packet))
		return
	}
	if !m.seen.first(h.key(), now) {
		m.countDuplicate(kindForward)
		return
	}
	if m.isSelf(msg.handle) {
		addr := msg.addr
		if addr.IsUnspecified() {
			addr = netip.Addr{}
		}
		from := wpnserver.Origin{Handle: h.origin, Name: msg.name, Addr: addr, Port: msg.port}
		m.srv.Load().HandleRemote(msg.packet, from, func(pk wpn.Packet) { m.sendReply(l, h, pk) })
		return
	}
	via := m.routes.best(msg.handle, l)
	if via == nil || h.ttl <= 1 {
		m.metrics.drops.WithLabelValues("no_route").Inc()
		m.sendReply(l, h, failureFor(msg.packet))
		return
	}
	p := &pending{m: m, req: msg.packet, hdr: h, back: l, via: via, timeout: m.timeoutFor(msg.packet)}
	p.expires = now.Add(p.timeout)
	if !m.addPending(h.key(), p) {
		m.sendReply(l, h, failureFor(msg.packet))
		return
	}
	next := h
	next.ttl--
	next.hops++
	f, err := encode(next, msg)
	if err != nil || !via.send(f, false) {
		m.takePending(h.key())
		m.sendReply(l, h, failureFor(msg.packet))
	}
}

// onReply passes an answer towards its requester, if it answers a request
// we forwarded over the link it came from, with a type that answers it.
func (m *Mesh) onReply(l *link, h header, msg *message, body []byte) {
	k := h.key()
	typ := msg.packet.PacketType()
	m.mu.Lock()
	p := m.pending[k]
	if p == nil || p.via != l || answers[typ].req != p.req.PacketType() {
		m.mu.Unlock()
		m.metrics.drops.WithLabelValues("unexpected_reply").Inc()
		return
	}
	if answers[typ].final {
		delete(m.pending, k)
	} else {
		p.expires = m.now().Add(p.timeout)
	}
	m.mu.Unlock()
	if p.local != nil {
		p.local(msg.packet)
		return
	}
	p.back.send(appendRaw(nil, h, body), false)
}
