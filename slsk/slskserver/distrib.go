package slskserver

import (
	"fmt"
	"sort"
	"time"

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
	lastOffer      time.Time // when PossibleParents was last sent
}

// isRoot reports whether the server should deliver searches to this user
// itself: it has no parent.
func (d distState) isRoot() bool { return d.haveNoParent }

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
	// In tree mode each HaveNoParent(1) scans the candidates under mu.
	if m.NoParent && s.opts.Distributed == DistribTree {
		if ok, err := s.fanoutCheck(u); !ok {
			return err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u.dist.haveNoParent = m.NoParent
	if m.NoParent && s.opts.Distributed == DistribTree {
		s.offerParentsLocked(u, s.parentCandidatesLocked(), s.opts.Now())
	}
	return nil
}

// handleAcceptChildren records whether the user may be offered as a
// parent. In tree mode, a user that starts accepting children is offered
// at once to users still waiting for a parent, instead of at the next
// periodic round: a parent that was full a moment ago (clients try several
// candidates at once) must not leave orphans waiting a minute.
func handleAcceptChildren(s *Server, u *session, m *slsk.AcceptChildren) error {
	tree := s.opts.Distributed == DistribTree
	if tree && m.Accept {
		if ok, err := s.fanoutCheck(u); !ok {
			return err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	opened := m.Accept && !u.dist.acceptChildren
	u.dist.acceptChildren = m.Accept
	if !tree || !opened || u.port == 0 {
		return nil
	}
	cands := []*session{u}
	now := s.opts.Now()
	for _, o := range s.users {
		if o != u && o.dist.haveNoParent && now.Sub(o.dist.lastOffer) >= minOfferGap {
			s.offerParentsLocked(o, cands, now)
		}
	}
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

// parentCandidatesLocked lists the users that may be offered as parents:
// they accept children and have a reachable port. Fastest first, then by
// name, so offers are stable. Built once per round of offers.
func (s *Server) parentCandidatesLocked() []*session {
	var cands []*session
	for _, o := range s.users {
		if o.dist.acceptChildren && o.port != 0 && !o.loggedOut {
			cands = append(cands, o)
		}
	}
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].stats.AvgSpeed != cands[j].stats.AvgSpeed {
			return cands[i].stats.AvgSpeed > cands[j].stats.AvgSpeed
		}
		return cands[i].name < cands[j].name
	})
	return cands
}

// minOfferGap keeps the periodic round from re-offering parents to a user
// that was just offered some (it is still connecting to them). A user's own
// HaveNoParent(1) is answered at once; it is charged to the fan-out bucket.
const minOfferGap = 2 * time.Second

// offerParentsLocked sends u up to ten parents from cands (spec §4.3 item
// 3): at least as fast as u, not u, and not in u's own branch (that would
// make a cycle). Because cands is sorted fastest first, the scan stops at
// the first candidate slower than u.
func (s *Server) offerParentsLocked(u *session, cands []*session, now time.Time) {
	m := &slsk.PossibleParents{}
	for _, c := range cands {
		if c.stats.AvgSpeed < u.stats.AvgSpeed || len(m.Parents) == maxParentOffers {
			break
		}
		if c == u || c.dist.root == u.name {
			continue
		}
		m.Parents = append(m.Parents, slsk.PossibleParent{Username: c.name, IP: c.ip, Port: c.port})
	}
	if len(m.Parents) > 0 {
		u.dist.lastOffer = now
		u.send(m)
	}
}

// offerParentsToOrphans re-offers parents to every user still without one;
// the tree mode runs it about once a minute (spec §4.3 item 3).
func (s *Server) offerParentsToOrphans() {
	s.mu.Lock()
	defer s.mu.Unlock()
	cands := s.parentCandidatesLocked()
	now := s.opts.Now()
	for _, u := range s.users {
		if u.dist.haveNoParent && now.Sub(u.dist.lastOffer) >= minOfferGap {
			s.offerParentsLocked(u, cands, now)
		}
	}
}
