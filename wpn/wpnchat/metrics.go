package wpnchat

import "github.com/prometheus/client_golang/prometheus"

// metrics are the host's Prometheus collectors. With a nil Registerer
// they still count (tests read them) but are not exported. The names carry
// "wpnchat" so they never clash with the WPN primary's in one registry.
type metrics struct {
	joins          *prometheus.CounterVec // by result
	logins         *prometheus.CounterVec // /login and /password, by result
	messages       *prometheus.CounterVec // client frames, by name
	protocolErrors *prometheus.CounterVec // by reason
	floods         *prometheus.CounterVec // by kind
}

func newMetrics(reg prometheus.Registerer, h *Host) *metrics {
	m := &metrics{
		joins: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "revival_wpnchat_joins_total",
			Help: "WinMX chat room joins by result."}, []string{"result"}),
		logins: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "revival_wpnchat_logins_total",
			Help: "WinMX chat /login and /password attempts by result."}, []string{"result"}),
		messages: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "revival_wpnchat_messages_total",
			Help: "WinMX chat frames received, by name."}, []string{"msg"}),
		protocolErrors: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "revival_wpnchat_protocol_errors_total",
			Help: "Bad input from WinMX chat clients, by reason."}, []string{"reason"}),
		floods: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "revival_wpnchat_flood_drops_total",
			Help: "WinMX chat messages dropped by flood limits, by kind."}, []string{"kind"}),
	}
	if reg != nil {
		reg.MustRegister(m.joins, m.logins, m.messages, m.protocolErrors, m.floods,
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "revival_wpnchat_sessions",
				Help: "Open WinMX chat connections."}, func() float64 { return float64(h.members()) }),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "revival_wpnchat_rooms",
				Help: "Hosted WinMX chat rooms."}, func() float64 { return float64(h.roomCount()) }),
		)
	}
	return m
}
