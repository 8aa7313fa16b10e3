package slsk

import (
	"bytes"
	"errors"
	"runtime"
	"testing"

	"github.com/revival-net/revival/internal/wire"
)

// emptyFiles is a file list announcing n entries followed by n
// minimum-size (21-byte) entries: the densest list a count can describe.
func emptyFiles(n int) []byte {
	return cat(u32(uint32(n)), bytes.Repeat(file("", 0, ""), n))
}

// allocated returns the bytes f allocates. The package's tests run one at
// a time and start no goroutines, so the count is f's own plus noise far
// below the margins the tests use.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestReadFilesGrowsAgainstBudget: a list whose announced count its bytes
// can hold (200,000 empty entries, 4.2 MB) but whose decoded entries are
// over the budget stops at the budget. Sizing the slice by the count
// would take 200,000 × 72 bytes (14 MB) before the first entry decoded.
func TestReadFilesGrowsAgainstBudget(t *testing.T) {
	const n = 200_000
	raw := emptyFiles(n)
	for _, tc := range []struct {
		name   string
		budget EntryBudget
	}{
		{"bytes run out", EntryBudget{Entries: n, Bytes: 64 << 10}},
		{"entries run out", EntryBudget{Entries: 1000, Bytes: 1 << 30}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var files []File
			var err error
			got := allocated(func() {
				r := wire.NewReader(raw)
				b := tc.budget
				files = ReadFiles(r, &b)
				err = r.Err()
			})
			if !errors.Is(err, ErrTooManyEntries) || files != nil {
				t.Fatalf("ReadFiles = %d files, %v; want ErrTooManyEntries", len(files), err)
			}
			if got > 1<<20 {
				t.Errorf("refusing %d announced entries allocated %d bytes; want under 1 MiB", n, got)
			}
		})
	}
}

// TestReadDirsBudgetSpansLists: one budget covers every list of a
// message, so many small directories cannot add up past it.
func TestReadDirsBudgetSpansLists(t *testing.T) {
	dir := cat(str("d"), emptyFiles(10))
	raw := cat(u32(100), bytes.Repeat(dir, 100))
	r := wire.NewReader(raw)
	b := EntryBudget{Entries: 500, Bytes: 1 << 30}
	if dirs := ReadDirs(r, &b); !errors.Is(r.Err(), ErrTooManyEntries) {
		t.Fatalf("100 dirs of 10 files under a 500-entry budget: %d dirs, %v", len(dirs), r.Err())
	}
	r = wire.NewReader(raw)
	b = EntryBudget{Entries: 1100, Bytes: 1 << 30}
	dirs := ReadDirs(r, &b)
	if r.Err() != nil || len(dirs) != 100 || b.Entries != 0 {
		t.Fatalf("under an exact budget: %d dirs, %d entries left, %v", len(dirs), b.Entries, r.Err())
	}
	if cap(dirs[0].Files) > growStart {
		t.Errorf("a 10-file list reserved %d entries", cap(dirs[0].Files))
	}
}

// TestShareListBombBudget is the bomb of issue 5 at a tenth of its size:
// 320,000 empty entries in one directory, 6.7 MB inflated from a few KiB.
// Under a limit whose Decoded cap is 1 MiB it is refused by the budget
// (the whole list would decode to 23 MB), and under the entries cap of
// the default share-list limit a list just past it is refused too.
func TestShareListBombBudget(t *testing.T) {
	const n = 320_000
	body := cat(u32(uint32(PeerCodeSharedFileListResponse)), wire.Deflate(cat(u32(1), str(`@@x\d`), emptyFiles(n), u32(0))))
	lim := ZlibLimit{Inflated: MaxInflated, Entries: 1_000_000, Decoded: 1 << 20}
	if _, err := DecodePeerLimited(body, lim); !errors.Is(err, ErrTooManyEntries) {
		t.Fatalf("Decoded cap: err = %v, want ErrTooManyEntries", err)
	}
	lim = ZlibLimit{Inflated: MaxInflated, Entries: n, Decoded: 1 << 30}
	if _, err := DecodePeerLimited(body, lim); !errors.Is(err, ErrTooManyEntries) {
		t.Fatalf("Entries cap (%d files and a directory): err = %v, want ErrTooManyEntries", n, err)
	}
}

