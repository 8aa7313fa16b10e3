package wire

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// DecodeText turns wire bytes into a Go string: valid UTF-8 is kept as is,
// anything else is read as Windows-1252 (a superset of Latin-1 for the
// printable range), which is what legacy clients of all three networks send.
func DecodeText(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	var sb strings.Builder
	sb.Grow(len(b) + len(b)/2)
	for _, c := range b {
		sb.WriteRune(charmap.Windows1252.DecodeByte(c))
	}
	return sb.String()
}

// EncodeLegacy encodes s as Windows-1252 for peers that cannot read UTF-8
// (WinMX, early MSN clients); runes outside the code page become '?'.
func EncodeLegacy(s string) []byte {
	out := make([]byte, 0, len(s))
	for _, r := range s {
		if c, ok := charmap.Windows1252.EncodeRune(r); ok {
			out = append(out, c)
		} else {
			out = append(out, '?')
		}
	}
	return out
}

func toValidUTF8(s string) string { return strings.ToValidUTF8(s, "\uFFFD") }
