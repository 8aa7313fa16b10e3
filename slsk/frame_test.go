package slsk

import (
	"bytes"
	"encoding/hex"
	"errors"
	"io"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
	"github.com/revival-net/revival/internal/wire"
)

// frameResult is what a frame splitter produced from a byte stream: the
// frame bodies in order and how the stream ended.
type frameResult struct {
	Frames [][]byte
	End    string // "eof", "partial" or "too large"
}

// splitAll splits buf with wire.SplitFrame the way a caller with its own
// buffer does: data arrives in two parts, split at off.
func splitAll(data []byte, off int, max uint32) frameResult {
	var res frameResult
	buf := append([]byte(nil), data[:off]...)
	for pass := 0; pass < 2; pass++ {
		for {
			body, rest, ok, err := wire.SplitFrame(buf, max)
			if err != nil {
				if !errors.Is(err, wire.ErrFrameTooLarge) {
					res.End = "unexpected error: " + err.Error()
				} else {
					res.End = "too large"
				}
				return res
			}
			if !ok {
				buf = rest
				break
			}
			res.Frames = append(res.Frames, append([]byte(nil), body...))
			buf = rest
		}
		if pass == 0 {
			buf = append(buf, data[off:]...)
		}
	}
	if len(buf) == 0 {
		res.End = "eof"
	} else {
		res.End = "partial"
	}
	return res
}

// readAll reads every frame from r with a wire.FrameReader.
func readAll(r io.Reader, max uint32) frameResult {
	var res frameResult
	fr := wire.NewFrameReader(r, max)
	for {
		body, err := fr.Next()
		switch {
		case err == nil:
			res.Frames = append(res.Frames, append([]byte(nil), body...))
			continue
		case errors.Is(err, io.EOF):
			res.End = "eof"
		case errors.Is(err, io.ErrUnexpectedEOF):
			res.End = "partial"
		case errors.Is(err, wire.ErrFrameTooLarge):
			res.End = "too large"
		default:
			res.End = "unexpected error: " + err.Error()
		}
		return res
	}
}

// FuzzSplitFrame checks that SplitFrame (fed in two parts split at a
// fuzzer-chosen offset) and FrameReader (reading the same two parts, and
// one byte at a time) agree on the frames and on how the stream ends.
func FuzzSplitFrame(f *testing.F) {
	login, _ := hex.DecodeString("4800000001000000080000007465737475736572080000007465737470617373a000000020000000653666346332353730643330656633616265326363333066326238306630316403000000")
	wait, _ := hex.DecodeString("0800000002000000bb080000")
	f.Add(cat(login, wait), uint16(10))                 // Login+SetWaitPort in one write (Soulseek.NET)
	f.Add(cat(login, wait), uint16(len(login)))         // split exactly between frames
	f.Add(cat(login, wait[:6]), uint16(3))              // ends mid-frame
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 1}, uint16(2)) // over the limit
	f.Add([]byte{}, uint16(0))
	f.Add([]byte{0, 0, 0, 0, 0, 0}, uint16(5)) // empty frames, then a partial header
	f.Fuzz(func(t *testing.T, data []byte, split uint16) {
		const max = 256
		off := int(split) % (len(data) + 1)
		want := splitAll(data, off, max)
		if full := splitAll(data, len(data), max); !cmp.Equal(want, full) {
			t.Fatalf("split at %d differs from one buffer:\n%+v\n%+v", off, want, full)
		}
		two := readAll(io.MultiReader(bytes.NewReader(data[:off]), bytes.NewReader(data[off:])), max)
		if diff := cmp.Diff(want, two); diff != "" {
			t.Fatalf("FrameReader over two parts differs from SplitFrame (-split +reader):\n%s", diff)
		}
		one := readAll(iotest.OneByteReader(bytes.NewReader(data)), max)
		if diff := cmp.Diff(want, one); diff != "" {
			t.Fatalf("FrameReader one byte at a time differs from SplitFrame (-split +reader):\n%s", diff)
		}
	})
}

// TestFrameReaderServerStream reads what Soulseek.NET sends in one write
// (Login and SetWaitPort) followed by a frame cut short, and decodes the
// frames it gets.
func TestFrameReaderServerStream(t *testing.T) {
	stream := cat(
		AppendServerFrame(nil, &Login{Username: "u", Password: "p", Major: 170, Minor: 760}),
		AppendServerFrame(nil, &SetWaitPort{Port: 50300}),
		AppendServerFrame(nil, &ServerPing{}),
		[]byte{8, 0, 0, 0, 28, 0}, // SetStatus, cut inside the code
	)
	fr := wire.NewFrameReader(iotest.HalfReader(bytes.NewReader(stream)), MaxServerFrame)
	want := []ServerMessage{
		&Login{Username: "u", Password: "p", Major: 170, Minor: 760},
		&SetWaitPort{Port: 50300},
		&ServerPing{},
	}
	for i, w := range want {
		body, err := fr.Next()
		if err != nil {
			t.Fatalf("frame %d: %v", i, err)
		}
		got, err := DecodeServerRequest(body)
		if err != nil {
			t.Fatalf("frame %d: decode: %v", i, err)
		}
		if diff := cmp.Diff(w, got, cmpOpts); diff != "" {
			t.Errorf("frame %d (-want +got):\n%s", i, diff)
		}
	}
	if _, err := fr.Next(); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("cut frame: err = %v, want io.ErrUnexpectedEOF", err)
	}
}

// TestFrameReaderServerLimit checks that a length above MaxServerFrame is
// refused from the header alone (spec §1.2: disconnect above ~64 KiB).
func TestFrameReaderServerLimit(t *testing.T) {
	hdr := u32(MaxServerFrame + 1)
	fr := wire.NewFrameReader(bytes.NewReader(hdr), MaxServerFrame)
	if _, err := fr.Next(); !errors.Is(err, wire.ErrFrameTooLarge) {
		t.Errorf("FrameReader: err = %v, want ErrFrameTooLarge", err)
	}
	if _, _, _, err := wire.SplitFrame(hdr, MaxServerFrame); !errors.Is(err, wire.ErrFrameTooLarge) {
		t.Errorf("SplitFrame: err = %v, want ErrFrameTooLarge", err)
	}
	ok := cat(u32(MaxServerFrame), make([]byte, MaxServerFrame))
	if body, _, whole, err := wire.SplitFrame(ok, MaxServerFrame); err != nil || !whole || len(body) != MaxServerFrame {
		t.Errorf("frame of exactly MaxServerFrame: whole=%v err=%v len=%d", whole, err, len(body))
	}
}
