package slsk

func init() {
	serverRequestCases = append(serverRequestCases,
		codecCase{name: "ServerPing request (empty)", raw: u32(32), msg: &ServerPing{}},
		codecCase{
			name: "AdminCommand (obsolete)",
			raw:  cat(u32(58), str("ban"), u32(2), str("bob"), str("1d")),
			msg:  &AdminCommand{Command: "ban", Args: []string{"bob", "1d"}},
		},
		codecCase{name: "GlobalUserList request (empty, obsolete)", raw: u32(67), msg: &GlobalUserList{}},
	)
	serverReplyCases = append(serverReplyCases,
		codecCase{name: "ServerPing echo (empty)", raw: u32(32), msg: &ServerPing{}},
		codecCase{
			name: "AdminMessage",
			raw:  cat(u32(66), str("Server restarts in 5 minutes")),
			msg:  &AdminMessage{Message: "Server restarts in 5 minutes"},
		},
	)
}
