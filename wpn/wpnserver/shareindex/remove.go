package shareindex

import "strings"

// RemoveFile withdraws o's file with exactly this path (0x0FA2, matched on
// the path alone, wpn.md §3.3 [G]). Unknown paths are ignored.
func (x *Index) RemoveFile(o Owner, path string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	rec := x.owners[o]
	if rec == nil {
		return
	}
	if id := x.lookupPath(rec, x.pathKey(rec, path), path); id != 0 {
		x.remove(id)
	}
}

// RemoveFolder withdraws o's files directly inside folder (0x0FA4, whose
// payload we take to be the folder path, wpn.md §3.3 [G]): the files whose
// path is folder + `\` + a name without `\`, as a 0x0FA3 shared them.
// Subfolders are left alone; WinMX shares each folder with its own 0x0FA3.
// Matching is byte-exact, as the client echoes what it shared.
func (x *Index) RemoveFolder(o Owner, folder string) {
	prefix := trimSep(folder) + `\`
	inFolder := func(e *entry) bool {
		return strings.HasPrefix(e.Path, prefix) && !strings.Contains(e.Path[len(prefix):], `\`)
	}
	x.mu.Lock()
	rec := x.owners[o]
	if rec == nil {
		x.mu.Unlock()
		return
	}
	var ids []uint32
	for id := rec.head; id != 0; {
		e := x.entry(id)
		if inFolder(e) {
			ids = append(ids, id)
		}
		id = e.next
	}
	x.removeIDs(rec, ids, inFolder)
}

// RemoveOwner withdraws all of o's files, as when its session ends. The
// owner disappears at once (Count, Browse and searches no longer see its
// files, and a new session with the same number starts afresh); the files
// themselves are dropped addBatch at a time, releasing the write lock in
// between so searches are never held up by more than one batch.
func (x *Index) RemoveOwner(o Owner) {
	x.mu.Lock()
	rec := x.owners[o]
	if rec == nil {
		x.mu.Unlock()
		return
	}
	delete(x.owners, o)
	rec.gone = true
	ids := make([]uint32, 0, rec.count)
	for id := rec.head; id != 0; id = x.entry(id).next {
		ids = append(ids, id)
	}
	x.removeIDs(rec, ids, nil)
}

// removeIDs removes the files ids of rec, addBatch per write-lock hold.
// It is called with the lock held and returns with it released. Between
// batches other writers may have removed a file, or reused its id, so each
// id is checked again (still alive, still rec's, still matching keep).
func (x *Index) removeIDs(rec *owner, ids []uint32, keep func(*entry) bool) {
	for {
		n := min(len(ids), addBatch)
		for _, id := range ids[:n] {
			if e := x.entry(id); e.alive && e.rec == rec && (keep == nil || keep(e)) {
				x.remove(id)
			}
		}
		ids = ids[n:]
		x.mu.Unlock()
		if len(ids) == 0 {
			return
		}
		x.mu.Lock()
	}
}

// remove drops a live file. Its id stays listed in its words' posting
// lists, marked dead, until a list is more than half dead and is compacted
// (O(1) amortised per word); the id is reused only once no list holds it.
// Under the write lock.
func (x *Index) remove(id uint32) {
	e := x.entry(id)
	rec := e.rec
	if e.prev != 0 {
		x.entry(e.prev).next = e.next
	} else {
		rec.head = e.next
	}
	if e.next != 0 {
		x.entry(e.next).prev = e.prev
	} else {
		rec.tail = e.prev
	}
	rec.count--
	x.total--
	x.unlinkHash(id, e)
	key := x.pathKey(rec, e.Path)
	if x.paths[key] == id {
		delete(x.paths, key)
	} else {
		delete(x.spill, spillKey{rec.serial, e.Path})
	}
	terms := e.terms
	*e = entry{refs: uint16(len(terms))}
	for _, tid := range terms {
		t := &x.terms[tid]
		t.dead++
		if t.dead*2 >= len(t.ids) {
			x.compact(tid)
		}
	}
	if len(terms) == 0 {
		x.free = append(x.free, id)
	}
}

// compact drops the dead ids from a posting list, freeing those ids no
// other list holds, and forgets the word when no file has it any more.
func (x *Index) compact(tid uint32) {
	t := &x.terms[tid]
	kept := t.ids[:0]
	for _, id := range t.ids {
		if e := x.entry(id); e.alive {
			kept = append(kept, id)
		} else if e.refs--; e.refs == 0 {
			x.free = append(x.free, id)
		}
	}
	if len(kept) == 0 {
		delete(x.dict, t.word)
		*t = term{}
		x.freeTms = append(x.freeTms, tid)
		return
	}
	clear(t.ids[len(kept):])
	if cap(kept) > 2*len(kept)+8 {
		kept = append([]uint32(nil), kept...)
	}
	t.ids, t.dead = kept, 0
}
