package slskserver

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/revival-net/revival/slsk"
)

// metrics are the server's Prometheus collectors, named as in style §3.7.
// With a nil Registerer they still count (tests read them) but are not
// exported.
type metrics struct {
	logins         *prometheus.CounterVec
	messages       *prometheus.CounterVec
	protocolErrors *prometheus.CounterVec
	refused        *prometheus.CounterVec
	floods         *prometheus.CounterVec
	slowConsumers  prometheus.Counter
	panics         prometheus.Counter
	optionalDrops  prometheus.Counter // relayed messages dropped on a high queue (netconn.Conn.SendOptional)
	oversized      prometheus.Counter // frames above Limits.MaxSendFrame, not queued
}

func newMetrics(reg prometheus.Registerer, s *Server) *metrics {
	l := prometheus.Labels{"proto": "slsk"}
	m := &metrics{
		logins: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "revival_logins_total",
			Help: "Login attempts by result.", ConstLabels: l}, []string{"result"}),
		messages: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "revival_messages_total",
			Help: "Messages by direction and name.", ConstLabels: l}, []string{"dir", "msg"}),
		protocolErrors: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "revival_protocol_errors_total",
			Help: "Bad input from clients, by reason.", ConstLabels: l}, []string{"reason"}),
		refused: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "revival_connections_refused_total",
			Help: "Connections refused before login, by reason.", ConstLabels: l}, []string{"reason"}),
		floods: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "revival_flood_drops_total",
			Help: "Messages dropped by flood limits, by kind.", ConstLabels: l}, []string{"kind"}),
		slowConsumers: prometheus.NewCounter(prometheus.CounterOpts{Name: "revival_slow_consumer_disconnects_total",
			Help: "Clients disconnected because they did not read.", ConstLabels: l}),
		panics: prometheus.NewCounter(prometheus.CounterOpts{Name: "revival_handler_panics_total",
			Help: "Recovered panics in connection handlers.", ConstLabels: l}),
		optionalDrops: prometheus.NewCounter(prometheus.CounterOpts{Name: "revival_optional_drops_total",
			Help: "Optional messages (peer relays) dropped because the recipient's queue was high.", ConstLabels: l}),
		oversized: prometheus.NewCounter(prometheus.CounterOpts{Name: "revival_oversized_sends_total",
			Help: "Outgoing frames refused for exceeding the largest frame a connection queues.", ConstLabels: l}),
	}
	if reg != nil {
		reg.MustRegister(m.logins, m.messages, m.protocolErrors, m.refused, m.floods, m.slowConsumers, m.panics,
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "revival_users_online",
				Help: "Logged-in users.", ConstLabels: l}, func() float64 { return float64(s.Online()) }),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "revival_connections_active",
				Help: "Open connections, logged in or not.", ConstLabels: l}, func() float64 { return float64(s.connCount()) }),
		)
		reg.MustRegister(m.optionalDrops, m.oversized)
	}
	return m
}

func (m *metrics) in(code slsk.ServerCode, result string) {
	if result != "ok" {
		m.messages.WithLabelValues("in", result).Inc()
		return
	}
	m.messages.WithLabelValues("in", code.Label()).Inc()
}

func (m *metrics) out(code slsk.ServerCode) { m.messages.WithLabelValues("out", code.Label()).Inc() }

func (s *Server) connCount() int { return s.net.Count() }
