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

// Inflate decompresses a zlib stream, refusing output larger than max bytes.
func Inflate(p []byte, max int64) ([]byte, error) {
	zr, err := zlib.NewReader(bytes.NewReader(p))
	if err != nil {
		return nil, fmt.Errorf("wire: zlib: %w", err)
	}
	defer zr.Close()
	var out bytes.Buffer
	n, err := io.Copy(&out, io.LimitReader(zr, max+1))
	if err != nil {
		return nil, fmt.Errorf("wire: zlib: %w", err)
	}
	if n > max {
		return nil, fmt.Errorf("%w: limit %d", ErrInflateTooLarge, max)
	}
	return out.Bytes(), nil
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
