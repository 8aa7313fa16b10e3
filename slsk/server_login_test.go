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
	{
		name: "Login/aioslsk 1.6.3 (first_bytes_fake_listener.log)",
		raw: cat(
			u32(1),                                  // code Login
			str("aiouser"),                          // username
			str("aiopass"),                          // password
			u32(157),                                // major version
			str("24001d487ed51ba9729b8f8b1b8c37ce"), // md5hex(user+pass)
			u32(100),                                // minor version
		),
		msg: &Login{Username: "aiouser", Password: "aiopass", Major: 157, Hash: "24001d487ed51ba9729b8f8b1b8c37ce", Minor: 100},
	},
	{
		name: "Login/slsk-client 1.1.0 impersonating Nicotine+ (first_bytes_fake_listener.log)",
		raw:  cat(u32(1), str("jsuser"), str("jspass"), u32(160), str("2504eab1b2c09a4c14d13f03e41853fa"), u32(17)),
		msg:  &Login{Username: "jsuser", Password: "jspass", Major: 160, Hash: "2504eab1b2c09a4c14d13f03e41853fa", Minor: 17},
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
		name: "LoginReply/wrong password: reason only",
		raw:  cat(u32(1), []byte{0}, str("INVALIDPASS")),
		msg:  &LoginReply{Reason: ReasonInvalidPass},
	},
	{
		name: "LoginReply/supporter",
		raw:  cat(u32(1), []byte{1}, str("Welcome"), []byte{0x04, 0x03, 0x02, 0x0a}, str("179ad45c6ce2cb97cf1029e212046e81"), []byte{1}),
		msg:  &LoginReply{Success: true, Greeting: "Welcome", IP: netip.MustParseAddr("10.2.3.4"), PassHash: "179ad45c6ce2cb97cf1029e212046e81", Supporter: true},
	},
	{
		name: "Relogged (Soulfind: 04 00 00 00 29 00 00 00)",
		raw:  u32(41),
		msg:  &Relogged{},
	},
}

func TestServerRequests(t *testing.T) { runCodecCases(t, serverRequestCases, DecodeServerRequest) }
func TestServerReplies(t *testing.T)  { runCodecCases(t, serverReplyCases, DecodeServerReply) }
