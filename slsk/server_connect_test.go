package slsk

func init() {
	serverRequestCases = append(serverRequestCases,
		codecCase{
			name: "GetPeerAddress (Nicotine+ capture)",
			raw:  cat(u32(3), str("nuser2")),
			msg:  &GetPeerAddress{Username: "nuser2"},
		},
		codecCase{
			name: "ConnectToPeer/Nicotine+ type P (capture: 5a 44 32 00 token)",
			raw: cat(
				u32(18),      // code
				u32(3294298), // token 5a 44 32 00
				str("nuser2"),
				str("P"), // connection type
			),
			msg: &ConnectToPeer{Token: 3294298, Username: "nuser2", Type: "P"},
		},
		codecCase{
			name: "ConnectToPeer/aioslsk type F (capture)",
			raw:  cat(u32(18), u32(0x000a2331), str("aiouser"), str("F")),
			msg:  &ConnectToPeer{Token: 0x000a2331, Username: "aiouser", Type: "F"},
		},
		codecCase{
			name: "CantConnectToPeer/aioslsk (capture: token 30 23 0a 00, target testuser)",
			raw:  cat(u32(1001), u32(0x000a2330), str("testuser")),
			msg:  &CantConnectToPeer{Token: 0x000a2330, Username: "testuser"},
		},
		codecCase{
			name: "SendConnectToken request (obsolete)",
			raw:  cat(u32(33), str("bob"), u32(7)),
			msg:  &SendConnectToken{Username: "bob", Token: 7},
		},
		codecCase{
			name: "PlaceInLineRequest request (obsolete)",
			raw:  cat(u32(59), str("bob"), u32(8)),
			msg:  &PlaceInLineRequest{Username: "bob", Token: 8},
		},
		codecCase{
			name: "PlaceInLineResponse request (obsolete)",
			raw:  cat(u32(60), str("bob"), u32(8), u32(3)),
			msg:  &PlaceInLineResponse{Username: "bob", Token: 8, Place: 3},
		},
	)
	serverReplyCases = append(serverReplyCases,
		codecCase{
			name: "GetPeerAddressReply/Soulfind no obfuscation (capture, len=30)",
			raw: cat(
				u32(3),          // code
				str("testuser"), // user
				srvLoopIP,       // 127.0.0.1
				u32(2235),       // port bb 08
				u32(0),          // obfuscation type
				srvU16(0),       // obfuscated port: u16!
			),
			msg: &GetPeerAddressReply{Username: "testuser", IP: srvLoopAddr, Port: 2235},
		},
		codecCase{
			name: "GetPeerAddressReply/aioslsk obfuscated (capture, len=29)",
			raw:  cat(u32(3), str("aiouser"), srvLoopIP, u32(2237), u32(1), srvU16(2238)),
			msg:  &GetPeerAddressReply{Username: "aiouser", IP: srvLoopAddr, Port: 2237, ObfuscationType: 1, ObfuscatedPort: 2238},
		},
		codecCase{
			name: "GetPeerAddressReply/offline user",
			raw:  cat(u32(3), str("ghost"), u32(0), u32(0), u32(0), srvU16(0)),
			msg:  &GetPeerAddressReply{Username: "ghost", IP: srvZeroAddr},
		},
		codecCase{
			name: "ConnectToPeerReply/Soulfind relays Nicotine+ P request (capture, len=42)",
			raw: cat(
				u32(18),         // code
				str("testuser"), // requester
				str("P"),        // type
				srvLoopIP,       // requester ip
				u32(2235),       // requester port
				u32(3294298),    // token
				[]byte{0},       // privileged
				u32(0),          // obfuscation type
				u32(0),          // obfuscated port: u32 here
			),
			msg: &ConnectToPeerReply{Username: "testuser", Type: "P", IP: srvLoopAddr, Port: 2235, Token: 3294298},
		},
		codecCase{
			name: "ConnectToPeerReply/aioslsk obfuscated requester (capture, len=41)",
			raw:  cat(u32(18), str("aiouser"), str("P"), srvLoopIP, u32(2237), u32(2), []byte{0}, u32(1), u32(2238)),
			msg:  &ConnectToPeerReply{Username: "aiouser", Type: "P", IP: srvLoopAddr, Port: 2237, Token: 2, ObfuscationType: 1, ObfuscatedPort: 2238},
		},
		codecCase{
			name: "CantConnectToPeerReply/token only (Soulfind capture: e9 03 00 00 30 23 0a 00)",
			raw:  cat(u32(1001), u32(0x000a2330)),
			msg:  &CantConnectToPeerReply{Token: 0x000a2330},
		},
		codecCase{
			name: "SendConnectToken reply (obsolete)",
			raw:  cat(u32(33), str("bob"), u32(7)),
			msg:  &SendConnectToken{Username: "bob", Token: 7},
		},
		codecCase{
			name: "PlaceInLineRequest reply (obsolete)",
			raw:  cat(u32(59), str("bob"), u32(8)),
			msg:  &PlaceInLineRequest{Username: "bob", Token: 8},
		},
		codecCase{
			name: "PlaceInLineResponse reply (obsolete)",
			raw:  cat(u32(60), str("bob"), u32(8), u32(3)),
			msg:  &PlaceInLineResponse{Username: "bob", Token: 8, Place: 3},
		},
	)
}
