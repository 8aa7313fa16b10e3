package wpnmesh

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/revival-net/revival/wpn"
	"github.com/revival-net/revival/wpn/wpnconn"
	"github.com/revival-net/revival/wpn/wpntest"
)

var msgOpts = cmp.Options{cmp.AllowUnexported(message{}), cmpopts.EquateComparable(netip.Addr{}), cmpopts.EquateEmpty()}

func sampleMessages() []*message {
	target := wpn.Target{Handle: "WinMX 0100007f1b5b", Name: "carol123_00001"}
	return []*message{
		{kind: kindAnnounce, version: version, node: wpn.NodeEntry{IP: loopback, UDPPort: 6257, TCPPort: 6699, FreePrimary: 3, FreeSecondary: 200}, seq: 42},
		{kind: kindGone, handle: wpn.Handle{IP: loopback, UDPPort: 7003}, seq: 7},
		{kind: kindForward, handle: wpn.Handle{IP: loopback, UDPPort: 7003}, name: "alice123_00002", addr: loopback, port: 6699,
			packet: &wpn.PrivateMessage{Target: target, Text: "hi é"}},
		{kind: kindReply, packet: &wpn.PMStatus{Target: target, Status: wpn.PMSent}},
		{kind: kindSearch, packet: &wpn.Search{SearchID: 1, Query: "beatles help"}},
		{kind: kindHit, packet: &wpn.SearchHit{PrimaryIP: loopback, PrimaryUDPPort: 7003, Path: `C:\a.mp3`, PingIP: loopback, UserName: "carol123_00001"}},
		{kind: kindCancel},
		{kind: kindRoomQuery},
		{kind: kindRooms, handle: wpn.Handle{IP: loopback, UDPPort: 7003}, rooms: []wpn.RoomListEntry{{Users: 3, Limit: 40, Name: "Revival_0100007F1B5B", Topic: "on C"}}},
	}
}

// Every kind survives encoding, and the 17-byte header is the one
// RoboServ parses (wpn.md §4.2): length at bytes 15–16.
func TestFrameRoundTrip(t *testing.T) {
	h := header{origin: wpn.Handle{IP: loopback, UDPPort: 6257}, tcpPort: 6699, qid: 0xDEADBEEF, ttl: 6, hops: 2}
	var stream []byte
	for _, m := range sampleMessages() {
		f, err := encode(h, m)
		if err != nil {
			t.Fatal(err)
		}
		ph, err := wpn.ParsePrimaryHeader(f)
		if err != nil || int(ph.Length) != len(f)-wpn.PrimaryHeaderSize || ph.QueryID != h.qid || ph.Extra != [3]byte{6, 2, version} {
			t.Fatalf("kind %c: header %+v %v", m.kind, ph, err)
		}
		stream = append(stream, f...)
	}
	fr := &frameReader{r: bytes.NewReader(stream)}
	for _, want := range sampleMessages() {
		gh, body, err := fr.next()
		if err != nil {
			t.Fatal(err)
		}
		if gh != h {
			t.Fatalf("header %+v, want %+v", gh, h)
		}
		got, err := decodeBody(body)
		if err != nil {
			t.Fatalf("kind %c: %v", want.kind, err)
		}
		if diff := cmp.Diff(want, got, msgOpts); diff != "" {
			t.Fatalf("kind %c (-want +got):\n%s", want.kind, diff)
		}
	}
	if _, _, err := fr.next(); err != io.EOF {
		t.Fatalf("end: %v", err)
	}
}

// A peer may not hand a secondary packets no primary answers with, nor
// forward packets that are not requests.
func TestDecodeRefusesWrongPackets(t *testing.T) {
	for name, m := range map[string]*message{
		"login ack as reply":   {kind: kindReply, packet: &wpn.LoginAck{ClientID: 1}},
		"incoming PM as reply": {kind: kindReply, packet: &wpn.IncomingPM{}},
		"hit as search":        {kind: kindSearch, packet: &wpn.SearchHit{}},
		"status as forward":    {kind: kindForward, packet: &wpn.Status{Status: "x"}},
	} {
		if _, err := decodeBody(appendBody(nil, m)); !errors.Is(err, errMalformed) {
			t.Errorf("%s: %v", name, err)
		}
	}
	for name, body := range map[string][]byte{
		"empty":            nil,
		"short announce":   {kindAnnounce, 1, 2},
		"lying room count": {kindRooms, 127, 0, 0, 1, 0x1B, 0x5B, 0xFF, 0xFF},
		"trailing bytes":   append(appendBody(nil, &message{kind: kindGone}), 0),
	} {
		if _, err := decodeBody(body); !errors.Is(err, errMalformed) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func FuzzDecodeFrames(f *testing.F) {
	h := header{origin: wpn.Handle{IP: loopback, UDPPort: 6257}, qid: 9, ttl: 3}
	for _, m := range sampleMessages() {
		b, _ := encode(h, m)
		f.Add(b)
	}
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 'F'})
	f.Fuzz(func(t *testing.T, b []byte) {
		fr := &frameReader{r: bytes.NewReader(b)}
		for {
			_, body, err := fr.next()
			if err != nil {
				return
			}
			m, err := decodeBody(body)
			if err != nil {
				continue
			}
			// What decodes re-encodes to something that decodes the same.
			again, err := decodeBody(appendBody(nil, m))
			if err != nil {
				t.Fatalf("re-encoded %+v: %v", m, err)
			}
			if diff := cmp.Diff(m, again, msgOpts); diff != "" {
				t.Fatalf("round trip (-first +second):\n%s", diff)
			}
		}
	})
}

