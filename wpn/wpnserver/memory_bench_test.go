package wpnserver_test

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/revival-net/revival/wpn"
	"github.com/revival-net/revival/wpn/wpntest"
)

// BenchmarkMemoryPerSecondary reports the heap and stack the primary and
// its test clients hold per logged-in idle secondary (both sides live in
// this process; `revival bench wpn` measures the server alone).
//
//	go test -run x -bench MemoryPerSecondary -benchtime 1x ./wpn/wpnserver/
func BenchmarkMemoryPerSecondary(b *testing.B) {
	const n = 2000
	h := wpntest.Start(b)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	clients := make([]*wpntest.Secondary, n)
	for i := range clients {
		clients[i] = h.Login(fmt.Sprintf("mem%05d", i))
	}
	// A barrier per client: every login and status has been handled.
	for _, c := range clients {
		c.Send(&wpn.Whois{Target: c.Target()})
		wpntest.Expect[*wpn.WhoisReply](c)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	heap := float64(after.HeapInuse-before.HeapInuse) / n
	stack := float64(after.StackInuse-before.StackInuse) / n
	b.ReportMetric(heap, "heap-B/secondary")
	b.ReportMetric(stack, "stack-B/secondary")
	for range b.N {
	}
}
