package wpn

import (
	"bytes"
	"errors"
	"io"
	"net/netip"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// packetCases pair a packet with its payload bytes, annotated field by
// field as wpn.md §3.3 lays them out.
var packetCases = []struct {
	name    string
	p       Packet
	payload string // hex, spaces and "|" between fields ignored
}{
	{"login (TV4)", &Login{BaseName: "Gumdrop609", LineType: LineDSL, TransferPort: 0x094A},
		"47756D64726F7036303900 | 0800 | 4A09"},
	{"login ack (TV4)", &LoginAck{ClientID: 0x5316}, "1653"},
	{"status (TV4)", &Status{Status: "9006 6 of 6 available"}, hexOf("9006 6 of 6 available\x00")},
	{"name notice", &NameNotice{FullName: "Gumdrop609_21270"}, hexOf("Gumdrop609_21270\x00")},
	{"node list", &NodeList{Nodes: []NodeEntry{{IP: netip.MustParseAddr("127.0.0.1"), UDPPort: 6257, TCPPort: 6699, FreePrimary: 2, FreeSecondary: 9}}},
		"7F000001 | 7118 | 2B1A | 02 | 09 | 0000"},
	{"share file, media", &ShareFile{Path: `C:\a.mp3`, Hash: [20]byte{1}, Size: 5, Media: &Media{Bitrate: 128, SampleFreq: 44100, PlayTime: 60}},
		hexOf("C:\\a.mp3\x00") + "| 01000000000000000000000000000000 00000000 | 05000000 | 8000 | 44AC0000 | 3C000000"},
	{"share file, plain", &ShareFile{Path: "b.zip", Size: 7},
		hexOf("b.zip\x00") + "| 0000000000000000000000000000000000000000 | 07000000"},
	{"share folder", &ShareFolder{Folder: `C:\m`, Files: []SharedFile{{Name: "x", Size: 1}, {Name: "y", Size: 2, Media: Media{Bitrate: 1}}}},
		hexOf("C:\\m\x00") + "| 7800 | " + strings.Repeat("00", 20) + " | 01000000 | 0000 00000000 00000000" +
			"| 7900 | " + strings.Repeat("00", 20) + " | 02000000 | 0100 00000000 00000000"},
	{"unshare folder", &UnshareFolder{Folder: `C:\m`}, hexOf("C:\\m\x00")},
	{"whois", &Whois{Target{"WinMX b8a1797a1871", "DaBees-Knees233_48113"}}, hexOf("WinMX b8a1797a1871\x00DaBees-Knees233_48113\x00")},
	// The 84-byte capture of wpn.md §3.8.
	{"whois reply (capture)", &WhoisReply{Target: Target{"WinMX b8a1797a1871", "DaBees-Knees233_48113"}, LineType: 7, OnlineSeconds: 0x305, Files: 3000, Status: "8995 5 in queue (0 of 3 available)"},
		hexOf("WinMX b8a1797a1871\x00DaBees-Knees233_48113\x00") + "| 0700 | 05030000 | B80B |" + hexOf("8995 5 in queue (0 of 3 available)\x00")},
	{"whois failed", &WhoisFailed{Target: Target{"h", "n"}, Message: "Whois query failed"}, hexOf("h\x00n\x00Whois query failed\x00")},
	{"pm", &PrivateMessage{Target: Target{"h", "n"}, Text: "hi"}, hexOf("h\x00n\x00hi\x00")},
	{"pm status", &PMStatus{Target: Target{"h", "n"}, Status: PMOffline}, hexOf("h\x00n\x00User is Ofline\x00")},
	{"incoming pm: id runs into the handle", &IncomingPM{ID: [12]byte([]byte("000000000001")), Target: Target{"h", "n"}, Text: "yo"},
		hexOf("000000000001") + "|" + hexOf("h\x00n\x00yo\x00")},
	{"pm receipt: id runs into the status", &PMReceipt{Target: Target{"h", "n"}, ID: [12]byte([]byte("000000000001")), Status: PMSent},
		hexOf("h\x00n\x00") + "|" + hexOf("000000000001SENT\x00")},
	{"search", &Search{SearchID: 7, MinLineType: 0, FileType: FileAudio, Query: "abba"},
		"07000000 | 00 | 00 | 02 | 00 |" + hexOf("abba\x00")},
	{"hash search", &HashSearch{SearchID: 8, FileType: FileAudio, Hash: [16]byte{0xAA}},
		"08000000 | 00 | 00 | 02 | 00 | AA000000000000000000000000000000"},
	{"stop search", &StopSearch{SearchID: 7}, "07000000"},
	{"search hit", &SearchHit{SearchID: 7, PrimaryIP: netip.MustParseAddr("127.0.0.1"), PrimaryUDPPort: 6257, Path: `C:\a.mp3`, Size: 9,
		Media: &Media{Bitrate: 128}, LineType: 8, PingIP: netip.MustParseAddr("10.0.0.1"), UserName: "a_00001", Status: "9001 1 of 1 available"},
		"07000000 | 7F000001 | 7118 | 4E5B0400A9 |" + hexOf("C:\\a.mp3\x00") + "|" + strings.Repeat("00", 20) + "| 09000000 | 0B 4D 8000 00000000 00000000 | 08 | 0A000001 |" +
			hexOf("a_00001\x009001 1 of 1 available\x00")},
	{"browse", &Browse{Target{"h", "n"}}, hexOf("h\x00n\x00")},
	{"browse end", &BrowseEnd{Target{"h", "n"}}, hexOf("h\x00n\x00")},
	{"browse entry", &BrowseEntry{Target: Target{"h", "n"}, FileName: "f", Size: 3}, hexOf("h\x00n\x00f\x00") + strings.Repeat("00", 20) + "03000000 | 00"},
	{"browse done", &BrowseDone{Target{"h", "n"}}, hexOf("h\x00n\x00")},
	{"browse error", &BrowseError{Target: Target{"h", "n"}}, hexOf("h\x00n\x00")},
	{"download request", &DownloadRequest{Target: Target{"h", "n"}, FileName: "f", Option: DownloadJoinQueue}, hexOf("h\x00n\x00f\x00") + "01"},
	{"upload ready", &UploadReady{Target: Target{"h", "n"}, FileName: "f"}, hexOf("h\x00n\x00f\x00")},
	{"download failed", &DownloadFailed{Target: Target{"h", "n"}, FileName: "f", Status: DownloadNotShared}, hexOf("h\x00n\x00f\x00File Not Shared\x00")},
	{"incoming download", &IncomingDownload{Target: Target{"h", "n"}, FileName: "f", Option: 1}, hexOf("h\x00n\x00f\x00") + "01000000"},
	{"start download", &StartDownload{Requester: "me", Target: Target{"h", "n"}, FileName: "f", IP: netip.MustParseAddr("1.2.3.4"), Port: 6699},
		hexOf("me\x00h\x00n\x00f\x00") + "01020304 | 2B1A"},
	{"room list request (RoboMX)", &RoomListRequest{}, "00000000"},
	{"room list entry", &RoomListEntry{Users: 0x2A, Limit: 0x1F4, Name: "WinMXWorld.com Help_EDB41354BABE", Topic: "t"},
		"2A000000 | F4010000 |" + hexOf("WinMXWorld.com Help_EDB41354BABE\x00t\x00")},
}

func hexOf(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		b.WriteString("0123456789ABCDEF"[s[i]>>4 : s[i]>>4+1])
		b.WriteString("0123456789ABCDEF"[s[i]&15 : s[i]&15+1])
	}
	return b.String()
}

