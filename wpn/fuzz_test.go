package wpn

import (
	"bytes"
	"crypto/rand"
	"errors"
	"reflect"
	"testing"
)

// FuzzReadKeyBlock: any 16 bytes either validate to an ID whose freshly
// made block validates the same way, or are refused; never a panic.
func FuzzReadKeyBlock(f *testing.F) {
	f.Add(make([]byte, 16))
	f.Add([]byte{0x7C, 0x47, 0x49, 0x6A, 0xBF, 0x7B, 0x13, 0x68, 0xDF, 0x88, 0xE4, 0xC9, 0x03, 0x0D, 0x02, 0xA1})
	f.Add([]byte{0x83, 0xB7, 0x46, 0x1D, 0xC8, 0x84, 0xE3, 0x67, 0xA8, 0xFF, 0x1B, 0x39, 0x0C, 0x7A, 0x75, 0xA1})
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) != KeyBlockSize {
			return
		}
		id, blk, err := ReadKeyBlock(KeyBlock(b))
		if err != nil {
			return
		}
		if got, ok := blk.ID(); !ok || got != id {
			t.Fatalf("returned block reads as %v, %v; want %v", got, ok, id)
		}
		_, _, _ = SessionKeys(KeyBlock(b))
	})
}

// FuzzParseCacheReply: a peer cache's answer from anyone decodes or is
// refused; a reply we build always decodes to what we put in.
func FuzzParseCacheReply(f *testing.F) {
	reply, err := NewCacheReply(rand.Reader, []NodeEntry{{FreeSecondary: 5, TCPPort: 6699, UDPPort: 6257}})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(reply[:])
	f.Add(bytes.Repeat([]byte{0x38}, CacheReplySize))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = ParseCacheReply(b)
	})
}

// FuzzCipherRoundTrip: decrypting what was encrypted under the same key
// gives the plaintext back and both ends hold the same state.
func FuzzCipherRoundTrip(f *testing.F) {
	f.Add(uint32(0x12345678), []byte("hello"), 3)
	f.Fuzz(func(t *testing.T, key uint32, p []byte, split int) {
		enc, dec := NewCipher(key), NewCipher(key)
		c := make([]byte, len(p))
		if split >= 0 && split <= len(p) {
			enc.Encrypt(c[:split], p[:split])
			enc.Encrypt(c[split:], p[split:])
		} else {
			enc.Encrypt(c, p)
		}
		got := make([]byte, len(c))
		dec.Decrypt(got, c)
		if !bytes.Equal(got, p) || enc.State() != dec.State() {
			t.Fatalf("round trip of %x under %#x gave %x", p, key, got)
		}
	})
}

// FuzzUDPRoundTrip: the scrambler inverts for every length from 2.
func FuzzUDPRoundTrip(f *testing.F) {
	f.Add([]byte("\x01\x02\x03\x04Room\x00"))
	f.Fuzz(func(t *testing.T, p []byte) {
		if len(p) < 2 || len(p) > 4096 {
			return
		}
		b := bytes.Clone(p)
		EncryptUDP(b)
		DecryptUDP(b)
		if !bytes.Equal(b, p) {
			t.Fatalf("UDP round trip of %x gave %x", p, b)
		}
	})
}

func TestNewCacheReply(t *testing.T) {
	var entries []NodeEntry
	for i := range 3 {
		entries = append(entries, NodeEntry{TCPPort: uint16(6699 + i), UDPPort: 6257, FreePrimary: 1, FreeSecondary: uint8(100 + i)})
	}
	for range 200 { // many random headers: none may be ambiguous
		reply, err := NewCacheReply(rand.Reader, entries)
		if err != nil {
			t.Fatal(err)
		}
		if reply[0] != CacheMarker {
			t.Fatalf("marker %#x", reply[0])
		}
		list := [FrontCodeSize]byte(reply[1+KeyBlockSize:])
		if FrontCodeAmbiguous(list) {
			t.Fatal("NewCacheReply sent a list the two FC tables decode differently")
		}
		got, err := ParseCacheReply(reply[:])
		if err != nil {
			t.Fatal(err)
		}
		for i, e := range entries {
			e.IP = got[i].IP // zero Addr is written as 0.0.0.0
			if got[i] != e {
				t.Fatalf("entry %d = %+v, want %+v", i, got[i], e)
			}
		}
		if got[3].FreeSecondary != 0 {
			t.Fatal("padding entries must have no free slots")
		}
	}
	if _, err := NewCacheReply(rand.Reader, make([]NodeEntry, 11)); err == nil {
		t.Fatal("11 entries accepted")
	}
}

