package wpnchat

import (
	"bytes"
	"crypto/rand"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/revival-net/revival/internal/netlimit"
	"github.com/revival-net/revival/wpn"
)

// Text and commands over their rates are dropped with a notice; past
// FloodStrikes the member is disconnected, and the others saw only what
// the rate let through.
func TestFloodLimits(t *testing.T) {
	e := newEnv(t, Limits{TextRate: netlimit.Rate{PerSecond: 1e-6, Burst: 2}, FloodStrikes: 3}, lounge)
	room := e.room("Lounge")
	bob := e.join353(room, "bob_00002", lounge.Topic)
	bob.untilJoined("bob_00002")
	flooder := e.join353(room, "flood_00001", lounge.Topic)
	flooder.untilJoined("flood_00001")
	bob.untilJoined("flood_00001")
	for i := 0; i < 20; i++ {
		_ = flooder.s.Send(&wpn.ChatSay{Text: "spam"}) // fails once the host closed
	}
	n := flooder.expectClosed()
	if len(n) == 0 || !contains(n[len(n)-1], "flooding") {
		t.Errorf("flooder notices %q", n)
	}
	said := 0
	for {
		p := bob.next()
		if _, ok := p.(*wpn.ChatSaid); ok {
			said++
			continue
		}
		if _, ok := p.(*wpn.ChatLeft); ok {
			break
		}
	}
	if said != 2 {
		t.Errorf("bob saw %d lines, want the burst of 2", said)
	}
}

// Bad input ends the connection without harm to the room: poison
// packets, malformed fields, garbage after the key exchange, frames
// larger than MaxFrame; the host keeps serving.
func TestBadInput(t *testing.T) {
	e := newEnv(t, Limits{MaxFrame: 256, MaxLine: 100, FloodStrikes: 2}, lounge)
	room := e.room("Lounge")
	watcher := e.join353(room, "watch_00001", lounge.Topic)
	watcher.untilJoined("watch_00001")

	cases := map[string]func(c *raw){
		"poison 0x00AA": func(c *raw) { c.sendFrame(0x00AA, nil) },
		"poison 0x00CC": func(c *raw) { c.sendFrame(0x00CC, []byte{1, 2, 3}) },
		"truncated rename": func(c *raw) {
			c.sendFrame(wpn.ChatRename, []byte{8})
		},
		"oversized frames": func(c *raw) {
			for i := 0; i < 5; i++ {
				_ = c.s.SendFrame(uint16(wpn.ChatText), bytes.Repeat([]byte{'a'}, 300)) // fails once closed
			}
		},
		"garbage bytes": func(c *raw) {
			junk := make([]byte, 4096)
			_, _ = rand.Read(junk)
			_, _ = c.s.Write(junk)
			// Decrypted junk may announce a frame longer than what
			// follows; the host would wait FrameTimeout for the rest.
			// Closing our side ends that wait at once.
			_ = c.s.Conn.(*net.TCPConn).CloseWrite()
		},
	}
	for name, bad := range cases {
		c := e.join353(room, "bad_00002", lounge.Topic)
		c.untilJoined("bad_00002")
		watcher.expect(&wpn.ChatUserInfo{ChatUser: user("bad_00002", 0)})
		t.Log(name)
		bad(c)
		c.expectClosed()
		if p := watcher.next(); !isLeave(p, "bad_00002") {
			t.Fatalf("%s: watcher got %#v, want bad_00002 leaving", name, p)
		}
	}
	// Over-long text inside the frame limit: refused, the sender stays.
	c := e.join353(room, "long_00003", lounge.Topic)
	c.untilJoined("long_00003")
	watcher.untilJoined("long_00003")
	c.send(&wpn.ChatSay{Text: strings.Repeat("x", 200)})
	c.roundTrip()
	c.send(&wpn.ChatSay{Text: "short"})
	watcher.expect(&wpn.ChatSaid{Name: "long_00003", Text: "short", Rank: rank(0)})

	// A malformed join (no terminator, lying fields) and a half frame.
	for _, payload := range [][]byte{{}, []byte("Lounge"), append([]byte("Lounge\x00"), 1, 2, 3)} {
		r := e.dialRaw()
		r.sendFrame(wpn.ChatJoin, payload)
		r.expectClosed()
	}
	nc, err := net.Dial("tcp", e.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	_, _ = nc.Write([]byte("not a key block!")) // 16 bytes: read as a key block, refused
	_ = nc.SetReadDeadline(time.Now().Add(readDeadline))
	buf := make([]byte, 64)
	for {
		if _, err := nc.Read(buf); err != nil {
			break
		}
	}
	// Still serving.
	watcher.send(&wpn.ChatSay{Text: "still here"})
	watcher.expect(&wpn.ChatSaid{Name: "watch_00001", Text: "still here", Rank: rank(0)})
}

func isLeave(p wpn.Packet, name string) bool {
	l, ok := p.(*wpn.ChatLeft)
	return ok && l.Name == name
}

// Text is relayed with control characters and RTF defused (wpn.md §6.2).
func TestTextIsCleaned(t *testing.T) {
	e := newEnv(t, Limits{}, lounge)
	c := e.join353(e.room("Lounge"), "x_00001", lounge.Topic)
	c.untilJoined("x_00001")
	c.send(&wpn.ChatSay{Text: "a\r\nfake_00002: hi {\\RTF1 \x03\x05red"})
	c.expect(&wpn.ChatSaid{Name: "x_00001", Text: "a  fake_00002: hi (\\RTF1 \x03\x05red", Rank: rank(0)})
}

// Shutdown tells members and ends every session.
func TestShutdown(t *testing.T) {
	e := newEnv(t, Limits{}, lounge)
	c := e.join353(e.room("Lounge"), "x_00001", lounge.Topic)
	c.untilJoined("x_00001")
	if err := e.host.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if n := c.expectClosed(); len(n) != 1 || !contains(n[0], "shutting down") {
		t.Errorf("notices %q", n)
	}
	if e.host.members() != 0 {
		t.Error("sessions left after Shutdown")
	}
}
