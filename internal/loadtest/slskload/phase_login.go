package slskload

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// maxErrors is how many distinct error texts a phase keeps for the report.
const maxErrors = 5

// loginAll logs every user in, Concurrency at a time, and times the pass
// from the first dial to the last LoginReply. A login is a TCP connect,
// Login plus SetWaitPort in one write, and the wait for a successful
// LoginReply (spec §1.3, §1.4). With keep the sessions stay open and get a
// reader; without it each is closed right after its reply (registration).
func (r *runner) loginAll(ctx context.Context, keep bool) LoginPhase {
	return r.loginAllN(ctx, keep, r.opts.Concurrency)
}

// loginAllN is loginAll with concurrency logins in flight.
func (r *runner) loginAllN(ctx context.Context, keep bool, concurrency int) LoginPhase {
	o := &r.opts
	lat := make([]time.Duration, o.Clients)
	var (
		next   atomic.Int64
		failed atomic.Int64
		wg     sync.WaitGroup
		emu    sync.Mutex
		errs   []string
	)
	record := func(err error) {
		failed.Add(1)
		emu.Lock()
		if len(errs) < maxErrors {
			errs = append(errs, err.Error())
		}
		emu.Unlock()
	}
	cpu := r.meterCPU()
	start := time.Now()
	for range min(concurrency, o.Clients) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= o.Clients || ctx.Err() != nil {
					return
				}
				name := o.username(i)
				t := time.Now()
				nc, fr, err := dialLogin(ctx, r.addr, name, o.Password, o.Timeout)
				if err != nil {
					record(err)
					continue
				}
				lat[i] = time.Since(t)
				if !keep {
					_ = nc.Close()
					continue
				}
				c := &client{r: r, idx: i, name: name, nc: nc, fr: fr}
				r.clients[i] = c
				c.start()
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	p := LoginPhase{Attempted: o.Clients, Failed: int(failed.Load()), Seconds: elapsed.Seconds(), Errors: errs, CPU: cpu.stop(nil)}
	if ctx.Err() != nil {
		p.Attempted = int(min(next.Load(), int64(o.Clients)))
	}
	ok := make([]time.Duration, 0, o.Clients)
	for _, d := range lat {
		if d > 0 {
			ok = append(ok, d)
		}
	}
	p.OK = len(ok)
	if elapsed > 0 {
		p.PerSecond = float64(p.OK) / elapsed.Seconds()
	}
	p.Latency = summarize(ok)
	if p.Failed > len(errs) {
		p.Errors = append(p.Errors, fmt.Sprintf("… and %d more", p.Failed-len(errs)))
	}
	return p
}
