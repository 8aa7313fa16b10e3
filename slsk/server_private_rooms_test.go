package slsk

func init() {
	serverRequestCases = append(serverRequestCases,
		codecCase{
			name: "AddRoomMember request",
			raw:  cat(u32(134), str("secret"), str("bob")),
			msg:  &AddRoomMember{Room: "secret", Username: "bob"},
		},
		codecCase{
			name: "RemoveRoomMember request",
			raw:  cat(u32(135), str("secret"), str("bob")),
			msg:  &RemoveRoomMember{Room: "secret", Username: "bob"},
		},
		codecCase{
			name: "CancelRoomMembership",
			raw:  cat(u32(136), str("secret")),
			msg:  &CancelRoomMembership{Room: "secret"},
		},
		codecCase{
			name: "CancelRoomOwnership",
			raw:  cat(u32(137), str("secret")),
			msg:  &CancelRoomOwnership{Room: "secret"},
		},
		codecCase{
			name: "RoomSomething request (obsolete)",
			raw:  cat(u32(138), str("secret")),
			msg:  &RoomSomething{Room: "secret"},
		},
		codecCase{
			name: "EnableRoomInvitations/Nicotine+ off (capture: 8d 00 00 00 00)",
			raw:  cat(u32(141), []byte{0}),
			msg:  &EnableRoomInvitations{},
		},
		codecCase{
			name: "EnableRoomInvitations/aioslsk on (capture: 8d 00 00 00 01)",
			raw:  cat(u32(141), []byte{1}),
			msg:  &EnableRoomInvitations{Enable: true},
		},
		codecCase{
			name: "ChangePassword request",
			raw:  cat(u32(142), str("n3w")),
			msg:  &ChangePassword{Password: "n3w"},
		},
		codecCase{
			name: "AddRoomOperator request",
			raw:  cat(u32(143), str("secret"), str("bob")),
			msg:  &AddRoomOperator{Room: "secret", Username: "bob"},
		},
		codecCase{
			name: "RemoveRoomOperator request",
			raw:  cat(u32(144), str("secret"), str("bob")),
			msg:  &RemoveRoomOperator{Room: "secret", Username: "bob"},
		},
		codecCase{
			name: "CancelRoomOperatorship",
			raw:  cat(u32(147), str("secret")),
			msg:  &CancelRoomOperatorship{Room: "secret"},
		},
	)
	serverReplyCases = append(serverReplyCases,
		codecCase{
			name: "RoomMembers",
			raw:  cat(u32(133), str("secret"), u32(2), str("bob"), str("carol")),
			msg:  &RoomMembers{Room: "secret", Members: []string{"bob", "carol"}},
		},
		codecCase{
			name: "RoomMembers/none",
			raw:  cat(u32(133), str("secret"), u32(0)),
			msg:  &RoomMembers{Room: "secret"},
		},
		codecCase{
			name: "AddRoomMember notification",
			raw:  cat(u32(134), str("secret"), str("bob")),
			msg:  &AddRoomMember{Room: "secret", Username: "bob"},
		},
		codecCase{
			name: "RemoveRoomMember notification",
			raw:  cat(u32(135), str("secret"), str("bob")),
			msg:  &RemoveRoomMember{Room: "secret", Username: "bob"},
		},
		codecCase{
			name: "RoomSomething reply (obsolete)",
			raw:  cat(u32(138), str("secret")),
			msg:  &RoomSomething{Room: "secret"},
		},
		codecCase{
			name: "RoomMembershipGranted",
			raw:  cat(u32(139), str("secret")),
			msg:  &RoomMembershipGranted{Room: "secret"},
		},
		codecCase{
			name: "RoomMembershipRevoked",
			raw:  cat(u32(140), str("secret")),
			msg:  &RoomMembershipRevoked{Room: "secret"},
		},
		codecCase{
			name: "EnableRoomInvitations echo (Soulfind capture)",
			raw:  cat(u32(141), []byte{1}),
			msg:  &EnableRoomInvitations{Enable: true},
		},
		codecCase{
			name: "ChangePassword echo",
			raw:  cat(u32(142), str("n3w")),
			msg:  &ChangePassword{Password: "n3w"},
		},
		codecCase{
			name: "AddRoomOperator notification",
			raw:  cat(u32(143), str("secret"), str("bob")),
			msg:  &AddRoomOperator{Room: "secret", Username: "bob"},
		},
		codecCase{
			name: "RemoveRoomOperator notification",
			raw:  cat(u32(144), str("secret"), str("bob")),
			msg:  &RemoveRoomOperator{Room: "secret", Username: "bob"},
		},
		codecCase{
			name: "RoomOperatorshipGranted",
			raw:  cat(u32(145), str("secret")),
			msg:  &RoomOperatorshipGranted{Room: "secret"},
		},
		codecCase{
			name: "RoomOperatorshipRevoked",
			raw:  cat(u32(146), str("secret")),
			msg:  &RoomOperatorshipRevoked{Room: "secret"},
		},
		codecCase{
			name: "RoomOperators",
			raw:  cat(u32(148), str("secret"), u32(1), str("bob")),
			msg:  &RoomOperators{Room: "secret", Operators: []string{"bob"}},
		},
	)
}
