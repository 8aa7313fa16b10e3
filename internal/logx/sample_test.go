package logx

import (
	"testing"
	"time"
)

func TestSamplerAllowsOneLinePerKeyAndInterval(t *testing.T) {
	s := NewSampler(5 * time.Second)
	t0 := time.Unix(1000, 0)
	if ok, n := s.Allow("a", t0); !ok || n != 0 {
		t.Fatalf("first line: %v %d", ok, n)
	}
	for range 3 {
		if ok, _ := s.Allow("a", t0.Add(time.Second)); ok {
			t.Fatal("second line within the interval allowed")
		}
	}
	if ok, _ := s.Allow("b", t0.Add(time.Second)); !ok {
		t.Fatal("another key held back")
	}
	if ok, n := s.Allow("a", t0.Add(5*time.Second)); !ok || n != 3 {
		t.Fatalf("after the interval: %v, suppressed %d, want true, 3", ok, n)
	}
	if ok, _ := s.Allow("a", t0.Add(6*time.Second)); ok {
		t.Fatal("interval not restarted")
	}
}
