package slskserver_test

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/revival-net/revival/internal/netlimit"
	"github.com/revival-net/revival/slsk"
	"github.com/revival-net/revival/slsk/slskserver"
	"github.com/revival-net/revival/slsk/slsktest"
)

func frame(code uint32, payload ...byte) []byte {
	b := binary.LittleEndian.AppendUint32(nil, uint32(4+len(payload)))
	b = binary.LittleEndian.AppendUint32(b, code)
	return append(b, payload...)
}

// "Soulfind rejects client messages larger than 8 KiB and disconnects the
// sender … accept up to about 64 KiB per client message and disconnect
// above that" (spec §1.2). The length is refused before anything is
// allocated or read.
func TestOversizedFrameDisconnects(t *testing.T) {
	h := slsktest.Start(t)
	alice := h.Login("alice")
	bob := h.Login("bob")
	alice.SendRaw(binary.LittleEndian.AppendUint32(nil, 0xfffffff0))
	alice.ExpectClosed()
	bob.ExpectNothing() // the server is fine
}

// Unknown codes are ignored (spec §2); malformed known messages are
// tolerated a few times, then the client is disconnected.
func TestUnknownAndMalformedMessages(t *testing.T) {
	h := slsktest.Start(t)
	alice := h.Login("alice")
	alice.SendRaw(frame(9999, 1, 2, 3))
	alice.ExpectNothing()
	// GetPeerAddress whose string length points past the end.
	bad := frame(uint32(slsk.CodeGetPeerAddress), 0xff, 0xff, 0, 0, 'x')
	alice.SendRaw(bad)
	alice.ExpectNothing()
	// One write, so the server closing mid-way cannot fail our write.
	alice.SendRaw(bytes.Repeat(bad, 20))
	alice.ExpectClosed()
}

// A frame too short to hold a code is malformed, not a crash.
func TestFrameWithoutCode(t *testing.T) {
	h := slsktest.Start(t)
	alice := h.Login("alice")
	alice.SendRaw([]byte{2, 0, 0, 0, 1, 2})
	alice.ExpectNothing()
}

// "GlobalUserList … The official server disconnects the requester" (code 67).
func TestGlobalUserListDisconnects(t *testing.T) {
	h := slsktest.Start(t)
	alice := h.Login("alice")
	alice.Send(&slsk.GlobalUserList{})
	alice.ExpectClosed()
}

// A client that stops reading is disconnected once its queue passes the
// limit, and the sender is never blocked by it (style §3.3). Status
// changes, which watchers must get, fill it here; relayed peer requests
// are optional and would be dropped instead (see
// TestRelayFloodDoesNotDisconnectTheTarget).
func TestSlowConsumerIsDisconnected(t *testing.T) {
	h := slsktest.Start(t, func(o *slskserver.Options) {
		o.Limits.MaxQueueBytes = 256 << 10
		o.Limits.FanoutRate = netlimit.Rate{PerSecond: 1e9, Burst: 1e9} // let alice change status freely
	})
	alice := h.Login("alice")
	bob := h.Login("bob") // never reads below
	carol := h.Login("carol")
	bob.Send(&slsk.WatchUser{Username: "alice"})
	bob.Sync()
	var burst []byte
	for range 250 {
		burst = slsk.AppendServerFrame(burst, &slsk.SetStatus{Status: slsk.StatusAway})
		burst = slsk.AppendServerFrame(burst, &slsk.SetStatus{Status: slsk.StatusOnline})
	}
	// Enough to fill the loopback socket buffers and then the queue. alice
	// reads everything after each burst (Sync), so that only bob is slow:
	// with many bursts in flight (sent without a barrier), whatever alice is
	// owed could overflow her own queue when her reader fell behind on a busy
	// machine, and the server would drop her instead.
	for range 4000 {
		alice.SendRaw(burst)
		alice.Sync()
		if n := h.Server.Online(); n < 3 {
			break
		}
	}
	bob.ExpectClosed()
	carol.Sync() // the server still serves others
}

// The per-IP cap refuses connections past the limit before login.
func TestPerIPCap(t *testing.T) {
	h := slsktest.Start(t, func(o *slskserver.Options) { o.Limits.MaxConnsPerIP = 2 })
	h.Login("a")
	h.Login("b")
	c := h.Dial()
	c.ExpectClosed()
}
