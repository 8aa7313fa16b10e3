package wpnserver

import "github.com/revival-net/revival/wpn"

// handleRoomList answers 0x238D with one 0x238E per known room, at most
// MaxRoomList (wpn.md §3.10: "normally around the 1400 room mark"); there
// is no end marker. The list is optional output: a secondary that does
// not read it loses it rather than its connection.
func (s *Server) handleRoomList(ss *session) {
	if !ss.messages.Allow(s.lim.Messages, s.now()) {
		s.metrics.flood.WithLabelValues("roomlist").Inc()
		return
	}
	if s.opts.Rooms == nil {
		return
	}
	rooms := s.opts.Rooms.AppendRoomList(nil)
	if len(rooms) > s.lim.MaxRoomList {
		rooms = rooms[:s.lim.MaxRoomList]
	}
	var frame []byte
	for i := range rooms {
		frame = wpn.AppendPacket(frame, &rooms[i])
	}
	if len(frame) > 0 {
		_ = ss.c.Send(frame)
	}
}
