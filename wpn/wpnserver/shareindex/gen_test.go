package shareindex

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/revival-net/revival/wpn"
)

// corpus generates realistic shares: a catalogue of albums (artist,
// title, tracks) and videos/programs whose names are drawn from one
// vocabulary with a Zipf distribution, so a few words ("the", "love") are
// in a large share of all paths and most are rare; owners share whole
// folders, and popular folders are shared by many owners (same hashes).
type corpus struct {
	r      *rand.Rand
	vocab  []string
	word   *rand.Zipf // index into vocab
	pick   *rand.Zipf // index into folders
	folder []genFolder
}

type genFolder struct {
	path  string // without the drive and base folder
	names []string
	ext   string
	sums  uint64 // seeds the files' hashes
}

var commonWords = []string{"the", "love", "you", "of", "my", "i", "me", "a", "in", "remix", "live", "feat", "and", "to", "your", "dj", "mix", "on", "night", "part", "de", "la", "version", "original", "edit"}

func newCorpus(folders int) *corpus {
	c := &corpus{r: rand.New(rand.NewPCG(1, 2))}
	syl := []string{"ka", "lo", "mi", "ra", "ten", "su", "vo", "dre", "an", "el", "tor", "bi", "nu", "qua", "zel", "fo", "ri", "sha", "mon", "pel", "do", "gri", "ha", "jus"}
	c.vocab = append(c.vocab, commonWords...)
	seen := map[string]bool{}
	for _, w := range commonWords {
		seen[w] = true
	}
	for len(c.vocab) < 40000 {
		var b strings.Builder
		for range 2 + c.r.IntN(3) {
			b.WriteString(syl[c.r.IntN(len(syl))])
		}
		if w := b.String(); !seen[w] {
			seen[w] = true
			c.vocab = append(c.vocab, w)
		}
	}
	c.word = rand.NewZipf(c.r, 1.05, 4, uint64(len(c.vocab)-1))
	c.folder = make([]genFolder, folders)
	for i := range c.folder {
		c.folder[i] = c.newFolder(uint64(i))
	}
	c.pick = rand.NewZipf(c.r, 1.1, 50, uint64(folders-1))
	return c
}

func (c *corpus) words(min, max int) string {
	n := min + c.r.IntN(max-min+1)
	ws := make([]string, n)
	for i := range ws {
		w := c.vocab[c.word.Uint64()]
		ws[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	return strings.Join(ws, " ")
}

func (c *corpus) newFolder(seed uint64) genFolder {
	f := genFolder{sums: seed}
	switch k := c.r.IntN(100); {
	case k < 85: // an album
		f.path = `My Music\` + c.words(1, 3) + `\` + c.words(1, 3)
		f.ext = []string{"mp3", "mp3", "mp3", "mp3", "ogg", "wma"}[c.r.IntN(6)]
		for t := range 6 + c.r.IntN(10) {
			f.names = append(f.names, fmt.Sprintf("%02d - %s", t+1, c.words(1, 4)))
		}
	case k < 95: // videos
		f.path = `Videos\` + c.words(1, 2)
		f.ext = []string{"avi", "avi", "mpg", "wmv"}[c.r.IntN(4)]
		for range 1 + c.r.IntN(5) {
			f.names = append(f.names, fmt.Sprintf("%s (%d)", c.words(1, 4), 1970+c.r.IntN(40)))
		}
	default: // programs and pictures
		f.path = `Downloads\` + c.words(1, 2)
		for range 1 + c.r.IntN(6) {
			f.names = append(f.names, c.words(1, 3)+"_"+fmt.Sprint(c.r.IntN(100)))
		}
		f.ext = []string{"zip", "exe", "rar", "jpg", "txt"}[c.r.IntN(5)]
	}
	return f
}

// share makes the 0x0FA3 packet of folder i as owner o would send it.
func (c *corpus) share(o Owner, i int) *wpn.ShareFolder {
	f := &c.folder[i]
	p := &wpn.ShareFolder{Folder: []string{`C:\`, `D:\Shared\`, `C:\Program Files\WinMX\`}[int(o)%3] + f.path}
	for t, name := range f.names {
		var sf wpn.SharedFile
		sf.Name = name + "." + f.ext
		// Every owner's copy of a track has the same hash: checksum
		// from the folder and track, then the size (wpn.md §2.7).
		h := f.sums*1_000_003 + uint64(t)
		sf.Size = uint32(3_000_000 + h%5_000_000)
		for j := range 8 {
			sf.Hash[j] = byte(h >> (8 * j))
			sf.Hash[8+j] = byte(h>>(8*j)) ^ 0xA5
		}
		for j := range 4 {
			sf.Hash[16+j] = byte(sf.Size >> (8 * j))
		}
		if f.ext == "mp3" || f.ext == "ogg" || f.ext == "wma" {
			sf.Media = wpn.Media{Bitrate: 128, SampleFreq: 44100, PlayTime: uint32(120 + h%300)}
		}
		p.Files = append(p.Files, sf)
	}
	return p
}

// fill shares folders for owners [first, first+owners) until each has
// per files (or the owner cap); popular folders come up again and are
// then replaced, as a client re-sharing them would.
func (c *corpus) fill(x *Index, first Owner, owners, per int) {
	for o := first; o < first+Owner(owners); o++ {
		for tries := 0; x.Count(o) < per && tries < 100*per; tries++ {
			p := c.share(o, int(c.pick.Uint64()))
			if _, err := x.AddFolder(o, p); err == ErrOwnerFull {
				break
			} else if err != nil {
				panic(err)
			}
		}
	}
}

// query returns a search like users type: half from one real folder (an
// artist or title word or two, likely to hit), half from the vocabulary
// at large (popular words that may never meet).
func (c *corpus) query() Query {
	n := 1 + c.r.IntN(3)
	if c.r.IntN(2) == 0 {
		f := &c.folder[c.pick.Uint64()]
		ws := append(Words(f.path), Words(f.names[c.r.IntN(len(f.names))])...)
		var q Query
		for range n {
			q.Terms = append(q.Terms, ws[1+c.r.IntN(len(ws)-1)]) // skip "my"/"videos"
		}
		return q
	}
	var q Query
	for range n {
		q.Terms = append(q.Terms, c.vocab[c.word.Uint64()])
	}
	if c.r.IntN(10) == 0 {
		q.Terms = append(q.Terms, "mp3")
	}
	return q
}
