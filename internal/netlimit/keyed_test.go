package netlimit

import (
	"testing"
	"time"
)

// Take is taken before the work and Refund gives it back: a budget of N
// bounds N failures however many attempts are in flight.
func TestKeyedTakeRefund(t *testing.T) {
	k := NewKeyed[string](Rate{PerSecond: 0.001, Burst: 2}, 10)
	now := time.Unix(1000, 0)
	if !k.Take("a", now) || !k.Take("a", now) {
		t.Fatal("burst refused")
	}
	if k.Take("a", now) || k.Peek("a", now) {
		t.Fatal("third token while two are out")
	}
	k.Refund("a")
	if !k.Take("a", now) {
		t.Fatal("refunded token not available")
	}
	k.Refund("a")
	k.Refund("a")
	k.Refund("a") // never above the burst
	for range 2 {
		if !k.Take("a", now) {
			t.Fatal("burst after refunds refused")
		}
	}
	if k.Take("a", now) {
		t.Fatal("refunds raised the bucket above its burst")
	}
	if !k.Take("b", now) {
		t.Fatal("another key refused")
	}
}

func TestKeyedStaysBounded(t *testing.T) {
	k := NewKeyed[int](Rate{PerSecond: 0.001, Burst: 1}, 100)
	now := time.Unix(1000, 0)
	for i := range 1000 {
		k.Take(i, now)
	}
	if n := len(k.m); n > 100 {
		t.Fatalf("%d keys kept, max 100", n)
	}
}

func TestKeyedZeroRateAllowsEverything(t *testing.T) {
	k := NewKeyed[string](Rate{PerSecond: -1}, 10)
	for range 100 {
		if !k.Take("a", time.Unix(1000, 0)) {
			t.Fatal("unlimited bucket refused")
		}
	}
}
