// Package logx holds logging helpers shared by every network's server.
//
// Peer-controlled text (user names, room names, chat) must never reach a
// log or a reply in full: a 64 KB name logged on every refused login turns
// one hostile address into a disk-filling log stream, and raw escape bytes
// in a log line can rewrite an operator's terminal. Peer shortens and
// escapes such text.
package logx

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// PeerMax is how many bytes of peer-controlled text Peer keeps.
const PeerMax = 64

// Peer returns s cut to at most PeerMax bytes of input (on a rune boundary)
// with control characters and invalid UTF-8 escaped as Go escapes, and a
// "…(+N bytes)" suffix when something was cut. Safe to log and to echo.
func Peer(s string) string {
	return Trunc(s, PeerMax)
}

// Trunc is Peer with a chosen byte budget (max > 0).
func Trunc(s string, max int) string {
	cut := len(s)
	if cut > max {
		cut = max
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
	}
	head := s[:cut]
	var b strings.Builder
	for i := 0; i < len(head); {
		r, size := utf8.DecodeRuneInString(head[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			b.WriteString(`\x`)
			b.WriteString(strconv.FormatUint(uint64(head[i])|0x100, 16)[1:])
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\\':
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(head[i : i+size])
		}
		i += size
	}
	if cut < len(s) {
		b.WriteString("…(+")
		b.WriteString(strconv.Itoa(len(s) - cut))
		b.WriteString(" bytes)")
	}
	return b.String()
}
