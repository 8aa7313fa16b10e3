package wpnchat

import (
	"encoding/binary"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/revival-net/revival/wpn"
)

// FuzzParseCommand: any typed line parses without panicking; a command's
// name is lower case without spaces and its argument is trimmed.
func FuzzParseCommand(f *testing.F) {
	for _, s := range []string{"/kick bob", "/ME  waves ", "//x", "/", "/ x", "hello", "/topic #c4#red {\\rtf", "/ban 10.0.0.1 r", "/\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		cmd, ok := parseCommand(s)
		if !ok {
			return
		}
		if strings.ContainsRune(cmd.name, ' ') || cmd.name != strings.ToLower(cmd.name) || cmd.arg != strings.TrimSpace(cmd.arg) {
			t.Fatalf("parseCommand(%q) = %+v", s, cmd)
		}
		w, rest := firstWord(cmd.arg)
		if strings.ContainsRune(w, ' ') || rest != strings.TrimSpace(rest) {
			t.Fatalf("firstWord(%q) = %q, %q", cmd.arg, w, rest)
		}
	})
}

// FuzzCleanText: relayed text holds no control character except a colour
// byte and its index, and no "{\rtf" in any case.
func FuzzCleanText(f *testing.F) {
	for _, s := range []string{"plain", "a\r\nb", "{\\rtf1", "{{\\RtF", "\x03\x05red", "\x03", "#c4#x#c999#"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return // wire text is always decoded from CP-1252
		}
		out := cleanText(s)
		if indexFold(out, `{\rtf`) >= 0 {
			t.Fatalf("cleanText(%q) = %q keeps RTF", s, out)
		}
		rs := []rune(out)
		for i := 0; i < len(rs); i++ {
			if rs[i] == colourByte {
				i++
				continue
			}
			if rs[i] < 0x20 || rs[i] == 0x7F {
				t.Fatalf("cleanText(%q) = %q has control 0x%02X", s, out, rs[i])
			}
		}
		_ = expandColours(out)
		_ = motdLines(out)
		b := parseBan(s)
		if again := parseBan(b.String()); again != b {
			t.Fatalf("ban %q: %+v re-reads as %+v", s, b, again)
		}
		_ = checkName(s)
		_ = checkRoomBase(s)
		_ = nameBase(s)
	})
}

// FuzzSession joins a room and sends the input as client frames
// ([type u16][len u16] headers are taken from it, lengths capped by what
// is left). Whatever it sends, the host neither panics nor stops serving.
func FuzzSession(f *testing.F) {
	for _, seed := range [][]byte{
		frame(wpn.ChatText, []byte("hi\x00")),
		frame(wpn.ChatText, []byte("/kick x\x00")),
		frame(wpn.ChatRename, []byte{1, 2, 3}),
		frame(wpn.ChatAction, []byte("x")),
		frame(0xFDE8, nil),
		frame(0x00AA, nil),
		append(frame(wpn.ChatText, []byte("/login\x00")), frame(wpn.ChatText, []byte("/password x\x00"))...),
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		e := newEnv(t, Limits{}, lounge)
		c := e.dialRaw()
		c.send(joinReq(e.room("Lounge"), "fuzz_00001"))
		c.untilJoined("fuzz_00001")
		for len(in) >= 4 {
			typ := binary.LittleEndian.Uint16(in)
			n := min(int(binary.LittleEndian.Uint16(in[2:])), len(in)-4)
			_ = c.s.SendFrame(typ, in[4:4+n])
			in = in[4+n:]
		}
		_ = c.s.SendFrame(uint16(wpn.ChatPing), nil)
		c.s.Close()
		// Another client still gets in and is answered.
		d := e.dialRaw()
		d.send(joinReq(e.room("Lounge"), "probe_00002"))
		d.untilJoined("probe_00002")
		d.roundTrip()
		d.s.Close()
		if p := e.panics.Load(); p != 0 {
			t.Fatalf("%v handler panics", p)
		}
	})
}

func frame(t wpn.Type, payload []byte) []byte { return wpn.AppendFrame(nil, uint16(t), payload) }
