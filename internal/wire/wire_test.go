package wire

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"testing/iotest"
)

func TestReaderFieldsAndStickyError(t *testing.T) {
	b := NewBuilder(nil)
	b.Uint8(7)
	b.Bool(true)
	b.Uint16(0x0102)
	b.Uint32(0x01020304)
	b.Int32(-2)
	b.Uint64(1 << 40)
	b.String("héllo")
	b.LenBytes([]byte{9, 9})
	raw := b.Bytes()
	// Annotated: u8 7 | bool 1 | u16 LE | u32 LE | i32 -2 | u64 | str | bytes
	want := []byte{7, 1, 2, 1, 4, 3, 2, 1, 0xfe, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 1, 0, 0,
		6, 0, 0, 0, 'h', 0xc3, 0xa9, 'l', 'l', 'o', 2, 0, 0, 0, 9, 9}
	if !bytes.Equal(raw, want) {
		t.Fatalf("built %x, want %x", raw, want)
	}
	r := NewReader(raw)
	if r.Uint8() != 7 || !r.Bool() || r.Uint16() != 0x0102 || r.Uint32() != 0x01020304 || r.Int32() != -2 ||
		r.Uint64() != 1<<40 || r.String() != "héllo" || !bytes.Equal(r.LenBytes(), []byte{9, 9}) || !r.Empty() {
		t.Fatalf("round trip failed: err=%v", r.Err())
	}
	if r.Uint32() != 0 || !errors.Is(r.Err(), ErrShort) {
		t.Fatalf("read past the end: err=%v, want ErrShort", r.Err())
	}
	if r.String() != "" || !errors.Is(r.Err(), ErrShort) {
		t.Fatal("error did not stick")
	}
}

func TestReaderRefusesHugeLengthsBeforeAllocating(t *testing.T) {
	r := NewReader([]byte{0xff, 0xff, 0xff, 0xff, 'x'})
	if s := r.String(); s != "" || !errors.Is(r.Err(), ErrTooLarge) {
		t.Fatalf("got %q, %v; want ErrTooLarge", s, r.Err())
	}
	r = NewReader([]byte{0x00, 0x00, 0x01, 0x00, 1, 2, 3, 4})
	if n := r.Count(4); n != 0 || !errors.Is(r.Err(), ErrTooLarge) {
		t.Fatalf("count %d, %v; want ErrTooLarge", n, r.Err())
	}
	r = NewReader([]byte{2, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8})
	if n := r.Count(4); n != 2 || r.Err() != nil {
		t.Fatalf("count %d, %v; want 2", n, r.Err())
	}
}

// Nicotine+ and Soulfind fall back to Latin-1 for strings that are not
// UTF-8; we decode them as Windows-1252.
func TestDecodeTextFallsBackToWindows1252(t *testing.T) {
	cases := []struct {
		raw  []byte
		want string
	}{
		{[]byte("plain"), "plain"},
		{[]byte("caf\xc3\xa9"), "café"},   // UTF-8
		{[]byte("caf\xe9"), "café"},       // Latin-1 é
		{[]byte("\x80 price"), "€ price"}, // Windows-1252 euro sign
		{[]byte{0xff, 0xfe}, "ÿþ"},
	}
	for _, tc := range cases {
		if got := DecodeText(tc.raw); got != tc.want {
			t.Errorf("DecodeText(%x) = %q, want %q", tc.raw, got, tc.want)
		}
	}
	if got := EncodeLegacy("café €✓"); !bytes.Equal(got, []byte("caf\xe9 \x80?")) {
		t.Errorf("EncodeLegacy = %x", got)
	}
}

func TestFrameReaderHandlesSplitAndCoalescedFrames(t *testing.T) {
	var stream []byte
	for _, body := range [][]byte{{1, 2, 3}, {}, bytes.Repeat([]byte{7}, 300)} {
		b := NewBuilder(stream)
		b.LenBytes(body)
		stream = b.Bytes()
	}
	fr := NewFrameReader(iotest.OneByteReader(bytes.NewReader(stream)), 1024)
	for i, want := range []int{3, 0, 300} {
		body, err := fr.Next()
		if err != nil || len(body) != want {
			t.Fatalf("frame %d: len %d err %v, want len %d", i, len(body), err, want)
		}
	}
	if _, err := fr.Next(); err != io.EOF {
		t.Fatalf("after last frame: %v, want EOF", err)
	}
	fr = NewFrameReader(bytes.NewReader([]byte{5, 0, 0, 0, 1}), 1024)
	if _, err := fr.Next(); err != io.ErrUnexpectedEOF {
		t.Fatalf("truncated frame: %v, want ErrUnexpectedEOF", err)
	}
	fr = NewFrameReader(bytes.NewReader([]byte{0, 0, 1, 0}), 1024)
	if _, err := fr.Next(); !errors.Is(err, ErrFrameTooLarge) {
		t.Fatalf("oversized frame: %v, want ErrFrameTooLarge", err)
	}
}

