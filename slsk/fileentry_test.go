package slsk

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/revival-net/revival/internal/wire"
)

func TestReadFile(t *testing.T) {
	tests := []struct {
		name string
		raw  []byte
		want File
	}{
		{
			name: "lossy attributes",
			raw:  file(`a\b.mp3`, 5000000, "mp3", AttrBitrate, 320, AttrDuration, 240, AttrVBR, 1),
			want: File{Code: 1, Name: `a\b.mp3`, Size: 5000000, Extension: "mp3",
				Attributes: []FileAttribute{{AttrBitrate, 320}, {AttrDuration, 240}, {AttrVBR, 1}}},
		},
		{
			name: "unknown attribute type is kept",
			raw:  file("x", 1, "", 3, 9),
			want: File{Code: 1, Name: "x", Size: 1, Attributes: []FileAttribute{{3, 9}}},
		},
		{
			name: "size above 4 GiB",
			raw:  file("big.iso", 5<<30, ""),
			want: File{Code: 1, Name: "big.iso", Size: 5 << 30},
		},
		{
			name: "Soulseek NS broken size: u32 then 0xFFFFFFFF garbage",
			raw: cat(u8(1), str("old.avi"),
				hx("00 00 00 80 ff ff ff ff"), // 2 GiB as u32, then garbage
				str(""), u32(0)),
			want: File{Code: 1, Name: "old.avi", Size: 1 << 31},
		},
		{
			name: "Latin-1 name from a legacy client",
			raw:  cat(u8(1), u32(5), []byte("caf\xe9s"), u64(3), str(""), u32(0)),
			want: File{Code: 1, Name: "cafés", Size: 3},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := wire.NewReader(tc.raw)
			got := ReadFile(r, nil)
			if err := r.Err(); err != nil {
				t.Fatal(err)
			}
			if r.Len() != 0 {
				t.Errorf("%d bytes left unread", r.Len())
			}
			if diff := cmp.Diff(tc.want, got, cmpOpts); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestWriteFileMatchesSpecEntry(t *testing.T) {
	b := wire.NewBuilder(nil)
	WriteFile(b, &File{Code: 1, Name: songPath, Size: 200000})
	// The result entry of the spec §3.3 example, byte for byte.
	want := hx(`01 1a 00 00 00 4d 75 73 69 63 5c 41 72 74 69 73 74 5c 74 65 73 74 5f 73 6f 6e 67 2e 6d 70 33
		40 0d 03 00 00 00 00 00 00 00 00 00 00 00 00 00`)
	if !bytes.Equal(b.Bytes(), want) {
		t.Errorf("got %x\nwant %x", b.Bytes(), want)
	}
}

// TestSpecSearchResultPlain ties the annotated 80-byte example to the real
// compressed bytes Nicotine+ sent.
func TestSpecSearchResultPlain(t *testing.T) {
	got, err := wire.Inflate(peerCases[5].raw[4:], MaxInflated)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 80 || !bytes.Equal(got, specSearchResultPlain) {
		t.Errorf("capture inflates to %d bytes %x\nwant 80 bytes %x", len(got), got, specSearchResultPlain)
	}
}

func TestReadDirsErrors(t *testing.T) {
	tests := []struct {
		name string
		raw  []byte
	}{
		{"huge dir count", u32(0xFFFFFFFF)},
		{"huge file count", cat(u32(1), str("d"), u32(0x10000000))},
		{"huge attribute count", cat(u32(1), str("d"), u32(1), u8(1), str("f"), u64(1), str(""), u32(0x7FFFFFFF))},
		{"cut inside a file's size", cat(u32(1), str("d"), u32(1), u8(1), str("filename-long-enough"), []byte{1, 2, 3})},
		{"name longer than the payload", cat(u32(1), u32(1000), make([]byte, 20))},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := wire.NewReader(tc.raw)
			if dirs := ReadDirs(r, nil); r.Err() == nil {
				t.Errorf("no error, got %d dirs", len(dirs))
			}
		})
	}
}
