package wpnconn

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"net"
	"testing"
	"time"

	"github.com/revival-net/revival/internal/netconn"
	"github.com/revival-net/revival/wpn"
)

// echoServer answers every session with its initiator's frames, types
// plus one, and reports each opening on the channel.
func echoServer(t *testing.T) (string, chan Opening) {
	t.Helper()
	openings := make(chan Opening, 8)
	srv := netconn.New(netconn.Options{Handle: func(c *netconn.Conn) {
		in, err := Greet(c)
		if err != nil {
			return
		}
		openings <- in
		if in.Transfer != "" {
			return
		}
		fr, err := Respond(c, in, 1024)
		if err != nil {
			return
		}
		for {
			c.AwaitFrame(0)
			typ, payload, err := fr.Next()
			if err != nil {
				return
			}
			_ = c.Send(wpn.AppendFrame(nil, typ+1, payload))
		}
	}})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return ln.Addr().String(), openings
}

func TestDialEachRole(t *testing.T) {
	addr, openings := echoServer(t)
	for _, role := range []wpn.KeyID{wpn.KeySecondaryClient, wpn.KeyChatClient, wpn.KeyPrimaryClient} {
		s, err := Dial(context.Background(), addr, role)
		if err != nil {
			t.Fatalf("%v: %v", role, err)
		}
		if got := (<-openings).ID; got != role {
			t.Errorf("server saw %v, want %v", got, role)
		}
		want, _ := role.Responder()
		if s.Responder != want {
			t.Errorf("responder %v, want %v", s.Responder, want)
		}
		fr := s.Frames(0)
		// Two frames in one write, then one split across writes: the
		// ciphers run on across frame and write boundaries (wpn.md §2.4).
		for i, payload := range [][]byte{[]byte("hello"), nil, bytes.Repeat([]byte{7}, 900)} {
			if err := s.SendFrame(uint16(0x1000+i), payload); err != nil {
				t.Fatal(err)
			}
			typ, got, err := fr.Next()
			if err != nil {
				t.Fatal(err)
			}
			if typ != uint16(0x1001+i) || !bytes.Equal(got, payload) {
				t.Fatalf("%v frame %d: type 0x%04X payload %q", role, i, typ, got)
			}
		}
		_ = s.Close()
	}
}

func TestTransferOpenings(t *testing.T) {
	addr, openings := echoServer(t)
	for _, verb := range []string{"GET", "SEND"} {
		nc, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		var b [1]byte
		if _, err := io.ReadFull(nc, b[:]); err != nil || b[0] != Hello {
			t.Fatalf("hello: %v %x", err, b)
		}
		_, _ = nc.Write([]byte(verb + " alice_12345 \"song.mp3\" 0"))
		if got := (<-openings).Transfer; got != verb {
			t.Errorf("transfer %q, want %q", got, verb)
		}
		_ = nc.Close()
	}
}

// A wrong key block, a responder's block sent by an initiator, or
// garbage: the server closes without answering.
func TestBadOpeningsAreClosed(t *testing.T) {
	addr, _ := echoServer(t)
	responderBlock, _ := wpn.NewKeyBlock(wpn.KeySecondaryServer, rand.Reader)
	cacheBlock, _ := wpn.NewKeyBlock(wpn.KeyCache, rand.Reader)
	for name, first := range map[string][]byte{
		"garbage":         bytes.Repeat([]byte{0xAB}, 16),
		"responder block": responderBlock[:],
		"cache block":     cacheBlock[:],
	} {
		nc, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		_ = nc.SetDeadline(time.Now().Add(10 * time.Second))
		var b [1]byte
		_, _ = io.ReadFull(nc, b[:])
		_, _ = nc.Write(first)
		n, err := nc.Read(make([]byte, 64))
		if n != 0 || !errors.Is(err, io.EOF) {
			t.Errorf("%s: read %d bytes, %v; want EOF", name, n, err)
		}
		_ = nc.Close()
	}
}

// Some KM-era nodes mask their key blocks (wpn.md §2.3); Dial accepts
// them, and the keys come from the unmasked block.
func TestDialAcceptsMaskedResponder(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		nc, err := ln.Accept()
		if err != nil {
			return
		}
		defer nc.Close()
		_, _ = nc.Write([]byte{Hello})
		in, err := ReadOpening(nc)
		if err != nil || in.ID != wpn.KeySecondaryClient {
			return
		}
		blk, _ := wpn.NewKeyBlock(wpn.KeySecondaryServer, rand.Reader)
		masked := blk.Masked()
		_, _ = nc.Write(masked[:])
		_, toInitiator, _ := wpn.SessionKeys(blk)
		frame := wpn.AppendPacket(nil, &wpn.LoginAck{ClientID: 0x5316})
		wpn.NewCipher(toInitiator).Encrypt(frame, frame)
		_, _ = nc.Write(frame)
	}()
	s, err := Dial(context.Background(), ln.Addr().String(), wpn.KeySecondaryClient)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	typ, payload, err := s.Frames(0).Next()
	if err != nil || wpn.Type(typ) != wpn.TypeLoginAck || !bytes.Equal(payload, []byte{0x16, 0x53}) {
		t.Fatalf("got 0x%04X %x %v", typ, payload, err)
	}
}

func FuzzReadOpening(f *testing.F) {
	blk, _ := wpn.NewKeyBlock(wpn.KeyChatClient, rand.Reader)
	f.Add(blk[:])
	f.Add([]byte("GET x"))
	f.Add([]byte("SEND"))
	f.Add([]byte{0, 1, 2})
	f.Fuzz(func(t *testing.T, b []byte) {
		in, err := ReadOpening(bytes.NewReader(b))
		if err == nil && in.Transfer == "" {
			if _, ok := in.ID.Responder(); !ok {
				t.Fatalf("accepted %v", in.ID)
			}
		}
	})
}
