package netconn

import "github.com/prometheus/client_golang/prometheus"

// Metrics are the connection-level collectors. Every protocol has its own
// set, told apart by the constant label proto, so the names are shared on
// one registry (style §3.7): revival_connections_refused_total{proto,reason}
// and so on. NewMetrics builds the set; a server that already registers
// some of these names (slskserver did before this package existed) fills
// the struct with its own collectors instead. Nil fields count into
// collectors nobody exports.
type Metrics struct {
	Refused       *prometheus.CounterVec // connections refused before the handler ran, by reason
	SlowConsumers prometheus.Counter     // clients disconnected because they did not read
	Panics        prometheus.Counter     // recovered panics in handlers
	OptionalDrops prometheus.Counter     // SendOptional messages dropped on a high queue
	Oversized     prometheus.Counter     // frames refused by Send for exceeding MaxSendFrame
}

// NewMetrics returns the collectors for protocol proto, registered on reg
// when reg is not nil, with a gauge of the server's open connections.
func NewMetrics(reg prometheus.Registerer, proto string, s *Server) *Metrics {
	m := newMetrics(proto)
	if reg != nil {
		l := prometheus.Labels{"proto": proto}
		reg.MustRegister(m.Refused, m.SlowConsumers, m.Panics, m.OptionalDrops, m.Oversized,
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "revival_connections_active",
				Help: "Open connections, logged in or not.", ConstLabels: l}, func() float64 { return float64(s.Count()) }))
	}
	return m
}

func newMetrics(proto string) *Metrics {
	l := prometheus.Labels{"proto": proto}
	return &Metrics{
		Refused: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "revival_connections_refused_total",
			Help: "Connections refused before login, by reason.", ConstLabels: l}, []string{"reason"}),
		SlowConsumers: prometheus.NewCounter(prometheus.CounterOpts{Name: "revival_slow_consumer_disconnects_total",
			Help: "Clients disconnected because they did not read.", ConstLabels: l}),
		Panics: prometheus.NewCounter(prometheus.CounterOpts{Name: "revival_handler_panics_total",
			Help: "Recovered panics in connection handlers.", ConstLabels: l}),
		OptionalDrops: prometheus.NewCounter(prometheus.CounterOpts{Name: "revival_optional_drops_total",
			Help: "Optional messages (peer relays) dropped because the recipient's queue was high.", ConstLabels: l}),
		Oversized: prometheus.NewCounter(prometheus.CounterOpts{Name: "revival_oversized_sends_total",
			Help: "Outgoing frames refused for exceeding the largest frame a connection queues.", ConstLabels: l}),
	}
}

// fill replaces nil collectors with unexported ones.
func (m *Metrics) fill(proto string) {
	d := newMetrics(proto)
	if m.Refused == nil {
		m.Refused = d.Refused
	}
	if m.SlowConsumers == nil {
		m.SlowConsumers = d.SlowConsumers
	}
	if m.Panics == nil {
		m.Panics = d.Panics
	}
	if m.OptionalDrops == nil {
		m.OptionalDrops = d.OptionalDrops
	}
	if m.Oversized == nil {
		m.Oversized = d.Oversized
	}
}
