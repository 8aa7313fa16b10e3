package netlimit

import (
	"net/netip"
	"testing"
	"time"
)

func TestPerIPCapsAndReleases(t *testing.T) {
	p := NewPerIP(2)
	a := netip.MustParseAddr("192.0.2.1")
	b := netip.MustParseAddr("192.0.2.2")
	if !p.Acquire(a) || !p.Acquire(a) {
		t.Fatal("first two connections refused")
	}
	if p.Acquire(a) {
		t.Fatal("third connection from one address allowed")
	}
	if !p.Acquire(b) {
		t.Fatal("other address refused")
	}
	p.Release(a)
	if !p.Acquire(a) {
		t.Fatal("slot not freed by Release")
	}
}

func TestPerIPCountsAnIPv6Slash64AsOneHost(t *testing.T) {
	p := NewPerIP(1)
	if !p.Acquire(netip.MustParseAddr("2001:db8:1:2::1")) {
		t.Fatal("first address refused")
	}
	if p.Acquire(netip.MustParseAddr("2001:db8:1:2:ffff::9")) {
		t.Fatal("another address of the same /64 allowed")
	}
	if !p.Acquire(netip.MustParseAddr("2001:db8:1:3::1")) {
		t.Fatal("another /64 refused")
	}
	p.Release(netip.MustParseAddr("2001:db8:1:2::7"))
	if !p.Acquire(netip.MustParseAddr("2001:db8:1:2::1")) {
		t.Fatal("release by another address of the /64 did not free the slot")
	}
}

func TestBucketRefills(t *testing.T) {
	r := Rate{PerSecond: 2, Burst: 3}
	var b Bucket
	now := time.Unix(1000, 0)
	for i := range 3 {
		if !b.Allow(r, now) {
			t.Fatalf("burst message %d refused", i)
		}
	}
	if b.Allow(r, now) {
		t.Fatal("message past the burst allowed")
	}
	if !b.Allow(r, now.Add(600*time.Millisecond)) {
		t.Fatal("no token after refill time")
	}
}

func TestByIPLimitsEachHost(t *testing.T) {
	p := NewByIP(Rate{PerSecond: 1, Burst: 2})
	now := time.Unix(1000, 0)
	a, b := netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("192.0.2.2")
	if !p.Allow(a, now) || !p.Allow(a, now) {
		t.Fatal("burst refused")
	}
	if p.Peek(a, now) || p.Allow(a, now) {
		t.Fatal("host past its burst allowed")
	}
	if !p.Allow(b, now) {
		t.Fatal("another host refused")
	}
	if !p.Peek(a, now.Add(time.Second)) {
		t.Fatal("no refill")
	}
}
