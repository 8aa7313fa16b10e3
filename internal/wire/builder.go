package wire

import (
	"encoding/binary"
	"unicode/utf8"
)

// Builder appends little-endian fields to a byte slice. It has no error
// state: every field can always be encoded.
type Builder struct {
	buf []byte
}

// NewBuilder returns a Builder that appends to b (which may be nil).
func NewBuilder(b []byte) *Builder { return &Builder{buf: b} }

// Bytes returns the bytes built so far.
func (b *Builder) Bytes() []byte { return b.buf }

// Len returns the number of bytes built so far.
func (b *Builder) Len() int { return len(b.buf) }

// Uint8 appends one byte.
func (b *Builder) Uint8(v uint8) { b.buf = append(b.buf, v) }

// Bool appends 1 or 0.
func (b *Builder) Bool(v bool) {
	if v {
		b.buf = append(b.buf, 1)
	} else {
		b.buf = append(b.buf, 0)
	}
}

// Uint16 appends a little-endian uint16.
func (b *Builder) Uint16(v uint16) { b.buf = binary.LittleEndian.AppendUint16(b.buf, v) }

// Uint32 appends a little-endian uint32.
func (b *Builder) Uint32(v uint32) { b.buf = binary.LittleEndian.AppendUint32(b.buf, v) }

// Int32 appends a little-endian int32.
func (b *Builder) Int32(v int32) { b.Uint32(uint32(v)) }

// Uint64 appends a little-endian uint64.
func (b *Builder) Uint64(v uint64) { b.buf = binary.LittleEndian.AppendUint64(b.buf, v) }

// Raw appends p unchanged.
func (b *Builder) Raw(p []byte) { b.buf = append(b.buf, p...) }

// LenBytes appends a uint32 length and p.
func (b *Builder) LenBytes(p []byte) {
	b.Uint32(uint32(len(p)))
	b.buf = append(b.buf, p...)
}

// String appends a uint32 length and s. Valid UTF-8 is sent as is (modern
// clients expect UTF-8); invalid sequences are replaced so the peer never
// sees broken text that we produced.
func (b *Builder) String(s string) {
	if !utf8.ValidString(s) {
		s = toValidUTF8(s)
	}
	b.Uint32(uint32(len(s)))
	b.buf = append(b.buf, s...)
}

// Reserve32 appends a placeholder uint32 and returns its offset, for a
// length written later with Patch32.
func (b *Builder) Reserve32() int {
	off := len(b.buf)
	b.buf = append(b.buf, 0, 0, 0, 0)
	return off
}

// Patch32 writes v at off, which Reserve32 returned.
func (b *Builder) Patch32(off int, v uint32) { binary.LittleEndian.PutUint32(b.buf[off:], v) }
