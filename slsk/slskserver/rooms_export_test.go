package slskserver

// CheckRoomIndex lets the room tests of package slskserver_test compare
// the room index with a recomputation at the end of a scenario: it
// returns the difference, or "" when they match (see checkIndexLocked).
func CheckRoomIndex(s *Server) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.checkIndexLocked()
}
