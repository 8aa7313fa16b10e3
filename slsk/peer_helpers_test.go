package slsk

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/revival-net/revival/internal/wire"
)

// frameCase is one row of a peer, distributed or peer-init codec table.
// raw is a frame body (code + payload) without the length prefix.
//
// Rows are checked three ways: raw decodes to msg; msg re-encodes to raw
// (skipped for lenient rows, whose input is a tolerated variant, and for
// zlib rows, whose compressed bytes depend on the compressor); and the
// re-encoded frame decodes back to msg. For zlib rows, plain (when set) is
// what our encoding must inflate to, byte for byte.
type frameCase[M any] struct {
	name    string
	raw     []byte
	msg     M
	lenient bool
	zlib    bool
	plain   []byte
}

// hx turns a capture's hex dump ("78 5e e3 …") into bytes.
func hx(s string) []byte {
	b, err := hex.DecodeString(strings.Join(strings.Fields(s), ""))
	if err != nil {
		panic(err)
	}
	return b
}

// deflated returns a zlib stream of the concatenated parts, for rows whose
// capture only kept the decompressed payload.
func deflated(parts ...[]byte) []byte { return wire.Deflate(cat(parts...)) }

func u8(v uint8) []byte { return []byte{v} }

// file encodes one file entry of spec §3.3 for annotated tables.
func file(name string, size uint64, ext string, attrs ...uint32) []byte {
	out := cat(u8(1), str(name), u64(size), str(ext), u32(uint32(len(attrs)/2)))
	for _, a := range attrs {
		out = append(out, u32(a)...)
	}
	return out
}

func runFrameCases[M any](t *testing.T, cases []frameCase[M], decode func([]byte) (M, error), frame func([]byte, M) []byte, max uint32) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := decode(tc.raw)
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if diff := cmp.Diff(tc.msg, got, cmpOpts); diff != "" {
				t.Errorf("decode mismatch (-want +got):\n%s", diff)
			}
			body, _, ok, err := wire.SplitFrame(frame(nil, tc.msg), max)
			if !ok || err != nil {
				t.Fatalf("re-encoded frame does not split: ok=%v err=%v", ok, err)
			}
			if !tc.lenient && !tc.zlib && !bytes.Equal(body, tc.raw) {
				t.Errorf("encode mismatch:\n got %x\nwant %x", body, tc.raw)
			}
			again, err := decode(body)
			if err != nil {
				t.Fatalf("decode of re-encoded frame: %v", err)
			}
			if diff := cmp.Diff(tc.msg, again, cmpOpts); diff != "" {
				t.Errorf("round trip mismatch (-want +got):\n%s", diff)
			}
			if tc.plain != nil {
				inflated, err := wire.Inflate(body[4:], MaxInflated)
				if err != nil {
					t.Fatalf("inflate our encoding: %v", err)
				}
				if !bytes.Equal(inflated, tc.plain) {
					t.Errorf("inflated encoding mismatch:\n got %x\nwant %x", inflated, tc.plain)
				}
			}
		})
	}
}