func annotated(t *testing.T, s string) []byte {
	return unhex(t, strings.ReplaceAll(s, "|", ""))
}

func TestPackets(t *testing.T) {
	for _, tc := range packetCases {
		t.Run(tc.name, func(t *testing.T) {
			want := annotated(t, tc.payload)
			if got := tc.p.AppendPayload(nil); !bytes.Equal(got, want) {
				t.Fatalf("encode:\n got % X\nwant % X", got, want)
			}
			got, err := DecodePacket(uint16(tc.p.PacketType()), want)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.p, got, cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); diff != "" {
				t.Fatalf("decode (-want +got):\n%s", diff)
			}
		})
	}
}

// Tolerant decoding: what real clients send that differs from what we send.
func TestPacketsTolerant(t *testing.T) {
	tests := []struct {
		name    string
		typ     Type
		payload string
		want    Packet
	}{
		{"room list request, empty (WPCC)", TypeRoomListRequest, "", &RoomListRequest{}},
		{"last string without NUL", TypePrivateMessage, hexOf("h\x00n\x00hi"), &PrivateMessage{Target{"h", "n"}, "hi"}},
		{"download request without option", TypeDownloadRequest, hexOf("h\x00n\x00f\x00"), &DownloadRequest{Target: Target{"h", "n"}, FileName: "f"}},
		{"incoming download with a 1-byte option", TypeIncomingDownload, hexOf("h\x00n\x00f\x00") + "01", &IncomingDownload{Target: Target{"h", "n"}, FileName: "f", Option: 1}},
		{"node list with a partial entry", TypeNodeList, "7F000001711829 1A0209 0000 FFFF", &NodeList{Nodes: []NodeEntry{ParseNodeEntry(unhex(t, "7F0000017118291A02090000"))}}},
		{"high-ASCII name kept byte for byte", TypeNameNotice, "41E98100", &NameNotice{FullName: "Aé\u0081"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodePacket(uint16(tt.typ), annotated(t, tt.payload))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); diff != "" {
				t.Fatalf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestPacketsMalformed(t *testing.T) {
	for _, tc := range []struct {
		typ     Type
		payload string
	}{
		{TypeLogin, hexOf("name\x00") + "08"}, // line type cut short
		{TypeWhoisReply, hexOf("h\x00n\x00") + "0700"},
		{TypeSearch, "0700"},
		{TypeSearchHit, "07000000 7F000001"},
		{TypeIncomingPM, hexOf("short")},
	} {
		if _, err := DecodePacket(uint16(tc.typ), annotated(t, tc.payload)); !errors.Is(err, ErrMalformed) {
			t.Errorf("type 0x%04X with %s: err %v, want ErrMalformed", uint16(tc.typ), tc.payload, err)
		}
	}
	p, err := DecodePacket(0x038E, []byte{1, 2})
	if u, ok := p.(*Unknown); err != nil || !ok || u.Type != TypeNameQueueNotice {
		t.Fatalf("unknown type: %#v, %v", p, err)
	}
}

func TestTextRoundTripsEveryByte(t *testing.T) {
	var all []byte
	for i := 1; i < 256; i++ {
		all = append(all, byte(i))
	}
	if got := AppendText(nil, DecodeText(all)); !bytes.Equal(got, all) {
		t.Fatalf("round trip lost bytes:\n got % X\nwant % X", got, all)
	}
	if got := string(AppendText(nil, "a\x00b€☃")); got != "a b\x80?" {
		t.Fatalf("AppendText = %q", got)
	}
}

// TV4 and TV5 again, this time through frames: the reader decrypts the
// login conversation's frames and decodes them.
func TestFrameReaderTV4(t *testing.T) {
	up := NewCipher(0x130DDF9E)
	var wire []byte
	for _, p := range []Packet{&Login{BaseName: "Gumdrop609", LineType: 8, TransferPort: 0x094A}, &Status{Status: "9006 6 of 6 available"}} {
		f := AppendPacket(nil, p)
		up.Encrypt(f, f)
		wire = append(wire, f...)
	}
	if want := unhex(t, "01 87 C3 0A E2 61 3C EB AA 2D 61 BB CC 95 21 B0 76 B7 B3"); !bytes.Equal(wire[:19], want) {
		t.Fatalf("first frame on the wire % X, want % X", wire[:19], want)
	}
	fr := NewFrameReader(iotestOneByte(bytes.NewReader(wire)), NewCipher(0x130DDF9E), 0)
	var got []Packet
	for {
		typ, payload, err := fr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		p, err := DecodePacket(typ, payload)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, p)
	}
	want := []Packet{&Login{BaseName: "Gumdrop609", LineType: 8, TransferPort: 0x094A}, &Status{Status: "9006 6 of 6 available"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("frames = %#v", got)
	}
}

// iotestOneByte returns one byte per Read, as a fragmenting network does.
func iotestOneByte(r io.Reader) io.Reader { return oneByte{r} }

type oneByte struct{ r io.Reader }

func (o oneByte) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	return o.r.Read(p[:1])
}

func TestFrameReaderLimits(t *testing.T) {
	// A frame over the limit is skipped but decrypted, and the next one
	// still decodes: the cipher stays in step.
	enc := NewCipher(42)
	var w []byte
	big := AppendFrame(nil, 0x1771, make([]byte, 100))
	small := AppendPacket(nil, &StopSearch{SearchID: 9})
	enc.Encrypt(big, big)
	enc.Encrypt(small, small)
	w = append(append(w, big...), small...)
	fr := NewFrameReader(bytes.NewReader(w), NewCipher(42), 50)
	if _, _, err := fr.Next(); !errors.Is(err, ErrFrameTooLarge) {
		t.Fatalf("big frame: %v", err)
	}
	typ, payload, err := fr.Next()
	if err != nil || Type(typ) != TypeStopSearch || !bytes.Equal(payload, []byte{9, 0, 0, 0}) {
		t.Fatalf("after skip: %04X % X %v", typ, payload, err)
	}
	// A header announcing 64 KiB with 10 bytes behind it costs one chunk,
	// not 64 KiB, and ends in ErrUnexpectedEOF.
	hdr := AppendFrame(nil, 1, nil)
	hdr[2], hdr[3] = 0xFF, 0xFF
	fr = NewFrameReader(bytes.NewReader(append(hdr, make([]byte, 10)...)), nil, 0)
	if _, _, err := fr.Next(); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("cut frame: %v", err)
	}
	if cap(fr.buf) > readChunk {
		t.Fatalf("buffer grew to %d before the bytes came", cap(fr.buf))
	}
	// N = 0 is legal.
	fr = NewFrameReader(bytes.NewReader(AppendFrame(nil, 0x238D, nil)), nil, 0)
	if typ, p, err := fr.Next(); err != nil || typ != 0x238D || len(p) != 0 {
		t.Fatalf("empty frame: %04X %v %v", typ, p, err)
	}
}

func TestHandlesAndRoomNames(t *testing.T) {
	h := Handle{IP: netip.MustParseAddr("92.249.212.13"), UDPPort: 6257}
	if got := h.String(); got != "WinMX 0dd4f95c1871" {
		t.Fatalf("handle %q", got)
	}
	for _, s := range []string{"WinMX 0dd4f95c1871", "Winmx 0DD4F95C1871"} {
		if got, err := ParseHandle(s); err != nil || got != h {
			t.Fatalf("ParseHandle(%q) = %v, %v", s, got, err)
		}
	}
	for _, s := range []string{"", "WinMX 0dd4", "WinMX zzzzzzzz1871"} {
		if _, err := ParseHandle(s); err == nil {
			t.Errorf("ParseHandle(%q) accepted", s)
		}
	}
	// wpn.md §6.1's worked example (with 233, not patchwinmx's 223).
	a, err := ParseRoomName("Some Room_E94AB3E4DAD0")
	if err != nil || a.Base != "Some Room" || a.IP != netip.MustParseAddr("228.179.74.233") || a.Port != 56016 {
		t.Fatalf("ParseRoomName = %+v, %v", a, err)
	}
	if got := (RoomAddr{Base: "Room", IP: netip.MustParseAddr("127.0.0.1"), Port: 6699}).RoomName(); got != "Room_0100007F1A2B" {
		t.Fatalf("RoomName = %q", got)
	}
	if FullName("Gumdrop609", 0x5316) != "Gumdrop609_21270" {
		t.Fatal("FullName")
	}
}

func TestUploadStatus(t *testing.T) {
	for _, tc := range []struct {
		s  UploadStatus
		wr string
	}{
		{UploadStatus{Free: 6, Max: 6}, "9006 6 of 6 available"},
		{UploadStatus{Free: 0, Max: 3, Queued: 5}, "8995 5 in queue (0 of 3 available)"},
	} {
		if got := tc.s.String(); got != tc.wr {
			t.Errorf("%+v = %q, want %q", tc.s, got, tc.wr)
		}
		if got, ok := ParseUploadStatus(tc.wr); !ok || got != tc.s {
			t.Errorf("ParseUploadStatus(%q) = %+v, %v", tc.wr, got, ok)
		}
	}
	if _, ok := ParseUploadStatus("away"); ok {
		t.Error("free text parsed")
	}
}
