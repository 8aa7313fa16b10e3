// Package latency summarises measured latencies for the load tools.
package latency

import (
	"math"
	"slices"
	"time"
)

// Percentiles summarises a set of latencies in milliseconds, the unit the
// load targets are stated in (e.g. chat p99 < 50 ms).
type Percentiles struct {
	Count int     `json:"count"`
	Min   float64 `json:"min_ms"`
	P50   float64 `json:"p50_ms"`
	P90   float64 `json:"p90_ms"`
	P99   float64 `json:"p99_ms"`
	Max   float64 `json:"max_ms"`
	Mean  float64 `json:"mean_ms"`
}

// Summarize sorts d in place and returns its percentiles, using the
// nearest-rank method (the smallest value with at least p% of the samples
// at or below it), so every reported figure is a latency that was observed.
func Summarize(d []time.Duration) Percentiles {
	if len(d) == 0 {
		return Percentiles{}
	}
	slices.Sort(d)
	var sum time.Duration
	for _, v := range d {
		sum += v
	}
	return Percentiles{
		Count: len(d),
		Min:   MS(d[0]),
		P50:   MS(rank(d, 50)),
		P90:   MS(rank(d, 90)),
		P99:   MS(rank(d, 99)),
		Max:   MS(d[len(d)-1]),
		Mean:  MS(sum / time.Duration(len(d))),
	}
}

// rank returns the nearest-rank p-th percentile of sorted d (len(d) > 0).
func rank(sorted []time.Duration, p float64) time.Duration {
	i := int(math.Ceil(p/100*float64(len(sorted)))) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

// MS converts d to milliseconds with microsecond resolution.
func MS(d time.Duration) float64 {
	return math.Round(float64(d)/float64(time.Microsecond)) / 1000
}
