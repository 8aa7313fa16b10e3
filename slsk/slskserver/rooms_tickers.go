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
	if ok, err := s.floodCheck(u, "chat", u.chat.Allow(s.opts.Limits.ChatRate, s.opts.Now())); !ok {
		return err
	}
	s.setTicker(r, u.name, m.Ticker)
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
// non-empty one (spec §2 codes 114–116). The store call runs without mu.
// A public room that is not stored yet is stored first, since tickers
// belong to a stored room and persist with it.
func (s *Server) setTicker(r *room, user, text string) {
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	rs := s.opts.Hub.Store.Rooms()
	s.mu.Lock()
	rec, stored := r.record(), r.stored || r.gone
	s.mu.Unlock()
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
	s.mu.Unlock()
	if evicted != "" {
		if err := rs.SetTicker(ctx, hub.NetworkSoulseek, r.name, evicted, ""); err != nil {
			s.log.Error("removing the oldest room ticker failed", "room", r.name, "user", evicted, "err", err)
		}
	}
}

// applyTickerLocked puts a stored ticker change into memory and announces
// it to the users in the room. It returns the user whose ticker was
// evicted to respect maxRoomTickers, or "".
func (s *Server) applyTickerLocked(r *room, user, text string) string {
	if r.gone {
		return "" // a private room disbanded meanwhile; its tickers went with it
	}
	switch cur := s.rooms[r.name]; {
	case cur == nil:
		s.rooms[r.name] = r // it now holds a ticker, so it must stay known
	case cur != r && !cur.private:
		// The public room was forgotten and created again meanwhile;
		// the store row is the same, so the ticker belongs to the new one.
		cur.stored = true
		r = cur
	}
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
// commands removetickers and ban, spec §5.1).
func (s *Server) removeUserTickers(user string, all bool) int {
	s.mu.Lock()
	var rooms []*room
	for _, r := range s.rooms {
		if (all || !r.private) && tickerIndex(r, user) >= 0 {
			rooms = append(rooms, r)
		}
	}
	s.mu.Unlock()
	for _, r := range rooms {
		s.setTicker(r, user, "")
	}
	return len(rooms)
}
