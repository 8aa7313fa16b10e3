package slskserver_test

import (
	"testing"

	"github.com/revival-net/revival/slsk"
	"github.com/revival-net/revival/slsk/slsktest"
)

// SetWaitPort accepted port 4294967295 and obfuscation type 7 and passed
// them on (issue 5, finding 11). Ports are 1..65535 or 0 (not listening);
// the only obfuscation types are 0 and 1 (spec §2 code 2, §3.5). A message
// with an impossible port is ignored, keeping the ports set before; an
// unknown type or a bad obfuscated port turns obfuscation off. What is
// relayed in GetPeerAddress and ConnectToPeer is what was kept.
func TestSetWaitPortKeepsOnlyUsablePorts(t *testing.T) {
	before := slsk.SetWaitPort{Port: 2240, ObfuscationType: 1, ObfuscatedPort: 2241}
	cases := []struct {
		name string
		sent slsk.SetWaitPort
		want slsk.SetWaitPort // what peers are told
	}{
		{"plain", slsk.SetWaitPort{Port: 2234}, slsk.SetWaitPort{Port: 2234}},
		{"obfuscated", slsk.SetWaitPort{Port: 2234, ObfuscationType: 1, ObfuscatedPort: 2235}, slsk.SetWaitPort{Port: 2234, ObfuscationType: 1, ObfuscatedPort: 2235}},
		{"highest port", slsk.SetWaitPort{Port: 65535, ObfuscationType: 1, ObfuscatedPort: 65535}, slsk.SetWaitPort{Port: 65535, ObfuscationType: 1, ObfuscatedPort: 65535}},
		{"not listening", slsk.SetWaitPort{}, slsk.SetWaitPort{}},
		{"port 2^32-1 ignored", slsk.SetWaitPort{Port: 4294967295}, before},
		{"port 65536 ignored", slsk.SetWaitPort{Port: 65536, ObfuscationType: 1, ObfuscatedPort: 2235}, before},
		{"unknown type 7", slsk.SetWaitPort{Port: 2234, ObfuscationType: 7, ObfuscatedPort: 2235}, slsk.SetWaitPort{Port: 2234}},
		{"obfuscated port too large", slsk.SetWaitPort{Port: 2234, ObfuscationType: 1, ObfuscatedPort: 70000}, slsk.SetWaitPort{Port: 2234}},
		{"obfuscated without a port", slsk.SetWaitPort{Port: 2234, ObfuscationType: 1}, slsk.SetWaitPort{Port: 2234}},
		{"port without obfuscation", slsk.SetWaitPort{Port: 2234, ObfuscatedPort: 2235}, slsk.SetWaitPort{Port: 2234}},
	}
	h := slsktest.Start(t)
	alice, bob := h.Login("alice"), h.Login("bob")
	for i, tc := range cases {
		t.Logf("case %q", tc.name) // the clients fail the test with their own message
		b := before
		bob.Send(&b)
		sent := tc.sent
		bob.Send(&sent)
		bob.Sync()
		alice.Send(&slsk.GetPeerAddress{Username: "bob"})
		alice.Expect(&slsk.GetPeerAddressReply{Username: "bob", IP: loopback, Port: tc.want.Port,
			ObfuscationType: tc.want.ObfuscationType, ObfuscatedPort: uint16(tc.want.ObfuscatedPort)})
		token := uint32(100 + i)
		bob.Send(&slsk.ConnectToPeer{Token: token, Username: "alice", Type: "P"})
		alice.Expect(&slsk.ConnectToPeerReply{Username: "bob", Type: "P", IP: loopback, Port: tc.want.Port, Token: token,
			ObfuscationType: tc.want.ObfuscationType, ObfuscatedPort: tc.want.ObfuscatedPort})
	}
}
