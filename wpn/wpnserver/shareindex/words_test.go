package shareindex

import (
	"slices"
	"strings"
	"testing"

	"github.com/revival-net/revival/wpn"
)

func TestWords(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"  ...  ", nil},
		{"Hello World", []string{"hello", "world"}},
		{`C:\My Music\AC/DC - Back_In-Black.MP3`, []string{"c", "my", "music", "ac", "dc", "back", "in", "black", "mp3"}},
		{"Beyoncé BEYONCÉ beyonce", []string{"beyonce", "beyonce", "beyonce"}},
		{"Œuvre Straße Æon Þór", []string{"oeuvre", "strasse", "aeon", "thor"}},
		{"ŠKODA Ÿes ƒoo", []string{"skoda", "yes", "foo"}},
		{"Don't stop", []string{"don", "t", "stop"}},
		{"track01 2Pac", []string{"track01", "2pac"}},
		{"ДЖАЗ Ελλάδα", []string{"джаз", "ελλάδα"}},
		{"a™b€c©d", []string{"a", "b", "c", "d"}},
		{"\x00a\xffb", []string{"a", "b"}}, // NUL and invalid UTF-8 separate
		{strings.Repeat("x", 70), []string{strings.Repeat("x", 64)}},
		{strings.Repeat("é", 40), []string{strings.Repeat("e", 40)}},
		{strings.Repeat("я", 40), []string{strings.Repeat("я", 32)}}, // cut on a rune boundary
	} {
		if got := Words(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("Words(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestWordsSkipDrive(t *testing.T) {
	var w words
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{`C:\Music\x.mp3`, []string{"music", "x", "mp3"}},
		{`d:x`, []string{"x"}},
		{`1:x`, []string{"1", "x"}},
		{`C`, []string{"c"}},
	} {
		w.reset(tc.in)
		w.skipDrive()
		var got []string
		for b := w.next(); b != nil; b = w.next() {
			got = append(got, string(b))
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%q: got %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestFileType(t *testing.T) {
	for _, tc := range []struct {
		path string
		want uint8
	}{
		{`C:\a\song.mp3`, wpn.FileAudio},
		{`C:\a\song.MP3`, wpn.FileAudio},
		{`x.Ogg`, wpn.FileAudio},
		{`x.flac`, wpn.FileAudio},
		{`movie.avi`, wpn.FileVideo},
		{`movie.MPEG`, wpn.FileVideo},
		{`setup.exe`, wpn.FileSoftware},
		{`a.tar.gz`, wpn.FileSoftware},
		{`pic.jpg`, wpn.FileAny},
		{`noext`, wpn.FileAny},
		{`dir.mp3\noext`, wpn.FileAny},
		{`x.mp3x`, wpn.FileAny},
		{`x.abcdefgh`, wpn.FileAny},
		{`.mp3`, wpn.FileAudio},
		{``, wpn.FileAny},
		{`x.`, wpn.FileAny},
	} {
		if got := FileType(tc.path); got != tc.want {
			t.Errorf("FileType(%q) = %d, want %d", tc.path, got, tc.want)
		}
	}
}

func TestTypeMatches(t *testing.T) {
	for _, tc := range []struct {
		want, have uint8
		ok         bool
	}{
		{0, wpn.FileAudio, true},
		{wpn.FileAudio, wpn.FileAudio, true},
		{wpn.FileAudio, wpn.FileVideo, false},
		{wpn.FileVideo, wpn.FileAny, false},
		{wpn.FileSoftware, wpn.FileSoftware, true},
		{9, wpn.FileAny, true}, // unknown codes match everything
	} {
		if got := typeMatches(tc.want, tc.have); got != tc.ok {
			t.Errorf("typeMatches(%d, %d) = %v", tc.want, tc.have, got)
		}
	}
}
