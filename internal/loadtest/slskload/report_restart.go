package slskload

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// writeRestartText is WriteText for a restart-storm run.
func (r *Result) writeRestartText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	row := func(name, value, target string) { fmt.Fprintf(tw, "%s\t%s\t%s\n", name, value, target) }
	rs := r.Restart
	row("FIGURE", "VALUE", "TARGET")
	row("users registered before the restart", loginText(r.Register), fmt.Sprint(r.Clients))
	row("server stop and start", fmt.Sprintf("%.2f s", rs.StopStartSeconds), "")
	row("reconnections after the restart", loginText(r.Login), fmt.Sprintf("%d, none refused", r.Clients))
	row("reconnection latency", pctText(r.Login.Latency), "")
	row("slowest reconnection", fmt.Sprintf("%.2f s", rs.SlowestMs/1000),
		mark(rs.Refused == 0 && r.Login.OK == r.Clients && rs.SlowestMs <= float64(RestartDeadline.Milliseconds()), "< 30 s"))
	cpuRow(row, "  CPU during reconnections", r.Login.CPU)
	row("run time", fmt.Sprintf("%.1f s", r.ElapsedSeconds), "")
	row("parameters", fmt.Sprintf("registration concurrency %d, reconnection concurrency %d, timeout %g s",
		r.Options.Concurrency, rs.Concurrency, r.Options.TimeoutSeconds), "")
	if err := tw.Flush(); err != nil {
		return err
	}
	return r.writeVerdict(w)
}
