package shareindex

import (
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/revival-net/revival/wpn"
)

// The scale: one primary, 10,000 secondaries, 1,000,000 files.
const (
	benchOwners = 10_000
	benchPer    = 100
)

var big struct {
	once   sync.Once
	c      *corpus
	x      *Index
	heap   uint64 // HeapAlloc growth from building the index
	build  time.Duration
	others Owner // next unused owner number
}

func heapAlloc() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// bigIndex builds the 1M-file index once per test binary, measuring the
// heap it takes (the generator's catalogue is made first, outside the
// measurement; the generated packets are garbage once shared).
func bigIndex(b *testing.B) (*Index, *corpus) {
	big.once.Do(func() {
		big.c = newCorpus(60_000)
		before := heapAlloc()
		start := time.Now()
		big.x = New(Limits{})
		big.c.fill(big.x, 1, benchOwners, benchPer)
		big.build = time.Since(start)
		big.heap = heapAlloc() - before
		big.others = benchOwners + 1
		s := big.x.Stats()
		b.Logf("built %d files of %d owners in %v: %d words, %d postings; %.0f bytes/file",
			s.Files, s.Owners, big.build.Round(time.Millisecond), s.Terms, s.Postings, float64(big.heap)/float64(s.Files))
	})
	return big.x, big.c
}

// BenchmarkMemoryPerFile reports the index's heap per shared file at 1M
// files (runtime.MemStats.HeapAlloc growth after GC).
func BenchmarkMemoryPerFile(b *testing.B) {
	x, _ := bigIndex(b)
	for b.Loop() {
	}
	b.ReportMetric(float64(big.heap)/float64(x.Total()), "bytes/file")
	b.ReportMetric(float64(big.heap)/(1<<20), "MiB")
	b.ReportMetric(float64(big.build.Milliseconds()), "build-ms")
}

// BenchmarkSearch1M times term searches of 1-3 words with Limit 100 over
// the 1M-file index and reports their mean, p50, p99 and max.
func BenchmarkSearch1M(b *testing.B) {
	x, c := bigIndex(b)
	qs := make([]Query, 4096)
	for i := range qs {
		qs[i] = c.query()
		qs[i].Limit = 100
	}
	var lat []time.Duration
	hits := 0
	visit := func(Owner, *File) bool { hits++; return true }
	i := 0
	b.ResetTimer()
	for b.Loop() {
		q := qs[i%len(qs)]
		i++
		t := time.Now()
		x.Search(q, visit)
		lat = append(lat, time.Since(t))
	}
	reportLatency(b, lat)
	b.ReportMetric(float64(hits)/float64(len(lat)), "hits/op")
}

func reportLatency(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	var sum time.Duration
	for _, d := range lat {
		sum += d
	}
	slices.Sort(lat)
	b.ReportMetric(float64(sum.Nanoseconds())/float64(len(lat)), "mean-ns")
	b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds()), "p99-ns")
	b.ReportMetric(float64(lat[len(lat)-1].Nanoseconds()), "max-ns")
}

// BenchmarkHashSearch times 0x1772 lookups of files that exist.
func BenchmarkHashSearch1M(b *testing.B) {
	x, c := bigIndex(b)
	sums := make([][wpn.HashSize16]byte, 1024)
	for i := range sums {
		p := c.share(1, int(c.pick.Uint64()))
		copy(sums[i][:], p.Files[0].Hash[:])
	}
	i, hits := 0, 0
	for b.Loop() {
		x.HashSearch(sums[i%len(sums)], Filter{Limit: 100}, func(Owner, *File) bool { hits++; return true })
		i++
	}
	b.ReportMetric(float64(hits)/float64(i), "hits/op")
}

// BenchmarkAddFolder times sharing one generated folder (about ten files)
// into an index of 100,000 files; ns/op is per folder, ns/file per file.
func BenchmarkAddFolder(b *testing.B) {
	c := newCorpus(20_000)
	x := New(Limits{})
	c.fill(x, 1, 1000, benchPer)
	ps := make([]*wpn.ShareFolder, 4096)
	files := 0
	for i := range ps {
		ps[i] = c.share(Owner(2000+i), int(c.pick.Uint64()))
		files += len(ps[i].Files)
	}
	i := 0
	for b.Loop() {
		o := Owner(2000 + i%len(ps))
		if i > 0 && i%len(ps) == 0 {
			b.StopTimer()
			for j := range len(ps) {
				x.RemoveOwner(Owner(2000 + j))
			}
			b.StartTimer()
		}
		if _, err := x.AddFolder(o, ps[i%len(ps)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(i)/(float64(files)/float64(len(ps))), "ns/file")
}

// BenchmarkRemoveOwner times removing an owner with 65,535 files from the
// 1M-file index while another goroutine searches, and reports the longest
// search seen during the removals: how long a big disconnect stalls
// searches.
func BenchmarkRemoveOwner(b *testing.B) {
	x, c := bigIndex(b)
	qs := make([]Query, 1024)
	for i := range qs {
		qs[i] = c.query()
		qs[i].Limit = 100
	}
	var stop atomic.Bool
	var worst atomic.Int64
	var wg sync.WaitGroup
	measure := func() {
		for i := 0; !stop.Load(); i++ {
			t := time.Now()
			x.Search(qs[i%len(qs)], func(Owner, *File) bool { return true })
			if d := int64(time.Since(t)); d > worst.Load() {
				worst.Store(d)
			}
		}
	}
	for b.Loop() {
		b.StopTimer()
		o := big.others
		big.others++
		c.fill(x, o, 1, DefaultMaxFilesPerOwner)
		if n := x.Count(o); n != DefaultMaxFilesPerOwner {
			b.Fatalf("owner has %d files", n)
		}
		stop.Store(false)
		wg.Go(measure)
		b.StartTimer()
		x.RemoveOwner(o)
		b.StopTimer()
		stop.Store(true)
		wg.Wait()
		b.StartTimer()
	}
	b.ReportMetric(float64(worst.Load()), "max-search-ns")
}

// TestCorpus keeps the generator honest at a small size: the folders
// share, queries have words, and some queries hit.
func TestCorpus(t *testing.T) {
	c := newCorpus(500)
	x := New(Limits{})
	c.fill(x, 1, 50, 40)
	if x.Total() < 50*40 {
		t.Fatalf("only %d files", x.Total())
	}
	hit := 0
	for range 200 {
		q := c.query()
		if len(q.Terms) == 0 {
			t.Fatal("empty query")
		}
		x.Search(q, func(Owner, *File) bool { hit++; return false })
	}
	if hit == 0 {
		t.Error("no query hit anything")
	}
	if err := x.check(); err != nil {
		t.Error(err)
	}
}

// BenchmarkCompactLargest times one pass of compact over the longest
// posting list of the 1M-file index (the extension "mp3"): the longest
// write-lock hold removals can cause, which happens once per half that
// list's length of removals.
func BenchmarkCompactLargest(b *testing.B) {
	x, _ := bigIndex(b)
	x.mu.Lock()
	defer x.mu.Unlock()
	var tid uint32
	for i := range x.terms {
		if len(x.terms[i].ids) > len(x.terms[tid].ids) {
			tid = uint32(i)
		}
	}
	for b.Loop() {
		x.compact(tid)
	}
	b.ReportMetric(float64(len(x.terms[tid].ids)), "postings")
	b.Logf("longest list: %q", x.terms[tid].word)
}
