package wpnchat

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"unicode/utf8"
)

// Wire lengths: every rune of a decoded WinMX string is one CP-1252 byte
// (wpn.DecodeText), so counting runes counts wire bytes.
func wireLen(s string) int { return utf8.RuneCountInString(s) }

// colourByte starts a colour code in chat text: 0x03 and a palette index
// (wpn.md §6.2).
const colourByte = 0x03

// cleanText makes user text safe to relay (wpn.md §6.2): control
// characters other than the colour byte become spaces, so nobody can fake
// a line break and a second speaker, and "{\rtf" loses its brace, since
// WinMX renders chat in a rich-edit control that would otherwise parse
// injected RTF.
func cleanText(s string) string {
	if !needsCleaning(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	colour := false
	for _, r := range s {
		switch {
		case colour:
			colour = false // the palette index after 0x03 is any byte
		case r == colourByte:
			colour = true
		case r < 0x20 || r == 0x7F:
			r = ' '
		}
		b.WriteRune(r)
	}
	return defuseRTF(b.String())
}

func needsCleaning(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 0x20 && c != colourByte) || c == 0x7F || c == '{' {
			return true
		}
	}
	return false
}

// defuseRTF replaces the brace of every "{\rtf" (any case) with "(".
func defuseRTF(s string) string {
	const marker = `{\rtf`
	if !strings.Contains(s, "{") {
		return s
	}
	var b strings.Builder
	for {
		i := indexFold(s, marker)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		b.WriteByte('(')
		s = s[i+1:]
	}
}

// indexFold is strings.Index ignoring ASCII case.
func indexFold(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}

// colourPalette are the indexes "#cN#" may name (nuggit's palette,
// wpn.md §6.2).
func colourPalette(n int) bool { return 1 <= n && n <= 9 || 51 <= n && n <= 75 || n == 253 }

// expandColours turns the "#cN#" codes operators type into the 0x03
// colour bytes of pre-formatted 0x00D2 lines (wpn.md §6.2); codes outside
// the palette stay as typed.
func expandColours(s string) string {
	if !strings.Contains(s, "#c") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "#c")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		rest := s[i+2:]
		j := strings.IndexByte(rest, '#')
		n, ok := 0, j > 0 && j <= 3
		for k := 0; ok && k < j; k++ {
			c := rest[k]
			ok = '0' <= c && c <= '9'
			n = n*10 + int(c-'0')
		}
		if ok && colourPalette(n) {
			b.WriteByte(colourByte)
			b.WriteRune(rune(n)) // one CP-1252 byte on the wire
			s = rest[j+1:]
			continue
		}
		b.WriteString("#c")
		s = rest
	}
}

// hasColours reports whether s has "#cN#" codes to expand.
func hasColours(s string) bool { return expandColours(s) != s }

// Errors of name validation, shown to the user.
var (
	errNameEmpty   = errors.New("your name is empty")
	errNameLong    = fmt.Errorf("your name is longer than %d characters", MaxNameLen)
	errNameControl = errors.New("your name has control characters")
	errNameRTF     = errors.New(`your name has "{\rtf" in it`)
)

// checkName validates a chat user name: 1 to 48 characters without
// control characters (wpn.md §1.4; nuggit). The WinMX "base###_NNNNN"
// pattern is not required, since third-party clients choose freely.
func checkName(name string) error {
	switch {
	case name == "":
		return errNameEmpty
	case wireLen(name) > MaxNameLen:
		return errNameLong
	case indexFold(name, `{\rtf`) >= 0:
		return errNameRTF
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7F {
			return errNameControl
		}
	}
	return nil
}

// nameBase strips the "_NNNNN" suffix a primary appends to every WinMX
// name (wpn.md §1.4): "Gumdrop609_21270" → "Gumdrop609". Names without
// it are their own base.
func nameBase(name string) string {
	i := len(name) - 6
	if i <= 0 || name[i] != '_' {
		return name
	}
	for _, c := range []byte(name[i+1:]) {
		if c < '0' || c > '9' {
			return name
		}
	}
	return name[:i]
}

// fold folds ASCII letters, as the store compares room and account names.
func fold(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'A' <= c && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; 'A' <= c && c <= 'Z' {
					b[j] = c + 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// checkRoomBase validates a room's base name (wpn.md §1.4: at most 40
// characters, RoboServ): no control characters, no "_" that would make
// the name look like it carries an address, nothing that is only spaces.
func checkRoomBase(name string) error {
	switch {
	case strings.TrimSpace(name) == "":
		return errors.New("the room name is empty")
	case wireLen(name) > MaxRoomBase:
		return fmt.Errorf("the room name is longer than %d characters", MaxRoomBase)
	case indexFold(name, `{\rtf`) >= 0:
		return errors.New(`the room name has "{\rtf" in it`)
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7F {
			return errors.New("the room name has control characters")
		}
		if r >= 0x100 && !cp1252(r) {
			return fmt.Errorf("the room name has %q, which WinMX cannot show", r)
		}
	}
	return nil
}

// cp1252 reports whether r has a Windows-1252 byte (the runes above 0xFF
// that the code page maps 0x80–0x9F to).
func cp1252(r rune) bool {
	return strings.ContainsRune("€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ", r)
}

// banEntry is one room ban: a folded name base, and the address of the
// member it was taken from (zero for a ban of a name only). Stored as
// "name" or "name@ip" (store.WPNRoom.Bans).
type banEntry struct {
	name string
	ip   netip.Addr
}

func (b banEntry) String() string {
	if b.ip.IsValid() {
		return b.name + "@" + b.ip.String()
	}
	return b.name
}

// parseBan reads a stored ban entry. Chat names may hold "@" themselves,
// so the address is what follows the last "@", and only if it parses.
func parseBan(s string) banEntry {
	if i := strings.LastIndexByte(s, '@'); i >= 0 {
		if ip, err := netip.ParseAddr(s[i+1:]); err == nil {
			return banEntry{name: fold(s[:i]), ip: ip.Unmap()}
		}
	}
	return banEntry{name: fold(s)}
}
