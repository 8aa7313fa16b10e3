package wpnload

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/revival-net/revival/wpn"
)

// vocabulary is the words file names are made of. Real libraries repeat a
// few words a lot ("the", "mp3", popular artists) and most words rarely,
// so words are drawn with a Zipf distribution over this list.
type vocabulary struct {
	words []string
	zipf  *rand.Zipf
	rng   *rand.Rand
}

func newVocabulary(n int, seed uint64) *vocabulary {
	rng := rand.New(rand.NewPCG(seed, seed^0x9E3779B97F4A7C15))
	words := make([]string, n)
	syll := []string{"ka", "lo", "mi", "ra", "ne", "to", "su", "vi", "da", "pe", "zo", "qu", "ber", "lin", "mor", "tas"}
	for i := range words {
		var b strings.Builder
		x := i + 1
		for x > 0 {
			b.WriteString(syll[x%len(syll)])
			x /= len(syll)
		}
		words[i] = b.String()
	}
	return &vocabulary{words: words, zipf: rand.NewZipf(rng, 1.1, 2, uint64(n-1)), rng: rng}
}

func (v *vocabulary) word() string { return v.words[v.zipf.Uint64()] }

var extensions = []string{"mp3", "mp3", "mp3", "ogg", "avi", "mpg", "zip", "jpg"}

// folder is secondary i's shared folder with n generated files.
func (v *vocabulary) folder(i, n int) *wpn.ShareFolder {
	f := &wpn.ShareFolder{Folder: fmt.Sprintf(`C:\Shared\%s %s`, v.word(), v.word())}
	for j := range n {
		name := fmt.Sprintf("%s - %s %s %02d.%s", v.word(), v.word(), v.word(), j%100, extensions[v.rng.IntN(len(extensions))])
		var h [wpn.HashSize]byte
		for k := range 16 {
			h[k] = byte(v.rng.Uint32())
		}
		size := 1_000_000 + v.rng.Uint32N(8_000_000)
		h[16], h[17], h[18], h[19] = byte(size), byte(size>>8), byte(size>>16), byte(size>>24)
		f.Files = append(f.Files, wpn.SharedFile{Name: name, Hash: h, Size: size, Media: wpn.Media{Bitrate: 192, SampleFreq: 44100, PlayTime: 200}})
	}
	_ = i
	return f
}

// query is a search of one to three words, as users type them.
func (v *vocabulary) query() string {
	n := 1 + v.rng.IntN(3)
	w := make([]string, n)
	for i := range w {
		w[i] = v.word()
	}
	return strings.Join(w, " ")
}
