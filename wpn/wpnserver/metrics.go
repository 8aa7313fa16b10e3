package wpnserver

import "github.com/prometheus/client_golang/prometheus"

// metrics are the primary's own counters; connection counts come from
// netconn (proto="wpn").
type metrics struct {
	openings     *prometheus.CounterVec // by kind: secondary, chat, primary, transfer, refused
	badOpenings  prometheus.Counter
	refused      *prometheus.CounterVec // logins refused, by reason
	logins       prometheus.Counter
	packets      *prometheus.CounterVec // by type
	malformed    prometheus.Counter
	oversized    prometheus.Counter
	ignored      prometheus.Counter
	flood        *prometheus.CounterVec // requests dropped by the flood limits, by kind
	searches     *prometheus.CounterVec // term, hash
	hits         prometheus.Counter
	browses      prometheus.Counter
	pms          prometheus.Counter
	transfers    *prometheus.CounterVec
	shareRefused prometheus.Counter
}

func newMetrics(reg prometheus.Registerer, s *Server) *metrics {
	counter := func(name, help string) prometheus.Counter {
		return prometheus.NewCounter(prometheus.CounterOpts{Namespace: "revival", Subsystem: "wpn", Name: name, Help: help})
	}
	vec := func(name, help, label string) *prometheus.CounterVec {
		return prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "revival", Subsystem: "wpn", Name: name, Help: help}, []string{label})
	}
	m := &metrics{
		openings:     vec("openings_total", "Connections by what the initiator sent after 0x31.", "kind"),
		badOpenings:  counter("bad_openings_total", "Connections that sent neither a valid key block nor GET/SEND."),
		refused:      vec("logins_refused_total", "Secondary logins refused, by reason.", "reason"),
		logins:       counter("logins_total", "Secondaries logged in."),
		packets:      vec("packets_total", "Packets from secondaries, by type.", "type"),
		malformed:    counter("malformed_packets_total", "Packets from secondaries that did not decode."),
		oversized:    counter("oversized_frames_total", "Frames above the size limit, skipped."),
		ignored:      counter("ignored_packets_total", "Packets of unknown or server-only types."),
		flood:        vec("flood_drops_total", "Requests refused by the per-secondary flood limits.", "kind"),
		searches:     vec("searches_total", "Searches from secondaries.", "kind"),
		hits:         counter("search_hits_total", "Search hits sent from the local index."),
		browses:      counter("browses_total", "Browse requests answered from the local index."),
		pms:          counter("private_messages_total", "Private messages delivered to local secondaries."),
		transfers:    vec("transfers_total", "Brokered downloads, by outcome.", "outcome"),
		shareRefused: counter("shares_refused_total", "Share packets refused by the index limits."),
	}
	if reg != nil {
		reg.MustRegister(m.openings, m.badOpenings, m.refused, m.logins, m.packets, m.malformed, m.oversized,
			m.ignored, m.flood, m.searches, m.hits, m.browses, m.pms, m.transfers, m.shareRefused,
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: "revival", Subsystem: "wpn", Name: "secondaries", Help: "Secondaries logged in."},
				func() float64 { return float64(s.dir.count()) }),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: "revival", Subsystem: "wpn", Name: "shared_files", Help: "Files in the share index."},
				func() float64 { return float64(s.index.Total()) }))
	}
	return m
}
