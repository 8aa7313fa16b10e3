package slskserver

// CheckRoomIndex lets the room tests of package slskserver_test compare
// the room index with a recomputation at the end of a scenario: it
// returns the difference, or "" when they match (see checkIndexLocked).
func CheckRoomIndex(s *Server) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.checkIndexLocked()
}

// SetBeforePending makes every login call f before it reads its pending
// private messages (a test barrier for the login/delivery race).
func SetBeforePending(s *Server, f func(name string)) { s.beforePending.Store(&f) }
