package shareindex

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/revival-net/revival/wpn"
)

// model is the naive reference: every owner's files in share order,
// searched by scanning.
type model struct {
	lim    Limits
	owners map[Owner][]File
}

func (m *model) total() (n int) {
	for _, fs := range m.owners {
		n += len(fs)
	}
	return n
}

func (m *model) add(o Owner, f File) error {
	switch {
	case f.Path == "":
		return ErrEmptyPath
	case len(f.Path) > m.lim.MaxPathLen:
		return ErrPathTooLong
	}
	if f.Media != nil && *f.Media == (wpn.Media{}) {
		f.Media = nil
	}
	fs := m.owners[o]
	for i := range fs {
		if fs[i].Path == f.Path {
			fs[i] = f
			return nil
		}
	}
	if len(fs) >= m.lim.MaxFilesPerOwner {
		return ErrOwnerFull
	}
	if m.total() >= m.lim.MaxFiles {
		return ErrIndexFull
	}
	m.owners[o] = append(fs, f)
	return nil
}

func (m *model) removeIf(o Owner, drop func(path string) bool) {
	m.owners[o] = slices.DeleteFunc(m.owners[o], func(f File) bool { return drop(f.Path) })
}

// pathWords is what a path is matched on, computed without the index's
// scanner state: Words of the path after any drive letter.
func pathWords(p string) []string {
	if len(p) >= 2 && p[1] == ':' && isASCIILetter(p[0]) {
		p = p[2:]
	}
	return Words(p)
}

func (m *model) search(q Query) []string {
	var want []string
	for _, t := range append([]string{q.Text}, q.Terms...) {
		want = append(want, Words(t)...)
	}
	if len(want) == 0 {
		return nil
	}
	var out []string
	for o, fs := range m.owners {
		if q.Owners != nil && !q.Owners(o) {
			continue
		}
		for _, f := range fs {
			have := pathWords(f.Path)
			ok := typeMatches(q.FileType, FileType(f.Path))
			for _, w := range want {
				ok = ok && slices.Contains(have, w)
			}
			if ok {
				out = append(out, fmt.Sprintf("%d:%s", o, f.Path))
			}
		}
	}
	slices.Sort(out)
	return out
}

func (m *model) hashSearch(sum [wpn.HashSize16]byte, flt Filter) []string {
	var out []string
	for o, fs := range m.owners {
		for _, f := range fs {
			if [wpn.HashSize16]byte(f.Hash[:16]) == sum && typeMatches(flt.FileType, FileType(f.Path)) && (flt.Owners == nil || flt.Owners(o)) {
				out = append(out, fmt.Sprintf("%d:%s", o, f.Path))
			}
		}
	}
	slices.Sort(out)
	return out
}

