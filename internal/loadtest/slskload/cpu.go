package slskload

import (
	"runtime"
	"time"
)

// cpuMeter measures one phase's CPU use through Options.CPU.
type cpuMeter struct {
	r     *runner
	start time.Time
	first CPUSample
	ok    bool
}

// meterCPU starts measuring; stop returns nil when no probe is set or a
// sample failed (the failure becomes a warning).
func (r *runner) meterCPU() *cpuMeter {
	m := &cpuMeter{r: r, start: time.Now()}
	if r.opts.CPU == nil {
		return m
	}
	s, err := r.opts.CPU()
	if err != nil {
		r.warn("CPU sample: %v", err)
		return m
	}
	m.first, m.ok = s, true
	return m
}

// stop ends the measurement, adding to acc when it is not nil (a phase
// made of several timed pieces, like the searches).
func (m *cpuMeter) stop(acc *PhaseCPU) *PhaseCPU {
	wall := time.Since(m.start)
	if !m.ok {
		return acc
	}
	s, err := m.r.opts.CPU()
	if err != nil {
		m.r.warn("CPU sample: %v", err)
		return acc
	}
	if acc == nil {
		acc = &PhaseCPU{Cores: runtime.NumCPU()}
	}
	server, clients := s.Server-m.first.Server, s.Clients-m.first.Clients
	acc.Wall += wall.Seconds()
	acc.Server += server.Seconds()
	acc.Clients += clients.Seconds()
	machine := s.Machine - m.first.Machine
	acc.Machine += machine.Seconds()
	acc.SoftIRQ += (s.SoftIRQ - m.first.SoftIRQ).Seconds()
	acc.Other += max(0, machine-server-clients).Seconds()
	return acc
}
