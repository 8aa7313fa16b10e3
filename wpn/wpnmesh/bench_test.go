package wpnmesh

import (
	"slices"
	"testing"
	"time"

	"github.com/revival-net/revival/internal/netlimit"
	"github.com/revival-net/revival/wpn"
	"github.com/revival-net/revival/wpn/wpnserver"
)

// BenchmarkTermSearchThreePrimaries measures a term search from a
// secondary of A to its hit from a secondary of C, two hops away (A–B–C),
// one search at a time; p99-ms is the 99th percentile of that latency.
//
//	go test -run XXX -bench TermSearchThreePrimaries -benchtime 2000x ./wpn/wpnmesh
func BenchmarkTermSearchThreePrimaries(b *testing.B) {
	unlimited := netlimit.Rate{PerSecond: 1e9, Burst: 1e9}
	lim := func(l *Limits) { l.Searches = unlimited }
	srv := func(o *wpnserver.Options) { o.Limits.Searches = unlimited }
	a := startNode(b, 7001, nodeOpts{limits: lim, server: srv})
	c := startNode(b, 7003, nodeOpts{limits: lim, server: srv})
	startNode(b, 7002, nodeOpts{peers: []*node{a, c}, limits: lim, server: srv})
	knowsAll(b, a, c)
	alice := a.h.Login("alice123")
	carol := c.h.Login("carol123")
	shareMusic(carol)

	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		start := time.Now()
		alice.Send(&wpn.Search{SearchID: uint32(i), Query: "beatles help"})
		for {
			if h, ok := alice.Next().(*wpn.SearchHit); ok && h.SearchID == uint32(i) {
				break
			}
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
}
