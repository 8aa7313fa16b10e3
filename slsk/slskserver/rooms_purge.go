package slskserver

import (
	"context"
	"errors"

	"github.com/revival-net/revival/internal/hub"
	"github.com/revival-net/revival/internal/logx"
	"github.com/revival-net/revival/internal/store"
)

// Operators purge rooms: the admin command purgeroom, and `revival slsk
// rooms purge`, which deletes rooms from the store while the server runs
// and records a change that the app's watcher hands to RoomPurged.

// RoomPurged applies a purge that another process (the CLI) made in the
// store: the room is deleted from the store again (a no-op unless a
// change of this server raced with the CLI) and dropped as purgeRoom
// does. A name this server does not hold changes nothing.
func (s *Server) RoomPurged(ctx context.Context, name string) {
	if _, err := s.purgeRoom(ctx, name); err != nil && !errors.Is(err, errNoRoom) {
		s.log.Error("purging a room failed", "room", logx.Peer(name), "err", err)
	}
}

// errNoRoom reports a purge of a name that is neither in memory nor in
// the store.
var errNoRoom = errors.New("no such room")

// purgeRoom deletes room name from the store and from memory, and tells
// whoever is concerned, as when an owner disbands a private room (spec
// §2.2): members lose their membership and leave, operators their role,
// and everyone gets a room-list update. Users in a public room leave it
// (LeaveRoom, and UserLeftRoom to the others), and its tickers are gone.
// It reports whether the room was in memory; errNoRoom if it was in
// neither place.
func (s *Server) purgeRoom(ctx context.Context, name string) (bool, error) {
	s.mu.Lock()
	r := s.rooms[name]
	if r != nil {
		r.busy++ // a public room stays in Server.rooms until we are done
	}
	s.mu.Unlock()
	if r != nil {
		r.op.Lock() // lock order: op, then mu (see room)
		defer r.op.Unlock()
		defer func() {
			s.mu.Lock()
			r.busy--
			s.dropIfUnusedLocked(r) // a public room that emptied meanwhile
			s.mu.Unlock()
		}()
	}
	rs := s.opts.Hub.Store.Rooms()
	if r == nil {
		// Not in memory: a stored room the server did not load (or the
		// name is unknown). Delete it if it is there.
		_, err := rs.Get(ctx, hub.NetworkSoulseek, name)
		if errors.Is(err, store.ErrNotFound) {
			return false, errNoRoom
		}
		if err != nil {
			return false, err
		}
	}
	if err := rs.Delete(ctx, hub.NetworkSoulseek, name); err != nil {
		return r != nil, err
	}
	if r == nil {
		return false, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.gone || s.rooms[name] != r {
		return false, nil // disbanded or forgotten meanwhile
	}
	if r.private {
		s.disbandLocked(r)
	} else {
		s.removeRoomLocked(r)
		r.gone, r.stored, r.tickers = true, false, nil
		for len(r.joined) > 0 {
			s.leaveRoomLocked(r.joined[0], r, true)
		}
	}
	s.log.Info("room purged", "room", logx.Peer(name))
	return true, nil
}
