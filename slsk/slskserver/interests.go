package slskserver

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strings"

	"github.com/revival-net/revival/internal/store"
	"github.com/revival-net/revival/slsk"
)

func init() {
	on(handleAddThingILike)
	on(handleRemoveThingILike)
	on(handleAddThingIHate)
	on(handleRemoveThingIHate)
	on(handleUserInterests)
	on(handleRecommendations)
	on(handleGlobalRecommendations)
	on(handleSimilarUsers)
	on(handleItemRecommendations)
	on(handleItemSimilarUsers)
	on(handleSimilarRecommendations)
	on(handleMyRecommendations)
}

// Interest limits: Soulfind's 64 bytes per item and 30 items per list,
// and the list sizes of spec §2.2 (100 for personal and item lists, 200
// for the global one). maxSimilarUsers is ours; the official limit is
// unknown.
const (
	likesKey                 = "slsk.likes"
	hatesKey                 = "slsk.hates"
	maxInterestLen           = 64
	maxInterests             = 30
	maxRecommendations       = 100
	maxGlobalRecommendations = 200
	maxSimilarUsers          = 500
)

// interestSet reads one of a user's stored interest lists (likes or
// hates) from the user's settings, already loaded at login (vals).
func (s *Server) interestSet(name, key string, vals map[string]string) map[string]struct{} {
	set := map[string]struct{}{}
	v, ok := vals[key]
	if !ok {
		return set
	}
	var items []string
	if err := json.Unmarshal([]byte(v), &items); err != nil {
		s.log.Warn("ignoring unreadable stored interests", "user", name, "key", key, "err", err)
		return set
	}
	for _, it := range items {
		if len(set) < maxInterests {
			set[it] = struct{}{}
		}
	}
	return set
}

// handleAddThingILike adds a liked item (spec §2 code 51).
func handleAddThingILike(s *Server, u *session, m *slsk.AddThingILike) error {
	s.changeInterest(u, likesKey, m.Item, true)
	return nil
}

// handleRemoveThingILike removes a liked item (spec §2 code 52).
func handleRemoveThingILike(s *Server, u *session, m *slsk.RemoveThingILike) error {
	s.changeInterest(u, likesKey, m.Item, false)
	return nil
}

// handleAddThingIHate adds a hated item (spec §2 code 117).
func handleAddThingIHate(s *Server, u *session, m *slsk.AddThingIHate) error {
	s.changeInterest(u, hatesKey, m.Item, true)
	return nil
}

// handleRemoveThingIHate removes a hated item (spec §2 code 118).
func handleRemoveThingIHate(s *Server, u *session, m *slsk.RemoveThingIHate) error {
	s.changeInterest(u, hatesKey, m.Item, false)
	return nil
}

// changeInterest adds or removes one liked or hated item (spec §2 codes
// 51, 52, 117, 118). As Soulfind does, items are lower-cased (so "Jazz" and
// "jazz" match in recommendations), and empty items, items over
// maxInterestLen bytes and items past maxInterests are ignored.
//
// The change is made in memory only, where every reply reads it, and the
// list is marked for saving by flushInterests, as statistics are: a client
// alternating Add and Remove made one store write each, 31,000 a second
// from one address (issue 5, finding 10). A session that has logged out or
// been replaced by a relogin changes nothing: its lists were handed on or
// saved.
func (s *Server) changeInterest(u *session, key, item string, add bool) {
	item = strings.ToLower(item)
	if add && (item == "" || len(item) > maxInterestLen) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if u.loggedOut || s.users[u.name] != u {
		return
	}
	set := &u.likes
	if key == hatesKey {
		set = &u.hates
	}
	if *set == nil {
		*set = map[string]struct{}{}
	}
	_, has := (*set)[item]
	if add == has || (add && len(*set) >= maxInterests) {
		return
	}
	if add {
		(*set)[item] = struct{}{}
	} else {
		delete(*set, item)
	}
	u.interestsDirty = true
}

// flushInterests saves the interests of online users that changed since
// they were last saved. It runs with the statistics flush, so a killed
// server loses at most statsFlushInterval of interest changes.
func (s *Server) flushInterests() {
	s.mu.Lock()
	var todo []*session
	for _, u := range s.users {
		if u.interestsDirty {
			todo = append(todo, u)
		}
	}
	s.mu.Unlock()
	for _, u := range todo {
		s.saveInterests(u)
	}
}

