package slskserver_test

import (
	"encoding/binary"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/revival-net/revival/internal/netlimit"
	"github.com/revival-net/revival/slsk"
	"github.com/revival-net/revival/slsk/slskserver"
	"github.com/revival-net/revival/slsk/slsktest"
)

// counterValue sums a counter's series on reg that carry the label value
// (any label) or all of them when label is "".
func counterValue(t *testing.T, reg *prometheus.Registry, name, label string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			match := label == ""
			for _, lp := range m.GetLabel() {
				match = match || lp.GetName() != "proto" && lp.GetValue() == label
			}
			if match {
				sum += m.GetCounter().GetValue()
			}
		}
	}
	return sum
}

// Issue 5, finding 3: ConnectToPeer relayed a type of any length. Only
// the types peers open (P, F, D) are relayed now; others are malformed
// input and reach nobody.
func TestConnectToPeerRelaysOnlyPeerTypes(t *testing.T) {
	h := slsktest.Start(t)
	alice := h.Login("alice")
	mallory := h.Login("mallory")
	for _, typ := range []string{strings.Repeat("P", 60000), "X", "", "p"} {
		mallory.Send(&slsk.ConnectToPeer{Token: 1, Username: "alice", Type: typ})
	}
	mallory.Sync()
	alice.ExpectNothing()
	mallory.Send(&slsk.ConnectToPeer{Token: 2, Username: "alice", Type: "F"})
	mallory.Sync()
	got := alice.Next()
	if r, ok := got.(*slsk.ConnectToPeerReply); !ok || r.Type != "F" || r.Username != "mallory" || r.Token != 2 {
		t.Fatalf("alice got %#v, want mallory's F request", got)
	}
}

// Issue 5, finding 3: relayed peer requests at the allowed rate used to
// fill a victim's queue until the victim was dropped as a slow consumer.
// Relays are optional now: above the high-water mark they are dropped,
// and the victim stays.
func TestRelayFloodDoesNotDisconnectTheTarget(t *testing.T) {
	reg := prometheus.NewRegistry()
	h := slsktest.Start(t, func(o *slskserver.Options) {
		o.Metrics = reg
		o.Limits.MaxQueueBytes = 64 << 10
		o.Limits.FanoutRate = netlimit.Rate{PerSecond: 1e9, Burst: 1e9} // the flood is within the rate
	})
	alice := h.Login("alice") // does not read while the flood lasts
	mallory := h.Login("mallory")
	var burst []byte
	for i := range 500 {
		burst = slsk.AppendServerFrame(burst, &slsk.ConnectToPeer{Token: uint32(i), Username: "alice", Type: "P"})
	}
	// Until alice's socket buffers and then her queue are full: drops
	// start (or, without optional relays, alice is disconnected).
	for range 4000 {
		mallory.SendRaw(burst)
		mallory.Sync()
		if counterValue(t, reg, "revival_optional_drops_total", "") > 0 || h.Server.Online() < 2 {
			break
		}
	}
	if n := counterValue(t, reg, "revival_slow_consumer_disconnects_total", ""); n != 0 {
		t.Fatalf("%v slow-consumer disconnects", n)
	}
	alice.Sync() // alice reads her backlog and is still served
	if n := h.Server.Online(); n != 2 {
		t.Fatalf("%d users online, want 2", n)
	}
}

// Issue 5, finding 5: connections that have not logged in are capped
// across all hosts, so stalled sockets cannot take every descriptor. The
// N+1th is refused; logged-in users go on; once a stalled socket is
// closed, a new login gets in; logged-in users do not count.
func TestPreLoginCap(t *testing.T) {
	reg := prometheus.NewRegistry()
	h := slsktest.Start(t, func(o *slskserver.Options) {
		o.Metrics = reg
		o.Limits.MaxPreLogin = 3
	})
	alice := h.Login("alice")
	var stalled []*slsktest.Client
	for range 3 {
		stalled = append(stalled, h.Dial()) // sends nothing
	}
	h.Dial().ExpectClosed()
	if n := counterValue(t, reg, "revival_connections_refused_total", "prelogin_cap"); n != 1 {
		t.Fatalf("prelogin_cap refusals: %v, want 1", n)
	}
	alice.Sync()
	// The server closes a socket whose first message is not Login; its
	// slot is free by the time the client reads EOF.
	stalled[0].Send(&slsk.ServerPing{})
	stalled[0].ExpectClosed()
	bob := h.Login("bob")
	bob.Sync()
	// bob left the pre-login count: one more stalled socket fits, the next
	// does not.
	h.Dial()
	h.Dial().ExpectClosed()
	alice.Sync()
}

// Issue 5, finding 5: a frame that has started must complete within the
// frame deadline, even though idle logged-in sessions are never timed out
// (and before login, even though the login timeout is longer).
func TestStalledHalfFrameIsDropped(t *testing.T) {
	h := slsktest.Start(t, func(o *slskserver.Options) {
		o.Limits.FrameTimeout = 50 * time.Millisecond
		o.Limits.LoginTimeout = time.Hour
	})
	alice := h.Login("alice")
	bob := h.Login("bob")
	half := binary.LittleEndian.AppendUint32(nil, 64<<10)
	half = append(half, make([]byte, 100)...)
	alice.SendRaw(half)
	alice.ExpectClosed()
	pre := h.Dial()
	pre.SendRaw(half)
	pre.ExpectClosed()
	bob.Sync() // idle and logged in: still there
}

// Searches from others are optional for their recipients: a user who
// does not read while a searcher floods (within its rate) is spared the
// searches above the high-water mark instead of being disconnected as a
// slow consumer. UserSearch reaches one target, which makes the flood
// aimed, as ConnectToPeer's was (issue 5, finding 3).
func TestSearchFloodDoesNotDisconnectTheTarget(t *testing.T) {
	reg := prometheus.NewRegistry()
	h := slsktest.Start(t, func(o *slskserver.Options) {
		o.Metrics = reg
		o.Limits.MaxQueueBytes = 64 << 10
		o.Limits.SearchRate = netlimit.Rate{PerSecond: 1e9, Burst: 1e9} // the flood is within the rate
	})
	alice := h.Login("alice") // does not read while the flood lasts
	mallory := h.Login("mallory")
	query := strings.Repeat("q", 200)
	var burst []byte
	for i := range 200 {
		burst = slsk.AppendServerFrame(burst, &slsk.UserSearch{Username: "alice", Token: uint32(i), Query: query})
		burst = slsk.AppendServerFrame(burst, &slsk.FileSearch{Token: uint32(i), Query: query})
	}
	for range 4000 {
		mallory.SendRaw(burst)
		mallory.Sync()
		if counterValue(t, reg, "revival_optional_drops_total", "") > 0 || h.Server.Online() < 2 {
			break
		}
	}
	if n := counterValue(t, reg, "revival_slow_consumer_disconnects_total", ""); n != 0 {
		t.Fatalf("%v slow-consumer disconnects", n)
	}
	if n := counterValue(t, reg, "revival_optional_drops_total", ""); n == 0 {
		t.Fatal("no search was dropped: the flood never reached the high-water mark")
	}
	alice.Sync() // alice reads her backlog and is still served
	if n := h.Server.Online(); n != 2 {
		t.Fatalf("%d users online, want 2", n)
	}
}