func TestPeekTokens(t *testing.T) {
	search := AppendPeerFrame(nil, &FileSearchResponse{Username: "carol", Token: 77, Files: []File{{Code: 1, Name: "a"}}})[8:]
	if user, token, err := PeekFileSearchToken(search); err != nil || user != "carol" || token != 77 {
		t.Errorf("PeekFileSearchToken = %q, %d, %v; want carol, 77", user, token, err)
	}
	long := wire.Deflate(cat(str(string(make([]byte, MaxPeekName+1))), u32(1)))
	if _, _, err := PeekFileSearchToken(long); err == nil {
		t.Error("a username longer than MaxPeekName peeked without error")
	}
	folder := AppendPeerFrame(nil, &FolderContentsResponse{Token: 9, Folder: `S\A`})[8:]
	if token, err := PeekFolderContentsToken(folder); err != nil || token != 9 {
		t.Errorf("PeekFolderContentsToken = %d, %v; want 9", token, err)
	}
	if _, err := PeekFolderContentsToken([]byte("nope")); err == nil {
		t.Error("garbage peeked without error")
	}
}

// FuzzDecodePeerLimited decodes zlib messages under a small limit: no
// panic, and what decodes holds no more entries than the limit allows.
func FuzzDecodePeerLimited(f *testing.F) {
	for _, tc := range peerCases {
		if tc.zlib {
			f.Add(tc.raw)
		}
	}
	f.Add(cat(u32(uint32(PeerCodeSharedFileListResponse)), wire.Deflate(cat(u32(1), str("d"), emptyFiles(40), u32(0)))))
	f.Add(cat(u32(uint32(PeerCodeFileSearchResponse)), wire.Deflate(cat(str("u"), u32(1), emptyFiles(40)))))
	f.Add(cat(u32(uint32(PeerCodeFolderContentsResponse)), wire.Deflate(cat(u32(1), str("f"), u32(2), str("a"), emptyFiles(20), str("b"), emptyFiles(20)))))
	lim := ZlibLimit{Inflated: 4 << 10, Entries: 32, Decoded: 4 << 10}
	f.Fuzz(func(t *testing.T, body []byte) {
		m, err := DecodePeerLimited(body, lim)
		if err != nil {
			return
		}
		entries := 0
		countDirs := func(dirs []Dir) {
			for _, d := range dirs {
				entries += 1 + len(d.Files)
			}
		}
		switch m := m.(type) {
		case *SharedFileListResponse:
			countDirs(m.Dirs)
			countDirs(m.PrivateDirs)
		case *FolderContentsResponse:
			countDirs(m.Dirs)
		case *FileSearchResponse:
			entries = len(m.Files) + len(m.PrivateFiles)
		}
		if entries > lim.Entries {
			t.Fatalf("%T decoded %d entries under a %d-entry limit", m, entries, lim.Entries)
		}
	})
}

// FuzzPeekTokens: the peeks never panic, and agree with a full decode.
func FuzzPeekTokens(f *testing.F) {
	for _, tc := range peerCases {
		if tc.zlib {
			f.Add(tc.raw)
		}
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		code, payload, err := SplitPeerFrame(body)
		if err != nil {
			return
		}
		user, token, serr := PeekFileSearchToken(payload)
		ftoken, ferr := PeekFolderContentsToken(payload)
		m, err := DecodePeer(body)
		if err != nil {
			return
		}
		switch m := m.(type) {
		case *FileSearchResponse:
			if len(m.Username) <= MaxPeekName && (serr != nil || user != m.Username || token != m.Token) {
				t.Fatalf("peek %q %d %v, decoded %q %d", user, token, serr, m.Username, m.Token)
			}
		case *FolderContentsResponse:
			if ferr != nil || ftoken != m.Token {
				t.Fatalf("peek %d %v, decoded %d (%v)", ftoken, ferr, m.Token, code)
			}
		}
	})
}
