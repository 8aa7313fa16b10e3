package slskserver

import (
	"context"
	"slices"

	"github.com/revival-net/revival/internal/hub"
	"github.com/revival-net/revival/slsk"
)

func init() {
	on(handleSetRoomTicker)
}

// maxRoomTickers caps the tickers of one room; setting one more removes
// the oldest (Soulfind's limit of 200), so a busy room cannot grow
// without bound.
const maxRoomTickers = 200

// handleSetRoomTicker sets or, with an empty text, clears the caller's
// ticker in a room it has joined (spec §2 code 116). Tickers longer than
// MaxTickerLen and unchanged tickers are ignored. Each change is a store
// write, so it costs a chat flood token.
func handleSetRoomTicker(s *Server, u *session, m *slsk.SetRoomTicker) error {
	if len(m.Ticker) > s.opts.Limits.MaxTickerLen {
		return nil
	}
	s.mu.Lock()
	r := u.joined[m.Room]
	unchanged := r == nil || tickerUnchanged(r, u.name, m.Ticker)
	s.mu.Unlock()
	if unchanged {
		return nil
	}
	if ok, err := s.chatCheck(u); !ok {
		return err
	}
	s.mu.Lock()
	r = u.joined[m.Room] // a private room may have revoked u meanwhile
	if r != nil {
		r.busy++
	}
	s.mu.Unlock()
	if r != nil {
		s.setTicker(r, u.name, m.Ticker)
	}
	return nil
}

// tickerIndex returns where user's ticker is in r.tickers, or -1.
func tickerIndex(r *room, user string) int {
	return slices.IndexFunc(r.tickers, func(t slsk.RoomTicker) bool { return t.Username == user })
}

// tickerUnchanged reports whether setting user's ticker to text would
// leave r's tickers as they are. Caller holds mu.
func tickerUnchanged(r *room, user, text string) bool {
	i := tickerIndex(r, user)
	if i < 0 {
		return text == ""
	}
	return r.tickers[i].Ticker == text
}

// setTicker stores user's ticker in r, then tells the users in the room:
// RoomTickerRemoved for a ticker it replaces, RoomTickerAdded for a
// non-empty one (spec §2 codes 114–116). The store calls run without mu
// and with r.op held, so the writes of one room happen in order.
//
// The caller counted the change in r.busy under mu while r was in
// Server.rooms; setTicker undoes that at the end. A busy public room is
// not forgotten, so its name cannot meanwhile be created again (as a
// private room, say) and written to the store by someone else. A public
// room is written to the store with its first ticker, since tickers
// belong to a stored room and persist with it, and deleted from the store
// with its last, after which it is forgotten once it has no members.
func (s *Server) setTicker(r *room, user, text string) {
	r.op.Lock()
	defer r.op.Unlock()
	defer func() {
		s.mu.Lock()
		r.busy--
		s.dropIfUnusedLocked(r)
		s.mu.Unlock()
	}()
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	rs := s.opts.Hub.Store.Rooms()
	s.mu.Lock()
	rec, stored := r.record(), r.stored
	skip := r.gone || tickerUnchanged(r, user, text) // disbanded, or changed meanwhile
	s.mu.Unlock()
	if skip {
		return
	}
	if !stored {
		if err := rs.Put(ctx, rec); err != nil {
			s.log.Error("storing a public room failed", "room", r.name, "err", err)
			return
		}
		s.mu.Lock()
		r.stored = true
		s.mu.Unlock()
	}
	if err := rs.SetTicker(ctx, hub.NetworkSoulseek, r.name, user, text); err != nil {
		s.log.Error("storing a room ticker failed", "room", r.name, "user", user, "err", err)
		return
	}
	s.mu.Lock()
	evicted := s.applyTickerLocked(r, user, text)
	lastGone := !r.private && len(r.tickers) == 0
	s.mu.Unlock()
	if evicted != "" {
		if err := rs.SetTicker(ctx, hub.NetworkSoulseek, r.name, evicted, ""); err != nil {
			s.log.Error("removing the oldest room ticker failed", "room", r.name, "user", evicted, "err", err)
		}
	}
	if lastGone {
		// A failure leaves an empty row, which the next start deletes.
		if err := rs.Delete(ctx, hub.NetworkSoulseek, r.name); err != nil {
			s.log.Error("deleting a public room without tickers failed", "room", r.name, "err", err)
			return
		}
		s.mu.Lock()
		r.stored = false
		s.mu.Unlock()
	}
}

// applyTickerLocked puts a stored ticker change into memory and announces
// it to the users in the room. It returns the user whose ticker was
// evicted to respect maxRoomTickers, or "". r is still in Server.rooms:
// it is busy, and a private room cannot be disbanded while op is held.
func (s *Server) applyTickerLocked(r *room, user, text string) string {
	if i := tickerIndex(r, user); i >= 0 {
		r.tickers = slices.Delete(r.tickers, i, i+1)
		rm := &slsk.RoomTickerRemoved{Room: r.name, Username: user}
		s.sendFrameTo(r.joined, slsk.AppendServerFrame(nil, rm), rm.ServerCode())
	}
	if text == "" {
		return ""
	}
	r.tickers = append(r.tickers, slsk.RoomTicker{Username: user, Ticker: text})
	add := &slsk.RoomTickerAdded{Room: r.name, Username: user, Ticker: text}
	s.sendFrameTo(r.joined, slsk.AppendServerFrame(nil, add), add.ServerCode())
	if len(r.tickers) <= maxRoomTickers {
		return ""
	}
	oldest := r.tickers[0].Username
	r.tickers = r.tickers[1:]
	rm := &slsk.RoomTickerRemoved{Room: r.name, Username: oldest}
	s.sendFrameTo(r.joined, slsk.AppendServerFrame(nil, rm), rm.ServerCode())
	return oldest
}

// removeUserTickers clears user's tickers in every public room, or in
// every room when all is true, and returns how many it removed (the admin
// commands removetickers and ban, spec §5.1). A public room left without
// members and tickers is forgotten and deleted from the store.
func (s *Server) removeUserTickers(user string, all bool) int {
	s.mu.Lock()
	var rooms []*room
	mark := func(r *room) {
		if tickerIndex(r, user) >= 0 {
			r.busy++
			rooms = append(rooms, r)
		}
	}
	if all {
		// A ban clears private rooms too, also those user has left as a
		// member since setting the ticker: so every room.
		for _, r := range s.rooms {
			mark(r)
		}
	} else {
		for r := range s.index.public {
			mark(r)
		}
	}
	s.mu.Unlock()
	for _, r := range rooms {
		s.setTicker(r, user, "")
	}
	return len(rooms)
}
