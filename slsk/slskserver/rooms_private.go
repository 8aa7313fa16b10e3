package slskserver

import (
	"context"
	"slices"

	"github.com/revival-net/revival/internal/hub"
	"github.com/revival-net/revival/internal/logx"
	"github.com/revival-net/revival/internal/store"
	"github.com/revival-net/revival/slsk"
)

func init() {
	on(handleEnableRoomInvitations)
	on(handleAddRoomMember)
	on(handleRemoveRoomMember)
	on(handleCancelRoomMembership)
	on(handleCancelRoomOwnership)
	on(handleAddRoomOperator)
	on(handleRemoveRoomOperator)
	on(handleCancelRoomOperatorship)
}

// errStoreNotice is what a user is told when a private-room change could
// not be saved; nothing changed.
const errStoreNotice = "The server could not save that change. Please try again later."

// handleEnableRoomInvitations records whether others may add u to private
// rooms and echoes the value, as the official server does (spec §2 code
// 141).
func handleEnableRoomInvitations(s *Server, u *session, m *slsk.EnableRoomInvitations) error {
	s.mu.Lock()
	u.invitable = m.Enable
	s.mu.Unlock()
	u.send(&slsk.EnableRoomInvitations{Enable: m.Enable})
	return nil
}

// claimPrivateRoom finishes creating the private room that joinLocked
// reserved (r.op is held): store it, then send the creator the room-list
// update and enter it, the order the official server uses (spec §2.2). If
// the store fails, the name is released again.
func (s *Server) claimPrivateRoom(u *session, r *room) {
	defer r.op.Unlock()
	s.mu.Lock()
	rec := r.record()
	s.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	err := s.opts.Hub.Store.Rooms().Put(ctx, rec)
	cancel()
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		s.log.Error("storing a new private room failed", "room", r.name, "owner", u.name, "err", err)
		s.removeRoomLocked(r)
		r.gone = true
		s.notify(u, "Could not create room. Reason: "+errStoreNotice)
		return
	}
	r.stored = true
	if u.loggedOut {
		return
	}
	s.sendRoomListUpdateLocked(u, 1)
	if len(u.joined) < s.opts.Limits.MaxRoomsJoined {
		s.enterLocked(u, r)
	}
}

// roomWrite is the store write that makes a private-room change durable.
type roomWrite func(ctx context.Context, rs store.Rooms) error

func putRoom(rec store.Room) roomWrite {
	return func(ctx context.Context, rs store.Rooms) error { return rs.Put(ctx, rec) }
}

func without(list []string, name string) []string {
	return slices.DeleteFunc(list, func(n string) bool { return n == name })
}

