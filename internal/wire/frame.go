package wire

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// ErrFrameTooLarge reports a length prefix above the reader's limit. The
// frame is refused before any payload is read or allocated.
var ErrFrameTooLarge = errors.New("wire: frame too large")

// FrameReader reads frames that start with a uint32 little-endian length
// (the Soulseek layout: the length counts everything after itself). It
// handles frames split across reads and several frames per read, because it
// reads exactly the announced bytes with io.ReadFull.
type FrameReader struct {
	r   io.Reader
	max uint32
	hdr [4]byte
	buf []byte // reused when frames are small; see Next

	// OnStart, when set, is called as soon as a frame's first byte has
	// arrived, before the rest is read: the connection layer starts the
	// frame's deadline there (netconn.Conn.FrameStarted), so a peer that
	// begins a frame and stalls is dropped even when idle peers are not.
	OnStart func()
}

// NewFrameReader returns a reader that refuses frames longer than max bytes.
func NewFrameReader(r io.Reader, max uint32) *FrameReader {
	return &FrameReader{r: r, max: max}
}

// smallFrame is the size up to which the payload buffer is reused. Larger
// frames get their own allocation and are not kept, so an idle connection
// never pins a large buffer.
const smallFrame = 256

// growStep is the first allocation for a larger frame's body. The buffer
// then doubles as the bytes arrive, so a header that announces 64 KiB and
// never sends them holds 4 KiB, not 64 (issue 5: 1,600 such headers held
// 105 MiB), while a real large frame costs about one extra copy.
const growStep = 4 << 10

// Next returns the next frame body (without its length prefix). The slice
// is only valid until the next call. io.EOF means the peer closed cleanly
// between frames; io.ErrUnexpectedEOF means it closed mid-frame.
func (f *FrameReader) Next() ([]byte, error) {
	k, err := io.ReadAtLeast(f.r, f.hdr[:], 1)
	if err != nil {
		return nil, err
	}
	if f.OnStart != nil {
		f.OnStart()
	}
	if _, err := io.ReadFull(f.r, f.hdr[k:]); err != nil {
		return nil, unexpected(err)
	}
	n := binary.LittleEndian.Uint32(f.hdr[:])
	if n > f.max {
		return nil, fmt.Errorf("%w: %d bytes, limit %d", ErrFrameTooLarge, n, f.max)
	}
	if n <= smallFrame {
		if f.buf == nil {
			f.buf = make([]byte, smallFrame)
		}
		body := f.buf[:n]
		if _, err := io.ReadFull(f.r, body); err != nil {
			return nil, unexpected(err)
		}
		return body, nil
	}
	body := make([]byte, 0, min(int(n), growStep))
	for len(body) < int(n) {
		if len(body) == cap(body) {
			grown := make([]byte, len(body), min(int(n), 2*cap(body)))
			copy(grown, body)
			body = grown
		}
		got, err := io.ReadFull(f.r, body[len(body):cap(body)])
		body = body[:len(body)+got]
		if err != nil {
			return nil, unexpected(err)
		}
	}
	return body, nil
}

// unexpected turns io.EOF inside a frame into io.ErrUnexpectedEOF.
func unexpected(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

// Release drops the reused buffer, so an idle connection holds no payload
// memory. The next small frame allocates it again.
func (f *FrameReader) Release() { f.buf = nil }

// SplitFrame splits one frame off the front of buf for callers that do their
// own buffering. It returns the body, the rest, and ok=false when buf does
// not yet hold a whole frame. A length above max is an error.
func SplitFrame(buf []byte, max uint32) (body, rest []byte, ok bool, err error) {
	if len(buf) < 4 {
		return nil, buf, false, nil
	}
	n := binary.LittleEndian.Uint32(buf)
	if n > max {
		return nil, buf, false, fmt.Errorf("%w: %d bytes, limit %d", ErrFrameTooLarge, n, max)
	}
	if uint64(len(buf)-4) < uint64(n) {
		return nil, buf, false, nil
	}
	return buf[4 : 4+n], buf[4+n:], true, nil
}
