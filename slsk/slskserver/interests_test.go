package slskserver_test

import (
	"strings"
	"testing"

	"github.com/revival-net/revival/slsk"
	"github.com/revival-net/revival/slsk/slsktest"
)

func like(c *slsktest.Client, items ...string) {
	for _, it := range items {
		c.Send(&slsk.AddThingILike{Item: it})
	}
}

func hate(c *slsktest.Client, items ...string) {
	for _, it := range items {
		c.Send(&slsk.AddThingIHate{Item: it})
	}
}

// Likes and hates (spec §2 codes 51, 52, 117, 118, 57): lower-cased,
// capped at 64 bytes and 30 items as Soulfind does, shown to others by
// UserInterests, kept across a restart; unknown users have none.
func TestInterestsAndUserInterests(t *testing.T) {
	h := slsktest.Start(t)
	alice, bob := h.Login("alice"), h.Login("bob")
	like(alice, "Jazz", "rock", "jazz", "", strings.Repeat("x", 65))
	hate(alice, "noise", "polka")
	alice.Send(&slsk.RemoveThingILike{Item: "ROCK"})
	alice.Send(&slsk.RemoveThingIHate{Item: "polka"})
	alice.Send(&slsk.RemoveThingIHate{Item: "never added"})
	alice.Sync()

	want := &slsk.UserInterestsReply{Username: "alice", Likes: []string{"jazz"}, Hates: []string{"noise"}}
	bob.Send(&slsk.UserInterests{Username: "alice"})
	bob.Expect(want)
	bob.Send(&slsk.UserInterests{Username: "nobody"})
	bob.Expect(&slsk.UserInterestsReply{Username: "nobody"})

	var many []string
	for i := range 40 {
		many = append(many, "item"+string(rune('a'+i%26))+string(rune('a'+i/26)))
	}
	hate(bob, many...)
	bob.Send(&slsk.UserInterests{Username: "bob"})
	if got := bob.SkipUntil(slsk.CodeUserInterests).(*slsk.UserInterestsReply); len(got.Hates) != 30 {
		t.Fatalf("bob has %d hated items, want the first 30 of 40", len(got.Hates))
	}

	h.Restart()
	alice = h.Login("alice")
	bob = h.Login("bob")
	bob.Send(&slsk.UserInterests{Username: "alice"})
	bob.Expect(want)
}

// Global recommendations count likes minus hates over online users;
// personal, item and similar-user answers follow spec §2.2; the obsolete
// codes 50 and 55 get empty lists.
func TestRecommendations(t *testing.T) {
	h := slsktest.Start(t)
	you, other, third := h.Login("you"), h.Login("other"), h.Login("third")
	like(you, "item1", "item2")
	like(other, "item1", "item2", "item5")
	hate(other, "item3", "item4")
	like(third, "item5", "item1")
	hate(third, "item2")
	for _, c := range []*slsktest.Client{you, other, third} {
		c.Sync()
	}

	you.Send(&slsk.GlobalRecommendations{})
	// item1: +3, item2: +2 −1, item5: +2, item3: −1, item4: −1.
	you.Expect(&slsk.GlobalRecommendationsReply{
		Recommendations: []slsk.Recommendation{
			{Item: "item1", Score: 3}, {Item: "item5", Score: 2}, {Item: "item2", Score: 1},
			{Item: "item3", Score: -1}, {Item: "item4", Score: -1},
		},
		Unrecommendations: []slsk.Recommendation{
			{Item: "item4", Score: -1}, {Item: "item3", Score: -1},
			{Item: "item2", Score: 1}, {Item: "item5", Score: 2}, {Item: "item1", Score: 3},
		},
	})

	// other shares 2 likes (item5 +2, item3/item4 −2); third shares item1
	// but hates item2, which you like (item5 +1 −1 = 0).
	you.Send(&slsk.Recommendations{})
	you.Expect(&slsk.RecommendationsReply{
		Recommendations: []slsk.Recommendation{
			{Item: "item5", Score: 2}, {Item: "item3", Score: -2}, {Item: "item4", Score: -2},
		},
		Unrecommendations: []slsk.Recommendation{
			{Item: "item4", Score: -2}, {Item: "item3", Score: -2}, {Item: "item5", Score: 2},
		},
	})

	you.Send(&slsk.SimilarUsers{})
	you.Expect(&slsk.SimilarUsersReply{Users: []slsk.SimilarUser{{Username: "other", Rating: 2}, {Username: "third", Rating: 1}}})

	// Over the others who like item5: other and third.
	you.Send(&slsk.ItemRecommendations{Item: "item5"})
	you.Expect(&slsk.ItemRecommendationsReply{Item: "item5", Recommendations: []slsk.Recommendation{
		{Item: "item1", Score: 2}, {Item: "item3", Score: -1}, {Item: "item4", Score: -1},
	}})
	you.Send(&slsk.ItemSimilarUsers{Item: "item1"})
	you.Expect(&slsk.ItemSimilarUsersReply{Item: "item1", Usernames: []string{"other", "third", "you"}})

	you.Send(&slsk.SimilarRecommendations{Item: "item1"})
	you.Expect(&slsk.SimilarRecommendationsReply{Item: "item1"})
	you.Send(&slsk.MyRecommendations{})
	you.Expect(&slsk.MyRecommendationsReply{})

	// Users who log out no longer count.
	other.Close()
	third.Close()
	for h.Server.Online() > 1 {
		you.Sync()
	}
	you.Send(&slsk.GlobalRecommendations{})
	you.Expect(&slsk.GlobalRecommendationsReply{
		Recommendations:   []slsk.Recommendation{{Item: "item1", Score: 1}, {Item: "item2", Score: 1}},
		Unrecommendations: []slsk.Recommendation{{Item: "item2", Score: 1}, {Item: "item1", Score: 1}},
	})
}
