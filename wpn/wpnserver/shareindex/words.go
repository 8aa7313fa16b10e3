package shareindex

import (
	"unicode"
	"unicode/utf8"
)

// Limits on words, so that one long path or query cannot make an entry or a
// search arbitrarily expensive.
const (
	// maxTermLen caps a folded word in bytes; longer words are cut (at a
	// rune boundary) the same way in paths and queries, so they still match.
	maxTermLen = 64
	// maxFileTerms caps the distinct words indexed per file; words beyond
	// it are not searchable. Real paths have about ten.
	maxFileTerms = 64
	// maxQueryTerms caps the distinct words of a query; further words are
	// ignored.
	maxQueryTerms = 16
)

// foldTable folds the letters of Windows-1252 (the WinMX text encoding,
// wpn.md §3.3 "Str") that carry diacritics or are ligatures to plain
// lower-case ASCII, so "Beyoncé", "BEYONCÉ" and "beyonce" are one word.
// Letters outside it are lower-cased with unicode.ToLower.
var foldTable = func() map[rune]string {
	m := make(map[rune]string)
	for to, from := range map[string]string{
		"a":  "ÀÁÂÃÄÅàáâãäåª",
		"ae": "Ææ",
		"c":  "Çç",
		"d":  "Ðð",
		"e":  "ÈÉÊËèéêë",
		"f":  "ƒ",
		"i":  "ÌÍÎÏìíîï",
		"n":  "Ññ",
		"o":  "ÒÓÔÕÖØòóôõöøº",
		"oe": "Œœ",
		"s":  "Šš",
		"ss": "ß",
		"th": "Þþ",
		"u":  "ÙÚÛÜùúûü",
		"y":  "ÝýÿŸ",
		"z":  "Žž",
	} {
		for _, r := range from {
			m[r] = to
		}
	}
	return m
}()

// words splits text into folded search words: maximal runs of letters and
// digits (Unicode categories L and N); everything else (spaces,
// punctuation, '\', '.', '_', '-') separates. Words are folded by
// foldTable, or unicode.ToLower for other letters. The scanner reuses one
// buffer, so a word is valid only until the next call to next.
type words struct {
	s   string
	i   int
	buf []byte
}

func (w *words) reset(s string) { w.s, w.i = s, 0 }

// skipDrive skips a leading "C:" so the drive letter is not a word of every
// path.
func (w *words) skipDrive() {
	if len(w.s) >= 2 && w.s[1] == ':' && isASCIILetter(w.s[0]) {
		w.i = 2
	}
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// next returns the next folded word, or nil at the end.
func (w *words) next() []byte {
	b := w.buf[:0]
	for w.i < len(w.s) {
		c := w.s[w.i]
		if c < utf8.RuneSelf {
			w.i++
			switch {
			case c >= 'A' && c <= 'Z':
				b = append(b, c+('a'-'A'))
			case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
				b = append(b, c)
			default:
				if len(b) > 0 {
					return w.done(b)
				}
			}
			continue
		}
		r, n := utf8.DecodeRuneInString(w.s[w.i:])
		w.i += n
		if f, ok := foldTable[r]; ok {
			b = append(b, f...)
		} else if unicode.IsLetter(r) || unicode.IsNumber(r) {
			b = utf8.AppendRune(b, unicode.ToLower(r))
		} else if len(b) > 0 {
			return w.done(b)
		}
	}
	if len(b) > 0 {
		return w.done(b)
	}
	w.buf = b
	return nil
}

// done keeps the buffer for reuse and cuts the word to maxTermLen.
func (w *words) done(b []byte) []byte {
	w.buf = b
	if len(b) > maxTermLen {
		n := maxTermLen
		for n > 0 && !utf8.RuneStart(b[n]) {
			n--
		}
		b = b[:n]
	}
	return b
}

// Words returns the folded search words of text, in order, duplicates
// included: what a query or a shared path is matched on (see the package
// documentation).
func Words(text string) []string {
	var w words
	w.reset(text)
	var out []string
	for b := w.next(); b != nil; b = w.next() {
		out = append(out, string(b))
	}
	return out
}
