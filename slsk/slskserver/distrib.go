package slskserver

import (
	"fmt"
	"sort"

	"github.com/revival-net/revival/slsk"
)

// DistribMode chooses how global searches reach users (spec §4.3).
type DistribMode int

const (
	// DistribEveryoneRoot never offers parents: every online user is a
	// branch root and gets each search as EmbeddedMessage(93). This is the
	// aioslsk mock's default, verified with Nicotine+ and aioslsk; it costs
	// one frame per user per search.
	DistribEveryoneRoot DistribMode = iota
	// DistribTree builds a real tree: users without a parent are offered
	// up to ten PossibleParents; once they adopt one (HaveNoParent(0)) they
	// hear searches from their parent instead of the server, as on the
	// official network.
	DistribTree
	// DistribDirect bypasses the distributed network and sends FileSearch(26)
	// to every online user, as Soulfind does.
	DistribDirect
)

// ParseDistribMode reads a mode name as used in configuration.
func ParseDistribMode(s string) (DistribMode, error) {
	switch s {
	case "", "roots", "everyone-root":
		return DistribEveryoneRoot, nil
	case "tree":
		return DistribTree, nil
	case "direct":
		return DistribDirect, nil
	}
	return 0, fmt.Errorf("unknown distributed mode %q (want roots, tree or direct)", s)
}

// Values the server sends at login (spec §1.5: ParentMinSpeed 1 and
// ParentSpeedRatio 50, the official values).
const (
	parentMinSpeed   = 1
	parentSpeedRatio = 50
	maxParentOffers  = 10
)

// distState is what a user reported about its place in the tree (spec
// §4.3 item 1). Guarded by Server.mu.
type distState struct {
	haveNoParent   bool
	acceptChildren bool
	level          int32
	root           string
}

// isRoot reports whether the server should deliver searches to this user
// itself: it has no parent.
func (d distState) isRoot() bool { return d.haveNoParent }

// distributed is the server-wide tree bookkeeping (nothing beyond the
// per-session distState yet; kept as a type so the strategy can grow).
type distributed struct{}

func (d *distributed) removeLocked(*session) {}

func init() {
	on(handleHaveNoParent)
	on(handleAcceptChildren)
	on(handleBranchLevel)
	on(handleBranchRoot)
}

// handleHaveNoParent: true means the client wants a parent (offer some in
// tree mode) and is a branch root meanwhile; false means it has one, so the
// server stops sending it searches (spec §4.3 item 2).
func handleHaveNoParent(s *Server, u *session, m *slsk.HaveNoParent) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	u.dist.haveNoParent = m.NoParent
	if m.NoParent && s.opts.Distributed == DistribTree {
		s.offerParentsLocked(u)
	}
	return nil
}

func handleAcceptChildren(s *Server, u *session, m *slsk.AcceptChildren) error {
	s.mu.Lock()
	u.dist.acceptChildren = m.Accept
	s.mu.Unlock()
	return nil
}

func handleBranchLevel(s *Server, u *session, m *slsk.BranchLevel) error {
	s.mu.Lock()
	u.dist.level = m.Level
	s.mu.Unlock()
	return nil
}

// handleBranchRoot stores the reported root; a root that is not online
// means the client's branch is stale, so it is told to reset (spec §4.3
// item 4, aioslsk's model).
func handleBranchRoot(s *Server, u *session, m *slsk.BranchRoot) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	u.dist.root = m.Root
	if m.Root != "" && m.Root != u.name && s.users[m.Root] == nil {
		u.send(&slsk.ResetDistributed{})
	}
	return nil
}

// offerParentsLocked sends u up to ten parent candidates (spec §4.3 item 3):
// online users that accept children, have a reachable port, are at least
// as fast, and are not in u's own branch (that would make a cycle). The
// fastest come first.
func (s *Server) offerParentsLocked(u *session) {
	var cands []*session
	for _, o := range s.users {
		if o == u || !o.dist.acceptChildren || o.port == 0 || o.dist.root == u.name {
			continue
		}
		if o.stats.AvgSpeed < u.stats.AvgSpeed {
			continue
		}
		cands = append(cands, o)
	}
	if len(cands) == 0 {
		return
	}
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].stats.AvgSpeed != cands[j].stats.AvgSpeed {
			return cands[i].stats.AvgSpeed > cands[j].stats.AvgSpeed
		}
		return cands[i].name < cands[j].name
	})
	if len(cands) > maxParentOffers {
		cands = cands[:maxParentOffers]
	}
	m := &slsk.PossibleParents{}
	for _, c := range cands {
		m.Parents = append(m.Parents, slsk.PossibleParent{Username: c.name, IP: c.ip, Port: c.port})
	}
	u.send(m)
}

// offerParentsToOrphans re-offers parents to every user still without one;
// the tree mode runs it about once a minute (spec §4.3 item 3).
func (s *Server) offerParentsToOrphans() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, u := range s.users {
		if u.dist.haveNoParent {
			s.offerParentsLocked(u)
		}
	}
}