// changePrivateRoom runs one change to a private room (spec §2.2) in three
// steps. check runs under mu: it verifies permissions, sends any refusal,
// and returns the store write, or nil when there is nothing to do. The
// write runs without mu. apply runs under mu once the write succeeded: it
// updates memory and tells clients, so nobody hears of a change that is
// not durable. r.op keeps other changes of the same room out from check to
// apply; joins, leaves and logouts may still happen and apply must allow
// for them.
func (s *Server) changePrivateRoom(u *session, name string, check func(r *room) roomWrite, apply func(r *room)) {
	s.mu.Lock()
	r := s.rooms[name]
	s.mu.Unlock()
	if r == nil {
		return
	}
	r.op.Lock()
	defer r.op.Unlock()
	s.mu.Lock()
	var write roomWrite
	if r.private && !r.gone {
		write = check(r)
	}
	s.mu.Unlock()
	if write == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	err := write(ctx, s.opts.Hub.Store.Rooms())
	cancel()
	if err != nil {
		s.log.Error("saving a private-room change failed", "room", logx.Peer(name), "user", u.name, "err", err)
		s.notify(u, errStoreNotice)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	apply(r)
}

// isOperator reports whether name operates r. Caller holds mu.
func (r *room) isOperator(name string) bool {
	_, ok := r.operators[name]
	return ok
}

// isMember reports whether name is a member (not the owner) of r.
func (r *room) isMember(name string) bool {
	_, ok := r.members[name]
	return ok
}

// handleAddRoomMember lets the owner or an operator add a member (spec
// §2 code 134, §2.2), with the official checks and PM texts.
func handleAddRoomMember(s *Server, u *session, m *slsk.AddRoomMember) error {
	if ok, err := s.chatCheck(u); !ok {
		return err
	}
	target := m.Username
	s.changePrivateRoom(u, m.Room, func(r *room) roomWrite {
		if target == u.name || (r.owner != u.name && !r.isOperator(u.name)) {
			return nil
		}
		o := s.users[target]
		switch {
		case o == nil:
			s.notify(u, "user "+logx.Peer(target)+" is not logged in.")
		case !o.invitable:
			s.notify(u, "user "+logx.Peer(target)+" hasn't enabled private room add. please message them and ask them to do so before trying to add them again.")
		case target == r.owner:
			s.notify(u, "user "+logx.Peer(target)+" is the owner of room "+r.name)
		case r.isMember(target):
			s.notify(u, "user "+logx.Peer(target)+" is already a member of room "+r.name)
		default:
			rec := r.record()
			rec.Members = append(rec.Members, target)
			return putRoom(rec)
		}
		return nil
	}, func(r *room) {
		s.grantMembershipLocked(r, target, u.name)
	})
	return nil
}

// handleRemoveRoomMember lets the owner remove any member and an operator
// remove plain members (spec §2 code 135, §2.2). Anything else is ignored.
func handleRemoveRoomMember(s *Server, u *session, m *slsk.RemoveRoomMember) error {
	if ok, err := s.chatCheck(u); !ok {
		return err
	}
	target := m.Username
	s.changePrivateRoom(u, m.Room, func(r *room) roomWrite {
		if target == u.name || !r.isMember(target) {
			return nil
		}
		if r.owner != u.name && (!r.isOperator(u.name) || r.isOperator(target)) {
			return nil
		}
		return removeMemberWrite(r, target)
	}, func(r *room) {
		s.revokeMembershipLocked(r, target)
	})
	return nil
}

func removeMemberWrite(r *room, name string) roomWrite {
	rec := r.record()
	rec.Members = without(rec.Members, name)
	rec.Operators = without(rec.Operators, name)
	return putRoom(rec)
}

// handleCancelRoomMembership lets a member leave a private room for good
// (spec §2 code 136); an operator also loses that role.
func handleCancelRoomMembership(s *Server, u *session, m *slsk.CancelRoomMembership) error {
	s.changePrivateRoom(u, m.Room, func(r *room) roomWrite {
		if !r.isMember(u.name) {
			return nil
		}
		return removeMemberWrite(r, u.name)
	}, func(r *room) {
		s.revokeMembershipLocked(r, u.name)
	})
	return nil
}

// handleCancelRoomOwnership disbands a private room its owner gives up
// (spec §2 code 137). Every member loses membership (and operators their
// role) and leaves the room; the name becomes free again. The room and its
// tickers are deleted from the store. Unlike the official server, which
// leaves the owner in the room until the client sends LeaveRoom (Nicotine+
// does), the owner is taken out at once, so no half-public room remains.
func handleCancelRoomOwnership(s *Server, u *session, m *slsk.CancelRoomOwnership) error {
	s.changePrivateRoom(u, m.Room, func(r *room) roomWrite {
		if r.owner != u.name {
			return nil
		}
		return func(ctx context.Context, rs store.Rooms) error {
			return rs.Delete(ctx, hub.NetworkSoulseek, r.name)
		}
	}, func(r *room) {
		s.disbandLocked(r)
	})
	return nil
}

// handleAddRoomOperator lets the owner make a member an operator (spec §2
// code 143, §2.2).
func handleAddRoomOperator(s *Server, u *session, m *slsk.AddRoomOperator) error {
	if ok, err := s.chatCheck(u); !ok {
		return err
	}
	target := m.Username
	s.changePrivateRoom(u, m.Room, func(r *room) roomWrite {
		if r.owner != u.name {
			return nil
		}
		switch {
		case s.users[target] == nil:
			s.notify(u, "user "+logx.Peer(target)+" is not logged in.")
		case !r.isMember(target):
			s.notify(u, "user "+logx.Peer(target)+" must first be a member of room "+r.name)
		case r.isOperator(target):
			s.notify(u, "user "+logx.Peer(target)+" is already an operator of room "+r.name)
		default:
			rec := r.record()
			rec.Operators = append(rec.Operators, target)
			return putRoom(rec)
		}
		return nil
	}, func(r *room) {
		r.operators[target] = struct{}{}
		add := &slsk.AddRoomOperator{Room: r.name, Username: target}
		s.sendFrameTo(s.privateAudienceLocked(r, true), slsk.AppendServerFrame(nil, add), add.ServerCode())
		if o := s.users[target]; o != nil {
			o.send(&slsk.RoomOperatorshipGranted{Room: r.name})
			s.sendRoomListUpdateLocked(o, 1)
		}
		s.notifyOwnerLocked(r, "User "+logx.Peer(target)+" is now an operator of room "+r.name)
	})
	return nil
}

// handleRemoveRoomOperator lets the owner take the role back (spec §2
// code 144).
func handleRemoveRoomOperator(s *Server, u *session, m *slsk.RemoveRoomOperator) error {
	if ok, err := s.chatCheck(u); !ok {
		return err
	}
	target := m.Username
	s.changePrivateRoom(u, m.Room, func(r *room) roomWrite {
		if r.owner != u.name || !r.isOperator(target) {
			return nil
		}
		return removeOperatorWrite(r, target)
	}, func(r *room) {
		delete(r.operators, target)
		s.announceOperatorRevokedLocked(r, target)
	})
	return nil
}

// handleCancelRoomOperatorship lets an operator give up the role (spec §2
// code 147, Soulfind).
func handleCancelRoomOperatorship(s *Server, u *session, m *slsk.CancelRoomOperatorship) error {
	s.changePrivateRoom(u, m.Room, func(r *room) roomWrite {
		if !r.isOperator(u.name) {
			return nil
		}
		return removeOperatorWrite(r, u.name)
	}, func(r *room) {
		delete(r.operators, u.name)
		s.announceOperatorRevokedLocked(r, u.name)
	})
	return nil
}

func removeOperatorWrite(r *room, name string) roomWrite {
	rec := r.record()
	rec.Operators = without(rec.Operators, name)
	return putRoom(rec)
}
