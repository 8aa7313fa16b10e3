package shareindex

import (
	"math/rand/v2"
	"slices"

	"github.com/revival-net/revival/wpn"
)

// Filter narrows a search.
type Filter struct {
	// FileType is the 0x1771/0x1772 file type (see FileType); 0 and
	// unknown codes match every file.
	FileType uint8
	// Owners, when set, is asked about each candidate owner (after the
	// cheaper checks); false skips the file. Use it for MinLineType and to
	// leave out the searcher's own files. It runs under the index's read
	// lock and must not call into the index.
	Owners func(Owner) bool
	// Limit stops the search after this many hits; 0 or less means no
	// limit (visit can still stop it).
	Limit int
}

// Query is a keyword search (0x1771, wpn.md §3.6).
type Query struct {
	// Text is split into words like a path (see Words); Terms are too, so
	// a term with punctuation inside is several words. A file matches when
	// its path has every word of both (AND).
	Text  string
	Terms []string
	Filter
}

// Search visits the files matching q, in no particular order, until
// q.Limit hits or visit returns false. A query without words matches
// nothing. visit runs under the read lock: it must be quick, must not call
// the index's write methods, and must not keep f after it returns.
//
// The rarest word's posting list drives the search, starting at a random
// place so that popular words do not always answer with the same owners;
// each candidate is checked for the other words against its own sorted
// word ids.
func (x *Index) Search(q Query, visit func(o Owner, f *File) bool) {
	var buf [maxQueryTerms]string
	ws := queryWords(buf[:0], q)
	if len(ws) == 0 {
		return
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	var tbuf [maxQueryTerms]uint32
	tids := tbuf[:0]
	for _, w := range ws {
		tid, ok := x.dict[w]
		if !ok {
			return
		}
		tids = append(tids, tid)
	}
	slices.SortFunc(tids, func(a, b uint32) int {
		return (len(x.terms[a].ids) - x.terms[a].dead) - (len(x.terms[b].ids) - x.terms[b].dead)
	})
	drive, rest := x.terms[tids[0]].ids, tids[1:]
	if len(drive) == 0 {
		return
	}
	start := rand.IntN(len(drive))
	hits := 0
	for _, part := range [2][]uint32{drive[start:], drive[:start]} {
		for _, id := range part {
			e := x.entry(id)
			if !e.alive || e.rec.gone || !typeMatches(q.FileType, e.kind) || !hasAll(e.terms, rest) {
				continue
			}
			if q.Owners != nil && !q.Owners(e.rec.id) {
				continue
			}
			if !visit(e.rec.id, &e.File) {
				return
			}
			if hits++; hits == q.Limit {
				return
			}
		}
	}
}

// hasAll reports whether the sorted set has every id of want.
func hasAll(set []uint32, want []uint32) bool {
	for _, w := range want {
		if _, ok := slices.BinarySearch(set, w); !ok {
			return false
		}
	}
	return true
}

// queryWords appends the distinct words of q (at most maxQueryTerms).
func queryWords(dst []string, q Query) []string {
	var w words
	add := func(s string) {
		w.reset(s)
		for b := w.next(); b != nil && len(dst) < maxQueryTerms; b = w.next() {
			if !slices.Contains(dst, string(b)) {
				dst = append(dst, string(b))
			}
		}
	}
	add(q.Text)
	for _, t := range q.Terms {
		add(t)
	}
	return dst
}

// HashSearch visits the files whose hash starts with the 16-byte checksum
// a 0x1772 carries (wpn.md §2.7, §3.6), under the same rules as Search.
func (x *Index) HashSearch(sum [wpn.HashSize16]byte, f Filter, visit func(o Owner, f *File) bool) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	hits := 0
	for id := x.hashes[sum]; id != 0; {
		e := x.entry(id)
		id = e.hnext
		if e.rec.gone || !typeMatches(f.FileType, e.kind) {
			continue
		}
		if f.Owners != nil && !f.Owners(e.rec.id) {
			continue
		}
		if !visit(e.rec.id, &e.File) {
			return
		}
		if hits++; hits == f.Limit {
			return
		}
	}
}

// Browse visits o's files in the order they were first shared (a re-shared
// path keeps its place), for 0x1BBC answers (wpn.md §3.7, §3.13). The
// rules for visit are those of Search.
func (x *Index) Browse(o Owner, visit func(f *File) bool) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	rec := x.owners[o]
	if rec == nil {
		return
	}
	for id := rec.head; id != 0; {
		e := x.entry(id)
		id = e.next
		if !visit(&e.File) {
			return
		}
	}
}
