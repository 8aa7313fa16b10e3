package netlimit

import (
	"testing"
	"time"
)

func TestAllowNChargesBySize(t *testing.T) {
	r := Rate{PerSecond: 10, Burst: 20}
	var b Bucket
	now := time.Unix(1000, 0)
	if !b.AllowN(r, now, 15) {
		t.Fatal("15 tokens of a full 20 refused")
	}
	if b.AllowN(r, now, 6) {
		t.Fatal("6 tokens allowed with 5 left")
	}
	if !b.AllowN(r, now, 5) {
		t.Fatal("a refused AllowN took tokens")
	}
	if b.Allow(r, now) {
		t.Fatal("empty bucket allowed a message")
	}
	if !b.AllowN(r, now.Add(time.Second), 10) {
		t.Fatal("no refill")
	}
}
