package wpn

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// FrameHeaderSize is the size of the [type u16][length u16] header of a
// secondary↔primary or chat frame (wpn.md §3.1).
const FrameHeaderSize = 4

// MaxPayload is the largest payload a frame header can announce.
const MaxPayload = 0xFFFF

// AppendFrame appends a plaintext frame: type, payload length, payload.
// The caller encrypts it with the connection's outgoing Cipher, in the
// order frames go on the wire.
func AppendFrame(b []byte, typ uint16, payload []byte) []byte {
	if len(payload) > MaxPayload {
		panic(fmt.Sprintf("wpn: %d-byte payload for type 0x%04X", len(payload), typ))
	}
	b = binary.LittleEndian.AppendUint16(b, typ)
	b = binary.LittleEndian.AppendUint16(b, uint16(len(payload)))
	return append(b, payload...)
}

// ErrFrameTooLarge reports a frame whose payload passed the reader's
// limit. The frame was read and decrypted (so the cipher stays in step)
// and thrown away; the connection can go on, as WinMX clients do with
// over-long frames (wpn.md §3.1), or the caller can drop it.
var ErrFrameTooLarge = errors.New("wpn: frame larger than the limit, skipped")

// FrameReader reads frames from a stream encrypted with one Cipher.
// Buffers grow as bytes arrive, so a header that announces 64 KiB costs
// nothing until the bytes come.
type FrameReader struct {
	r   io.Reader
	c   *Cipher // nil: plaintext (tests, captures already decrypted)
	max int
	hdr [FrameHeaderSize]byte
	buf []byte

	// OnStart, if set, is called when a frame's first byte has arrived
	// (a server starts the frame's deadline there, so an idle peer costs
	// nothing but one that stalls inside a frame is dropped).
	OnStart func()
}

// readChunk is how much a FrameReader reads (and grows) at a time.
const readChunk = 4 << 10

// NewFrameReader returns a reader of frames of at most max payload bytes
// (0 or more than MaxPayload: MaxPayload) decrypted with c.
func NewFrameReader(r io.Reader, c *Cipher, max int) *FrameReader {
	if max <= 0 || max > MaxPayload {
		max = MaxPayload
	}
	return &FrameReader{r: r, c: c, max: max}
}

// Next returns the next frame's type and payload. The payload aliases an
// internal buffer that the next call reuses. After ErrFrameTooLarge the
// reader is still in step and Next can be called again; any other error
// is final.
func (f *FrameReader) Next() (typ uint16, payload []byte, err error) {
	if f.OnStart == nil {
		if _, err := io.ReadFull(f.r, f.hdr[:]); err != nil {
			return 0, nil, err
		}
	} else {
		if _, err := io.ReadFull(f.r, f.hdr[:1]); err != nil {
			return 0, nil, err
		}
		f.OnStart()
		if _, err := io.ReadFull(f.r, f.hdr[1:]); err != nil {
			return 0, nil, unexpected(err)
		}
	}
	if f.c != nil {
		f.c.Decrypt(f.hdr[:], f.hdr[:])
	}
	typ = binary.LittleEndian.Uint16(f.hdr[0:])
	n := int(binary.LittleEndian.Uint16(f.hdr[2:]))
	if n > f.max {
		return typ, nil, f.skip(typ, n)
	}
	if cap(f.buf) > readChunk && n <= readChunk {
		f.buf = nil // an earlier large frame's buffer is not kept for small ones
	}
	f.buf = f.buf[:0]
	for len(f.buf) < n {
		step := min(n-len(f.buf), max(readChunk, len(f.buf)))
		f.buf = growTo(f.buf, len(f.buf)+step)
		part := f.buf[len(f.buf)-step:]
		if _, err := io.ReadFull(f.r, part); err != nil {
			return 0, nil, unexpected(err)
		}
		if f.c != nil {
			f.c.Decrypt(part, part)
		}
	}
	return typ, f.buf[:n], nil
}

func (f *FrameReader) skip(typ uint16, n int) error {
	var scratch [readChunk]byte
	for n > 0 {
		part := scratch[:min(n, len(scratch))]
		if _, err := io.ReadFull(f.r, part); err != nil {
			return unexpected(err)
		}
		if f.c != nil {
			f.c.Decrypt(part, part)
		}
		n -= len(part)
	}
	return fmt.Errorf("%w (type 0x%04X)", ErrFrameTooLarge, typ)
}

func growTo(b []byte, n int) []byte {
	if n <= cap(b) {
		return b[:n]
	}
	nb := make([]byte, n, max(n, 2*cap(b)))
	copy(nb, b)
	return nb
}

// unexpected turns an EOF inside a frame into io.ErrUnexpectedEOF.
func unexpected(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}
