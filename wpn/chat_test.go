package wpn

import (
	"bytes"
	"io"
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var addrEq = cmp.Comparer(func(a, b netip.Addr) bool { return a == b })

// TV5 through the frame reader: the chat client's "I speak 3.53" and join,
// then the server's accept, 3.53 marker and the topic.
func TestChatJoinTV5(t *testing.T) {
	up := unhex(t, "B1131CB8DA85A582443C1B581883C365576D5C81392FFF42C18C4283AE60B907BB837F6E763C4F49EF461D33558356892AFDE8D22C1B3C971F03B5")
	fr := NewFrameReader(bytes.NewReader(up), NewCipher(0x39116A9A), 0)
	var got []Packet
	for {
		typ, payload, err := fr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		p, err := DecodeChat(typ, payload)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, p)
	}
	want := []Packet{
		&Unknown{Type: ChatHello353, Payload: []byte{0x31}},
		&ChatJoinRequest{Room: "Test Room_0100007F1A2B", LineType: 7, PrimaryIP: netip.MustParseAddr("127.0.0.1"), PrimaryUDPPort: 6257, Files: 42, Name: "Alice123_04321"},
	}
	if diff := cmp.Diff(want, got, addrEq); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}

	// The server's side, built from packets and encrypted, is TV5's bytes.
	var down []byte
	for _, p := range []Packet{ChatFlag(ChatJoined, 0x31), ChatFlag(ChatProtocol353, 0x31), &ChatTopicText{Text: "Welcome"}} {
		down = AppendPacket(down, p)
	}
	NewCipher(0xAD0C6CB4).Encrypt(down, down)
	if want := unhex(t, "2CBA4BCED93A7902227A1C2F0B31B2A0D9AEC6B63385"); !bytes.Equal(down, want) {
		t.Fatalf("server frames % X, want % X", down, want)
	}
}

func TestChatPackets(t *testing.T) {
	lo := netip.MustParseAddr("127.0.0.1")
	rank := RankOperator
	peer := ChatPeer{Name: "Bob_00002", PrimaryIP: lo, PrimaryUDPPort: 6257}
	user := ChatUser{ChatPeer: peer, LineType: LineDSL, Files: 3, Rank: RankVoice}
	tests := []struct {
		name    string
		p       Packet
		payload string
	}{
		{"user joined 3.53", &ChatUserInfo{user}, hexOf("Bob_00002\x00") + "| 7F000001 | 7118 | 0800 | 03000000 | 02"},
		{"user entry 3.53", &ChatUserEntryInfo{user}, hexOf("Bob_00002\x00") + "| 7F000001 | 7118 | 0800 | 03000000 | 02"},
		{"user joined 3.31", &ChatUserInfo331{ChatUser{ChatPeer: peer, LineType: LineDSL, Files: 3}}, hexOf("Bob_00002\x00") + "| 7F000001 | 7118 | 0800 | 03000000"},
		{"user entry 3.31", &ChatUserEntryInfo331{ChatUserInfo331{ChatUser{ChatPeer: peer, LineType: LineDSL, Files: 3}}}, hexOf("Bob_00002\x00") + "| 7F000001 | 7118 | 0800 | 03000000"},
		{"joined with ip", &ChatUserJoinedWithIP{ChatUser: user, RealIP: netip.MustParseAddr("10.1.2.3")}, hexOf("Bob_00002\x00") + "| 7F000001 | 7118 | 0800 | 03000000 | 02 | 0A010203"},
		{"left", &ChatLeft{peer}, hexOf("Bob_00002\x00") + "| 7F000001 | 7118"},
		{"renamed 3.53", &ChatRenamed{Old: peer, New: ChatUser{ChatPeer: ChatPeer{Name: "Rob_00002", PrimaryIP: lo, PrimaryUDPPort: 6257}, LineType: 8, Files: 3, Rank: 1}},
			hexOf("Bob_00002\x00") + "7F000001 7118 |" + hexOf("Rob_00002\x00") + "7F000001 7118 | 0800 | 03000000 | 01"},
		{"rename request", &ChatRenameRequest{LineType: 8, PrimaryIP: lo, PrimaryUDPPort: 6257, Files: 1, Name: "Rob_00002"}, "0800 | 7F000001 | 7118 | 01000000 |" + hexOf("Rob_00002\x00")},
		{"say 3.53", &ChatSay{Text: "hello"}, hexOf("hello\x00")},
		{"say 3.31", &ChatSay331{Text: "hello"}, hexOf("hello\x00")},
		{"emote", &ChatEmote{Text: "waves"}, hexOf("waves\x00")},
		{"said with rank", &ChatSaid{Name: "Bob_00002", Text: "hi", Rank: &rank}, hexOf("Bob_00002\x00hi\x00") + "01"},
		{"said", &ChatSaid{Name: "Bob_00002", Text: "hi"}, hexOf("Bob_00002\x00hi\x00")},
		{"emoted", &ChatEmoted{Name: "", Text: "notice"}, hexOf("\x00notice\x00")},
		{"topic", &ChatTopicText{Text: "t"}, hexOf("t\x00")},
		{"motd", &ChatMOTDLine{Text: "m"}, hexOf("m\x00")},
		{"redirect", &ChatRedirectTo{Text: "R_0100007F1A2B"}, hexOf("R_0100007F1A2B\x00")},
		{"colours", &ChatColours{Text: "#c%d#"}, hexOf("#c%d#\x00")},
		{"software", &ChatSoftwareID{Name: "Revival", Version: "1"}, hexOf("Revival\x001\x00")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want := annotated(t, tc.payload)
			if got := tc.p.AppendPayload(nil); !bytes.Equal(got, want) {
				t.Fatalf("encode:\n got % X\nwant % X", got, want)
			}
			got, err := DecodeChat(uint16(tc.p.PacketType()), want)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.p, got, addrEq); diff != "" {
				t.Fatalf("decode (-want +got):\n%s", diff)
			}
		})
	}
	// RoboServ writes the rank as a u16: the low byte is read.
	got, err := DecodeChat(uint16(ChatUserEntry), annotated(t, hexOf("Bob_00002\x00")+"7F000001 7118 0800 03000000 0200"))
	if err != nil || got.(*ChatUserEntryInfo).Rank != RankVoice {
		t.Fatalf("u16 rank: %+v %v", got, err)
	}
	got, err = DecodeChat(uint16(ChatUserJoinedIP), annotated(t, hexOf("Bob_00002\x00")+"7F000001 7118 0800 03000000 0100 0A010203"))
	if p, ok := got.(*ChatUserJoinedWithIP); err != nil || !ok || p.Rank != 1 || p.RealIP != netip.MustParseAddr("10.1.2.3") {
		t.Fatalf("u16 rank with ip: %+v %v", got, err)
	}
}
