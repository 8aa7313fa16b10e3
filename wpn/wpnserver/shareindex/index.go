package shareindex

import (
	"errors"
	"hash/maphash"
	"slices"
	"sync"

	"github.com/revival-net/revival/wpn"
)

// Owner identifies whose files these are: the server's session number of
// the secondary that shared them.
type Owner uint32

// File is one shared file as the index keeps it. Path is the full path as
// shared (for a 0x0FA3 entry, folder + `\` + name, wpn.md §3.5); Media is
// nil for files shared without metadata (or with all-zero metadata).
type File struct {
	Path  string
	Hash  [wpn.HashSize]byte
	Size  uint32
	Media *wpn.Media
}

// Limits bounds what the index holds. Zero fields take the defaults.
type Limits struct {
	// MaxFilesPerOwner defaults to 65535, WinMX's own cap (wpn.md §3.5).
	MaxFilesPerOwner int
	// MaxFiles is the total over all owners; default 4,000,000.
	MaxFiles int
	// MaxPathLen is the longest accepted path in bytes (UTF-8); default
	// 1024, four times Windows' MAX_PATH.
	MaxPathLen int
}

// Default limits.
const (
	DefaultMaxFilesPerOwner = 65535
	DefaultMaxFiles         = 4_000_000
	DefaultMaxPathLen       = 1024
)

// maxIDs bounds MaxFiles: file ids are uint32 and 0 means "none", and
// removed files may hold their id a while (see remove).
const maxIDs = 1 << 31

// Errors of the add methods. An add that fails leaves the index unchanged.
var (
	ErrOwnerFull   = errors.New("shareindex: owner's file limit reached")
	ErrIndexFull   = errors.New("shareindex: index file limit reached")
	ErrPathTooLong = errors.New("shareindex: path too long")
	ErrEmptyPath   = errors.New("shareindex: empty path or file name")
)

// chunkShift sizes the chunks entries live in: fixed chunks keep entry
// addresses stable (a *File handed to visit stays valid) and growth cheap.
const (
	chunkShift = 10
	chunkSize  = 1 << chunkShift
	chunkMask  = chunkSize - 1
)

// entry is one file slot, addressed by a uint32 id. A slot is live (alive),
// dead but still listed in refs posting lists (its id not yet reusable),
// or free.
type entry struct {
	File
	media      wpn.Media // File.Media points here, saving an allocation
	rec        *owner
	terms      []uint32 // sorted distinct term ids of Path
	prev, next uint32   // the owner's files in share order
	hprev      uint32   // files with the same 16-byte checksum
	hnext      uint32
	refs       uint16 // while dead: posting lists still holding the id
	kind       uint8  // FileType(Path)
	alive      bool
}

// owner is the record of one Owner's files. A new record is made when an
// Owner number shares again after RemoveOwner, so the tail of a removal in
// progress never mixes with the new session's files.
type owner struct {
	id         Owner
	serial     uint64 // unique per record, part of the path key
	head, tail uint32
	count      int
	gone       bool // removed; its remaining files are invisible
}

// term is one distinct word and the ids of the files whose path has it.
// Removed files stay in ids until the list is compacted (dead counts
// them), so removal costs O(1) per word amortised instead of a scan of,
// say, the million-long list of "mp3".
type term struct {
	word string
	ids  []uint32
	dead int
}

// spillKey keys the rare paths whose 64-bit key collides with another.
type spillKey struct {
	serial uint64
	path   string
}

// Index is the share index of one primary. It is safe for concurrent use:
// searches share a read lock, adds and removes take the write lock for a
// bounded batch at a time.
type Index struct {
	lim  Limits
	seed maphash.Seed

	mu      sync.RWMutex
	chunks  []*[chunkSize]entry
	free    []uint32 // reusable ids
	nextID  uint32   // lowest never-used id
	total   int
	owners  map[Owner]*owner
	serial  uint64
	paths   map[uint64]uint32 // pathKey -> id
	spill   map[spillKey]uint32
	hashes  map[[wpn.HashSize16]byte]uint32 // checksum -> first id
	dict    map[string]uint32               // word -> term id
	terms   []term
	freeTms []uint32 // reusable term ids
	words   words    // scratch, under the write lock
	tids    []uint32 // scratch, under the write lock
}