// saveInterests writes u's likes and hates if they changed since last
// saved; logout calls it so that a user's last changes are kept. The
// lists are copied under mu and written outside it. interestsMu makes
// saves one at a time, so an older copy can never be written after a
// newer one (a periodic flush and a logout of the same user).
func (s *Server) saveInterests(u *session) {
	s.interestsMu.Lock()
	defer s.interestsMu.Unlock()
	s.mu.Lock()
	if !u.interestsDirty {
		s.mu.Unlock()
		return
	}
	u.interestsDirty = false
	lists := map[string][]string{likesKey: sortedNames(u.likes), hatesKey: sortedNames(u.hates)}
	s.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	// An operator may have deleted the account (which deletes its
	// settings) while it was online; its logout must not write them back
	// for whoever registers the name next.
	if _, err := s.opts.Hub.Store.Users().Get(ctx, u.name); errors.Is(err, store.ErrNotFound) {
		return
	}
	for key, list := range lists {
		v, _ := json.Marshal(list) // a []string always marshals
		if err := s.opts.Hub.Store.Settings().Set(ctx, u.name, key, string(v)); err != nil {
			s.log.Error("saving interests failed", "user", u.name, "key", key, "err", err)
		}
	}
}

// carryInterestsLocked hands a relogging user's interests from the
// replaced session to the new one: they may be newer than what the new
// session loaded from the store. The new session saves them. Caller holds
// mu.
func (s *Server) carryInterestsLocked(old, u *session) {
	u.likes, u.hates = maps.Clone(old.likes), maps.Clone(old.hates)
	u.interestsDirty = u.interestsDirty || old.interestsDirty
	old.interestsDirty = false
}

// handleUserInterests answers with an online user's likes and hates, and
// empty lists for anyone else (spec §2 code 57).
func handleUserInterests(s *Server, u *session, m *slsk.UserInterests) error {
	if ok, err := s.lookupCheck(u); !ok {
		return err
	}
	reply := &slsk.UserInterestsReply{Username: m.Username}
	s.mu.Lock()
	if o := s.users[m.Username]; o != nil {
		reply.Likes, reply.Hates = sortedNames(o.likes), sortedNames(o.hates)
	}
	s.mu.Unlock()
	u.send(reply)
	return nil
}

// recommendAllowed throttles the recommendation requests, which scan
// every online user under the lock, with the search flood limit.
func (s *Server) recommendAllowed(u *session) (bool, error) {
	return s.searchCheck(u, "search")
}

// handleRecommendations answers with personal recommendations (spec §2
// code 54, §2.2).
func handleRecommendations(s *Server, u *session, _ *slsk.Recommendations) error {
	if ok, err := s.recommendAllowed(u); !ok {
		return err
	}
	s.mu.Lock()
	scores := s.personalScoresLocked(u)
	s.mu.Unlock()
	recs, unrecs := rankScores(scores, maxRecommendations)
	u.send(&slsk.RecommendationsReply{Recommendations: recs, Unrecommendations: unrecs})
	return nil
}

// handleGlobalRecommendations answers with likes minus hates over every
// online user (spec §2 code 56, §2.2).
func handleGlobalRecommendations(s *Server, u *session, _ *slsk.GlobalRecommendations) error {
	if ok, err := s.recommendAllowed(u); !ok {
		return err
	}
	scores := map[string]int{}
	s.mu.Lock()
	for _, o := range s.users {
		for it := range o.likes {
			scores[it]++
		}
		for it := range o.hates {
			scores[it]--
		}
	}
	s.mu.Unlock()
	recs, unrecs := rankScores(scores, maxGlobalRecommendations)
	u.send(&slsk.GlobalRecommendationsReply{Recommendations: recs, Unrecommendations: unrecs})
	return nil
}

// personalScoresLocked scores items for u following aioslsk's model of the
// official server (spec §2.2): every other online user o counts once per
// item of u's that it matches. A like both share adds o's likes and
// subtracts o's hates; u's like that o hates, and u's hate that o likes,
// each subtract o's likes. u's own items are left out.
func (s *Server) personalScoresLocked(u *session) map[string]int {
	scores := map[string]int{}
	for _, o := range s.users {
		if o == u {
			continue
		}
		shared, likeHated, hateLiked := 0, 0, 0
		for it := range u.likes {
			if _, ok := o.likes[it]; ok {
				shared++
			}
			if _, ok := o.hates[it]; ok {
				likeHated++
			}
		}
		for it := range u.hates {
			if _, ok := o.likes[it]; ok {
				hateLiked++
			}
		}
		if shared+likeHated+hateLiked == 0 {
			continue
		}
		for it := range o.likes {
			scores[it] += shared - likeHated - hateLiked
		}
		for it := range o.hates {
			scores[it] -= shared
		}
	}
	for it := range u.likes {
		delete(scores, it)
	}
	for it := range u.hates {
		delete(scores, it)
	}
	return scores
}

