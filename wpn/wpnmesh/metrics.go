package wpnmesh

import "github.com/prometheus/client_golang/prometheus"

// metrics are the mesh's counters (namespace revival, subsystem wpn_mesh).
type metrics struct {
	frames   *prometheus.CounterVec // frames received, by kind
	drops    *prometheus.CounterVec // messages dropped or refused, by reason
	timeouts prometheus.Counter     // forwarded requests that got no final answer
	links    prometheus.Gauge
}

func newMetrics(reg prometheus.Registerer, m *Mesh) *metrics {
	opts := func(name, help string) prometheus.Opts {
		return prometheus.Opts{Namespace: "revival", Subsystem: "wpn_mesh", Name: name, Help: help}
	}
	x := &metrics{
		frames:   prometheus.NewCounterVec(prometheus.CounterOpts(opts("frames_total", "Frames received on primary links, by kind.")), []string{"kind"}),
		drops:    prometheus.NewCounterVec(prometheus.CounterOpts(opts("drops_total", "Mesh messages dropped or refused, by reason.")), []string{"reason"}),
		timeouts: prometheus.NewCounter(prometheus.CounterOpts(opts("request_timeouts_total", "Forwarded requests failed for want of an answer."))),
		links:    prometheus.NewGauge(prometheus.GaugeOpts(opts("links", "Primary links open (peers and room listers)."))),
	}
	if reg != nil {
		reg.MustRegister(x.frames, x.drops, x.timeouts, x.links,
			prometheus.NewGaugeFunc(prometheus.GaugeOpts(opts("nodes", "Primaries reachable through the mesh.")),
				func() float64 { return float64(len(m.routes.nodes())) }),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts(opts("pending_requests", "Forwarded requests awaiting answers.")),
				func() float64 {
					m.mu.Lock()
					defer m.mu.Unlock()
					return float64(len(m.pending))
				}))
	}
	return x
}
