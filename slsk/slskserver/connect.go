package slskserver

import (
	"errors"
	"net/netip"

	"github.com/revival-net/revival/slsk"
)

func init() {
	on(handleGetPeerAddress)
	on(handleConnectToPeer)
	on(handleCantConnectToPeer)
	on(handleSendConnectToken)
	on(handlePlaceInLineRequest)
	on(handleGlobalUserList)
	on(handleExactFileSearch)
	ignore(slsk.CodeIgnoreUser, slsk.CodeUnignoreUser, slsk.CodeSendDownloadSpeed, slsk.CodeUploadSlotsFull,
		slsk.CodeParentIP, slsk.CodeChildDepth, slsk.CodeFileSearchRoom, slsk.CodeAdminCommand,
		slsk.CodePlaceInLineResponse, slsk.CodeAckNotifyPrivileges, slsk.CodeRoomSomething,
		// A second Login on a logged-in connection changes nothing.
		slsk.CodeLogin)
}

// handleGetPeerAddress answers with the user's address as the server saw
// it and its listening port; offline or unknown users get 0.0.0.0 and port
// 0. The reply always ends with the u16 obfuscated port, without which
// Nicotine+ drops it (spec §2 code 3).
func handleGetPeerAddress(s *Server, u *session, m *slsk.GetPeerAddress) error {
	if ok, err := s.lookupCheck(u); !ok {
		return err
	}
	reply := &slsk.GetPeerAddressReply{Username: m.Username, IP: netip.IPv4Unspecified()}
	s.mu.Lock()
	if o := s.users[m.Username]; o != nil {
		reply.IP, reply.Port = o.ip, o.port
		reply.ObfuscationType, reply.ObfuscatedPort = o.obfType, uint16(o.obfPort)
	}
	s.mu.Unlock()
	u.send(reply)
	return nil
}

// handleConnectToPeer forwards the request to the target filled in with the
// requester's address (all eight fields, spec §2 code 18), or answers
// CantConnectToPeer when the target is offline, so the requester's firewall
// piercing attempt fails fast instead of timing out.
//
// Only the connection types peers open are relayed (P, F, D): the type was
// the one string relayed as sent, and 60 KB types at the allowed rate
// filled a victim's queue until the victim was dropped (issue 5, finding 3).
// The relay is optional for the target: dropped, not the target, when its
// queue is high.
func handleConnectToPeer(s *Server, u *session, m *slsk.ConnectToPeer) error {
	if !peerConnType(m.Type) {
		return s.badRelay(u, "conn_type")
	}
	s.mu.Lock()
	target := s.relayTargetLocked(m.Username)
	var fwd *slsk.ConnectToPeerReply
	if target != nil {
		fwd = &slsk.ConnectToPeerReply{
			Username: u.name, Type: m.Type, IP: u.ip, Port: u.port, Token: m.Token,
			Privileged: s.privilegedAt(u.name, s.opts.Now()), ObfuscationType: u.obfType, ObfuscatedPort: u.obfPort,
		}
	}
	s.mu.Unlock()
	if target == nil {
		if ok, err := s.fanoutCheck(u); !ok {
			return err
		}
		u.send(&slsk.CantConnectToPeerReply{Token: m.Token})
		return nil
	}
	return s.relayFrame(u, target, fwd)
}

// peerConnType reports whether t is a connection type peers open (spec §2
// code 18): P (peer messages), F (file transfer), D (distributed).
func peerConnType(t string) bool { return t == "P" || t == "F" || t == "D" }

// badRelay counts a relay request no real client sends. It is malformed
// input: nothing is relayed, nothing is logged per message (a flood must
// not become log volume), and the session's malformed budget applies.
func (s *Server) badRelay(u *session, reason string) error {
	s.metrics.protocolErrors.WithLabelValues("bad_relay_" + reason).Inc()
	u.malformed++
	if u.malformed > malformedBudget {
		return errors.New("too many malformed messages")
	}
	return nil
}

// relayTargetLocked returns the online user a relay is for, or nil. Names
// longer than any account can have are not looked up. Caller holds mu.
func (s *Server) relayTargetLocked(name string) *session {
	if len(name) > maxNameLen {
		return nil
	}
	return s.users[name]
}

// relayTokenBytes is how many bytes of a relayed frame one fan-out token
// pays for: relays are charged by size, so large ones cannot pass at the
// rate of small ones.
const relayTokenBytes = 256

// relayFrame sends m to target on behalf of u: charged to u's fan-out
// bucket by size, and queued as optional, so a flood from u can fill the
// target's queue only to the high-water mark and never get the target
// disconnected as a slow consumer.
func (s *Server) relayFrame(u, target *session, m slsk.ServerMessage) error {
	frame := slsk.AppendServerFrame(nil, m)
	cost := 1 + float64(len(frame)/relayTokenBytes)
	if ok, err := s.floodCheck(u, "fanout", u.fanout.AllowN(s.opts.Limits.FanoutRate, s.opts.Now(), cost)); !ok {
		return err
	}
	if target.c.sendOptional(frame) {
		s.metrics.out(m.ServerCode())
	}
	return nil
}

// relay sends m to the online user `to` on behalf of u (relayFrame);
// offline targets are ignored, still charged one token.
func (s *Server) relay(u *session, to string, m slsk.ServerMessage) error {
	s.mu.Lock()
	target := s.relayTargetLocked(to)
	s.mu.Unlock()
	if target == nil {
		_, err := s.fanoutCheck(u)
		return err
	}
	return s.relayFrame(u, target, m)
}

// handleCantConnectToPeer relays the failure to the user who asked for the
// connection, with the token only (spec §2 code 1001).
func handleCantConnectToPeer(s *Server, u *session, m *slsk.CantConnectToPeer) error {
	return s.relay(u, m.Username, &slsk.CantConnectToPeerReply{Token: m.Token})
}

// handleSendConnectToken is obsolete but still forwarded by the official
// server (spec §2 code 33), with the sender's name in place of the target's.
func handleSendConnectToken(s *Server, u *session, m *slsk.SendConnectToken) error {
	return s.relay(u, m.Username, &slsk.SendConnectToken{Username: u.name, Token: m.Token})
}

// handlePlaceInLineRequest is relayed as Soulfind still does (code 59).
func handlePlaceInLineRequest(s *Server, u *session, m *slsk.PlaceInLineRequest) error {
	return s.relay(u, m.Username, &slsk.PlaceInLineRequest{Username: u.name, Token: m.Token})
}

// errGlobalUserList: the official server disconnects clients that ask for
// the whole user list (spec §2 code 67); Soulfind copies this.
type errGlobalUserList struct{}

func (errGlobalUserList) Error() string { return "asked for the global user list (code 67)" }

func handleGlobalUserList(s *Server, u *session, m *slsk.GlobalUserList) error {
	return errGlobalUserList{}
}

// handleExactFileSearch accepts code 65 and answers nothing, as the
// official server does (spec §2).
func handleExactFileSearch(s *Server, u *session, m *slsk.ExactFileSearch) error { return nil }
