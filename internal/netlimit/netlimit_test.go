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
