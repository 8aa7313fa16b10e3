package slskclient

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/revival-net/revival/slsk"
)

// TestParseQueryLimits checks the guards on a peer's query (review
// finding 4): a query past maxQueryLen matches nothing, repeated words are
// matched once, and words past maxQueryWords are ignored.
func TestParseQueryLimits(t *testing.T) {
	many := "w0 w1 w2 w3 w4 -x5 w6 w7 w8 w9 w10 w11"
	tests := []struct {
		name string
		in   string
		want searchQuery
	}{
		{"at the length limit", "song " + strings.Repeat("a", maxQueryLen-5), searchQuery{include: []string{"song", strings.Repeat("a", maxQueryLen-5)}}},
		{"past the length limit", "song " + strings.Repeat("a", maxQueryLen-4), searchQuery{}},
		{"64 KiB", strings.Repeat("song ", 64<<10/5), searchQuery{}},
		{"repeated words", "Song song SONG *song -live -LIVE", searchQuery{include: []string{"song"}, exclude: []string{"live"}}},
		{"repeats do not count", "a a a a a a a a a a a a b", searchQuery{include: []string{"a", "b"}}},
		{"word cap", many, searchQuery{include: []string{"w0", "w1", "w2", "w3", "w4", "w6", "w7", "w8", "w9"}, exclude: []string{"x5"}}},
	}
	for _, tc := range tests {
		got := parseQuery(tc.in)
		if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(searchQuery{})); diff != "" {
			t.Errorf("%s: parseQuery (-want +got):\n%s", tc.name, diff)
		}
	}
}

// TestFileBudget checks the per-response trimming: a prefix within the
// file and byte limits, copied when truncated so the decoded array is not
// kept alive.
func TestFileBudget(t *testing.T) {
	small := slsk.File{Code: 1, Name: "a"}
	big := slsk.File{Code: 1, Name: strings.Repeat("x", 1000)}
	tests := []struct {
		name         string
		in           []slsk.File
		files, bytes int
		want         int
	}{
		{"all fit", []slsk.File{small, small}, 10, 1 << 20, 2},
		{"file limit", []slsk.File{small, small, small}, 2, 1 << 20, 2},
		{"byte limit stops at the big one", []slsk.File{small, big, small}, 10, 2*fileCost(&small) + 10, 1},
		{"nothing fits", []slsk.File{big}, 10, 100, 0},
		{"no files left", []slsk.File{small}, 0, 1 << 20, 0},
	}
	for _, tc := range tests {
		b := fileBudget{files: tc.files, bytes: tc.bytes}
		got := b.take(tc.in)
		if len(got) != tc.want {
			t.Errorf("%s: kept %d files, want %d", tc.name, len(got), tc.want)
			continue
		}
		if cap(got) != len(got) && len(got) < len(tc.in) {
			t.Errorf("%s: truncated slice keeps capacity %d for %d files", tc.name, cap(got), len(got))
		}
		used := 0
		for i := range got {
			used += fileCost(&got[i])
		}
		if b.used != used || b.files != tc.files-len(got) {
			t.Errorf("%s: budget charged %d bytes, %d files left; want %d, %d", tc.name, b.used, b.files, used, tc.files-len(got))
		}
	}
}

// searchOn registers a search on c by hand, as the server would never
// see it (there is none in these tests).
func searchOn(c *Client, token uint32, buf int) *Search {
	s := &Search{c: c, Token: token, Query: "q", out: make(chan SearchResult, buf)}
	c.mu.Lock()
	c.searches[token] = s
	c.mu.Unlock()
	return s
}

// rawSearcher opens a P connection to c under name and returns a function
// that sends a FileSearchResponse on it.
func rawSearcher(t *testing.T, c *Client, name string) func(*slsk.FileSearchResponse) {
	p := dialRaw(t, c)
	p.write(slsk.AppendInitFrame(nil, &slsk.PeerInit{Username: name, Type: "P", Token: 1}))
	return func(m *slsk.FileSearchResponse) { p.write(slsk.AppendPeerFrame(nil, m)) }
}

