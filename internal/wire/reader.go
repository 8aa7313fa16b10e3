package wire

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// ErrShort reports that a payload ended before a field was complete.
var ErrShort = errors.New("wire: payload too short")

// ErrTooLarge reports a count or length larger than the payload could hold
// or larger than the caller's limit; it is checked before allocating.
var ErrTooLarge = errors.New("wire: length or count too large")

// Reader decodes little-endian fields from a payload. The first error
// sticks: later reads return zero values, so a decoder reads top to bottom
// like the protocol table and checks Err once at the end (cryptobyte style).
type Reader struct {
	buf []byte
	off int
	err error
}

// NewReader returns a Reader over b. It does not copy b.
func NewReader(b []byte) *Reader { return &Reader{buf: b} }

// Reset points r at b and clears its error, so one Reader can be reused.
func (r *Reader) Reset(b []byte) { *r = Reader{buf: b} }

// Err returns the first error met, or nil.
func (r *Reader) Err() error { return r.err }

// Fail records err if no error was recorded yet. Decoders use it for
// semantic errors (a bad enum value) so they share the sticky path.
func (r *Reader) Fail(err error) {
	if r.err == nil {
		r.err = err
	}
}

// Len returns how many bytes are left.
func (r *Reader) Len() int { return len(r.buf) - r.off }

// Empty reports whether nothing is left; optional trailing fields are read
// only when it is false.
func (r *Reader) Empty() bool { return r.err != nil || r.off >= len(r.buf) }

// Offset returns how many bytes were consumed.
func (r *Reader) Offset() int { return r.off }

func (r *Reader) take(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || n > len(r.buf)-r.off {
		r.err = ErrShort
		return nil
	}
	b := r.buf[r.off : r.off+n]
	r.off += n
	return b
}

// Uint8 reads one byte.
func (r *Reader) Uint8() uint8 {
	b := r.take(1)
	if b == nil {
		return 0
	}
	return b[0]
}

// Bool reads one byte; any non-zero value is true, as clients read it.
func (r *Reader) Bool() bool { return r.Uint8() != 0 }

// Uint16 reads a little-endian uint16.
func (r *Reader) Uint16() uint16 {
	b := r.take(2)
	if b == nil {
		return 0
	}
	return binary.LittleEndian.Uint16(b)
}

// Uint32 reads a little-endian uint32.
func (r *Reader) Uint32() uint32 {
	b := r.take(4)
	if b == nil {
		return 0
	}
	return binary.LittleEndian.Uint32(b)
}

// Int32 reads a little-endian int32.
func (r *Reader) Int32() int32 { return int32(r.Uint32()) }

// Uint64 reads a little-endian uint64.
func (r *Reader) Uint64() uint64 {
	b := r.take(8)
	if b == nil {
		return 0
	}
	return binary.LittleEndian.Uint64(b)
}

// Bytes reads n raw bytes. The result aliases the payload.
func (r *Reader) Bytes(n int) []byte { return r.take(n) }

// Rest returns every byte not yet read and consumes them.
func (r *Reader) Rest() []byte { return r.take(r.Len()) }

// LenBytes reads a uint32 length, then that many bytes (aliasing the payload).
// The length is checked against what is left before anything is allocated.
func (r *Reader) LenBytes() []byte {
	n := r.Uint32()
	if r.err != nil {
		return nil
	}
	if uint64(n) > uint64(r.Len()) {
		r.err = fmt.Errorf("%w: %d-byte field with %d bytes left", ErrTooLarge, n, r.Len())
		return nil
	}
	return r.take(int(n))
}

// String reads a uint32-length-prefixed string. Bytes that are not valid
// UTF-8 are decoded as Windows-1252, as Nicotine+ and Soulfind fall back to
// Latin-1: old clients send legacy code pages.
func (r *Reader) String() string {
	b := r.LenBytes()
	if b == nil {
		return ""
	}
	return DecodeText(b)
}

// Count reads a uint32 element count and checks that count elements of at
// least minSize bytes each could fit in what is left, so a hostile count
// never makes a decoder allocate a huge slice.
func (r *Reader) Count(minSize int) int {
	n := r.Uint32()
	if r.err != nil {
		return 0
	}
	if minSize < 1 {
		minSize = 1
	}
	if uint64(n)*uint64(minSize) > uint64(r.Len()) {
		r.err = fmt.Errorf("%w: count %d with %d bytes left", ErrTooLarge, n, r.Len())
		return 0
	}
	return int(n)
}
