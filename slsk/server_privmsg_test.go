package slsk

func init() {
	serverRequestCases = append(serverRequestCases,
		codecCase{
			name: "MessageUser (Nicotine+ capture, len=33)",
			raw:  cat(u32(22), str("testuser"), str("private hello")),
			msg:  &MessageUser{Username: "testuser", Message: "private hello"},
		},
		codecCase{
			name: "MessageAcked (Nicotine+ capture: eb 34 24 d5)",
			raw:  cat(u32(23), u32(0xd52434eb)),
			msg:  &MessageAcked{ID: 0xd52434eb},
		},
		codecCase{
			name: "MessageUsers",
			raw:  cat(u32(149), u32(2), str("bob"), str("carol"), str("hi both")),
			msg:  &MessageUsers{Usernames: []string{"bob", "carol"}, Message: "hi both"},
		},
	)
	serverReplyCases = append(serverReplyCases,
		codecCase{
			name: "MessageUserReply/new message (Soulfind capture, len=40)",
			raw: cat(
				u32(22),              // code
				u32(0xd52434eb),      // message id
				u32(0x6b0193b7),      // unix time
				str("nuser2"),        // sender
				str("private hello"), // text
				[]byte{1},            // is_new
			),
			msg: &MessageUserReply{ID: 0xd52434eb, Timestamp: 0x6b0193b7, Username: "nuser2", Message: "private hello", IsNew: true},
		},
		codecCase{
			name: "MessageUserReply/redelivered at login (is_new=0)",
			raw:  cat(u32(22), u32(7), u32(1700000000), str("server"), str("queued"), []byte{0}),
			msg:  &MessageUserReply{ID: 7, Timestamp: 1700000000, Username: "server", Message: "queued"},
		},
	)
}
