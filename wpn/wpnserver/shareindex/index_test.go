package shareindex

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/revival-net/revival/wpn"
)

func hashOf(n int) (h [wpn.HashSize]byte) {
	h[0], h[1], h[2] = byte(n), byte(n>>8), 0x5A
	h[19] = 0xEE // the length part; hash searches ignore it
	return h
}

func sumOf(n int) (s [wpn.HashSize16]byte) {
	h := hashOf(n)
	copy(s[:], h[:])
	return s
}

func share(t *testing.T, x *Index, o Owner, path string, n int) {
	t.Helper()
	if err := x.AddFile(o, &wpn.ShareFile{Path: path, Hash: hashOf(n), Size: uint32(n)}); err != nil {
		t.Fatalf("AddFile(%d, %q): %v", o, path, err)
	}
}

// hits runs a search and returns "owner:path" sorted.
func hits(x *Index, q Query) []string {
	var out []string
	x.Search(q, func(o Owner, f *File) bool {
		out = append(out, fmt.Sprintf("%d:%s", o, f.Path))
		return true
	})
	slices.Sort(out)
	return out
}

func hashHits(x *Index, n int, f Filter) []string {
	var out []string
	x.HashSearch(sumOf(n), f, func(o Owner, f *File) bool {
		out = append(out, fmt.Sprintf("%d:%s", o, f.Path))
		return true
	})
	slices.Sort(out)
	return out
}

func browse(x *Index, o Owner) []string {
	var out []string
	x.Browse(o, func(f *File) bool {
		out = append(out, f.Path)
		return true
	})
	return out
}

