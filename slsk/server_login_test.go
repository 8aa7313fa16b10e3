package slsk

import (
	"net/netip"
	"testing"
)

// serverCases pairs annotated bytes with the message they decode to. The
// bytes are frame bodies (code + payload) without the length prefix.
var serverRequestCases = []codecCase{
	{
		name: "Login/Nicotine+ 3.4 (captures/soulseek/first_bytes_fake_listener.log)",
		raw: cat(
			u32(1),                                  // code Login
			str("testuser"),                         // username
			str("testpass"),                         // password
			u32(160),                                // major version
			str("e6f4c2570d30ef3abe2cc30f2b80f01d"), // md5hex(user+pass)
			u32(3),                                  // minor version
		),
		msg: &Login{Username: "testuser", Password: "testpass", Major: 160, Hash: "e6f4c2570d30ef3abe2cc30f2b80f01d", Minor: 3},
	},
}

var serverReplyCases = []codecCase{
	{
		name: "LoginReply/success (Soulfind, e2e_soulfind_2x_nicotine_decoded.txt)",
		raw: cat(
			u32(1),                                  // code Login
			[]byte{1},                               // success
			str("Soulfind Nov-21-2026"),             // greeting
			[]byte{0x01, 0, 0, 0x7f},                // IP 127.0.0.1, little-endian
			str("179ad45c6ce2cb97cf1029e212046e81"), // md5hex(password)
			[]byte{0},                               // supporter
		),
		msg: &LoginReply{Success: true, Greeting: "Soulfind Nov-21-2026", IP: netip.MustParseAddr("127.0.0.1"), PassHash: "179ad45c6ce2cb97cf1029e212046e81"},
	},
	{
		name: "LoginReply/invalid username carries a detail",
		raw:  cat(u32(1), []byte{0}, str("INVALIDUSERNAME"), str("Nick empty.")),
		msg:  &LoginReply{Reason: ReasonInvalidUsername, Detail: "Nick empty."},
	},
	{
		name: "Relogged (Soulfind: 04 00 00 00 29 00 00 00)",
		raw:  u32(41),
		msg:  &Relogged{},
	},
}

func TestServerRequests(t *testing.T) { runCodecCases(t, serverRequestCases, DecodeServerRequest) }
func TestServerReplies(t *testing.T)  { runCodecCases(t, serverReplyCases, DecodeServerReply) }
