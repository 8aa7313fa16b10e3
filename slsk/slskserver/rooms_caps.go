package slskserver

import (
	"fmt"
	"time"

	"github.com/revival-net/revival/internal/netlimit"
)

// roomCaps bounds who may create rooms (guarded by Server.mu). Every
// room takes a name from one namespace of Limits.MaxRooms: without these
// caps, a thousand free accounts joining a hundred new names each fill
// it, and nobody can create a room any more. Private rooms are stored, so
// they would keep it full across restarts.
//
// created counts the live rooms each account created: a public room from
// its first join until it is forgotten, a private room until it is
// disbanded (rooms loaded at start-up count for their owner; public rooms
// loaded for their tickers count for nobody). hosts rations creations per
// address (IPv6: per /64), since accounts are free.
type roomCaps struct {
	created map[string]int
	hosts   *netlimit.ByIP
}

// creationRefusalLocked returns why u may not create a room now, or ""
// and takes one creation from u's host. It runs after every other check
// of a creation, so a refusal for another reason costs no token.
func (s *Server) creationRefusalLocked(u *session) string {
	const prefix = "Could not create room. Reason: "
	lim := s.opts.Limits
	if n := s.caps.created[u.name]; lim.MaxRoomsPerAccount >= 0 && n >= lim.MaxRoomsPerAccount {
		return fmt.Sprintf("%syou created %d rooms that still exist (at most %d).", prefix, n, lim.MaxRoomsPerAccount)
	}
	if s.caps.hosts == nil {
		s.caps.hosts = netlimit.NewByIP(lim.RoomCreations)
	}
	if !s.caps.hosts.Allow(u.c.remote, s.opts.Now()) {
		return prefix + "too many rooms were created from your address; try again later."
	}
	return ""
}

// countCreatedLocked records that r entered Server.rooms (add) or left it.
func (s *Server) countCreatedLocked(r *room, add bool) {
	if r.creator == "" {
		return
	}
	if add {
		if s.caps.created == nil {
			s.caps.created = map[string]int{}
		}
		s.caps.created[r.creator]++
		return
	}
	if s.caps.created[r.creator]--; s.caps.created[r.creator] <= 0 {
		delete(s.caps.created, r.creator) // accounts without rooms cost nothing
	}
}

// RoomCreationRate is Limits.RoomCreations for "n rooms per host per
// window" (the serve flags): n at once, then n per window as tokens come
// back. n 0 is the default, n < 0 unlimited; window 0 is an hour.
func RoomCreationRate(n int, window time.Duration) netlimit.Rate {
	switch {
	case n == 0:
		return netlimit.Rate{}
	case n < 0:
		return netlimit.Rate{PerSecond: -1}
	}
	if window <= 0 {
		window = time.Hour
	}
	return netlimit.Rate{PerSecond: float64(n) / window.Seconds(), Burst: float64(n)}
}
