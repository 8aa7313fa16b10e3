package slskload

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// The targets for the figures a run produces; the text report
// marks each figure against them.
const (
	TargetLoginsPerSecond = 5000     // returning-user logins/s, more is better
	TargetBytesPerIdle    = 32 << 10 // server memory per idle client, less is better
	TargetChatP99Ms       = 50       // p99 chat delivery latency in a 1,000-member room
)

// WriteText writes r as a table for people: one line per figure, with the
// target where the issue sets one, then any failures.
func (r *Result) WriteText(w io.Writer) error {
	if r.Restart != nil {
		return r.writeRestartText(w)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	row := func(name, value, target string) { fmt.Fprintf(tw, "%s\t%s\t%s\n", name, value, target) }
	p := r.Options
	row("FIGURE", "VALUE", "TARGET")
	row("clients logged in at once", fmt.Sprintf("%d of %d", r.Login.OK, r.Clients), fmt.Sprintf("%d", r.Clients))
	row("registration (first logins)", loginText(r.Register), "")
	row("returning logins", loginText(r.Login), mark(r.Login.PerSecond > TargetLoginsPerSecond, "> 5000/s"))
	row("returning login latency", pctText(r.Login.Latency), "")
	cpuRow(row, "  CPU during returning logins", r.Login.CPU)
	if m := r.Memory; m != nil {
		row("server RSS at start", mib(m.StartBytes), "")
		row("server RSS after registration", mib(m.AfterRegisterBytes), "")
		row(fmt.Sprintf("server RSS, %d idle clients", m.IdleClients), mib(m.IdleBytes), "")
		row("server memory per idle client", fmt.Sprintf("%.1f KiB (RSS growth since start / clients; %.1f KiB since registration)",
			float64(m.PerIdleClientBytes)/1024, float64(m.PerIdleClientAfterRegisterBytes)/1024),
			mark(m.PerIdleClientBytes > 0 && m.PerIdleClientBytes < TargetBytesPerIdle, "< 32 KiB"))
		row("server RSS at end", mib(m.EndBytes), "")
	} else {
		row("server memory", "not measured (no server process known)", "< 32 KiB/client")
	}
	rm := r.Room
	row("room members joined", fmt.Sprintf("%d of %d in %.2f s (senders answered a round trip %.1f ms later)",
		rm.Joined, rm.Members, rm.JoinSeconds, rm.SendersReadyMs), "")
	row("chat lines", fmt.Sprintf("%d from %d senders, every %.0f ms", rm.Messages, rm.Senders, rm.IntervalMs), "")
	row("chat deliveries", deliveryText(rm.Delivered, rm.Expected, rm.Duplicates), "all")
	row("chat latency", pctText(rm.Latency), mark(rm.Latency.Count > 0 && rm.Latency.P99 < TargetChatP99Ms, "p99 < 50 ms"))
	cpuRow(row, "  CPU during chat", rm.ChatCPU)
	s := r.Search
	row("searches", fmt.Sprintf("%d, each to %d users", s.Searches, s.Recipients), "")
	row("search deliveries", deliveryText(s.Delivered, s.Expected, s.Duplicates), "all")
	row("search latency (all deliveries)", pctText(s.Latency), "")
	for i, one := range s.PerSearch {
		row(fmt.Sprintf("  search %d reached all users in", i+1),
			fmt.Sprintf("%.1f ms (%d/%d; p50 %.1f, p99 %.1f)", one.LastMs, one.Reached, one.Recipients, one.P50Ms, one.P99Ms), "")
	}
	row("one search to every user (worst)", fmt.Sprintf("%.1f ms", s.AllReachedMs), "")
	cpuRow(row, "  CPU during searches", s.CPU)
	row("sessions dropped by the server", fmt.Sprint(r.Disconnects), "0")
	row("run time", fmt.Sprintf("%.1f s", r.ElapsedSeconds), "")
	row("parameters", fmt.Sprintf("login concurrency %d, settle %g s, timeout %g s", p.Concurrency, p.SettleSeconds, p.TimeoutSeconds), "")
	if err := tw.Flush(); err != nil {
		return err
	}
	return r.writeVerdict(w)
}

// writeVerdict writes the warnings, failures and PASS or FAIL.
func (r *Result) writeVerdict(w io.Writer) error {
	for _, wn := range r.Warnings {
		fmt.Fprintln(w, "warning:", wn)
	}
	if r.OK() {
		_, err := fmt.Fprintln(w, "result: PASS (every login and delivery arrived)")
		return err
	}
	for _, f := range r.Failures {
		fmt.Fprintln(w, "FAILURE:", f)
	}
	for _, e := range append(r.Register.Errors, r.Login.Errors...) {
		fmt.Fprintln(w, "  login error:", e)
	}
	_, err := fmt.Fprintln(w, "result: FAIL")
	return err
}

// cpuRow shows who used the processors during a phase; nothing without
// a CPU probe.
func cpuRow(row func(name, value, target string), name string, c *PhaseCPU) {
	if c == nil {
		return
	}
	busy := 0.0
	if c.Wall > 0 && c.Cores > 0 {
		busy = 100 * c.Machine / (c.Wall * float64(c.Cores))
	}
	row(name, fmt.Sprintf("server %.2f s, clients %.2f s, other processes ~%.2f s; machine %.0f%% busy (%.2f s of %d cores × %.2f s, softirq %.2f s)",
		c.Server, c.Clients, c.Other, busy, c.Machine, c.Cores, c.Wall, c.SoftIRQ), "")
}

func loginText(p LoginPhase) string {
	t := fmt.Sprintf("%d in %.2f s = %.0f/s", p.OK, p.Seconds, p.PerSecond)
	if p.Failed > 0 {
		t += fmt.Sprintf(", %d FAILED", p.Failed)
	}
	return t
}

func pctText(p Percentiles) string {
	if p.Count == 0 {
		return "-"
	}
	return fmt.Sprintf("p50 %.2f, p90 %.2f, p99 %.2f, max %.2f ms (n=%d)", p.P50, p.P90, p.P99, p.Max, p.Count)
}

func deliveryText(got, want, dups int) string {
	t := fmt.Sprintf("%d of %d", got, want)
	if got < want {
		t += fmt.Sprintf(" (%d MISSING)", want-got)
	}
	if dups > 0 {
		t += fmt.Sprintf(" (%d duplicates)", dups)
	}
	return t
}

func mib(b int64) string {
	if b == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20))
}

// mark prefixes a target with whether the figure met it.
func mark(ok bool, target string) string {
	if ok {
		return target + " (met)"
	}
	return target + " (MISSED)"
}