func TestInflateCapsOutput(t *testing.T) {
	data := bytes.Repeat([]byte("abc"), 10000)
	z := Deflate(data)
	got, err := Inflate(z, int64(len(data)))
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("round trip: %v", err)
	}
	if _, err := Inflate(z, int64(len(data))-1); !errors.Is(err, ErrInflateTooLarge) {
		t.Fatalf("over the cap: %v, want ErrInflateTooLarge", err)
	}
	if _, err := Inflate([]byte("not zlib"), 100); err == nil {
		t.Fatal("garbage inflated")
	}
}

// TestInflateBufferStaysUnderCap: the output buffer grows as output
// arrives but never past the cap (plus the one byte that detects a bomb),
// so a 64 MiB cap costs at most 64 MiB, not the next power of two.
func TestInflateBufferStaysUnderCap(t *testing.T) {
	for _, size := range []int{0, 1, 70_000, 100_000, 300_001} {
		data := bytes.Repeat([]byte("xyz"), size/3)
		got, err := Inflate(Deflate(data), int64(len(data)))
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("%d bytes: round trip failed: %v", len(data), err)
		}
		if cap(got) > len(data)+1 {
			t.Errorf("%d bytes under a %d-byte cap: buffer capacity %d", len(data), len(data), cap(got))
		}
	}
}

// TestInflatePrefix reads only the start of a stream, whatever it would
// expand to, and returns what there is of a shorter one.
func TestInflatePrefix(t *testing.T) {
	bomb := Deflate(append([]byte("head"), make([]byte, 8<<20)...))
	got, err := InflatePrefix(bomb, 4)
	if err != nil || string(got) != "head" {
		t.Fatalf("prefix of a large stream = %q, %v; want \"head\"", got, err)
	}
	got, err = InflatePrefix(Deflate([]byte("ab")), 4)
	if err != nil || string(got) != "ab" {
		t.Fatalf("prefix of a short stream = %q, %v; want \"ab\"", got, err)
	}
	if _, err := InflatePrefix([]byte("not zlib"), 4); err == nil {
		t.Fatal("garbage inflated")
	}
}

// FuzzReader reads every field type from arbitrary bytes: it must never
// panic, and a successfully read string re-encodes to the same wire bytes
// when it was valid UTF-8.
func FuzzReader(f *testing.F) {
	f.Add([]byte{5, 0, 0, 0, 'h', 'e', 'l', 'l', 'o', 1})
	f.Add([]byte{2, 0, 0, 0, 0xe9, 0x80})
	f.Add([]byte{0xff, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, data []byte) {
		r := NewReader(data)
		s := r.String()
		if r.Err() == nil {
			b := NewBuilder(nil)
			b.String(s)
			if DecodeText(b.Bytes()[4:]) != s {
				t.Fatalf("string %q does not round-trip", s)
			}
		}
		r.Reset(data)
		_ = r.Count(1)
		_ = r.Uint64()
		_ = r.LenBytes()
		_, _, _, _ = SplitFrame(data, 1<<16)
	})
}

// FuzzInflate feeds arbitrary bytes to the capped decompressor.
func FuzzInflate(f *testing.F) {
	f.Add(Deflate([]byte("hello")))
	f.Add([]byte{0x78, 0x9c})
	f.Fuzz(func(t *testing.T, data []byte) {
		out, err := Inflate(data, 1<<16)
		if err == nil && len(out) > 1<<16 {
			t.Fatalf("inflated %d bytes past the cap", len(out))
		}
		head, err := InflatePrefix(data, 8)
		if err == nil && len(head) > 8 {
			t.Fatalf("prefix of %d bytes, asked for 8", len(head))
		}
	})
}

func TestCString(t *testing.T) {
	r := NewReader([]byte("ab\x00\x00cd"))
	if got := string(r.CString()); got != "ab" {
		t.Fatalf("first = %q", got)
	}
	if got := r.CString(); len(got) != 0 || r.Err() != nil {
		t.Fatalf("empty string = %q, %v", got, r.Err())
	}
	if got := string(r.CString()); got != "cd" || !r.Empty() {
		t.Fatalf("unterminated last string = %q, empty %v", got, r.Empty())
	}
	b := NewBuilder(nil)
	b.CString([]byte("x"))
	if string(b.Bytes()) != "x\x00" {
		t.Fatalf("built %q", b.Bytes())
	}
}
