package slskload

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"
)

// searchTokenBase is the token of the first search; search i uses
// searchTokenBase+i, so a reader maps a token to its search without a table.
const searchTokenBase uint32 = 0x52560000

// runner is the state of one Run shared by the phases and the readers.
type runner struct {
	opts    Options
	addr    string
	epoch   time.Time
	clients []*client // user i's live session; nil when its login failed
	res     *Result

	closing     atomic.Bool  // set before the run closes its own connections
	disconnects atomic.Int64 // readers that stopped while the run was going
	frames      atomic.Int64 // frames received by all readers, to detect quiet

	joins, chat, search, syncs slot
}

// now returns monotonic nanoseconds since the run's epoch; chat lines
// carry it, so latency is measured on one clock in one process.
func (r *runner) now() int64 { return int64(time.Since(r.epoch)) }

func (r *runner) logf(format string, args ...any) {
	if r.opts.Progress != nil {
		r.opts.Progress(format, args...)
	}
}

func (r *runner) fail(format string, args ...any) {
	r.res.Failures = append(r.res.Failures, fmt.Sprintf(format, args...))
}

func (r *runner) warn(format string, args ...any) {
	r.res.Warnings = append(r.res.Warnings, fmt.Sprintf(format, args...))
}

// Run drives the server at addr through every phase and returns what it
// measured. The phases, in order:
//
//  1. register: log every user in once and disconnect (the first login
//     creates the account, spec §1.3);
//  2. returning logins: log every user in again, Concurrency at a time,
//     and keep the sessions; this is the logins/s figure;
//  3. idle: wait Settle, then read the server's memory (Options.Memory);
//  4. room: RoomMembers users join one room, then Messages chat lines are
//     sent and every member's delivery latency is recorded;
//  5. search: Searches searches, from different users, each measured
//     until every other user received it.
//
// The error is for unusable options or a cancelled ctx; everything the
// server did wrong is in Result.Failures.
func Run(ctx context.Context, addr string, opts Options) (*Result, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	r := &runner{opts: o, addr: addr, epoch: time.Now(), clients: make([]*client, o.Clients)}
	r.res = &Result{Clients: o.Clients, Failures: []string{}, Options: ResultParams{
		Clients: o.Clients, RoomMembers: o.RoomMembers, Messages: o.Messages, Searches: o.Searches,
		Concurrency: o.Concurrency, ChatSenders: o.ChatSenders, ChatIntervalMs: ms(o.ChatInterval),
		SettleSeconds: o.Settle.Seconds(), TimeoutSeconds: o.Timeout.Seconds(),
	}}
	defer r.closeAll()
	if o.Memory != nil {
		r.res.Memory = &Memory{}
	}
	start := time.Now()
	if o.Restart != nil {
		err = r.runRestart(ctx)
	} else {
		err = r.phases(ctx)
	}
	r.res.ElapsedSeconds = time.Since(start).Seconds()
	r.collectSessions()
	return r.res, err
}

func (r *runner) phases(ctx context.Context) error {
	o := &r.opts
	r.sampleMemory("start", func(m *Memory, v int64) { m.StartBytes = v })

	r.logf("registering %d users (%d at a time)", o.Clients, o.Concurrency)
	r.res.Register = r.loginAll(ctx, false)
	if r.res.Register.Failed > 0 {
		r.fail("%d of %d first logins (registration) failed", r.res.Register.Failed, o.Clients)
	}
	if err := sleep(ctx, min(o.Settle, 2*time.Second)); err != nil {
		return err
	}
	r.sampleMemory("after register", func(m *Memory, v int64) { m.AfterRegisterBytes = v })

	r.logf("logging %d returning users in (%d at a time)", o.Clients, o.Concurrency)
	r.res.Login = r.loginAll(ctx, true)
	if r.res.Login.Failed > 0 {
		r.fail("%d of %d returning logins failed", r.res.Login.Failed, o.Clients)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if r.res.Login.OK < 2 {
		r.fail("only %d users logged in; skipping the room and search phases", r.res.Login.OK)
		return nil
	}

	r.logf("%d users idle for %v", r.res.Login.OK, o.Settle)
	if err := sleep(ctx, o.Settle); err != nil {
		return err
	}
	r.sampleMemory("idle", func(m *Memory, v int64) {
		m.IdleBytes = v
		m.IdleClients = r.res.Login.OK
		if m.StartBytes > 0 {
			m.PerIdleClientBytes = (v - m.StartBytes) / int64(m.IdleClients)
		}
		if m.AfterRegisterBytes > 0 {
			m.PerIdleClientAfterRegisterBytes = (v - m.AfterRegisterBytes) / int64(m.IdleClients)
		}
	})

	if err := r.roomPhase(ctx); err != nil {
		return err
	}
	if err := r.searchPhase(ctx); err != nil {
		return err
	}
	r.sampleMemory("end", func(m *Memory, v int64) { m.EndBytes = v })
	return nil
}

// sampleMemory reads the server's memory through Options.Memory, if set.
func (r *runner) sampleMemory(stage string, set func(*Memory, int64)) {
	if r.opts.Memory == nil {
		return
	}
	v, err := r.opts.Memory()
	if err != nil {
		r.warn("memory at %s: %v", stage, err)
		return
	}
	set(r.res.Memory, v)
}

// connected returns the users with a live session, in index order.
func (r *runner) connected() []*client {
	var cs []*client
	for _, c := range r.clients {
		if c != nil {
			cs = append(cs, c)
		}
	}
	return cs
}

// waitQuiet waits until no frame has arrived for quiet, or at most limit:
// used between phases so the tail of one fan-out does not load the next
// measurement.
func (r *runner) waitQuiet(ctx context.Context, quiet, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	last, since := r.frames.Load(), time.Now()
	for time.Now().Before(deadline) {
		if err := sleep(ctx, quiet/5); err != nil {
			return err
		}
		if n := r.frames.Load(); n != last {
			last, since = n, time.Now()
		} else if time.Since(since) >= quiet {
			return nil
		}
	}
	return nil
}

// collectSessions counts what went wrong with sessions over the run.
func (r *runner) collectSessions() {
	r.res.Disconnects = int(r.disconnects.Load())
	var firstErr error
	for _, c := range r.clients {
		if c == nil {
			continue
		}
		c.mu.Lock()
		if c.relogged {
			r.res.Relogged++
		}
		r.res.Strays += c.strays
		if firstErr == nil && c.readErr != nil {
			firstErr = fmt.Errorf("%s: %w", c.name, c.readErr)
		}
		c.mu.Unlock()
	}
	if r.res.Disconnects > 0 {
		r.fail("the server closed %d sessions during the run (first: %v)", r.res.Disconnects, firstErr)
	}
	if r.res.Relogged > 0 {
		r.fail("%d sessions got Relogged: another client logged in with the same names", r.res.Relogged)
	}
	if r.res.Strays > 0 {
		r.fail("%d room lines or searches arrived where none was due, or could not be parsed", r.res.Strays)
	}
}

// closeAll ends every session and waits briefly for the readers.
func (r *runner) closeAll() {
	r.closing.Store(true)
	for _, c := range r.clients {
		if c != nil {
			c.close()
		}
	}
	for _, c := range r.clients {
		if c != nil {
			c.waitReader(5 * time.Second)
		}
	}
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
