package shareindex

import (
	"fmt"
	"slices"
)

// check verifies the index's internal invariants: every slot is exactly one
// of live, dead-with-refs or free; posting lists, dead counts, word ids,
// owner lists, the path map and the hash chains all agree.
func (x *Index) check() error {
	x.mu.RLock()
	defer x.mu.RUnlock()
	lists := make(map[uint32]int) // id -> posting lists holding it
	for tid := range x.terms {
		t := &x.terms[tid]
		if t.word == "" {
			if len(t.ids) != 0 || !slices.Contains(x.freeTms, uint32(tid)) {
				return fmt.Errorf("term %d: unnamed with %d ids", tid, len(t.ids))
			}
			continue
		}
		if x.dict[t.word] != uint32(tid) {
			return fmt.Errorf("term %d %q not in dict", tid, t.word)
		}
		dead := 0
		seen := make(map[uint32]bool)
		for _, id := range t.ids {
			if seen[id] {
				return fmt.Errorf("term %q: id %d twice", t.word, id)
			}
			seen[id] = true
			lists[id]++
			e := x.entry(id)
			if !e.alive {
				dead++
			} else if _, ok := slices.BinarySearch(e.terms, uint32(tid)); !ok {
				return fmt.Errorf("term %q lists live %d whose words %v lack it", t.word, id, e.terms)
			}
		}
		if dead != t.dead || len(t.ids) == 0 || 2*dead >= len(t.ids) {
			return fmt.Errorf("term %q: %d ids, %d dead, counted %d", t.word, len(t.ids), dead, t.dead)
		}
	}
	if len(x.dict)+len(x.freeTms) != len(x.terms) {
		return fmt.Errorf("dict %d + free %d != terms %d", len(x.dict), len(x.freeTms), len(x.terms))
	}
	free := make(map[uint32]bool)
	for _, id := range x.free {
		if free[id] || id == 0 || id >= x.nextID {
			return fmt.Errorf("free list: bad or repeated id %d", id)
		}
		free[id] = true
	}
	live, chained := 0, 0
	for id := uint32(1); id < x.nextID; id++ {
		e := x.entry(id)
		switch {
		case e.alive:
			live++
			if free[id] || !slices.IsSorted(e.terms) || len(slices.Compact(slices.Clone(e.terms))) != len(e.terms) || lists[id] != len(e.terms) {
				return fmt.Errorf("live %d: free %v, words %v, in %d lists", id, free[id], e.terms, lists[id])
			}
			if got := x.lookupPath(e.rec, x.pathKey(e.rec, e.Path), e.Path); got != id {
				return fmt.Errorf("live %d %q: path lookup gives %d", id, e.Path, got)
			}
			if e.kind != FileType(e.Path) {
				return fmt.Errorf("live %d: kind %d", id, e.kind)
			}
		case free[id]:
			if lists[id] != 0 || e.alive || e.rec != nil || e.terms != nil || e.refs != 0 || e.Path != "" {
				return fmt.Errorf("free %d in %d lists or not cleared", id, lists[id])
			}
		default:
			if e.refs == 0 || int(e.refs) != lists[id] || e.rec != nil || e.terms != nil {
				return fmt.Errorf("dead %d: refs %d, in %d lists", id, e.refs, lists[id])
			}
		}
	}
	if live != x.total || len(x.paths)+len(x.spill) != live {
		return fmt.Errorf("live %d, total %d, paths %d+%d", live, x.total, len(x.paths), len(x.spill))
	}
	for sum, id := range x.hashes {
		prev := uint32(0)
		for ; id != 0; id = x.entry(id).hnext {
			e := x.entry(id)
			if !e.alive || checksum(&e.Hash) != sum || e.hprev != prev {
				return fmt.Errorf("hash chain %x: bad id %d", sum, id)
			}
			prev = id
			chained++
		}
	}
	if chained != live {
		return fmt.Errorf("hash chains hold %d of %d live files", chained, live)
	}
	counted := 0
	for o, rec := range x.owners {
		n, prev := 0, uint32(0)
		for id := rec.head; id != 0; id = x.entry(id).next {
			if e := x.entry(id); !e.alive || e.rec != rec || e.prev != prev {
				return fmt.Errorf("owner %d: bad list at %d", o, id)
			}
			prev = id
			n++
		}
		if n != rec.count || rec.tail != prev || rec.gone || rec.id != o {
			return fmt.Errorf("owner %d: %d listed, count %d", o, n, rec.count)
		}
		counted += n
	}
	if counted != live {
		return fmt.Errorf("owners hold %d of %d live files", counted, live)
	}
	return nil
}
