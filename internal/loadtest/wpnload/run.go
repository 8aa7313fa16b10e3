package wpnload

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/revival-net/revival/internal/loadtest/latency"
	"github.com/revival-net/revival/wpn"
)

// Options configures a run.
type Options struct {
	Secondaries int           // logged in at once (default 10,000)
	Files       int           // shared by each (default 100: 1,000,000 in all)
	Searches    int           // term searches timed (default 500)
	Searchers   int           // secondaries taking turns to search (default 50; the primary allows 2/s each)
	Concurrency int           // logins in flight (default 200)
	Vocabulary  int           // distinct words in file names (default 20,000)
	Settle      time.Duration // idle time before memory is read (default 3 s)
	Timeout     time.Duration // longest wait for a phase step (default 60 s)
	Memory      func() (int64, error)
	Progress    func(format string, a ...any)
}

func (o Options) withDefaults() Options {
	def := func(p *int, v int) {
		if *p <= 0 {
			*p = v
		}
	}
	def(&o.Secondaries, 10000)
	def(&o.Files, 100)
	def(&o.Searches, 500)
	def(&o.Searchers, 50)
	def(&o.Concurrency, 200)
	def(&o.Vocabulary, 20000)
	if o.Settle <= 0 {
		o.Settle = 3 * time.Second
	}
	if o.Timeout <= 0 {
		o.Timeout = 60 * time.Second
	}
	if o.Progress == nil {
		o.Progress = func(string, ...any) {}
	}
	return o
}

// Result is what a run measured.
type Result struct {
	Secondaries int `json:"secondaries"`
	SharedFiles int `json:"shared_files"`

	LoginSeconds  float64 `json:"login_seconds"`
	ShareSeconds  float64 `json:"share_seconds"`
	RSSStart      int64   `json:"rss_start_bytes,omitempty"`
	RSSLoggedIn   int64   `json:"rss_logged_in_bytes,omitempty"`
	RSSShared     int64   `json:"rss_shared_bytes,omitempty"`
	PerSecondary  float64 `json:"bytes_per_secondary,omitempty"`
	PerSharedFile float64 `json:"bytes_per_shared_file,omitempty"`

	Search     latency.Percentiles `json:"term_search"`
	SearchHits int                 `json:"search_hits"`
	Failures   []string            `json:"failures,omitempty"`
}

// Run measures the primary at addr.
func Run(ctx context.Context, addr string, o Options) (*Result, error) {
	o = o.withDefaults()
	res := &Result{}
	mem := func() int64 {
		if o.Memory == nil {
			return 0
		}
		time.Sleep(o.Settle) // let the server's garbage collector settle; not an ordering device
		n, err := o.Memory()
		if err != nil {
			res.Failures = append(res.Failures, "memory probe: "+err.Error())
		}
		return n
	}
	res.RSSStart = mem()

	o.Progress("logging in %d secondaries", o.Secondaries)
	start := time.Now()
	clients := make([]*secondary, o.Secondaries)
	var failed atomic.Int64
	var firstErr atomic.Value
	sem := make(chan struct{}, o.Concurrency)
	var wg sync.WaitGroup
	for i := range clients {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			lctx, cancel := context.WithTimeout(ctx, o.Timeout)
			defer cancel()
			c, err := login(lctx, addr, fmt.Sprintf("load%05d", i))
			if err != nil {
				failed.Add(1)
				firstErr.CompareAndSwap(nil, err.Error())
				return
			}
			clients[i] = c
		})
	}
	wg.Wait()
	defer func() {
		for _, c := range clients {
			if c != nil {
				_ = c.s.Close()
			}
		}
	}()
	res.LoginSeconds = time.Since(start).Seconds()
	if n := failed.Load(); n > 0 {
		res.Failures = append(res.Failures, fmt.Sprintf("%d logins failed (first: %v)", n, firstErr.Load()))
		return res, nil
	}
	res.Secondaries = len(clients)
	res.RSSLoggedIn = mem()
	if res.RSSStart > 0 {
		res.PerSecondary = float64(res.RSSLoggedIn-res.RSSStart) / float64(len(clients))
	}

	o.Progress("sharing %d files each", o.Files)
	start = time.Now()
	folders := make([]*wpn.ShareFolder, len(clients))
	v := newVocabulary(o.Vocabulary, 1)
	for i := range folders {
		folders[i] = v.folder(i, o.Files)
	}
	for i, c := range clients {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			sctx, cancel := context.WithTimeout(ctx, o.Timeout)
			defer cancel()
			err := c.s.Send(folders[i])
			if err == nil {
				_, err = c.barrier(sctx)
			}
			if err != nil {
				failed.Add(1)
				firstErr.CompareAndSwap(nil, err.Error())
			}
		})
	}
	wg.Wait()
	folders = nil
	res.ShareSeconds = time.Since(start).Seconds()
	if n := failed.Load(); n > 0 {
		res.Failures = append(res.Failures, fmt.Sprintf("%d shares failed (first: %v)", n, firstErr.Load()))
		return res, nil
	}
	res.SharedFiles = len(clients) * o.Files
	res.RSSShared = mem()
	if res.RSSLoggedIn > 0 {
		res.PerSharedFile = float64(res.RSSShared-res.RSSLoggedIn) / float64(res.SharedFiles)
	}

	o.Progress("timing %d term searches", o.Searches)
	searchers := clients[:min(o.Searchers, len(clients))]
	times := make([]time.Duration, 0, o.Searches)
	var mu sync.Mutex
	q := newVocabulary(o.Vocabulary, 1) // same words as the file names
	queries := make([]string, o.Searches)
	for i := range queries {
		queries[i] = q.query()
	}
	per := (o.Searches + len(searchers) - 1) / len(searchers)
	for si, c := range searchers {
		wg.Go(func() {
			for k := range per {
				i := si*per + k
				if i >= len(queries) {
					return
				}
				// The primary allows a burst of 10 searches and then 2/s
				// per secondary: pace each searcher under that.
				if k >= 8 {
					time.Sleep(550 * time.Millisecond)
				}
				sctx, cancel := context.WithTimeout(ctx, o.Timeout)
				t0 := time.Now()
				err := c.s.Send(&wpn.Search{SearchID: uint32(i + 1), Query: queries[i]})
				var hits int
				if err == nil {
					hits, err = c.barrier(sctx)
				}
				d := time.Since(t0)
				cancel()
				mu.Lock()
				if err != nil {
					res.Failures = append(res.Failures, "search: "+err.Error())
				} else {
					times = append(times, d)
					res.SearchHits += hits
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	res.Search = latency.Summarize(times)
	return res, nil
}
