package shareindex

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/revival-net/revival/wpn"
)

// TestConcurrent runs adders, removers and searchers at once (meant for
// -race) and checks what must hold whatever the interleaving: every hit
// really matches its query and belongs to its owner's naming scheme, and
// at the end each owner has exactly what its last operations left.
func TestConcurrent(t *testing.T) {
	x := New(Limits{})
	const owners, rounds, per = 6, 30, 40
	var wg sync.WaitGroup
	for o := range Owner(owners) {
		wg.Go(func() {
			for r := range rounds {
				files := make([]wpn.SharedFile, per)
				for i := range files {
					files[i] = wpn.SharedFile{Name: fmt.Sprintf("owner%d track%d round%d.mp3", o, i, r), Hash: hashOf(i)}
				}
				if _, err := x.AddFolder(o, &wpn.ShareFolder{Folder: fmt.Sprintf(`C:\o%d\r%d`, o, r), Files: files}); err != nil {
					t.Error(err)
					return
				}
				switch r % 3 {
				case 0:
					x.RemoveFolder(o, fmt.Sprintf(`C:\o%d\r%d`, o, r))
				case 1:
					x.RemoveFile(o, fmt.Sprintf(`C:\o%d\r%d\owner%d track0 round%d.mp3`, o, r, o, r))
				}
				if r == rounds-2 {
					x.RemoveOwner(o)
				}
			}
		})
	}
	stop := make(chan struct{})
	var searchers sync.WaitGroup
	for s := range 3 {
		searchers.Go(func() {
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				o := (s + n) % owners
				x.Search(Query{Text: fmt.Sprintf("owner%d track%d", o, n%per), Filter: Filter{Limit: 50}}, func(got Owner, f *File) bool {
					if int(got) != o || !strings.Contains(f.Path, fmt.Sprintf(`owner%d track%d `, o, n%per)) {
						t.Errorf("search owner%d track%d: hit %d %q", o, n%per, got, f.Path)
					}
					return true
				})
				x.HashSearch(sumOf(n%per), Filter{}, func(_ Owner, f *File) bool {
					if f.Hash != hashOf(n%per) {
						t.Errorf("hash search %d: hit %q", n%per, f.Path)
					}
					return true
				})
				x.Browse(Owner(o), func(f *File) bool {
					if !strings.HasPrefix(f.Path, fmt.Sprintf(`C:\o%d\`, o)) {
						t.Errorf("browse %d: %q", o, f.Path)
					}
					return true
				})
				_ = x.Count(Owner(o)) + x.Total()
			}
		})
	}
	wg.Wait()
	close(stop)
	searchers.Wait()
	// Each owner's last round (rounds-1, r%3 == 2) is all it has left.
	for o := range Owner(owners) {
		if n := x.Count(o); n != per {
			t.Errorf("owner %d: %d files, want %d", o, n, per)
		}
	}
	if n := x.Total(); n != owners*per {
		t.Errorf("Total = %d, want %d", n, owners*per)
	}
}
