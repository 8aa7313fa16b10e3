package wire

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/klauspost/compress/zlib"
)

// ErrInflateTooLarge reports a compressed payload that expands past the
// caller's cap: a decompression bomb, or a share list bigger than we accept.
var ErrInflateTooLarge = errors.New("wire: decompressed data too large")

// inflateChunk is the first buffer Inflate reads into; it doubles from
// there, never past the cap.
const inflateChunk = 64 << 10

// Inflate decompresses a zlib stream, refusing output larger than max bytes.
// It reads at most max+1 bytes of output, and its buffer grows as output
// arrives but never beyond max+1 bytes (bytes.Buffer would double past the
// cap, so a 64 MiB cap could cost 128 MiB).
func Inflate(p []byte, max int64) ([]byte, error) {
	zr, err := zlib.NewReader(bytes.NewReader(p))
	if err != nil {
		return nil, fmt.Errorf("wire: zlib: %w", err)
	}
	defer zr.Close()
	out := make([]byte, 0, min(max+1, inflateChunk))
	for {
		if len(out) == cap(out) {
			if int64(len(out)) > max {
				return nil, fmt.Errorf("%w: limit %d", ErrInflateTooLarge, max)
			}
			grown := make([]byte, len(out), min(2*int64(cap(out)), max+1))
			copy(grown, out)
			out = grown
		}
		n, err := zr.Read(out[len(out):cap(out)])
		out = out[:len(out)+n]
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("wire: zlib: %w", err)
		}
	}
	if int64(len(out)) > max {
		return nil, fmt.Errorf("%w: limit %d", ErrInflateTooLarge, max)
	}
	return out, nil
}

// InflatePrefix returns the first n bytes a zlib stream inflates to, or
// all of them when it inflates to fewer. It reads no further, so it costs
// what n bytes cost whatever the stream would expand to, and it does not
// check the stream's trailing checksum: a receiver peeks at a message's
// first fields (a token) to decide whether to inflate the rest at all.
func InflatePrefix(p []byte, n int) ([]byte, error) {
	zr, err := zlib.NewReader(bytes.NewReader(p))
	if err != nil {
		return nil, fmt.Errorf("wire: zlib: %w", err)
	}
	defer zr.Close()
	out := make([]byte, n)
	k, err := io.ReadFull(zr, out)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("wire: zlib: %w", err)
	}
	return out[:k], nil
}

// Deflate compresses p as a zlib stream, as Soulseek peers expect for share
// lists, search results and folder contents.
func Deflate(p []byte) []byte {
	var out bytes.Buffer
	zw := zlib.NewWriter(&out)
	_, _ = zw.Write(p) // writes to a bytes.Buffer cannot fail
	_ = zw.Close()
	return out.Bytes()
}
