package slskload

import "github.com/revival-net/revival/internal/loadtest/latency"

// Percentiles summarises latencies in milliseconds (latency.Percentiles).
type Percentiles = latency.Percentiles

var (
	summarize = latency.Summarize
	ms        = latency.MS
)
