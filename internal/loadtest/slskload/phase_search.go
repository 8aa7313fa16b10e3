package slskload

import (
	"context"
	"fmt"
	"time"

	"github.com/revival-net/revival/slsk"
)

// searchPhase measures search fan-out (spec §4.3): Searches FileSearch
// requests, each from a different user (so no session nears the server's
// search flood limit) and each measured alone: the next one starts only
// after every other user received this one, or Timeout passed. A user
// receives it as EmbeddedMessage(93) when the server treats it as a branch
// root, or as FileSearch(26) in direct mode; both count.
func (r *runner) searchPhase(ctx context.Context) error {
	o := &r.opts
	ph := &r.res.Search
	live := r.connected()
	n := min(o.Searches, len(live))
	*ph = SearchPhase{Searches: n, Recipients: len(live) - 1}
	if n == 0 {
		return nil
	}
	for _, c := range live {
		c.mu.Lock()
		c.searchAt = make([]int64, n)
		c.mu.Unlock()
	}
	sentAt := make([]int64, n)
	searchers := make([]*client, n)
	for i := range n {
		// Searchers from the end: they are not the chat senders.
		c := live[len(live)-1-i]
		searchers[i] = c
		r.logf("search %d/%d from %s to %d users", i+1, n, c.name, ph.Recipients)
		if _, err := r.syncWith(ctx, []*client{c}); err != nil {
			if ctx.Err() != nil {
				return err
			}
			r.fail("search %d: searcher not ready: %v", i+1, err)
		}
		p := newProgress(ph.Recipients)
		p.index, p.searcher = i, c.idx
		r.search.Store(p)
		cpu := r.meterCPU()
		sentAt[i] = r.now()
		m := &slsk.FileSearch{Token: searchTokenBase + uint32(i), Query: fmt.Sprintf("revival bench %d", i)}
		if err := c.send(m, o.Timeout); err != nil {
			r.fail("%s: FileSearch: %v", c.name, err)
		}
		p.wait(ctx, o.Timeout)
		ph.CPU = cpu.stop(ph.CPU)
		r.search.Store(nil)
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := r.waitQuiet(ctx, quietGap/2, o.Timeout); err != nil {
			return err
		}
	}
	r.collectSearches(live, searchers, sentAt)
	return nil
}

// collectSearches computes per-search and overall delivery times.
func (r *runner) collectSearches(live, searchers []*client, sentAt []int64) {
	ph := &r.res.Search
	ph.Expected = len(searchers) * ph.Recipients
	var all []time.Duration
	for i, s := range searchers {
		one := SearchOne{Token: searchTokenBase + uint32(i), Searcher: s.name, Recipients: ph.Recipients}
		lat := make([]time.Duration, 0, ph.Recipients)
		for _, c := range live {
			c.mu.Lock()
			at := c.searchAt[i]
			if i == 0 {
				ph.Duplicates += c.searchDup
			}
			c.mu.Unlock()
			if c == s || at == 0 {
				continue
			}
			lat = append(lat, time.Duration(at-sentAt[i]))
		}
		one.Reached = len(lat)
		all = append(all, lat...)
		p := summarize(lat)
		one.LastMs, one.P50Ms, one.P99Ms = p.Max, p.P50, p.P99
		ph.AllReachedMs = max(ph.AllReachedMs, one.LastMs)
		ph.PerSearch = append(ph.PerSearch, one)
		if one.Reached < one.Recipients {
			r.fail("search %d from %s reached %d of %d users", i+1, s.name, one.Reached, one.Recipients)
		}
	}
	ph.Delivered = len(all)
	ph.Missing = ph.Expected - ph.Delivered
	ph.Latency = summarize(all)
	if ph.Duplicates > 0 {
		r.fail("search: %d deliveries arrived twice", ph.Duplicates)
	}
}
