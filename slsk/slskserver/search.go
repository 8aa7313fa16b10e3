package slskserver

import (
	"strings"

	"github.com/revival-net/revival/internal/wire"
	"github.com/revival-net/revival/slsk"
)

func init() {
	on(handleFileSearch)
	on(handleWishlistSearch)
	on(handleUserSearch)
	on(handleRoomSearch)
	on(handleRelatedSearch)
}

// setExcluded stores the excluded search phrases in lower case.
func (s *Server) setExcluded(phrases []string) {
	s.excluded = s.excluded[:0]
	for _, p := range phrases {
		if p = strings.ToLower(strings.TrimSpace(p)); p != "" {
			s.excluded = append(s.excluded, p)
		}
	}
}

// searchAllowed applies the per-session search flood limit, the query
// length cap and the server-side phrase filter (spec §2 code 26: drop
// searches containing a filtered phrase).
func (s *Server) searchAllowed(u *session, query string) (bool, error) {
	if ok, err := s.searchCheck(u, "search"); !ok {
		return false, err
	}
	if query == "" || len(query) > s.opts.Limits.MaxQueryLen {
		return false, nil
	}
	q := strings.ToLower(query)
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.excluded {
		if strings.Contains(q, p) {
			return false, nil
		}
	}
	return true, nil
}

// handleFileSearch routes a global search to the users who can answer it,
// through the distributed network or directly (spec §4.3, DistribMode).
func handleFileSearch(s *Server, u *session, m *slsk.FileSearch) error {
	ok, err := s.searchAllowed(u, m.Query)
	if ok {
		s.routeSearch(u, m.Token, m.Query)
	}
	return err
}

// handleWishlistSearch is treated like FileSearch (spec §2 code 103).
func handleWishlistSearch(s *Server, u *session, m *slsk.WishlistSearch) error {
	ok, err := s.searchAllowed(u, m.Query)
	if ok {
		s.routeSearch(u, m.Token, m.Query)
	}
	return err
}

// routeSearch delivers a global search. In the distributed modes every
// branch root (an online user without a parent) gets it as
// EmbeddedMessage(93) carrying a DistribSearch, and passes it down its
// branch; in DistribDirect every online user gets FileSearch(26), as
// Soulfind does. The frame is encoded once for all recipients.
func (s *Server) routeSearch(u *session, token uint32, query string) {
	var frame []byte
	var code slsk.ServerCode
	if s.opts.Distributed == DistribDirect {
		m := &slsk.FileSearchReply{Username: u.name, Token: token, Query: query}
		frame, code = slsk.AppendServerFrame(nil, m), m.ServerCode()
	} else {
		ds := &slsk.DistribSearch{Unknown: slsk.DistribSearchUnknown, Username: u.name, Token: token, Query: query}
		b := wire.NewBuilder(nil)
		ds.Encode(b)
		m := &slsk.EmbeddedMessage{Code: uint8(slsk.DistribCodeSearch), Payload: b.Bytes()}
		frame, code = slsk.AppendServerFrame(nil, m), m.ServerCode()
	}
	s.mu.Lock()
	to := make([]*session, 0, len(s.users))
	for _, o := range s.users {
		if o == u {
			continue
		}
		if s.opts.Distributed != DistribDirect && !o.dist.isRoot() {
			continue // it hears the search from its parent
		}
		to = append(to, o)
	}
	s.mu.Unlock()
	s.sendOptionalTo(to, frame, code)
}

// handleUserSearch sends the search to one user as FileSearch(26) carrying
// the searcher's name (spec §2 code 42).
func handleUserSearch(s *Server, u *session, m *slsk.UserSearch) error {
	ok, err := s.searchAllowed(u, m.Query)
	if !ok {
		return err
	}
	s.mu.Lock()
	target := s.users[m.Username]
	s.mu.Unlock()
	if target != nil {
		fm := &slsk.FileSearchReply{Username: u.name, Token: m.Token, Query: m.Query}
		s.sendOptionalTo([]*session{target}, slsk.AppendServerFrame(nil, fm), fm.ServerCode())
	}
	return nil
}

// handleRoomSearch sends the search to the members of a room the searcher
// is in (spec §2 code 120; Soulfind requires room access).
func handleRoomSearch(s *Server, u *session, m *slsk.RoomSearch) error {
	ok, err := s.searchAllowed(u, m.Query)
	if !ok {
		return err
	}
	s.mu.Lock()
	r := u.joined[m.Room]
	var to []*session
	if r != nil {
		for _, o := range r.joined {
			if o != u {
				to = append(to, o)
			}
		}
	}
	s.mu.Unlock()
	fm := &slsk.FileSearchReply{Username: u.name, Token: m.Token, Query: m.Query}
	s.sendOptionalTo(to, slsk.AppendServerFrame(nil, fm), fm.ServerCode())
	return nil
}

// handleRelatedSearch answers with an empty list (spec §2 code 153, OBS).
func handleRelatedSearch(s *Server, u *session, m *slsk.RelatedSearch) error {
	u.send(&slsk.RelatedSearchReply{Query: m.Query})
	return nil
}
