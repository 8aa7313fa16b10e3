package wpnclient

import (
	"bytes"
	"encoding/hex"
	"testing"
)

// Hand-derived vectors for wpn.md §2.7.
//
// 32 zero bytes: one chunk of L = 32; windows at offsets below L−16 = 16,
// so only offset 0. Adding zeros leaves H zero; H[0] ^= s (0xC9) gives
// 0xC9, and H[j] ^= H[j−1] makes every byte 0xC9. Then the size, 32, LE.
//
// 33 zero bytes: windows at 0 and 16 (16 < 17). After the first, H is all
// 0xC9 and s = rotl8(0 + 0xC9, 1) = 0x93, n = 1. The second adds zeros;
// H[0] = 0xC9 ^ 0x93 = 0x5A, H[1] = 0xC9 ^ 0x5A = 0x93, H[2] = 0x5A, …
// alternating. Then the size, 33.
func TestFileHashVectors(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want string
	}{
		{32, "c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9" + "20000000"},
		{33, "5a935a935a935a935a935a935a935a93" + "21000000"},
		{16, "00000000000000000000000000000000" + "10000000"}, // too short to mix
	} {
		h, err := FileHash(bytes.NewReader(make([]byte, tc.n)), int64(tc.n))
		if err != nil {
			t.Fatal(err)
		}
		if got := hex.EncodeToString(h[:]); got != tc.want {
			t.Errorf("%d zero bytes: %s, want %s", tc.n, got, tc.want)
		}
	}
}

// Large files are sampled: bytes in skipped chunks do not change the
// hash, bytes in read chunks do.
func TestFileHashSamples(t *testing.T) {
	data := make([]byte, 10*hashChunk)
	base, _ := FileHash(bytes.NewReader(data), int64(len(data)))
	data[2*hashChunk] = 1 // chunk 2 is skipped (blockskip 5: chunks 0 and 5 are read)
	if h, _ := FileHash(bytes.NewReader(data), int64(len(data))); h != base {
		t.Fatal("a skipped chunk changed the hash")
	}
	data[5*hashChunk+3] = 1
	if h, _ := FileHash(bytes.NewReader(data), int64(len(data))); h == base {
		t.Fatal("a read chunk did not change the hash")
	}
}
