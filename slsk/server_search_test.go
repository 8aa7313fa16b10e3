package slsk

func init() {
	serverRequestCases = append(serverRequestCases,
		codecCase{
			name: "FileSearch/Nicotine+ (capture: token c1 d7 01 00, len=18)",
			raw:  cat(u32(26), u32(0x0001d7c1), str("artist")),
			msg:  &FileSearch{Token: 0x0001d7c1, Query: "artist"},
		},
		codecCase{
			name: "FileSearch/slsk-client (fake listener capture: token 8f 10 33 f3)",
			raw:  cat(u32(26), u32(0xf333108f), str("test song")),
			msg:  &FileSearch{Token: 0xf333108f, Query: "test song"},
		},
		codecCase{
			name: "FileSearchRoom (obsolete)",
			raw:  cat(u32(25), u32(5), u32(9), str("jazz")),
			msg:  &FileSearchRoom{Token: 5, RoomID: 9, Query: "jazz"},
		},
		codecCase{
			name: "UserSearch",
			raw: cat(
				u32(42),     // code
				str("bob"),  // target user
				u32(77),     // token
				str("flac"), // query
			),
			msg: &UserSearch{Username: "bob", Token: 77, Query: "flac"},
		},
		codecCase{
			name: "ExactFileSearch (obsolete, accepted)",
			raw: cat(
				u32(65),
				u32(3),               // token
				str("song.mp3"),      // file
				str("Music\\Artist"), // folder
				u64(200000),          // size
				u32(0xdeadbeef),      // checksum
				[]byte{0},            // unknown byte
			),
			msg: &ExactFileSearch{Token: 3, Filename: "song.mp3", Folder: "Music\\Artist", Size: 200000, Checksum: 0xdeadbeef},
		},
		codecCase{
			name: "WishlistSearch",
			raw:  cat(u32(103), u32(99), str("rare live")),
			msg:  &WishlistSearch{Token: 99, Query: "rare live"},
		},
		codecCase{
			name: "RoomSearch",
			raw:  cat(u32(120), str("testroom"), u32(12), str("ambient")),
			msg:  &RoomSearch{Room: "testroom", Token: 12, Query: "ambient"},
		},
		codecCase{
			name: "RelatedSearch (obsolete)",
			raw:  cat(u32(153), str("artist")),
			msg:  &RelatedSearch{Query: "artist"},
		},
	)
	serverReplyCases = append(serverReplyCases,
		codecCase{
			name: "FileSearchReply/Soulfind direct delivery (capture, len=28)",
			raw: cat(
				u32(26),         // code
				str("nuser2"),   // searcher
				u32(0x0001d7c1), // token
				str("artist"),   // query
			),
			msg: &FileSearchReply{Username: "nuser2", Token: 0x0001d7c1, Query: "artist"},
		},
		codecCase{
			name: "FileSearchReply/aioslsk search (capture, len=32)",
			raw:  cat(u32(26), str("aiouser"), u32(2), str("test_song")),
			msg:  &FileSearchReply{Username: "aiouser", Token: 2, Query: "test_song"},
		},
		codecCase{
			name: "WishlistInterval/720 s (Soulfind capture: d0 02 00 00)",
			raw:  cat(u32(104), u32(720)),
			msg:  &WishlistInterval{Seconds: 720},
		},
		codecCase{
			name: "RelatedSearchReply/empty list as the official server sends",
			raw:  cat(u32(153), str("artist"), u32(0)),
			msg:  &RelatedSearchReply{Query: "artist"},
		},
		codecCase{
			name: "RelatedSearchReply/one term",
			raw:  cat(u32(153), str("artist"), u32(1), str("band"), u32(3)),
			msg:  &RelatedSearchReply{Query: "artist", Terms: []Recommendation{{"band", 3}}},
		},
		codecCase{
			name: "ExcludedSearchPhrases/empty (Soulfind capture)",
			raw:  cat(u32(160), u32(0)),
			msg:  &ExcludedSearchPhrases{},
		},
		codecCase{
			name: "ExcludedSearchPhrases/two phrases",
			raw:  cat(u32(160), u32(2), str("badword"), str("other phrase")),
			msg:  &ExcludedSearchPhrases{Phrases: []string{"badword", "other phrase"}},
		},
	)
}
