package wire

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"testing"
)

// stallReader hands out data, then records the buffer the frame reader
// offers for the bytes that never come, and fails.
type stallReader struct {
	data  []byte
	held  int // capacity offered at the stall, plus what was already delivered
	given int
}

var errStalled = errors.New("stalled")

func (r *stallReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		r.held = cap(p) + r.given
		return 0, errStalled
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	r.given += n
	return n, nil
}

// Issue 5, finding 5: 1,600 headers announcing 64 KiB frames, each
// followed by a few bytes and a stall, held 105 MiB. The buffer now grows
// as bytes arrive, so each stalled frame holds a few KiB.
func TestStalledLargeFramesHoldLittle(t *testing.T) {
	total := 0
	for range 1600 {
		hdr := binary.LittleEndian.AppendUint32(nil, 64<<10)
		r := &stallReader{data: append(hdr, bytes.Repeat([]byte{1}, 100)...)}
		fr := NewFrameReader(r, 64<<10)
		if _, err := fr.Next(); !errors.Is(err, errStalled) {
			t.Fatalf("Next = %v, want the stall", err)
		}
		total += r.held
	}
	if limit := 1600 * 8 << 10; total > limit {
		t.Fatalf("1,600 stalled 64 KiB frames hold %d KiB of buffers, want at most %d KiB", total>>10, limit>>10)
	}
}

// A large frame arriving in pieces grows its buffer and comes out whole;
// OnStart runs once per frame, after its first byte.
func TestLargeFrameGrowsAndOnStart(t *testing.T) {
	body := make([]byte, 100<<10)
	for i := range body {
		body[i] = byte(i * 7)
	}
	stream := binary.LittleEndian.AppendUint32(nil, uint32(len(body)))
	stream = append(stream, body...)
	stream = append(stream, 1, 0, 0, 0, 'x')
	starts := 0
	fr := NewFrameReader(io.MultiReader(bytes.NewReader(stream[:1]), &oneByteThenRest{stream[1:]}), 1<<20)
	fr.OnStart = func() { starts++ }
	got, err := fr.Next()
	if err != nil || !bytes.Equal(got, body) {
		t.Fatalf("large frame: err %v, equal %v", err, bytes.Equal(got, body))
	}
	if got, err := fr.Next(); err != nil || string(got) != "x" {
		t.Fatalf("second frame %q, %v", got, err)
	}
	if _, err := fr.Next(); err != io.EOF {
		t.Fatalf("at the end: %v, want EOF", err)
	}
	if starts != 2 {
		t.Fatalf("OnStart ran %d times, want 2", starts)
	}
}

// oneByteThenRest returns small reads, as a slow network does.
type oneByteThenRest struct{ b []byte }

func (r *oneByteThenRest) Read(p []byte) (int, error) {
	if len(r.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.b[:min(len(r.b), 1000)])
	r.b = r.b[n:]
	return n, nil
}
