package slskclient

import (
	"errors"
	"fmt"
	"runtime"
	"testing"
	"time"
	"weak"

	"github.com/google/go-cmp/cmp"
	"github.com/revival-net/revival/slsk"
)

// TestShareListEncodedOnce: answering SharedFileListRequest reuses the
// share list encoded for the current index instead of rebuilding and
// recompressing it per request, a Rescan's new index gets a fresh list,
// and the old index's entry goes away with it (review finding 11).
func TestShareListEncodedOnce(t *testing.T) {
	dir := t.TempDir()
	tree := map[string]string{}
	for i := range 40 {
		tree[fmt.Sprintf("d%02d/a.mp3", i)] = "a"
		tree[fmt.Sprintf("d%02d/b.mp3", i)] = "bb"
	}
	writeTree(t, dir, tree)
	alice := newTestPeer(t, "alice", Options{ShareDir: dir, ShareName: "S"})

	// Over a real socket: the answer decodes to the share.
	p := dialRaw(t, alice)
	p.write(slsk.AppendInitFrame(nil, &slsk.PeerInit{Username: "x", Type: slsk.ConnTypePeer}))
	ask := func() *slsk.SharedFileListResponse {
		t.Helper()
		p.write(slsk.AppendPeerFrame(nil, &slsk.SharedFileListRequest{}))
		r, ok := p.next().(*slsk.SharedFileListResponse)
		if !ok {
			t.Fatalf("answer %T, want SharedFileListResponse", r)
		}
		return r
	}
	if r := ask(); len(r.Dirs) != 41 || countFiles(r.Dirs) != 80 {
		t.Fatalf("share list: %d folders, %d files; want 41, 80", len(r.Dirs), countFiles(r.Dirs))
	}

	// Each further answer costs a copy, not an encoding: a handful of
	// allocations, where building the list takes hundreds.
	buf := make([]byte, 0, 64<<10)
	if n := testing.AllocsPerRun(10, func() { buf = slsk.AppendPeerFrame(buf[:0], alice.shareList()) }); n > 5 {
		t.Errorf("%v allocations per share list answer, want it encoded once", n)
	}

	old := weak.Make(alice.share.Load())
	if _, ok := shareListCache.Load(old); !ok {
		t.Fatal("no cached share list for the current index")
	}
	writeTree(t, dir, map[string]string{"new/c.mp3": "ccc"})
	if err := alice.Rescan(); err != nil && !errors.Is(err, ErrNotConnected) {
		t.Fatal(err)
	}
	r := ask()
	var names []string
	for _, d := range r.Dirs {
		if d.Name == `S\new` {
			for _, f := range d.Files {
				names = append(names, f.Name)
			}
		}
	}
	if diff := cmp.Diff([]string{"c.mp3"}, names); diff != "" {
		t.Errorf(`S\new after Rescan (-want +got):\n%s`, diff)
	}

	// The replaced index is garbage; its cached list must go with it.
	deadline := time.Now().Add(testTimeout)
	for {
		runtime.GC()
		if _, ok := shareListCache.Load(old); !ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the cached share list of a replaced index was never dropped")
		}
		runtime.Gosched()
	}
}

func countFiles(dirs []slsk.Dir) int {
	n := 0
	for _, d := range dirs {
		n += len(d.Files)
	}
	return n
}