// FuzzDecodePacket: every secondary-link decoder refuses or accepts any
// payload without panicking, and what it accepts encodes and decodes to
// the same packet.
func FuzzDecodePacket(f *testing.F) {
	for _, tc := range packetCases {
		f.Add(uint16(tc.p.PacketType()), tc.p.AppendPayload(nil))
	}
	f.Fuzz(func(t *testing.T, typ uint16, payload []byte) {
		p, err := DecodePacket(typ, payload)
		if err != nil {
			return
		}
		again, err := DecodePacket(typ, p.AppendPayload(nil))
		if err != nil {
			t.Fatalf("re-decoding %T: %v", p, err)
		}
		if !reflect.DeepEqual(normalize(p), normalize(again)) {
			t.Fatalf("%T does not round-trip:\n%#v\n%#v", p, p, again)
		}
	})
}

// FuzzDecodeChat is FuzzDecodePacket for chat-room payloads.
func FuzzDecodeChat(f *testing.F) {
	f.Add(uint16(ChatJoin), (&ChatJoinRequest{Room: "R_0100007F1A2B", Name: "a_00001"}).AppendPayload(nil))
	f.Add(uint16(ChatTextFrom), []byte("a\x00b\x00\x01"))
	f.Add(uint16(ChatUserJoinedIP), []byte("a\x00\x7f\x00\x00\x01\x71\x18\x08\x00\x01\x00\x00\x00\x01\x00\x0a\x00\x00\x01"))
	f.Fuzz(func(t *testing.T, typ uint16, payload []byte) {
		_, _ = DecodeChat(typ, payload)
	})
}

// FuzzFrameReader: any byte stream yields frames or an error, never a
// panic or a frame longer than the limit.
func FuzzFrameReader(f *testing.F) {
	f.Add([]byte{0x84, 0x03, 0x02, 0x00, 'x', 0}, uint16(100))
	f.Add([]byte{0xFF, 0xFF, 0xFF, 0xFF, 1, 2, 3}, uint16(10))
	f.Fuzz(func(t *testing.T, stream []byte, limit uint16) {
		fr := NewFrameReader(bytes.NewReader(stream), NewCipher(uint32(limit)), int(limit))
		for range 100 {
			_, p, err := fr.Next()
			if err != nil && !errors.Is(err, ErrFrameTooLarge) {
				return
			}
			if len(p) > int(limit) && limit != 0 {
				t.Fatalf("%d-byte payload past a %d limit", len(p), limit)
			}
		}
	})
}

// FuzzNames: handles and room names parse or are refused.
func FuzzNames(f *testing.F) {
	f.Add("WinMX 0dd4f95c1871")
	f.Add("Room_0100007F1A2B")
	f.Fuzz(func(t *testing.T, s string) {
		if h, err := ParseHandle(s); err == nil {
			if again, err := ParseHandle(h.String()); err != nil || again != h {
				t.Fatalf("handle %q → %v does not round-trip", s, h)
			}
		}
		if a, err := ParseRoomName(s); err == nil {
			if again, err := ParseRoomName(a.RoomName()); err != nil || again != a {
				t.Fatalf("room %q → %+v does not round-trip", s, a)
			}
		}
	})
}

// normalize makes decoded packets comparable after a round trip: text is
// re-encoded (runes outside Windows-1252 and NULs do not survive), which
// a second decode already reflects, so compare the encoded forms.
func normalize(p Packet) string { return string(p.AppendPayload(nil)) }

// FuzzUDPDatagram: any datagram descrambles and parses or is refused.
func FuzzUDPDatagram(f *testing.F) {
	d := AppendUDPRoomListEntry(nil, 1, UDPRoomListEntry{QueryID: 2, Users: 3, Limit: 4, RoomPort: 5, BaseName: "R", Topic: "T"})
	EncryptUDP(d)
	f.Add(d)
	f.Fuzz(func(t *testing.T, d []byte) {
		d = bytes.Clone(d)
		DecryptUDP(d)
		if typ, payload, err := ParseUDPDatagram(d); err == nil && typ == UDPRoomEntry {
			_, _ = ParseUDPRoomListEntry(payload)
		}
		_, _ = ParsePrimaryHeader(d)
	})
}
