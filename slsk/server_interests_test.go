package slsk

func init() {
	serverRequestCases = append(serverRequestCases,
		codecCase{name: "AddThingILike", raw: cat(u32(51), str("jazz")), msg: &AddThingILike{Item: "jazz"}},
		codecCase{name: "RemoveThingILike", raw: cat(u32(52), str("jazz")), msg: &RemoveThingILike{Item: "jazz"}},
		codecCase{name: "AddThingIHate", raw: cat(u32(117), str("noise")), msg: &AddThingIHate{Item: "noise"}},
		codecCase{name: "RemoveThingIHate", raw: cat(u32(118), str("noise")), msg: &RemoveThingIHate{Item: "noise"}},
		codecCase{name: "SimilarRecommendations request (obsolete)", raw: cat(u32(50), str("jazz")), msg: &SimilarRecommendations{Item: "jazz"}},
		codecCase{name: "Recommendations request (empty)", raw: u32(54), msg: &Recommendations{}},
		codecCase{name: "MyRecommendations request (empty, obsolete)", raw: u32(55), msg: &MyRecommendations{}},
		codecCase{name: "GlobalRecommendations request (empty)", raw: u32(56), msg: &GlobalRecommendations{}},
		codecCase{name: "UserInterests request", raw: cat(u32(57), str("bob")), msg: &UserInterests{Username: "bob"}},
		codecCase{name: "SimilarUsers request (empty)", raw: u32(110), msg: &SimilarUsers{}},
		codecCase{name: "ItemRecommendations request", raw: cat(u32(111), str("jazz")), msg: &ItemRecommendations{Item: "jazz"}},
		codecCase{name: "ItemSimilarUsers request", raw: cat(u32(112), str("jazz")), msg: &ItemSimilarUsers{Item: "jazz"}},
	)
	serverReplyCases = append(serverReplyCases,
		codecCase{
			name: "SimilarRecommendationsReply/empty as the server sends",
			raw:  cat(u32(50), str("jazz"), u32(0)),
			msg:  &SimilarRecommendationsReply{Item: "jazz"},
		},
		codecCase{
			name: "SimilarRecommendationsReply/one entry",
			raw:  cat(u32(50), str("jazz"), u32(1), str("bebop")),
			msg:  &SimilarRecommendationsReply{Item: "jazz", Similar: []string{"bebop"}},
		},
		codecCase{
			name: "RecommendationsReply/likes and a negative unrecommendation",
			raw: cat(
				u32(54),
				u32(2), str("jazz"), u32(3), str("blues"), u32(1), // [2]{item, score}
				u32(1), str("noise"), u32(0xfffffffe), // [1]{item, score -2}
			),
			msg: &RecommendationsReply{
				Recommendations:   []Recommendation{{"jazz", 3}, {"blues", 1}},
				Unrecommendations: []Recommendation{{"noise", -2}},
			},
		},
		codecCase{
			name: "MyRecommendationsReply/empty (obsolete)",
			raw:  cat(u32(55), u32(0)),
			msg:  &MyRecommendationsReply{},
		},
		codecCase{
			name: "GlobalRecommendationsReply",
			raw:  cat(u32(56), u32(1), str("rock"), u32(10), u32(0)),
			msg:  &GlobalRecommendationsReply{Recommendations: []Recommendation{{"rock", 10}}},
		},
		codecCase{
			name: "UserInterestsReply",
			raw:  cat(u32(57), str("bob"), u32(2), str("jazz"), str("rock"), u32(1), str("noise")),
			msg:  &UserInterestsReply{Username: "bob", Likes: []string{"jazz", "rock"}, Hates: []string{"noise"}},
		},
		codecCase{
			name: "UserInterestsReply/unknown user",
			raw:  cat(u32(57), str("nobody"), u32(0), u32(0)),
			msg:  &UserInterestsReply{Username: "nobody"},
		},
		codecCase{
			name: "SimilarUsersReply",
			raw:  cat(u32(110), u32(2), str("alice"), u32(3), str("bob"), u32(1)),
			msg:  &SimilarUsersReply{Users: []SimilarUser{{"alice", 3}, {"bob", 1}}},
		},
		codecCase{
			name: "ItemRecommendationsReply",
			raw:  cat(u32(111), str("jazz"), u32(1), str("bebop"), u32(4)),
			msg:  &ItemRecommendationsReply{Item: "jazz", Recommendations: []Recommendation{{"bebop", 4}}},
		},
		codecCase{
			name: "ItemSimilarUsersReply",
			raw:  cat(u32(112), str("jazz"), u32(1), str("alice")),
			msg:  &ItemSimilarUsersReply{Item: "jazz", Usernames: []string{"alice"}},
		},
	)
}