// Vocabularies the fuzzer picks from: path parts, folders, names and
// query words chosen to collide under folding.
var (
	fzParts   = []string{`C:`, `love`, `LOVE`, `Beyoncé`, `beyonce`, `x`, `song.mp3`, `clip.AVI`, `set-up.exe`, `a b`, ``, `Straße`, `strasse`, `d:x`}
	fzFolders = []string{`C:\m`, `C:\m\`, `C:\m\love`, `d`, ``}
	fzNames   = []string{`song.mp3`, `Love Song.MP3`, `clip.avi`, ``, `x`, `BEYONCE - love.ogg`, `very long name beyond forty bytes.mp3`}
	fzQueries = []string{`love`, `beyoncé`, `x`, `mp3`, `avi`, `a`, `c`, `zzz`, `set up`, `STRASSE`, `song`, `!!`}
)

type fzReader struct{ b []byte }

func (r *fzReader) byte() byte {
	if len(r.b) == 0 {
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *fzReader) pick(list []string) string { return list[int(r.byte())%len(list)] }

func (r *fzReader) path() string {
	n := 1 + int(r.byte())%4
	parts := make([]string, n)
	for i := range parts {
		parts[i] = r.pick(fzParts)
	}
	return strings.Join(parts, `\`)
}

func (r *fzReader) filter() Filter {
	f := Filter{FileType: r.byte() % 5}
	if c := r.byte(); c%2 == 1 {
		skip := Owner(c / 2 % 4)
		f.Owners = func(o Owner) bool { return o != skip }
	}
	return f
}

// FuzzIndex applies random adds, removes and searches to an Index and to
// the naive model and checks after every step that they agree: errors,
// counts, browse order, search and hash search results, and the
// internal invariants (check).
func FuzzIndex(f *testing.F) {
	f.Add([]byte{0, 1, 1, 2, 0, 5, 1, 0, 0, 0})
	f.Add([]byte{1, 2, 0, 3, 1, 2, 3, 5, 0, 0, 0, 4, 2, 5, 1, 0, 0})
	f.Add([]byte("\x00\x01\x05\x02\x01\x00\x03\x02\x01\x04\x01\x05\x06\x00\x00\x00\x00"))
	f.Add([]byte("\x01\x00\x00\x07\x00\x01\x02\x03\x04\x05\x06\x01\x01\x02\x07\x06\x05\x04\x03\x02\x01\x00\x04\x00\x05\x00\x00\x00"))
	f.Add([]byte(strings.Repeat("\x00\x01\x03\x01\x02\x01\x00\x02\x02\x05\x03\x01\x05\x02\x06\x01\x03", 8)))
	f.Fuzz(func(t *testing.T, data []byte) {
		lim := Limits{MaxFilesPerOwner: 6, MaxFiles: 15, MaxPathLen: 40}
		x := New(lim)
		m := &model{lim: lim, owners: map[Owner][]File{}}
		r := &fzReader{b: data}
		for step := 0; len(r.b) > 0 && step < 200; step++ {
			o := Owner(r.byte() % 4)
			switch op := r.byte() % 8; op {
			case 0, 1:
				f := File{Path: r.path(), Hash: hashOf(int(r.byte() % 4)), Size: uint32(step)}
				if c := r.byte(); c%2 == 1 {
					f.Media = &wpn.Media{Bitrate: uint16(c / 2 % 3)}
				}
				err := x.AddFile(o, &wpn.ShareFile{Path: f.Path, Hash: f.Hash, Size: f.Size, Media: f.Media})
				if want := m.add(o, f); err != want {
					t.Fatalf("step %d AddFile(%d, %q) = %v, model %v", step, o, f.Path, err, want)
				}
			case 2:
				p := &wpn.ShareFolder{Folder: r.pick(fzFolders)}
				for range r.byte() % 5 {
					p.Files = append(p.Files, wpn.SharedFile{Name: r.pick(fzNames), Hash: hashOf(int(r.byte() % 4)), Size: uint32(step)})
				}
				added, err := x.AddFolder(o, p)
				var want error
				wantAdded := 0
				for _, sf := range p.Files {
					var e error
					if sf.Name == "" {
						e = ErrEmptyPath
					} else {
						e = m.add(o, File{Path: trimSep(p.Folder) + `\` + sf.Name, Hash: sf.Hash, Size: sf.Size})
					}
					if e == nil {
						wantAdded++
						continue
					}
					want = cmpOr(want, e)
					if errors.Is(e, ErrOwnerFull) || errors.Is(e, ErrIndexFull) {
						break
					}
				}
				if added != wantAdded || err != want {
					t.Fatalf("step %d AddFolder(%d, %+v) = %d, %v; model %d, %v", step, o, p, added, err, wantAdded, want)
				}
			case 3:
				var p string
				if fs := m.owners[o]; len(fs) > 0 && r.byte()%4 != 0 {
					p = fs[int(r.byte())%len(fs)].Path
				} else {
					p = r.path()
				}
				x.RemoveFile(o, p)
				m.removeIf(o, func(q string) bool { return q == p })
			case 4:
				folder := r.pick(fzFolders)
				x.RemoveFolder(o, folder)
				prefix := trimSep(folder) + `\`
				m.removeIf(o, func(q string) bool {
					rest, ok := strings.CutPrefix(q, prefix)
					return ok && !strings.Contains(rest, `\`)
				})
			case 5:
				x.RemoveOwner(o)
				delete(m.owners, o)
			case 6:
				q := Query{Text: r.pick(fzQueries), Filter: r.filter()}
				for range r.byte() % 3 {
					q.Terms = append(q.Terms, r.pick(fzQueries))
				}
				want := m.search(q)
				if got := hits(x, q); !slices.Equal(got, want) {
					t.Fatalf("step %d Search(%q %q type %d) = %q, model %q", step, q.Text, q.Terms, q.FileType, got, want)
				}
				if q.Limit = int(r.byte() % 4); q.Limit > 0 {
					got := hits(x, q)
					if len(got) != min(q.Limit, len(want)) || len(slices.Compact(slices.Clone(got))) != len(got) {
						t.Fatalf("step %d limit %d: %q of %q", step, q.Limit, got, want)
					}
					for _, h := range got {
						if !slices.Contains(want, h) {
							t.Fatalf("step %d limit %d: hit %q not in %q", step, q.Limit, h, want)
						}
					}
				}
			case 7:
				sum, flt := sumOf(int(r.byte()%5)), r.filter()
				if got, want := hashHits(x, int(sum[0]), flt), m.hashSearch(sum, flt); !slices.Equal(got, want) {
					t.Fatalf("step %d HashSearch(%x) = %q, model %q", step, sum, got, want)
				}
			}
			checkAgainst(t, step, x, m)
		}
	})
}

func cmpOr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

func checkAgainst(t *testing.T, step int, x *Index, m *model) {
	t.Helper()
	if got, want := x.Total(), m.total(); got != want {
		t.Fatalf("step %d: Total %d, model %d", step, got, want)
	}
	for o := range Owner(4) {
		var got []File
		x.Browse(o, func(f *File) bool { got = append(got, *f); return true })
		want := m.owners[o]
		if x.Count(o) != len(want) || len(got) != len(want) {
			t.Fatalf("step %d owner %d: Count %d, browse %d, model %d", step, o, x.Count(o), len(got), len(want))
		}
		for i := range got {
			g, w := got[i], want[i]
			if g.Path != w.Path || g.Hash != w.Hash || g.Size != w.Size || (g.Media == nil) != (w.Media == nil) || g.Media != nil && *g.Media != *w.Media {
				t.Fatalf("step %d owner %d file %d: %+v, model %+v", step, o, i, g, w)
			}
		}
	}
	if err := x.check(); err != nil {
		t.Fatalf("step %d: %v", step, err)
	}
}
