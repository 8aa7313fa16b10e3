package slsk

import (
	"encoding/binary"
	"io"
)

// An F connection has no framing (spec §1.2, §3.4): after PeerInit the
// uploader sends a raw u32 transfer token, the downloader answers with a raw
// u64 offset to resume from, and the file bytes follow. These helpers keep
// those two fields in the codec.

// AppendFileToken appends the raw u32 token the uploader sends first.
func AppendFileToken(dst []byte, token uint32) []byte {
	return binary.LittleEndian.AppendUint32(dst, token)
}

// AppendFileOffset appends the raw u64 offset the downloader answers with
// (0 for a fresh download, the bytes already held for a resume).
func AppendFileOffset(dst []byte, off uint64) []byte {
	return binary.LittleEndian.AppendUint64(dst, off)
}

// ReadFileToken reads the raw u32 token. It returns io.EOF if the socket
// closed before any byte and io.ErrUnexpectedEOF if it closed mid-field.
func ReadFileToken(r io.Reader) (uint32, error) {
	var b [4]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint32(b[:]), nil
}

// ReadFileOffset reads the raw u64 offset, with ReadFileToken's errors.
func ReadFileOffset(r io.Reader) (uint64, error) {
	var b [8]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint64(b[:]), nil
}
