package wpnclient

import (
	"encoding/binary"
	"io"
	"math/bits"

	"github.com/revival-net/revival/wpn"
)

// hashChunk is WinMX's GetFileHash read size (wpn.md §2.7).
const hashChunk = 128 << 10

// FileHash computes the 20-byte share hash of wpn.md §2.7: WinMX's
// 16-byte sampled checksum followed by the file length (u32 LE). It reads
// 128 KiB chunks and skips (blockskip−1) chunks after each, blockskip =
// max(5, size/128 KiB/10), stopping after the first short chunk. [G]: the
// spec says "the per-chunk seed s starts at 0xC9 and n at 0"; we reset
// both at every chunk.
func FileHash(r io.ReaderAt, size int64) ([wpn.HashSize]byte, error) {
	var h [16]byte
	skip := max(5, size/hashChunk/10)
	buf := make([]byte, hashChunk)
	for off := int64(0); off < size; off += skip * hashChunk {
		n, err := r.ReadAt(buf, off)
		if err != nil && err != io.EOF {
			return [wpn.HashSize]byte{}, err
		}
		mixChunk(&h, buf[:n])
		if n < hashChunk {
			break
		}
	}
	var out [wpn.HashSize]byte
	copy(out[:], h[:])
	binary.LittleEndian.PutUint32(out[16:], uint32(size))
	return out, nil
}

// mixChunk folds one chunk into h: for each 16-byte window at offsets
// 0, 16, … below len−16, add it bytewise, then chain-XOR with the seed,
// then derive the next seed from the window count and h[15].
func mixChunk(h *[16]byte, chunk []byte) {
	if len(chunk) <= 16 {
		return
	}
	s := byte(0xC9)
	n := byte(0)
	for off := 0; off < len(chunk)-16; off += 16 {
		for j := range 16 {
			h[j] += chunk[off+j]
		}
		h[0] ^= s
		for j := 1; j < 16; j++ {
			h[j] ^= h[j-1]
		}
		s = bits.RotateLeft8(n+h[15], 1)
		n++
	}
}