// New returns an empty index.
func New(lim Limits) *Index {
	if lim.MaxFilesPerOwner <= 0 {
		lim.MaxFilesPerOwner = DefaultMaxFilesPerOwner
	}
	if lim.MaxFiles <= 0 {
		lim.MaxFiles = DefaultMaxFiles
	}
	lim.MaxFiles = min(lim.MaxFiles, maxIDs)
	if lim.MaxPathLen <= 0 {
		lim.MaxPathLen = DefaultMaxPathLen
	}
	return &Index{
		lim:    lim,
		seed:   maphash.MakeSeed(),
		nextID: 1,
		owners: make(map[Owner]*owner),
		paths:  make(map[uint64]uint32),
		spill:  make(map[spillKey]uint32),
		hashes: make(map[[wpn.HashSize16]byte]uint32),
		dict:   make(map[string]uint32),
	}
}

// Limits returns the limits in force (defaults filled in).
func (x *Index) Limits() Limits { return x.lim }

func (x *Index) entry(id uint32) *entry { return &x.chunks[id>>chunkShift][id&chunkMask] }

// addBatch bounds how many files one write-lock hold adds or removes, so
// that a 65535-file owner never stalls searches for the whole job.
const addBatch = 512

// AddFolder shares the files of a 0x0FA3 packet (wpn.md §3.5): each path is
// p.Folder + `\` + name. It adds what it can and returns how many files it
// added or replaced, and the first error: entries with an empty name or a
// too-long path are skipped, and a full owner or index stops the add.
func (x *Index) AddFolder(o Owner, p *wpn.ShareFolder) (added int, err error) {
	folder := trimSep(p.Folder)
	files := p.Files
	for len(files) > 0 {
		n := min(len(files), addBatch)
		x.mu.Lock()
		rec := x.owner(o)
		for i := range files[:n] {
			f := &files[i]
			var e error
			if f.Name == "" {
				e = ErrEmptyPath
			} else {
				e = x.add(rec, folder+`\`+f.Name, &f.Hash, f.Size, &f.Media)
			}
			if e == nil {
				added++
				continue
			}
			if err == nil {
				err = e
			}
			if e == ErrOwnerFull || e == ErrIndexFull {
				x.mu.Unlock()
				return added, err
			}
		}
		x.mu.Unlock()
		files = files[n:]
	}
	return added, err
}

// trimSep drops one trailing `\` so "C:\Music\" and "C:\Music" name the same
// folder.
func trimSep(folder string) string {
	if n := len(folder); n > 0 && folder[n-1] == '\\' {
		return folder[:n-1]
	}
	return folder
}

// AddFile shares one file of a 0x0FA1 packet (wpn.md §3.5).
func (x *Index) AddFile(o Owner, p *wpn.ShareFile) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.add(x.owner(o), p.Path, &p.Hash, p.Size, p.Media)
}

// owner returns o's record, making it on first use. Under the write lock.
func (x *Index) owner(o Owner) *owner {
	rec := x.owners[o]
	if rec == nil {
		x.serial++
		rec = &owner{id: o, serial: x.serial}
		x.owners[o] = rec
	}
	return rec
}

// add adds or replaces one file. Re-sharing a path replaces its hash, size
// and media in place, keeping its place in the browse order; the words are
// the same, so the posting lists are untouched. Under the write lock.
func (x *Index) add(rec *owner, path string, hash *[wpn.HashSize]byte, size uint32, m *wpn.Media) error {
	if path == "" {
		return ErrEmptyPath
	}
	if len(path) > x.lim.MaxPathLen {
		return ErrPathTooLong
	}
	key := x.pathKey(rec, path)
	if id := x.lookupPath(rec, key, path); id != 0 {
		e := x.entry(id)
		x.unlinkHash(id, e)
		e.setData(hash, size, m)
		x.linkHash(id, e)
		return nil
	}
	if rec.count >= x.lim.MaxFilesPerOwner {
		return ErrOwnerFull
	}
	if x.total >= x.lim.MaxFiles {
		return ErrIndexFull
	}
	id := x.alloc()
	e := x.entry(id)
	*e = entry{rec: rec, kind: FileType(path), alive: true}
	e.Path = path
	e.setData(hash, size, m)
	e.terms = x.index(id, path)
	e.prev = rec.tail
	if rec.tail != 0 {
		x.entry(rec.tail).next = id
	} else {
		rec.head = id
	}
	rec.tail = id
	x.linkHash(id, e)
	if _, taken := x.paths[key]; taken {
		x.spill[spillKey{rec.serial, path}] = id
	} else {
		x.paths[key] = id
	}
	rec.count++
	x.total++
	return nil
}

func (e *entry) setData(hash *[wpn.HashSize]byte, size uint32, m *wpn.Media) {
	e.Hash = *hash
	e.Size = size
	if m != nil && *m != (wpn.Media{}) {
		e.media = *m
		e.Media = &e.media
	} else {
		e.media = wpn.Media{}
		e.Media = nil
	}
}

// alloc returns a free id, growing the chunks when none is.
func (x *Index) alloc() uint32 {
	if n := len(x.free); n > 0 {
		id := x.free[n-1]
		x.free = x.free[:n-1]
		return id
	}
	id := x.nextID
	x.nextID++
	if int(id>>chunkShift) == len(x.chunks) {
		x.chunks = append(x.chunks, new([chunkSize]entry))
	}
	return id
}

// index adds id to the posting list of each distinct word of path (at most
// maxFileTerms) and returns their sorted term ids.
func (x *Index) index(id uint32, path string) []uint32 {
	tids := x.tids[:0]
	x.words.reset(path)
	x.words.skipDrive()
	for w := x.words.next(); w != nil && len(tids) < maxFileTerms; w = x.words.next() {
		tid, ok := x.dict[string(w)]
		if !ok {
			tid = x.newTerm(string(w))
		}
		if !slices.Contains(tids, tid) {
			tids = append(tids, tid)
		}
	}
	x.tids = tids
	for _, tid := range tids {
		x.terms[tid].ids = append(x.terms[tid].ids, id)
	}
	out := slices.Clone(tids)
	slices.Sort(out)
	return out
}

func (x *Index) newTerm(word string) uint32 {
	var tid uint32
	if n := len(x.freeTms); n > 0 {
		tid = x.freeTms[n-1]
		x.freeTms = x.freeTms[:n-1]
		x.terms[tid] = term{word: word}
	} else {
		tid = uint32(len(x.terms))
		x.terms = append(x.terms, term{word: word})
	}
	x.dict[word] = tid
	return tid
}

// pathKey hashes a path together with its owner record, for the one map
// that finds a file by (owner, path) without a map per owner.
func (x *Index) pathKey(rec *owner, path string) uint64 {
	return maphash.String(x.seed, path) ^ rec.serial*0x9E3779B97F4A7C15
}

func (x *Index) lookupPath(rec *owner, key uint64, path string) uint32 {
	if id, ok := x.paths[key]; ok {
		if e := x.entry(id); e.rec == rec && e.Path == path {
			return id
		}
	}
	if len(x.spill) > 0 {
		return x.spill[spillKey{rec.serial, path}]
	}
	return 0
}

func checksum(h *[wpn.HashSize]byte) (c [wpn.HashSize16]byte) {
	copy(c[:], h[:])
	return c
}

// linkHash puts id first in its checksum's chain.
func (x *Index) linkHash(id uint32, e *entry) {
	c := checksum(&e.Hash)
	head := x.hashes[c]
	e.hprev, e.hnext = 0, head
	if head != 0 {
		x.entry(head).hprev = id
	}
	x.hashes[c] = id
}

func (x *Index) unlinkHash(id uint32, e *entry) {
	if e.hprev != 0 {
		x.entry(e.hprev).hnext = e.hnext
	} else {
		c := checksum(&e.Hash)
		if e.hnext != 0 {
			x.hashes[c] = e.hnext
		} else {
			delete(x.hashes, c)
		}
	}
	if e.hnext != 0 {
		x.entry(e.hnext).hprev = e.hprev
	}
	e.hprev, e.hnext = 0, 0
}

// Count returns how many files o shares.
func (x *Index) Count(o Owner) int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if rec := x.owners[o]; rec != nil {
		return rec.count
	}
	return 0
}

// Total returns how many files the index holds, including those of owners
// whose RemoveOwner is still running.
func (x *Index) Total() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.total
}

// Stats describes the index's size, for metrics and benchmarks.
type Stats struct {
	Files    int // as Total
	Owners   int
	Terms    int // distinct words
	Postings int // posting list entries, dead ones included
	Dead     int // posting list entries of removed files not yet compacted
}

// Stats returns the index's size. It walks every term: O(terms).
func (x *Index) Stats() Stats {
	x.mu.RLock()
	defer x.mu.RUnlock()
	s := Stats{Files: x.total, Owners: len(x.owners), Terms: len(x.dict)}
	for i := range x.terms {
		s.Postings += len(x.terms[i].ids)
		s.Dead += x.terms[i].dead
	}
	return s
}
