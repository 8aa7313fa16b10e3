package slskserver

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/revival-net/revival/slsk"
)

func set(items ...string) map[string]struct{} {
	m := map[string]struct{}{}
	for _, it := range items {
		m[it] = struct{}{}
	}
	return m
}

// The worked examples of aioslsk's "Get Recommendations" (the model spec
// §2.2 follows), with one other user online. Its example 3 (a user who
// likes and hates the same item) is left out: the documented answer
// contradicts the algorithm the same document gives.
func TestPersonalRecommendationExamples(t *testing.T) {
	type side struct{ likes, hates []string }
	cases := []struct {
		name       string
		you, other side
		want       map[string]int
	}{
		{"1", side{[]string{"item1"}, nil}, side{[]string{"item1", "item2"}, nil}, map[string]int{"item2": 1}},
		{"2", side{nil, []string{"item1"}}, side{[]string{"item1", "item2"}, []string{"item3"}}, map[string]int{"item2": -1}},
		{"4", side{[]string{"item1", "item2"}, nil}, side{[]string{"item1", "item2"}, []string{"item3", "item4"}}, map[string]int{"item3": -2, "item4": -2}},
		{"5", side{nil, []string{"item3"}}, side{[]string{"item1", "item2"}, []string{"item3", "item4"}}, map[string]int{}},
		{"6", side{[]string{"item3"}, nil}, side{[]string{"item1", "item2"}, []string{"item3", "item4"}}, map[string]int{"item1": -1, "item2": -1}},
		{"7", side{nil, []string{"item1"}}, side{[]string{"item1", "item2"}, []string{"item3", "item4"}}, map[string]int{"item2": -1}},
		{"8", side{[]string{"item3"}, []string{"item1"}}, side{[]string{"item1", "item2"}, []string{"item3", "item4"}}, map[string]int{"item2": -2}},
		{"9", side{[]string{"item1", "item2"}, nil}, side{[]string{"item1", "item2", "item5"}, []string{"item3", "item4"}}, map[string]int{"item5": 2, "item3": -2, "item4": -2}},
		{"10", side{[]string{"item1"}, nil}, side{[]string{"item1", "item2"}, []string{"item2"}}, map[string]int{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			you := &session{name: "you", likes: set(tc.you.likes...), hates: set(tc.you.hates...)}
			other := &session{name: "other", likes: set(tc.other.likes...), hates: set(tc.other.hates...)}
			s := &Server{users: map[string]*session{"you": you, "other": other}}
			got := s.personalScoresLocked(you)
			for it, sc := range got {
				if sc == 0 {
					delete(got, it) // rankScores drops zero scores
				}
			}
			if diff := cmp.Diff(tc.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("scores (-want +got):\n%s", diff)
			}
		})
	}
}

// Recommendations come highest first, unrecommendations lowest first,
// both capped, zero scores dropped; the lists overlap when short, as on
// the official server (spec §2.2).
func TestRankScores(t *testing.T) {
	recs, unrecs := rankScores(map[string]int{"a": 3, "b": -2, "c": 0, "d": 1, "e": 1}, 3)
	wantRecs := []slsk.Recommendation{{Item: "a", Score: 3}, {Item: "d", Score: 1}, {Item: "e", Score: 1}}
	wantUnrecs := []slsk.Recommendation{{Item: "b", Score: -2}, {Item: "e", Score: 1}, {Item: "d", Score: 1}}
	if diff := cmp.Diff(wantRecs, recs); diff != "" {
		t.Errorf("recommendations (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantUnrecs, unrecs); diff != "" {
		t.Errorf("unrecommendations (-want +got):\n%s", diff)
	}
}