// dialLink opens a primary link to n as a raw initiator and reads n's
// hello announcement.
func dialLink(t *testing.T, n *node) (*wpnconn.Session, *frameReader) {
	t.Helper()
	s, err := wpnconn.Dial(context.Background(), n.h.Addr, wpn.KeyPrimaryClient)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	fr := &frameReader{r: s.Stream()}
	_, body, err := fr.next()
	if err != nil {
		t.Fatal(err)
	}
	if m, err := decodeBody(body); err != nil || m.kind != kindAnnounce || m.node.UDPPort != n.udp {
		t.Fatalf("hello: %+v %v", m, err)
	}
	return s, fr
}

// expectClosed reads until the link ends; frames before that are fine
// (hellos, room queries), a hang is not.
func expectClosed(t *testing.T, s *wpnconn.Session, fr *frameReader) {
	t.Helper()
	_ = s.Conn.SetReadDeadline(timeoutFromNow())
	for {
		if _, _, err := fr.next(); err != nil {
			var ne interface{ Timeout() bool }
			if errors.As(err, &ne) && ne.Timeout() {
				t.Fatal("the primary did not close the link")
			}
			return
		}
	}
}

// Garbage on a primary link closes that link and nothing else: an unknown
// kind from a link that never announced itself, malformed frames from a
// peer, bytes that are not even encrypted.
func TestGarbageOnLinks(t *testing.T) {
	a, _, c := line(t, nil)
	alice := a.h.Login("alice123")
	carol := c.h.Login("carol123")

	t.Run("unannounced", func(t *testing.T) {
		s, fr := dialLink(t, a)
		f := appendRaw(nil, header{origin: wpn.Handle{IP: loopback, UDPPort: 1}}, []byte("Zzz"))
		if _, err := s.Write(f); err != nil {
			t.Fatal(err)
		}
		expectClosed(t, s, fr)
	})
	t.Run("malformed from a peer", func(t *testing.T) {
		s, fr := dialLink(t, a)
		me := wpn.Handle{IP: loopback, UDPPort: 9999}
		hello, _ := encode(header{origin: me, qid: 1, ttl: 1}, &message{kind: kindAnnounce, version: version, node: wpn.NodeEntry{IP: loopback, UDPPort: 9999, TCPPort: 1}})
		if _, err := s.Write(hello); err != nil {
			t.Fatal(err)
		}
		for i := range maxMalformed + 1 {
			bad := appendRaw(nil, header{origin: me, qid: uint32(100 + i)}, []byte{kindForward, 1})
			if _, err := s.Write(bad); err != nil {
				break
			}
		}
		expectClosed(t, s, fr)
	})
	t.Run("spoofed announcement", func(t *testing.T) {
		s, fr := dialLink(t, a)
		other := netip.MustParseAddr("10.0.0.2")
		hello, _ := encode(header{origin: wpn.Handle{IP: other, UDPPort: 9999}, qid: 2, ttl: 1}, &message{kind: kindAnnounce, version: version, node: wpn.NodeEntry{IP: other, UDPPort: 9999}})
		if _, err := s.Write(hello); err != nil {
			t.Fatal(err)
		}
		expectClosed(t, s, fr)
	})
	t.Run("unencrypted noise", func(t *testing.T) {
		s, fr := dialLink(t, a)
		noise := make([]byte, 256<<10)
		rng := rand.New(rand.NewPCG(1, 2))
		for i := range noise {
			noise[i] = byte(rng.Uint32())
		}
		_, _ = s.Conn.Write(noise) // the primary may close before it has read everything
		expectClosed(t, s, fr)
	})

	// The mesh is unharmed.
	alice.Send(&wpn.Whois{Target: carol.Target()})
	wpntest.Expect[*wpn.WhoisReply](alice)
}
