package wpn

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// WinMX strings are 8-bit Windows-1252 on the wire, and user names, room
// names and handles are identifiers that are echoed back byte for byte
// (names carry colour codes and raw high-ASCII, wpn.md §3.9). So the
// mapping must round-trip all 256 byte values: the five bytes
// Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) map to the
// C1 controls of the same value, as the WHATWG encoding standard does,
// instead of to U+FFFD.
var cp1252Decode = func() (t [256]rune) {
	for i := range t {
		r := charmap.Windows1252.DecodeByte(byte(i))
		if r == utf8.RuneError {
			r = rune(i)
		}
		t[i] = r
	}
	return t
}()

var cp1252Encode = func() map[rune]byte {
	m := make(map[rune]byte, 128)
	for i := 0x80; i < 256; i++ {
		m[cp1252Decode[i]] = byte(i)
	}
	return m
}()

// DecodeText turns WinMX wire bytes into a Go (UTF-8) string.
func DecodeText(b []byte) string {
	ascii := true
	for _, c := range b {
		if c >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return string(b)
	}
	var sb strings.Builder
	sb.Grow(len(b) + len(b)/2)
	for _, c := range b {
		sb.WriteRune(cp1252Decode[c])
	}
	return sb.String()
}

// AppendText appends s as Windows-1252. Runes outside the code page become
// '?', and NUL bytes (which would end a WinMX string early) become spaces.
func AppendText(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return appendTextSlow(b, s)
		}
	}
	start := len(b)
	b = append(b, s...)
	for i := start; i < len(b); i++ {
		if b[i] == 0 {
			b[i] = ' '
		}
	}
	return b
}

func appendTextSlow(b []byte, s string) []byte {
	for _, r := range s {
		switch {
		case r == 0:
			b = append(b, ' ')
		case r < 0x80:
			b = append(b, byte(r))
		default:
			if c, ok := cp1252Encode[r]; ok {
				b = append(b, c)
			} else {
				b = append(b, '?')
			}
		}
	}
	return b
}
