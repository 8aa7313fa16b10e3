package slsk

func init() {
	serverRequestCases = append(serverRequestCases,
		codecCase{
			name: "SayChatroom (Nicotine+ capture)",
			raw:  cat(u32(13), str("testroom"), str("hello from A")),
			msg:  &SayChatroom{Room: "testroom", Message: "hello from A"},
		},
		codecCase{
			name: "JoinRoom/public with private=0 (Nicotine+ capture, len=20)",
			raw: cat(
				u32(14),         // code
				str("testroom"), // room
				u32(0),          // private flag
			),
			msg: &JoinRoom{Room: "testroom"},
		},
		codecCase{
			name: "JoinRoom/create private",
			raw:  cat(u32(14), str("secret"), u32(1)),
			msg:  &JoinRoom{Room: "secret", Private: true},
		},
		codecCase{
			name: "LeaveRoom request",
			raw:  cat(u32(15), str("testroom")),
			msg:  &LeaveRoom{Room: "testroom"},
		},
		codecCase{
			name: "RoomList request (empty, capture: 04 00 00 00 40 00 00 00)",
			raw:  u32(64),
			msg:  &RoomList{},
		},
		codecCase{
			name: "SetRoomTicker",
			raw:  cat(u32(116), str("testroom"), str("now playing: x")),
			msg:  &SetRoomTicker{Room: "testroom", Ticker: "now playing: x"},
		},
		codecCase{
			name: "JoinGlobalRoom (empty)",
			raw:  u32(150),
			msg:  &JoinGlobalRoom{},
		},
		codecCase{
			name: "LeaveGlobalRoom (empty)",
			raw:  u32(151),
			msg:  &LeaveGlobalRoom{},
		},
	)
	serverReplyCases = append(serverReplyCases,
		codecCase{
			name: "SayChatroomReply/echo to sender (Soulfind capture, len=44)",
			raw:  cat(u32(13), str("testroom"), str("testuser"), str("hello from A")),
			msg:  &SayChatroomReply{Room: "testroom", Username: "testuser", Message: "hello from A"},
		},
		codecCase{
			name: "JoinRoomReply/public, one user (Soulfind capture, len=80)",
			raw: cat(
				u32(14),                 // code JoinRoom
				str("testroom"),         // room
				u32(1), str("testuser"), // [1] names
				u32(1), u32(2), // [1] statuses: online
				u32(1), srvStats(0, 0, 0, 1, 2), // [1] stats
				u32(1), u32(0), // [1] slotsfull
				u32(1), str(""), // [1] countries; public: nothing follows
			),
			msg: &JoinRoomReply{Room: "testroom", Users: []RoomUser{
				{Username: "testuser", Status: StatusOnline, Stats: UserStats{Files: 1, Dirs: 2}},
			}},
		},
		codecCase{
			name: "JoinRoomReply/public, two users (Soulfind capture, len=122)",
			raw: cat(
				u32(14), str("testroom"),
				u32(2), str("testuser"), str("nuser2"), // names
				u32(2), u32(2), u32(2), // statuses
				u32(2), srvStats(0, 0, 0, 1, 2), srvStats(0, 0, 0, 0, 0), // stats
				u32(2), u32(0), u32(0), // slotsfull
				u32(2), str(""), str(""), // countries
			),
			msg: &JoinRoomReply{Room: "testroom", Users: []RoomUser{
				{Username: "testuser", Status: StatusOnline, Stats: UserStats{Files: 1, Dirs: 2}},
				{Username: "nuser2", Status: StatusOnline},
			}},
		},
		codecCase{
			name: "JoinRoomReply/private room adds owner and operators",
			raw: cat(
				u32(14), str("secret"),
				u32(1), str("bob"),
				u32(1), u32(1),
				u32(1), srvStats(10, 1, 0, 5, 1),
				u32(1), u32(1),
				u32(1), str("NL"),
				str("alice"),       // owner (private only)
				u32(1), str("bob"), // [1] operators
			),
			msg: &JoinRoomReply{
				Room: "secret",
				Users: []RoomUser{{Username: "bob", Status: StatusAway,
					Stats: UserStats{AvgSpeed: 10, UploadNum: 1, Files: 5, Dirs: 1}, SlotsFull: 1, Country: "NL"}},
				Private: true, Owner: "alice", Operators: []string{"bob"},
			},
		},
		codecCase{
			name: "JoinRoomReply/empty private room",
			raw:  cat(u32(14), str("secret"), u32(0), u32(0), u32(0), u32(0), u32(0), str("alice"), u32(0)),
			msg:  &JoinRoomReply{Room: "secret", Private: true, Owner: "alice"},
		},
		codecCase{
			name: "LeaveRoom echo",
			raw:  cat(u32(15), str("testroom")),
			msg:  &LeaveRoom{Room: "testroom"},
		},
		codecCase{
			name: "UserJoinedRoom (Soulfind capture, len=60)",
			raw: cat(
				u32(16),                 // code
				str("testroom"),         // room
				str("testuser"),         // user
				u32(2),                  // status
				srvStats(0, 0, 0, 1, 2), // stats
				u32(0),                  // slotsfull
				str(""),                 // country
			),
			msg: &UserJoinedRoom{Room: "testroom", User: RoomUser{Username: "testuser", Status: StatusOnline, Stats: UserStats{Files: 1, Dirs: 2}}},
		},
		codecCase{
			name: "UserLeftRoom (Soulfind capture, len=26)",
			raw:  cat(u32(17), str("testroom"), str("nuser2")),
			msg:  &UserLeftRoom{Room: "testroom", Username: "nuser2"},
		},
		codecCase{
			name: "RoomAdded (obsolete)",
			raw:  cat(u32(62), str("newroom")),
			msg:  &RoomAdded{Room: "newroom"},
		},
		codecCase{
			name: "RoomRemoved (obsolete)",
			raw:  cat(u32(63), str("oldroom")),
			msg:  &RoomRemoved{Room: "oldroom"},
		},
		codecCase{
			name: "RoomListReply/empty (Soulfind capture, len=32)",
			raw: cat(
				u32(64),        // code
				u32(0), u32(0), // public names, counts
				u32(0), u32(0), // owned private names, counts
				u32(0), u32(0), // member-of private names, counts
				u32(0), // operated private names (no counts)
			),
			msg: &RoomListReply{},
		},
		codecCase{
			name: "RoomListReply/one public room (Soulfind capture, len=48)",
			raw: cat(
				u32(64),
				u32(1), str("testroom"), u32(1), u32(1), // [1] public, [1] counts: 1 user
				u32(0), u32(0), u32(0), u32(0), u32(0),
			),
			msg: &RoomListReply{Public: []RoomCount{{Room: "testroom", Users: 1}}},
		},
		codecCase{
			name: "RoomListReply/every list, operated without counts",
			raw: cat(
				u32(64),
				u32(2), str("a"), str("b"), u32(2), u32(10), u32(20), // public
				u32(1), str("mine"), u32(1), u32(3), // owned
				u32(1), str("theirs"), u32(1), u32(4), // member of
				u32(1), str("theirs"), // operated: names only
			),
			msg: &RoomListReply{
				Public:   []RoomCount{{"a", 10}, {"b", 20}},
				Owned:    []RoomCount{{"mine", 3}},
				Member:   []RoomCount{{"theirs", 4}},
				Operated: []string{"theirs"},
			},
		},
		codecCase{
			name: "RoomTickers/empty (Soulfind capture code 113, len=20)",
			raw:  cat(u32(113), str("testroom"), u32(0)),
			msg:  &RoomTickers{Room: "testroom"},
		},
		codecCase{
			name: "RoomTickers/two tickers",
			raw:  cat(u32(113), str("testroom"), u32(2), str("alice"), str("hi"), str("bob"), str("yo")),
			msg:  &RoomTickers{Room: "testroom", Tickers: []RoomTicker{{"alice", "hi"}, {"bob", "yo"}}},
		},
		codecCase{
			name: "RoomTickerAdded",
			raw:  cat(u32(114), str("testroom"), str("alice"), str("hi")),
			msg:  &RoomTickerAdded{Room: "testroom", Username: "alice", Ticker: "hi"},
		},
		codecCase{
			name: "RoomTickerRemoved",
			raw:  cat(u32(115), str("testroom"), str("alice")),
			msg:  &RoomTickerRemoved{Room: "testroom", Username: "alice"},
		},
		codecCase{
			name: "GlobalRoomMessage",
			raw:  cat(u32(152), str("testroom"), str("alice"), str("hi all")),
			msg:  &GlobalRoomMessage{Room: "testroom", Username: "alice", Message: "hi all"},
		},
		codecCase{
			name: "CantCreateRoom",
			raw:  cat(u32(1003), str("secret")),
			msg:  &CantCreateRoom{Room: "secret"},
		},
	)
}