func TestAddFolderPaths(t *testing.T) {
	x := New(Limits{})
	n, err := x.AddFolder(1, &wpn.ShareFolder{Folder: `C:\Music\Beatles\`, Files: []wpn.SharedFile{
		{Name: "Help.mp3", Hash: hashOf(1), Size: 100, Media: wpn.Media{Bitrate: 128, SampleFreq: 44100, PlayTime: 140}},
		{Name: "Yesterday.mp3", Hash: hashOf(2), Size: 200},
	}})
	if n != 2 || err != nil {
		t.Fatalf("AddFolder = %d, %v", n, err)
	}
	var files []File
	x.Browse(1, func(f *File) bool { files = append(files, *f); return true })
	if len(files) != 2 || files[0].Path != `C:\Music\Beatles\Help.mp3` || files[1].Path != `C:\Music\Beatles\Yesterday.mp3` {
		t.Fatalf("browse = %+v", files)
	}
	if m := files[0].Media; m == nil || *m != (wpn.Media{Bitrate: 128, SampleFreq: 44100, PlayTime: 140}) || files[0].Size != 100 || files[0].Hash != hashOf(1) {
		t.Errorf("file 0 = %+v", files[0])
	}
	if files[1].Media != nil {
		t.Errorf("all-zero media should be nil, got %+v", files[1].Media)
	}
}

func TestAddReplaceRemove(t *testing.T) {
	x := New(Limits{})
	share(t, x, 1, `C:\a\one.mp3`, 1)
	share(t, x, 1, `C:\a\two.mp3`, 2)
	share(t, x, 1, `C:\a\three.mp3`, 3)
	share(t, x, 2, `C:\a\one.mp3`, 1)

	// Re-sharing a path replaces it in place: no duplicate, same order.
	m := &wpn.Media{Bitrate: 192}
	if err := x.AddFile(1, &wpn.ShareFile{Path: `C:\a\one.mp3`, Hash: hashOf(9), Size: 9, Media: m}); err != nil {
		t.Fatal(err)
	}
	m.Bitrate = 1 // the index keeps its own copy
	if got, want := browse(x, 1), []string{`C:\a\one.mp3`, `C:\a\two.mp3`, `C:\a\three.mp3`}; !slices.Equal(got, want) {
		t.Fatalf("browse after replace = %q", got)
	}
	if x.Count(1) != 3 || x.Total() != 4 {
		t.Fatalf("Count = %d, Total = %d", x.Count(1), x.Total())
	}
	x.Browse(1, func(f *File) bool {
		if f.Size != 9 || f.Media == nil || f.Media.Bitrate != 192 {
			t.Errorf("replaced file = %+v", f)
		}
		return false
	})
	if got := hashHits(x, 1, Filter{}); !slices.Equal(got, []string{`2:C:\a\one.mp3`}) {
		t.Errorf("old hash still found: %q", got)
	}
	if got := hashHits(x, 9, Filter{}); !slices.Equal(got, []string{`1:C:\a\one.mp3`}) {
		t.Errorf("new hash: %q", got)
	}
	if got := hits(x, Query{Text: "one"}); !slices.Equal(got, []string{`1:C:\a\one.mp3`, `2:C:\a\one.mp3`}) {
		t.Errorf("search one = %q", got)
	}

	x.RemoveFile(1, `C:\a\two.mp3`)
	x.RemoveFile(1, `C:\a\nope.mp3`)
	x.RemoveFile(3, `C:\a\two.mp3`)
	if got := browse(x, 1); !slices.Equal(got, []string{`C:\a\one.mp3`, `C:\a\three.mp3`}) {
		t.Errorf("browse after remove = %q", got)
	}
	if got := hits(x, Query{Text: "two"}); got != nil {
		t.Errorf("removed file found: %q", got)
	}
	// Sharing again appends at the end.
	share(t, x, 1, `C:\a\two.mp3`, 2)
	if got := browse(x, 1); !slices.Equal(got, []string{`C:\a\one.mp3`, `C:\a\three.mp3`, `C:\a\two.mp3`}) {
		t.Errorf("browse after re-add = %q", got)
	}

	x.RemoveOwner(1)
	if x.Count(1) != 0 || x.Total() != 1 || browse(x, 1) != nil {
		t.Errorf("after RemoveOwner: Count %d Total %d browse %q", x.Count(1), x.Total(), browse(x, 1))
	}
	if got := hits(x, Query{Text: "mp3"}); !slices.Equal(got, []string{`2:C:\a\one.mp3`}) {
		t.Errorf("search after RemoveOwner = %q", got)
	}
	x.RemoveOwner(1) // twice is harmless
	x.RemoveOwner(2)
	if s := x.Stats(); s.Files != 0 || s.Owners != 0 || s.Terms != 0 || s.Postings != 0 {
		t.Errorf("empty index stats = %+v", s)
	}
}

func TestRemoveFolder(t *testing.T) {
	x := New(Limits{})
	for _, p := range []string{`C:\m\a.mp3`, `C:\m\sub\b.mp3`, `C:\m\c.mp3`, `C:\mm\d.mp3`, `C:\x\m\e.mp3`} {
		share(t, x, 1, p, 1)
	}
	share(t, x, 2, `C:\m\a.mp3`, 1)
	x.RemoveFolder(1, `C:\m\`)
	if got := browse(x, 1); !slices.Equal(got, []string{`C:\m\sub\b.mp3`, `C:\mm\d.mp3`, `C:\x\m\e.mp3`}) {
		t.Errorf("after RemoveFolder = %q", got)
	}
	if x.Count(2) != 1 {
		t.Errorf("other owner's folder touched")
	}
	x.RemoveFolder(1, `C:\m\sub`)
	x.RemoveFolder(9, `C:\m`)
	if got := browse(x, 1); !slices.Equal(got, []string{`C:\mm\d.mp3`, `C:\x\m\e.mp3`}) {
		t.Errorf("after RemoveFolder sub = %q", got)
	}
}

func TestLimits(t *testing.T) {
	x := New(Limits{MaxFilesPerOwner: 3, MaxFiles: 5, MaxPathLen: 20})
	files := make([]wpn.SharedFile, 4)
	for i := range files {
		files[i] = wpn.SharedFile{Name: fmt.Sprintf("f%d.mp3", i), Hash: hashOf(i)}
	}
	n, err := x.AddFolder(1, &wpn.ShareFolder{Folder: "d", Files: files})
	if n != 3 || !errors.Is(err, ErrOwnerFull) || x.Count(1) != 3 {
		t.Fatalf("AddFolder over owner cap = %d, %v; count %d", n, err, x.Count(1))
	}
	// Replacing at the cap is fine: nothing grows.
	if err := x.AddFile(1, &wpn.ShareFile{Path: `d\f0.mp3`, Size: 7}); err != nil {
		t.Errorf("replace at cap: %v", err)
	}
	n, err = x.AddFolder(2, &wpn.ShareFolder{Folder: "d", Files: files})
	if n != 2 || !errors.Is(err, ErrIndexFull) || x.Total() != 5 {
		t.Fatalf("AddFolder over total cap = %d, %v; total %d", n, err, x.Total())
	}
	if err := x.AddFile(3, &wpn.ShareFile{Path: "x"}); !errors.Is(err, ErrIndexFull) {
		t.Errorf("AddFile over total cap: %v", err)
	}
	x.RemoveOwner(1)
	if err := x.AddFile(3, &wpn.ShareFile{Path: strings.Repeat("p", 21)}); !errors.Is(err, ErrPathTooLong) {
		t.Errorf("long path: %v", err)
	}
	if err := x.AddFile(3, &wpn.ShareFile{Path: ""}); !errors.Is(err, ErrEmptyPath) {
		t.Errorf("empty path: %v", err)
	}
	// Bad entries are skipped, the rest of the folder is still added.
	n, err = x.AddFolder(3, &wpn.ShareFolder{Folder: "d", Files: []wpn.SharedFile{
		{Name: ""}, {Name: "ok.mp3"}, {Name: strings.Repeat("n", 30)}, {Name: "ok2.mp3"},
	}})
	if n != 2 || !errors.Is(err, ErrEmptyPath) || x.Count(3) != 2 {
		t.Errorf("AddFolder with bad entries = %d, %v; count %d", n, err, x.Count(3))
	}
	if got := x.Limits(); got != (Limits{MaxFilesPerOwner: 3, MaxFiles: 5, MaxPathLen: 20}) {
		t.Errorf("Limits = %+v", got)
	}
	if got := New(Limits{}).Limits(); got != (Limits{DefaultMaxFilesPerOwner, DefaultMaxFiles, DefaultMaxPathLen}) {
		t.Errorf("default Limits = %+v", got)
	}
}

func TestSearchMatching(t *testing.T) {
	x := New(Limits{})
	share(t, x, 1, `C:\Music\Beyoncé\Crazy In Love.mp3`, 1)
	share(t, x, 1, `C:\Music\AC-DC\Back In Black.OGG`, 2)
	share(t, x, 2, `D:\Video\Crazy Stupid Love (2011).avi`, 3)
	share(t, x, 2, `D:\Soft\lovely_setup.exe`, 4)
	share(t, x, 3, `C:\Docs\crazy.txt`, 5)
	for _, tc := range []struct {
		q    Query
		want []string
	}{
		{Query{Text: "crazy love"}, []string{`1:C:\Music\Beyoncé\Crazy In Love.mp3`, `2:D:\Video\Crazy Stupid Love (2011).avi`}},
		{Query{Text: "BEYONCE"}, []string{`1:C:\Music\Beyoncé\Crazy In Love.mp3`}},
		{Query{Terms: []string{"beyoncé", "LOVE"}}, []string{`1:C:\Music\Beyoncé\Crazy In Love.mp3`}},
		{Query{Text: "ac/dc", Terms: []string{"black"}}, []string{`1:C:\Music\AC-DC\Back In Black.OGG`}},
		{Query{Text: "music"}, []string{`1:C:\Music\AC-DC\Back In Black.OGG`, `1:C:\Music\Beyoncé\Crazy In Love.mp3`}},
		{Query{Text: "lov"}, nil},                // no prefixes
		{Query{Text: "crazy love nothing"}, nil}, // AND
		{Query{Text: "c"}, nil},                  // drive letters are not words
		{Query{Text: "!!! ..."}, nil},            // no words, no hits
		{Query{}, nil},                           // likewise
		{Query{Text: "crazy crazy CRAZY"}, []string{`1:C:\Music\Beyoncé\Crazy In Love.mp3`, `2:D:\Video\Crazy Stupid Love (2011).avi`, `3:C:\Docs\crazy.txt`}},
		{Query{Text: "2011"}, []string{`2:D:\Video\Crazy Stupid Love (2011).avi`}},
		{Query{Text: "crazy", Filter: Filter{FileType: wpn.FileAudio}}, []string{`1:C:\Music\Beyoncé\Crazy In Love.mp3`}},
		{Query{Text: "crazy", Filter: Filter{FileType: wpn.FileVideo}}, []string{`2:D:\Video\Crazy Stupid Love (2011).avi`}},
		{Query{Text: "setup", Filter: Filter{FileType: wpn.FileSoftware}}, []string{`2:D:\Soft\lovely_setup.exe`}},
		{Query{Text: "setup", Filter: Filter{FileType: wpn.FileAudio}}, nil},
		{Query{Text: "crazy", Filter: Filter{FileType: 7}}, []string{`1:C:\Music\Beyoncé\Crazy In Love.mp3`, `2:D:\Video\Crazy Stupid Love (2011).avi`, `3:C:\Docs\crazy.txt`}},
		{Query{Text: "crazy", Filter: Filter{Owners: func(o Owner) bool { return o != 1 }}}, []string{`2:D:\Video\Crazy Stupid Love (2011).avi`, `3:C:\Docs\crazy.txt`}},
	} {
		if got := hits(x, tc.q); !slices.Equal(got, tc.want) {
			t.Errorf("%+v: got %q, want %q", tc.q, got, tc.want)
		}
	}
}

func TestSearchLimitAndStop(t *testing.T) {
	x := New(Limits{})
	for i := range 50 {
		share(t, x, Owner(i%5), fmt.Sprintf(`C:\s\song %d.mp3`, i), i)
	}
	for _, limit := range []int{0, 1, 7, 50, 100} {
		seen := map[string]bool{}
		x.Search(Query{Text: "song", Filter: Filter{Limit: limit}}, func(o Owner, f *File) bool {
			seen[f.Path] = true
			return true
		})
		want := 50
		if limit > 0 {
			want = min(limit, 50)
		}
		if len(seen) != want {
			t.Errorf("limit %d: %d distinct hits, want %d", limit, len(seen), want)
		}
	}
	calls := 0
	x.Search(Query{Text: "song mp3"}, func(Owner, *File) bool { calls++; return calls < 3 })
	if calls != 3 {
		t.Errorf("visit returning false: %d calls", calls)
	}
	calls = 0
	x.Browse(1, func(*File) bool { calls++; return false })
	if calls != 1 {
		t.Errorf("browse stop: %d calls", calls)
	}
}

func TestHashSearch(t *testing.T) {
	x := New(Limits{})
	share(t, x, 1, `a\x.mp3`, 1)
	share(t, x, 2, `b\y.avi`, 1)
	share(t, x, 3, `c\z.mp3`, 1)
	share(t, x, 3, `c\w.mp3`, 2)
	// Only the 16 checksum bytes count; the length part may differ.
	h := hashOf(1)
	h[19] = 0
	if err := x.AddFile(4, &wpn.ShareFile{Path: `d\v.mp3`, Hash: h}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		n    int
		f    Filter
		want []string
	}{
		{1, Filter{}, []string{`1:a\x.mp3`, `2:b\y.avi`, `3:c\z.mp3`, `4:d\v.mp3`}},
		{1, Filter{FileType: wpn.FileVideo}, []string{`2:b\y.avi`}},
		{1, Filter{Owners: func(o Owner) bool { return o%2 == 1 }}, []string{`1:a\x.mp3`, `3:c\z.mp3`}},
		{2, Filter{}, []string{`3:c\w.mp3`}},
		{3, Filter{}, nil},
	} {
		if got := hashHits(x, tc.n, tc.f); !slices.Equal(got, tc.want) {
			t.Errorf("hash %d %+v: got %q, want %q", tc.n, tc.f, got, tc.want)
		}
	}
	n := 0
	x.HashSearch(sumOf(1), Filter{Limit: 2}, func(Owner, *File) bool { n++; return true })
	if n != 2 {
		t.Errorf("limit 2: %d hits", n)
	}
	x.RemoveFile(2, `b\y.avi`)
	x.RemoveOwner(1)
	if got := hashHits(x, 1, Filter{}); !slices.Equal(got, []string{`3:c\z.mp3`, `4:d\v.mp3`}) {
		t.Errorf("after removes: %q", got)
	}
}

// TestOwnerReuse checks that an Owner number sharing again after
// RemoveOwner starts with no files and that the two records' paths never
// mix.
func TestOwnerReuse(t *testing.T) {
	x := New(Limits{})
	share(t, x, 1, `a\x.mp3`, 1)
	x.RemoveOwner(1)
	share(t, x, 1, `a\x.mp3`, 2)
	if x.Count(1) != 1 || x.Total() != 1 {
		t.Fatalf("Count %d Total %d", x.Count(1), x.Total())
	}
	if got := hits(x, Query{Text: "x"}); !slices.Equal(got, []string{`1:a\x.mp3`}) {
		t.Errorf("search = %q", got)
	}
}

// TestIDReuse removes and re-adds many files so that ids and words are
// recycled, and checks that no search sees a stale posting.
func TestIDReuse(t *testing.T) {
	x := New(Limits{})
	for round := range 20 {
		for i := range 100 {
			share(t, x, Owner(i%3), fmt.Sprintf(`d\r%d common f%d.mp3`, round, i), i)
		}
		for i := range 100 {
			if i%10 != 0 {
				x.RemoveFile(Owner(i%3), fmt.Sprintf(`d\r%d common f%d.mp3`, round, i))
			}
		}
		if got := len(hits(x, Query{Text: "common"})); got != 10*(round+1) {
			t.Fatalf("round %d: %d hits for common, want %d", round, got, 10*(round+1))
		}
		if got := hits(x, Query{Text: fmt.Sprintf("r%d f1", round)}); got != nil {
			t.Fatalf("round %d: removed file found: %q", round, got)
		}
	}
	s := x.Stats()
	if s.Files != 200 || s.Dead*2 > s.Postings {
		t.Errorf("stats %+v: dead postings should stay below half", s)
	}
	if x.nextID > 1000 {
		t.Errorf("ids not reused: next id %d after at most ~%d live", x.nextID, 300)
	}
}

func TestInvariantsAfterChurn(t *testing.T) {
	x := New(Limits{})
	for round := range 10 {
		for o := range Owner(4) {
			files := make([]wpn.SharedFile, 300)
			for i := range files {
				files[i] = wpn.SharedFile{Name: fmt.Sprintf("w%d x%d common.mp3", i%37, round), Hash: hashOf(i % 7)}
			}
			if _, err := x.AddFolder(o, &wpn.ShareFolder{Folder: fmt.Sprintf(`C:\f%d`, round%3), Files: files}); err != nil {
				t.Fatal(err)
			}
		}
		x.RemoveOwner(Owner(round % 4))
		x.RemoveFolder(Owner((round+1)%4), fmt.Sprintf(`C:\f%d`, (round+1)%3))
		x.RemoveFile(Owner((round+2)%4), fmt.Sprintf(`C:\f%d\w5 x%d common.mp3`, round%3, round))
		if err := x.check(); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
	}
}
