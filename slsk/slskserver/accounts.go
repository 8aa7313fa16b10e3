package slskserver

// accountChanged runs when an operator changed name's account from another
// process (hub.AccountChanged; the hub has already disconnected the user).
// For a deleted account the store has removed the private rooms it owned
// and its memberships; the same is done in memory, so that someone who
// registers the name again inherits nothing.
func (s *Server) accountChanged(name string, deleted bool) {
	if !deleted {
		return
	}
	s.login.kept.drop(name)
	s.mu.Lock()
	var affected []*room
	for r := range s.index.privateOf[name] {
		affected = append(affected, r)
	}
	s.mu.Unlock()
	for _, r := range affected {
		r.op.Lock() // lock order: op, then mu (see room)
		s.mu.Lock()
		switch {
		case r.gone:
		case r.owner == name:
			s.disbandLocked(r)
		case r.isMember(name):
			s.revokeMembershipLocked(r, name)
		}
		s.mu.Unlock()
		r.op.Unlock()
	}
}
