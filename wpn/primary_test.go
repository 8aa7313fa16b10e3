package wpn

import (
	"bytes"
	"net/netip"
	"testing"
)

func TestPrimaryHeader(t *testing.T) {
	h := PrimaryHeader{OriginIP: netip.MustParseAddr("10.0.0.1"), OriginUDPPort: 6257, OriginTCPPort: 6699, QueryID: 0xDEADBEEF, Extra: [3]byte{6, 0, 1}, Length: 1}
	want := unhex(t, "0A000001 7118 2B1A EFBEADDE 060001 0100")
	got := AppendPrimaryHeader(nil, h)
	if !bytes.Equal(got, want) {
		t.Fatalf("header % X, want % X", got, want)
	}
	back, err := ParsePrimaryHeader(got)
	if err != nil || back != h {
		t.Fatalf("ParsePrimaryHeader = %+v, %v", back, err)
	}
	if _, err := ParsePrimaryHeader(got[:16]); err == nil {
		t.Fatal("16 bytes accepted")
	}
}

// A 0x47 datagram as wpn.md §4.3 lays it out (21 + name + topic bytes),
// scrambled and back. (TV7's datagram looks similar but carries two more
// bytes before the name; it is a scrambler vector, not a 0x47 sample.)
func TestUDPRoomListEntry(t *testing.T) {
	e := UDPRoomListEntry{QueryID: 0xDDCCBBAA, Users: 5, Limit: 40, RoomPort: 0x1A2B, BaseName: "Room", Topic: "Topic"}
	d := AppendUDPRoomListEntry(nil, 0x04030201, e)
	want := unhex(t, "01020304 47 AABBCCDD 05000000 28000000 2B1A"+hexOf("Room\x00Topic\x00"))
	if !bytes.Equal(d, want) || len(d) != 21+len(e.BaseName)+len(e.Topic) {
		t.Fatalf("datagram % X\nwant       % X", d, want)
	}
	EncryptUDP(d)
	DecryptUDP(d)
	typ, payload, err := ParseUDPDatagram(d)
	if err != nil || typ != UDPRoomEntry {
		t.Fatalf("type %#x, %v", typ, err)
	}
	got, err := ParseUDPRoomListEntry(payload)
	if err != nil || got != e {
		t.Fatalf("entry %+v, %v", got, err)
	}
	if _, err := ParseUDPRoomListEntry(payload[:5]); err == nil {
		t.Fatal("short datagram accepted")
	}
	if _, _, err := ParseUDPDatagram([]byte{1, 2, 3, 4}); err == nil {
		t.Fatal("4-byte datagram accepted")
	}
}
