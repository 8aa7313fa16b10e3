package slskclient

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseQuery(t *testing.T) {
	tests := []struct {
		in   string
		want searchQuery
	}{
		{"Artist Song", searchQuery{include: []string{"artist", "song"}}},
		{"  artist   -live -", searchQuery{include: []string{"artist"}, exclude: []string{"live"}}},
		{`*tist "song"`, searchQuery{include: []string{"tist", "song"}}},
		{"--x *", searchQuery{exclude: []string{"x"}}},
		{"", searchQuery{}},
	}
	for _, tc := range tests {
		got := parseQuery(tc.in)
		if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(searchQuery{})); diff != "" {
			t.Errorf("parseQuery(%q) (-want +got):\n%s", tc.in, diff)
		}
	}
}

func TestShareSearch(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"Artist/Album/01 Song.mp3":     "1",
		"Artist/Album/02 Other.mp3":    "2",
		"Artist/Live/03 Song Live.mp3": "3",
		"Other/song.flac":              "4",
		"Other/Spam Song.mp3":          "5",
	})
	idx, err := indexShare(dir, "Music", 0)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		query    string
		excluded []string
		max      int
		want     []string
	}{
		{"song", nil, 0, []string{`Music\Artist\Album\01 Song.mp3`, `Music\Artist\Live\03 Song Live.mp3`, `Music\Other\Spam Song.mp3`, `Music\Other\song.flac`}},
		{"ARTIST song", nil, 0, []string{`Music\Artist\Album\01 Song.mp3`, `Music\Artist\Live\03 Song Live.mp3`}},
		{"artist song -live", nil, 0, []string{`Music\Artist\Album\01 Song.mp3`}},
		{"song", []string{"spam"}, 0, []string{`Music\Artist\Album\01 Song.mp3`, `Music\Artist\Live\03 Song Live.mp3`, `Music\Other\song.flac`}},
		{"song", nil, 2, []string{`Music\Artist\Album\01 Song.mp3`, `Music\Artist\Live\03 Song Live.mp3`}},
		{"music", nil, 1, []string{`Music\Artist\Album\01 Song.mp3`}},
		{"-song", nil, 0, nil},
		{"nothing", nil, 0, nil},
		{"flac", nil, 0, []string{`Music\Other\song.flac`}},
	}
	for _, tc := range tests {
		var got []string
		for _, e := range idx.search(parseQuery(tc.query), tc.excluded, tc.max) {
			got = append(got, e.virtual)
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("search(%q, %v, %d) (-want +got):\n%s", tc.query, tc.excluded, tc.max, diff)
		}
	}
}
