package slskserver_test

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/revival-net/revival/slsk"
)

// capFrame is one frame of the server connection: the whole frame with its
// length prefix. raw is shorter than size when the capture cut the frame.
type capFrame struct {
	name string
	code slsk.ServerCode
	raw  []byte
	size int
}

func newFrame(raw []byte) capFrame {
	f := capFrame{raw: raw, size: len(raw)}
	if len(raw) >= 8 {
		f.code = slsk.ServerCode(binary.LittleEndian.Uint32(raw[4:]))
		f.name = f.code.String()
	}
	return f
}

func frameOf(m slsk.ServerMessage) capFrame { return newFrame(slsk.AppendServerFrame(nil, m)) }

func (f capFrame) cut() bool { return len(f.raw) < f.size }

// same compares a Soulfind frame with ours: byte for byte, or for a frame
// the capture cut, by its length and the bytes that were captured.
func same(want, got capFrame) bool {
	if want.cut() {
		return got.size == want.size && bytes.HasPrefix(got.raw, want.raw)
	}
	return bytes.Equal(want.raw, got.raw)
}

func framesMatch(want, got []capFrame) bool {
	if len(want) != len(got) {
		return false
	}
	for i := range want {
		if !same(want[i], got[i]) {
			return false
		}
	}
	return true
}

// capture is one decoded capture file: per client (by login name), the
// frames it sent to the server and the frames Soulfind sent it.
type capture struct {
	sent map[string][]capFrame
	got  map[string][]capFrame
}

var (
	sectionRE = regexp.MustCompile(`^=== (\d+) -> (\d+) \((\d+) bytes\) (\w+)$`)
	frameRE   = regexp.MustCompile(`^\[(\S+) code=(\d+) len=(\d+)\] ([0-9a-f .]+)$`)
)

// loadCapture parses a capture file and checks it against itself: every
// frame's length prefix and code match its annotation, and the frames of
// a section add up to the section's byte count.
func loadCapture(t *testing.T, path string) *capture {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	type section struct {
		src, dst string
		bytes    int
		frames   []capFrame
	}
	var secs []*section
	var cur *section
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for ln := 1; sc.Scan(); ln++ {
		line := strings.TrimSpace(sc.Text())
		if m := sectionRE.FindStringSubmatch(line); m != nil {
			cur = nil
			if m[4] == "server" {
				n, _ := strconv.Atoi(m[3])
				cur = &section{src: m[1], dst: m[2], bytes: n}
				secs = append(secs, cur)
			}
			continue
		}
		if cur == nil || line == "" {
			continue
		}
		m := frameRE.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("%s:%d: not a frame line: %q", path, ln, line)
		}
		code, _ := strconv.Atoi(m[2])
		length, _ := strconv.Atoi(m[3])
		hexs := strings.Fields(m[4])
		cut := len(hexs) > 0 && hexs[len(hexs)-1] == "..."
		if cut {
			hexs = hexs[:len(hexs)-1]
		}
		raw, err := hex.DecodeString(strings.Join(hexs, ""))
		if err != nil || len(raw) < 8 {
			t.Fatalf("%s:%d: bad frame bytes: %v", path, ln, err)
		}
		f := capFrame{name: m[1], code: slsk.ServerCode(code), raw: raw, size: length + 4}
		if int(binary.LittleEndian.Uint32(raw)) != length || binary.LittleEndian.Uint32(raw[4:]) != uint32(code) ||
			cut != (len(raw) < f.size) || len(raw) > f.size {
			t.Fatalf("%s:%d: frame bytes do not match %q", path, ln, m[1])
		}
		cur.frames = append(cur.frames, f)
	}
	// The server's port is the one every server section has.
	seen := map[string]int{}
	for _, s := range secs {
		seen[s.src]++
		seen[s.dst]++
	}
	var servers []string
	for port, n := range seen {
		if n == len(secs) {
			servers = append(servers, port)
		}
	}
	if len(servers) != 1 {
		t.Fatalf("%s: cannot tell the server's port from %d server sections", path, len(secs))
	}
	server := servers[0]
	c := &capture{sent: map[string][]capFrame{}, got: map[string][]capFrame{}}
	names := map[string]string{} // client port -> login name
	for _, s := range secs {
		total := 0
		for _, f := range s.frames {
			total += f.size
		}
		if total != s.bytes {
			t.Fatalf("%s: section %s -> %s has %d bytes of frames, header says %d", path, s.src, s.dst, total, s.bytes)
		}
		if s.dst != server {
			continue
		}
		if len(s.frames) == 0 {
			t.Fatalf("%s: client %s sent nothing", path, s.src)
		}
		m, err := slsk.DecodeServerRequest(s.frames[0].raw[4:])
		login, ok := m.(*slsk.Login)
		if err != nil || !ok {
			t.Fatalf("%s: client %s does not start with a Login: %v", path, s.src, err)
		}
		names[s.src] = login.Username
		c.sent[login.Username] = s.frames
	}
	for _, s := range secs {
		if s.src == server {
			name, ok := names[s.dst]
			if !ok {
				t.Fatalf("%s: server section to port %s, which never logged in", path, s.dst)
			}
			c.got[name] = s.frames
		}
	}
	if len(c.sent) == 0 || len(c.got) != len(c.sent) {
		t.Fatalf("%s: found %d client and %d server sections", path, len(c.sent), len(c.got))
	}
	return c
}