// rankScores drops zero scores and returns the n highest, highest first,
// and the n lowest, lowest first (spec §2.2). As on the official server
// the two lists overlap when fewer than 2n items have a score. Ties are
// broken by name so answers are stable.
func rankScores(scores map[string]int, n int) (recs, unrecs []slsk.Recommendation) {
	all := make([]slsk.Recommendation, 0, len(scores))
	for it, sc := range scores {
		if sc != 0 {
			all = append(all, slsk.Recommendation{Item: it, Score: int32(sc)})
		}
	}
	slices.SortFunc(all, func(a, b slsk.Recommendation) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(a.Item, b.Item))
	})
	recs = slices.Clone(all[:min(n, len(all))])
	slices.Reverse(all)
	unrecs = all[:min(n, len(all))]
	return recs, unrecs
}

// handleSimilarUsers lists the other online users sharing likes with u,
// rated by how many they share (spec §2 code 110).
func handleSimilarUsers(s *Server, u *session, _ *slsk.SimilarUsers) error {
	if ok, err := s.recommendAllowed(u); !ok {
		return err
	}
	var users []slsk.SimilarUser
	s.mu.Lock()
	for _, o := range s.users {
		if o == u {
			continue
		}
		n := 0
		for it := range u.likes {
			if _, ok := o.likes[it]; ok {
				n++
			}
		}
		if n > 0 {
			users = append(users, slsk.SimilarUser{Username: o.name, Rating: uint32(n)})
		}
	}
	s.mu.Unlock()
	slices.SortFunc(users, func(a, b slsk.SimilarUser) int {
		return cmp.Or(cmp.Compare(b.Rating, a.Rating), cmp.Compare(a.Username, b.Username))
	})
	u.send(&slsk.SimilarUsersReply{Users: users[:min(len(users), maxSimilarUsers)]})
	return nil
}

// handleItemRecommendations scores items over the other online users who
// like the item: their likes count up, their hates down; the item itself
// is left out (spec §2 code 111, §2.2).
func handleItemRecommendations(s *Server, u *session, m *slsk.ItemRecommendations) error {
	if ok, err := s.recommendAllowed(u); !ok {
		return err
	}
	item := strings.ToLower(m.Item)
	scores := map[string]int{}
	s.mu.Lock()
	for _, o := range s.users {
		if _, ok := o.likes[item]; !ok || o == u {
			continue
		}
		for it := range o.likes {
			scores[it]++
		}
		for it := range o.hates {
			scores[it]--
		}
	}
	s.mu.Unlock()
	delete(scores, item)
	recs, _ := rankScores(scores, maxRecommendations)
	u.send(&slsk.ItemRecommendationsReply{Item: m.Item, Recommendations: recs})
	return nil
}

// handleItemSimilarUsers lists the online users, the caller included, who
// like the item (spec §2 code 112, §2.2).
func handleItemSimilarUsers(s *Server, u *session, m *slsk.ItemSimilarUsers) error {
	if ok, err := s.recommendAllowed(u); !ok {
		return err
	}
	item := strings.ToLower(m.Item)
	var names []string
	s.mu.Lock()
	for _, o := range s.users {
		if _, ok := o.likes[item]; ok {
			names = append(names, o.name)
		}
	}
	s.mu.Unlock()
	slices.Sort(names)
	u.send(&slsk.ItemSimilarUsersReply{Item: m.Item, Usernames: names[:min(len(names), maxSimilarUsers)]})
	return nil
}

// handleSimilarRecommendations answers the obsolete code 50 with an empty
// list, as the official server and Soulfind do (spec §2).
func handleSimilarRecommendations(s *Server, u *session, m *slsk.SimilarRecommendations) error {
	u.send(&slsk.SimilarRecommendationsReply{Item: m.Item})
	return nil
}

// handleMyRecommendations answers the obsolete code 55 with an empty list
// (spec §2).
func handleMyRecommendations(s *Server, u *session, _ *slsk.MyRecommendations) error {
	u.send(&slsk.MyRecommendationsReply{})
	return nil
}
