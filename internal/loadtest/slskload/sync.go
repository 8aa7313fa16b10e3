package slskload

import (
	"context"
	"fmt"
	"time"

	"github.com/revival-net/revival/slsk"
)

// syncWith makes a round trip through each client's server session: it
// sends CheckPrivileges (server code 92), which the server answers in
// order on the session's own goroutine (spec §2: Soulseek.NET waits for
// this reply too). When every answer is back, nothing sent earlier on
// those sessions is still being handled, so a measurement that starts now
// is not delayed by the previous phase's work (a JoinRoom that created the
// room, for instance, is stored on its creator's goroutine).
func (r *runner) syncWith(ctx context.Context, cs []*client) (time.Duration, error) {
	p := newProgress(len(cs))
	r.syncs.Store(p)
	defer r.syncs.Store(nil)
	start := time.Now()
	for _, c := range cs {
		if err := c.send(&slsk.CheckPrivileges{}, r.opts.Timeout); err != nil {
			return 0, fmt.Errorf("%s: CheckPrivileges: %w", c.name, err)
		}
	}
	if !p.wait(ctx, r.opts.Timeout) {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		return 0, fmt.Errorf("only %d of %d sessions answered CheckPrivileges within %v", p.count(), len(cs), r.opts.Timeout)
	}
	return time.Since(start), nil
}
