package slsk

func init() {
	serverRequestCases = append(serverRequestCases,
		codecCase{
			name: "CheckPrivileges request (empty, capture: 04 00 00 00 5c 00 00 00)",
			raw:  u32(92),
			msg:  &CheckPrivileges{},
		},
		codecCase{
			name: "UserPrivileged request",
			raw:  cat(u32(122), str("bob")),
			msg:  &UserPrivileged{Username: "bob"},
		},
		codecCase{
			name: "GivePrivileges",
			raw:  cat(u32(123), str("bob"), u32(7)),
			msg:  &GivePrivileges{Username: "bob", Days: 7},
		},
		codecCase{
			name: "NotifyPrivileges request (obsolete)",
			raw:  cat(u32(124), u32(42), str("bob")),
			msg:  &NotifyPrivileges{Token: 42, Username: "bob"},
		},
		codecCase{
			name: "AckNotifyPrivileges request (obsolete)",
			raw:  cat(u32(125), u32(42)),
			msg:  &AckNotifyPrivileges{Token: 42},
		},
	)
	serverReplyCases = append(serverReplyCases,
		codecCase{
			name: "PrivilegedUsers/empty (Soulfind capture: 45 00 00 00 00 00 00 00)",
			raw:  cat(u32(69), u32(0)),
			msg:  &PrivilegedUsers{},
		},
		codecCase{
			name: "PrivilegedUsers/two",
			raw:  cat(u32(69), u32(2), str("alice"), str("bob")),
			msg:  &PrivilegedUsers{Usernames: []string{"alice", "bob"}},
		},
		codecCase{
			name: "AddToPrivileged (obsolete)",
			raw:  cat(u32(91), str("bob")),
			msg:  &AddToPrivileged{Username: "bob"},
		},
		codecCase{
			name: "CheckPrivilegesReply/none left (Soulfind capture: 5c 00 00 00 00 00 00 00)",
			raw:  cat(u32(92), u32(0)),
			msg:  &CheckPrivilegesReply{},
		},
		codecCase{
			name: "CheckPrivilegesReply/one day",
			raw:  cat(u32(92), u32(86400)),
			msg:  &CheckPrivilegesReply{Seconds: 86400},
		},
		codecCase{
			name: "UserPrivilegedReply",
			raw:  cat(u32(122), str("bob"), []byte{1}),
			msg:  &UserPrivilegedReply{Username: "bob", Privileged: true},
		},
		codecCase{
			name: "NotifyPrivileges reply (obsolete)",
			raw:  cat(u32(124), u32(42), str("bob")),
			msg:  &NotifyPrivileges{Token: 42, Username: "bob"},
		},
		codecCase{
			name: "AckNotifyPrivileges reply (obsolete)",
			raw:  cat(u32(125), u32(42)),
			msg:  &AckNotifyPrivileges{Token: 42},
		},
	)
}