func emptyFiles(n int) []slsk.File { return make([]slsk.File, n) }

// TestSearchResponseLimits plays hostile answerers (review findings 1 and
// 14): a response of 3000 empty entries keeps 2000 in a right-sized
// slice, so the decoded array is not retained; the result's user is the
// connection's name, not the one in the body; buddy-only files are listed
// apart; a second answer from one user is dropped; and the search stops
// keeping files at Options.MaxSearchFiles. (An answer past the search
// answer's slsk.ZlibLimit is refused whole: TestSearchAnswerOverCap.)
func TestSearchResponseLimits(t *testing.T) {
	bob := newTestPeer(t, "bob", Options{MaxSearchFiles: 2500})
	s := searchOn(bob, 777, 8)
	s2 := searchOn(bob, 778, 8)

	mallory := rawSearcher(t, bob, "mallory")
	mallory(&slsk.FileSearchResponse{Username: "alice", Token: 777, Files: emptyFiles(3000), SlotFree: true, QueueLength: 4})
	r := firstResult(t, s)
	if r.User != "mallory" {
		t.Errorf("result user %q, want the connection's name mallory", r.User)
	}
	if len(r.Files) != maxResponseFiles || cap(r.Files) != len(r.Files) {
		t.Errorf("kept %d files (capacity %d), want %d", len(r.Files), cap(r.Files), maxResponseFiles)
	}
	if !r.SlotFree || r.QueueLength != 4 || r.Token != 777 {
		t.Errorf("result fields %+v", SearchResult{Token: r.Token, SlotFree: r.SlotFree, QueueLength: r.QueueLength})
	}

	// A second answer from mallory is dropped; the answer to s2 after it
	// on the same connection marks that the first was handled. That one
	// has buddy-only files, which are listed apart.
	mallory(&slsk.FileSearchResponse{Token: 777, Files: emptyFiles(1)})
	public := []slsk.File{{Code: 1, Name: `Music\a.mp3`, Size: 2}}
	private := []slsk.File{{Code: 1, Name: `Buddies\b.mp3`, Size: 3}}
	mallory(&slsk.FileSearchResponse{Token: 778, Files: public, PrivateFiles: private})
	want := SearchResult{User: "mallory", Token: 778, Files: public, PrivateFiles: private}
	if diff := cmp.Diff(want, firstResult(t, s2)); diff != "" {
		t.Errorf("s2 result (-want +got):\n%s", diff)
	}
	select {
	case r := <-s.Results():
		t.Errorf("a second answer from %s was kept", r.User)
	default:
	}
	if n := s.Dropped(); n != 1 {
		t.Errorf("Dropped = %d, want 1", n)
	}

	// 2000 files kept of 2500: trent's 1000 are cut to 500, then the
	// search is full and victor's answer is dropped.
	trent := rawSearcher(t, bob, "trent")
	trent(&slsk.FileSearchResponse{Token: 777, Files: emptyFiles(1000)})
	if r := firstResult(t, s); r.User != "trent" || len(r.Files) != 500 {
		t.Errorf("trent's result: %d files from %q, want 500 from trent", len(r.Files), r.User)
	}
	victor := rawSearcher(t, bob, "victor")
	victor(&slsk.FileSearchResponse{Token: 777, Files: emptyFiles(1)})
	victor(&slsk.FileSearchResponse{Token: 778, Files: emptyFiles(1)})
	if r := firstResult(t, s2); r.User != "victor" {
		t.Errorf("s2 result from %q", r.User)
	}
	select {
	case r := <-s.Results():
		t.Errorf("an answer past MaxSearchFiles was kept: %d files from %s", len(r.Files), r.User)
	default:
	}
	if n := s.Dropped(); n != 2 {
		t.Errorf("Dropped = %d, want 2", n)
	}
}
