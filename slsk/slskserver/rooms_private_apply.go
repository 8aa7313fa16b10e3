package slskserver

import (
	"github.com/revival-net/revival/internal/logx"
	"github.com/revival-net/revival/slsk"
)

// The apply steps of private-room changes (spec §2.2): they run under
// Server.mu after the change is stored, update memory and tell the users
// concerned in the order the official server uses.

// grantMembershipLocked applies a new membership (spec §2.2): AddRoomMember
// to every member including the new one and the owner, then
// RoomMembershipGranted and a room-list update to the new member, then a PM
// to the owner naming the operator when one added the member.
func (s *Server) grantMembershipLocked(r *room, target, by string) {
	r.members[target] = struct{}{}
	s.linkMemberLocked(r, target)
	add := &slsk.AddRoomMember{Room: r.name, Username: target}
	s.sendFrameTo(s.privateAudienceLocked(r, false), slsk.AppendServerFrame(nil, add), add.ServerCode())
	if o := s.users[target]; o != nil {
		o.send(&slsk.RoomMembershipGranted{Room: r.name})
		s.sendRoomListUpdateLocked(o, 1)
	}
	if r.isOperator(by) {
		s.notifyOwnerLocked(r, "User ["+logx.Peer(target)+"] was added as a member of room ["+r.name+"] by operator ["+by+"]")
	} else {
		s.notifyOwnerLocked(r, "User "+logx.Peer(target)+" is now a member of room "+r.name)
	}
}

// revokeMembershipLocked applies a removal in the official order (spec
// §2.2, aioslsk's server flows): RemoveRoomMember to the remaining members
// and the owner, a PM to the owner, then to the removed user
// RoomMembershipRevoked, LeaveRoom if they were in the room, and a
// room-list update. A removed operator then loses the role as well.
func (s *Server) revokeMembershipLocked(r *room, target string) {
	wasOperator := r.isOperator(target)
	delete(r.members, target)
	delete(r.operators, target)
	s.unlinkMemberLocked(r, target)
	rm := &slsk.RemoveRoomMember{Room: r.name, Username: target}
	s.sendFrameTo(s.privateAudienceLocked(r, false), slsk.AppendServerFrame(nil, rm), rm.ServerCode())
	s.notifyOwnerLocked(r, "User "+logx.Peer(target)+" is no longer a member of room "+r.name)
	if o := s.users[target]; o != nil {
		o.send(&slsk.RoomMembershipRevoked{Room: r.name})
		if o.joined[r.name] == r {
			s.leaveRoomLocked(o, r, true)
		}
		s.sendRoomListUpdateLocked(o, 1)
	}
	if wasOperator {
		s.announceOperatorRevokedLocked(r, target)
	}
}

// disbandLocked removes a private room after its deletion was stored.
func (s *Server) disbandLocked(r *room) {
	s.removeRoomLocked(r) // before the owner and members are cleared
	members, operators, owner := sortedNames(r.members), r.operators, r.owner
	r.members, r.operators, r.owner = map[string]struct{}{}, map[string]struct{}{}, ""
	r.gone = true
	for _, name := range members {
		o := s.users[name]
		if o == nil {
			continue
		}
		o.send(&slsk.RoomMembershipRevoked{Room: r.name})
		if o.joined[r.name] == r {
			s.leaveRoomLocked(o, r, true)
		}
		if _, op := operators[name]; op {
			o.send(&slsk.RoomOperatorshipRevoked{Room: r.name})
		}
		s.sendRoomListUpdateLocked(o, 1)
	}
	for len(r.joined) > 0 { // the owner, and anyone else still inside
		s.leaveRoomLocked(r.joined[0], r, true)
	}
	if o := s.users[owner]; o != nil {
		s.sendRoomListUpdateLocked(o, 1)
	}
}

// announceOperatorRevokedLocked tells everyone about a lost operator role
// (spec §2.2): RemoveRoomOperator to the members, owner and users in the
// room, RoomOperatorshipRevoked and a room-list update to the former
// operator, and a PM to the owner. The official server sends
// RemoveRoomOperator twice to members who are in the room; we send it once.
func (s *Server) announceOperatorRevokedLocked(r *room, target string) {
	rm := &slsk.RemoveRoomOperator{Room: r.name, Username: target}
	s.sendFrameTo(s.privateAudienceLocked(r, true), slsk.AppendServerFrame(nil, rm), rm.ServerCode())
	if o := s.users[target]; o != nil {
		o.send(&slsk.RoomOperatorshipRevoked{Room: r.name})
		s.sendRoomListUpdateLocked(o, 1)
	}
	s.notifyOwnerLocked(r, "User "+logx.Peer(target)+" is no longer an operator of room "+r.name)
}

// privateAudienceLocked lists the online owner and members of r, and with
// joined also the users in the room, each once.
func (s *Server) privateAudienceLocked(r *room, joined bool) []*session {
	var out []*session
	seen := map[*session]struct{}{}
	add := func(o *session) {
		if o == nil {
			return
		}
		if _, dup := seen[o]; !dup {
			seen[o] = struct{}{}
			out = append(out, o)
		}
	}
	add(s.users[r.owner])
	for _, name := range sortedNames(r.members) {
		add(s.users[name])
	}
	if joined {
		for _, o := range r.joined {
			add(o)
		}
	}
	return out
}

// notifyOwnerLocked sends the room's owner a PM from "server" if online.
func (s *Server) notifyOwnerLocked(r *room, text string) {
	if o := s.users[r.owner]; o != nil {
		s.notify(o, text)
	}
}
