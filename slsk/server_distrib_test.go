package slsk

func init() {
	serverRequestCases = append(serverRequestCases,
		codecCase{
			name: "HaveNoParent/one byte (Nicotine+ capture: 47 00 00 00 01)",
			raw:  cat(u32(71), []byte{1}),
			msg:  &HaveNoParent{NoParent: true},
		},
		codecCase{
			name: "HaveNoParent/false after adopting a parent (dnet capture)",
			raw:  cat(u32(71), []byte{0}),
			msg:  &HaveNoParent{},
		},
		codecCase{
			name: "ParentIP (obsolete, slsk-client)",
			raw:  cat(u32(73), srvLoopIP),
			msg:  &ParentIP{IP: srvLoopAddr},
		},
		codecCase{
			name: "AcceptChildren/off (Nicotine+ capture: 64 00 00 00 00)",
			raw:  cat(u32(100), []byte{0}),
			msg:  &AcceptChildren{},
		},
		codecCase{
			name: "AcceptChildren/on (aioslsk dnet capture)",
			raw:  cat(u32(100), []byte{1}),
			msg:  &AcceptChildren{Accept: true},
		},
		codecCase{
			name: "BranchLevel/0 (capture: 7e 00 00 00 00 00 00 00)",
			raw:  cat(u32(126), u32(0)),
			msg:  &BranchLevel{},
		},
		codecCase{
			name: "BranchLevel/1 after adopting parentx (dnet capture)",
			raw:  cat(u32(126), u32(1)),
			msg:  &BranchLevel{Level: 1},
		},
		codecCase{
			name: "BranchRoot/self (Nicotine+ capture, len=16)",
			raw:  cat(u32(127), str("testuser")),
			msg:  &BranchRoot{Root: "testuser"},
		},
		codecCase{
			name: "ChildDepth (obsolete)",
			raw:  cat(u32(129), u32(2)),
			msg:  &ChildDepth{Depth: 2},
		},
	)
	serverReplyCases = append(serverReplyCases,
		codecCase{
			name: "ParentMinSpeed/1",
			raw:  cat(u32(83), u32(1)),
			msg:  &ParentMinSpeed{Speed: 1},
		},
		codecCase{
			name: "ParentSpeedRatio/50",
			raw:  cat(u32(84), u32(50)),
			msg:  &ParentSpeedRatio{Ratio: 50},
		},
		codecCase{
			name: "ParentInactivityTimeout/300 (obsolete)",
			raw:  cat(u32(86), u32(300)),
			msg:  &ParentInactivityTimeout{Seconds: 300},
		},
		codecCase{
			name: "SearchInactivityTimeout/0 (obsolete)",
			raw:  cat(u32(87), u32(0)),
			msg:  &SearchInactivityTimeout{},
		},
		codecCase{
			name: "MinParentsInCache/10 (obsolete)",
			raw:  cat(u32(88), u32(10)),
			msg:  &MinParentsInCache{Count: 10},
		},
		codecCase{
			name: "DNetPingInterval (spec DistribPingInterval, obsolete)",
			raw:  cat(u32(90), u32(60)),
			msg:  &DNetPingInterval{Seconds: 60},
		},
		codecCase{
			name: "EmbeddedMessage/DistribSearch accepted by Nicotine+ and aioslsk (dnet capture)",
			raw: cat(
				u32(93),       // code EmbeddedMessage
				[]byte{3},     // distributed code 3 = DistribSearch
				u32(49),       // identifier '1'
				str("ghost"),  // searcher
				u32(777),      // token 09 03 00 00
				str("artist"), // query
			),
			msg: &EmbeddedMessage{Code: 3, Payload: cat(u32(49), str("ghost"), u32(777), str("artist"))},
		},
		codecCase{
			name: "EmbeddedMessage/code only, empty payload",
			raw:  cat(u32(93), []byte{0}),
			msg:  &EmbeddedMessage{},
		},
		codecCase{
			name: "PossibleParents/one candidate (dnet capture, len=27)",
			raw: cat(
				u32(102),       // code
				u32(1),         // [1]
				str("parentx"), // user
				srvLoopIP,      // 127.0.0.1
				u32(22432),     // port a0 57
			),
			msg: &PossibleParents{Parents: []PossibleParent{{Username: "parentx", IP: srvLoopAddr, Port: 22432}}},
		},
		codecCase{
			name: "ResetDistributed (empty)",
			raw:  u32(130),
			msg:  &ResetDistributed{},
		},
	)
}
