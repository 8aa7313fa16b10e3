package slskload

import (
	"context"
	"time"
)

// RestartDeadline is the target for a restart storm: every user
// back in within 30 s, none refused. Past 30 s a login used to be refused
// with "the account database did not answer".
const RestartDeadline = 30 * time.Second

// Restart is what a restart-storm run measured; Result.Register holds the
// registration pass and Result.Login the reconnection.
type Restart struct {
	StopStartSeconds float64 `json:"stop_start_s"` // Options.Restart's own time
	Concurrency      int     `json:"reconnect_concurrency"`
	SlowestMs        float64 `json:"slowest_login_ms"` // dial to LoginReply, the worst user
	Refused          int     `json:"refused"`          // reconnections that failed
}

// runRestart is the restart storm: register every user (first logins,
// closed at once), restart the server through Options.Restart, then log
// every user in again, ReconnectConcurrency at a time (all at once by
// default), and keep the sessions until the end of the pass. The run
// fails if a login is refused or the slowest takes longer than
// RestartDeadline.
func (r *runner) runRestart(ctx context.Context) error {
	o := &r.opts
	r.logf("registering %d users (%d at a time)", o.Clients, o.Concurrency)
	r.res.Register = r.loginAll(ctx, false)
	if r.res.Register.Failed > 0 {
		r.fail("%d of %d first logins (registration) failed", r.res.Register.Failed, o.Clients)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	r.logf("restarting the server")
	t := time.Now()
	addr, err := o.Restart(ctx)
	if err != nil {
		r.fail("restart: %v", err)
		return nil
	}
	if addr != "" {
		r.addr = addr
	}
	rs := &Restart{StopStartSeconds: time.Since(t).Seconds(), Concurrency: o.ReconnectConcurrency}
	r.res.Restart = rs
	r.logf("reconnecting %d users (%d at a time)", o.Clients, o.ReconnectConcurrency)
	r.res.Login = r.loginAllN(ctx, true, o.ReconnectConcurrency)
	rs.SlowestMs, rs.Refused = r.res.Login.Latency.Max, r.res.Login.Failed
	if rs.Refused > 0 {
		r.fail("%d of %d reconnections after the restart failed", rs.Refused, o.Clients)
	}
	if rs.SlowestMs > float64(RestartDeadline/time.Millisecond) {
		r.fail("the slowest reconnection took %.1f s, past the %v target", rs.SlowestMs/1000, RestartDeadline)
	}
	return ctx.Err()
}
