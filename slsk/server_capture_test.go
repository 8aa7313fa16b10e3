package slsk

import (
	"bytes"
	"encoding/hex"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/revival-net/revival/internal/wire"
)

// captureFrame is one whole frame (length prefix included) copied verbatim
// from the decoded tcpdump captures in
// shared/protocols/captures/soulseek/e2e_soulfind_*_decoded.txt: real
// Nicotine+ 3.4 and aioslsk 1.6.3 clients talking to Soulfind. Encoding msg
// must give exactly these bytes and decoding them must give msg.
type captureFrame struct {
	name  string
	reply bool // server to client
	hex   string
	msg   ServerMessage
}

var captureFrames = []captureFrame{
	// Client to server.
	{"Nicotine+ Login", false, "4800000001000000080000007465737475736572080000007465737470617373a000000020000000653666346332353730643330656633616265326363333066326238306630316403000000",
		&Login{Username: "testuser", Password: "testpass", Major: 160, Hash: "e6f4c2570d30ef3abe2cc30f2b80f01d", Minor: 3}},
	{"aioslsk Login", false, "46000000010000000700000061696f757365720700000061696f706173739d00000020000000323430303164343837656435316261393732396238663862316238633337636564000000",
		&Login{Username: "aiouser", Password: "aiopass", Major: 157, Hash: "24001d487ed51ba9729b8f8b1b8c37ce", Minor: 100}},
	{"Nicotine+ SetWaitPort", false, "0800000002000000bb080000", &SetWaitPort{Port: 2235}},
	{"aioslsk SetWaitPort obfuscated", false, "1000000002000000bd08000001000000be080000", &SetWaitPort{Port: 2237, ObfuscationType: 1, ObfuscatedPort: 2238}},
	{"SharedFoldersFiles", false, "0c000000230000000200000001000000", &SharedFoldersFiles{Dirs: 2, Files: 1}},
	{"HaveNoParent", false, "050000004700000001", &HaveNoParent{NoParent: true}},
	{"BranchRoot", false, "100000007f000000080000007465737475736572", &BranchRoot{Root: "testuser"}},
	{"BranchLevel", false, "080000007e00000000000000", &BranchLevel{}},
	{"AcceptChildren", false, "050000006400000000", &AcceptChildren{}},
	{"CheckPrivileges", false, "040000005c000000", &CheckPrivileges{}},
	{"SetStatus", false, "080000001c00000002000000", &SetStatus{Status: StatusOnline}},
	{"WatchUser", false, "1000000005000000080000007465737475736572", &WatchUser{Username: "testuser"}},
	{"GetUserStatus", false, "0e00000007000000060000006e7573657232", &GetUserStatus{Username: "nuser2"}},
	{"RoomList", false, "0400000040000000", &RoomList{}},
	{"EnableRoomInvitations", false, "050000008d00000001", &EnableRoomInvitations{Enable: true}},
	{"JoinRoom", false, "140000000e0000000800000074657374726f6f6d00000000", &JoinRoom{Room: "testroom"}},
	{"GetPeerAddress", false, "0f000000030000000700000061696f75736572", &GetPeerAddress{Username: "aiouser"}},
	{"SayChatroom", false, "200000000d0000000800000074657374726f6f6d0c00000068656c6c6f2066726f6d2041", &SayChatroom{Room: "testroom", Message: "hello from A"}},
	{"MessageUser", false, "21000000160000000800000074657374757365720d000000707269766174652068656c6c6f", &MessageUser{Username: "testuser", Message: "private hello"}},
	{"MessageAcked", false, "0800000017000000eb3424d5", &MessageAcked{ID: 0xd52434eb}},
	{"ConnectToPeer F", false, "17000000120000005b443200060000006e75736572320100000046", &ConnectToPeer{Token: 0x0032445b, Username: "nuser2", Type: "F"}},
	{"FileSearch", false, "120000001a000000c1d7010006000000617274697374", &FileSearch{Token: 0x0001d7c1, Query: "artist"}},
	{"aioslsk CantConnectToPeer", false, "14000000e903000030230a00080000007465737475736572", &CantConnectToPeer{Token: 0x000a2330, Username: "testuser"}},
	{"UnwatchUser", false, "0f000000060000000700000061696f75736572", &UnwatchUser{Username: "aiouser"}},
	{"SendUploadSpeed", false, "0800000079000000400d0300", &SendUploadSpeed{Speed: 200000}},

	// Server (Soulfind) to client.
	{"LoginReply", true, "46000000010000000114000000536f756c66696e64204e6f762d32312d323032360100007f20000000313739616434356336636532636239376366313032396532313230343665383100",
		&LoginReply{Success: true, Greeting: "Soulfind Nov-21-2026", IP: srvLoopAddr, PassHash: "179ad45c6ce2cb97cf1029e212046e81"}},
	{"RoomListReply empty", true, "200000004000000000000000000000000000000000000000000000000000000000000000", &RoomListReply{}},
	{"RoomListReply testroom", true, "3000000040000000010000000800000074657374726f6f6d01000000010000000000000000000000000000000000000000000000",
		&RoomListReply{Public: []RoomCount{{Room: "testroom", Users: 1}}}},
	{"WishlistInterval", true, "0800000068000000d0020000", &WishlistInterval{Seconds: 720}},
	{"PrivilegedUsers", true, "080000004500000000000000", &PrivilegedUsers{}},
	{"ExcludedSearchPhrases", true, "08000000a000000000000000", &ExcludedSearchPhrases{}},
	{"GetUserStatsReply", true, "2400000024000000080000007465737475736572400d030000000000000000000100000002000000",
		&GetUserStatsReply{Username: "testuser", Stats: UserStats{AvgSpeed: 200000, Files: 1, Dirs: 2}}},
	{"GetUserStatusReply", true, "15000000070000000800000074657374757365720200000000", &GetUserStatusReply{Username: "testuser", Status: StatusOnline}},
	{"CheckPrivilegesReply", true, "080000005c00000000000000", &CheckPrivilegesReply{}},
	{"WatchUserReply exists", true, "2d000000050000000800000074657374757365720102000000000000000000000000000000010000000200000000000000",
		&WatchUserReply{Username: "testuser", Exists: true, Status: StatusOnline, Stats: UserStats{Files: 1, Dirs: 2}}},
	{"WatchUserReply unknown", true, "0f00000005000000060000006e757365723200", &WatchUserReply{Username: "nuser2"}},
	{"UserJoinedRoom", true, "3c000000100000000800000074657374726f6f6d0800000074657374757365720200000000000000000000000000000001000000020000000000000000000000",
		&UserJoinedRoom{Room: "testroom", User: RoomUser{Username: "testuser", Status: StatusOnline, Stats: UserStats{Files: 1, Dirs: 2}}}},
	{"JoinRoomReply", true, "500000000e0000000800000074657374726f6f6d01000000080000007465737475736572010000000200000001000000000000000000000000000000010000000200000001000000000000000100000000000000",
		&JoinRoomReply{Room: "testroom", Users: []RoomUser{{Username: "testuser", Status: StatusOnline, Stats: UserStats{Files: 1, Dirs: 2}}}}},
	{"RoomTickers", true, "14000000710000000800000074657374726f6f6d00000000", &RoomTickers{Room: "testroom"}},
	{"GetPeerAddressReply", true, "1e000000030000000800000074657374757365720100007fbb080000000000000000",
		&GetPeerAddressReply{Username: "testuser", IP: srvLoopAddr, Port: 2235}},
	{"GetPeerAddressReply obfuscated", true, "1d000000030000000700000061696f757365720100007fbd08000001000000be08",
		&GetPeerAddressReply{Username: "aiouser", IP: srvLoopAddr, Port: 2237, ObfuscationType: 1, ObfuscatedPort: 2238}},
	{"SayChatroomReply", true, "270000000d0000000800000074657374726f6f6d060000006e75736572320900000068692066726f6d2042",
		&SayChatroomReply{Room: "testroom", Username: "nuser2", Message: "hi from B"}},
	{"MessageUserReply", true, "2800000016000000eb3424d5b793016b060000006e75736572320d000000707269766174652068656c6c6f01",
		&MessageUserReply{ID: 0xd52434eb, Timestamp: 0x6b0193b7, Username: "nuser2", Message: "private hello", IsNew: true}},
	{"FileSearchReply", true, "200000001a0000000700000061696f757365720200000009000000746573745f736f6e67",
		&FileSearchReply{Username: "aiouser", Token: 2, Query: "test_song"}},
	{"UserLeftRoom", true, "1a000000110000000800000074657374726f6f6d060000006e7573657232", &UserLeftRoom{Room: "testroom", Username: "nuser2"}},
	{"ConnectToPeerReply", true, "2a0000001200000008000000746573747573657201000000500100007fbb0800005a443200000000000000000000",
		&ConnectToPeerReply{Username: "testuser", Type: "P", IP: srvLoopAddr, Port: 2235, Token: 0x0032445a}},
	{"ConnectToPeerReply obfuscated", true, "29000000120000000700000061696f7573657201000000500100007fbd080000020000000001000000be080000",
		&ConnectToPeerReply{Username: "aiouser", Type: "P", IP: srvLoopAddr, Port: 2237, Token: 2, ObfuscationType: 1, ObfuscatedPort: 2238}},
	{"CantConnectToPeerReply", true, "08000000e903000030230a00", &CantConnectToPeerReply{Token: 0x000a2330}},
	{"EnableRoomInvitations echo", true, "050000008d00000000", &EnableRoomInvitations{}},

	// Sent by the fake distributed-network server, accepted by Nicotine+
	// and aioslsk (dnet_fake_server_vs_*.log).
	{"EmbeddedMessage DistribSearch", true, "200000005d00000003310000000500000067686f73740903000006000000617274697374",
		&EmbeddedMessage{Code: 3, Payload: cat(u32(49), str("ghost"), u32(777), str("artist"))}},
	{"PossibleParents", true, "1b000000660000000100000007000000706172656e74780100007fa0570000",
		&PossibleParents{Parents: []PossibleParent{{Username: "parentx", IP: srvLoopAddr, Port: 22432}}}},
}

func TestCaptureFrames(t *testing.T) {
	for _, tc := range captureFrames {
		t.Run(tc.name, func(t *testing.T) {
			want, err := hex.DecodeString(tc.hex)
			if err != nil {
				t.Fatalf("bad hex in table: %v", err)
			}
			if got := AppendServerFrame(nil, tc.msg); !bytes.Equal(got, want) {
				t.Errorf("encode:\n got %x\nwant %x", got, want)
			}
			body, rest, ok, err := wire.SplitFrame(want, MaxServerFrame)
			if !ok || err != nil || len(rest) != 0 {
				t.Fatalf("capture does not split into one frame: ok=%v err=%v rest=%d", ok, err, len(rest))
			}
			decode := DecodeServerRequest
			if tc.reply {
				decode = DecodeServerReply
			}
			got, err := decode(body)
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if diff := cmp.Diff(tc.msg, got, cmpOpts); diff != "" {
				t.Errorf("decode mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
