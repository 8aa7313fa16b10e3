package slsk

import (
	"bytes"
	"encoding/binary"
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/revival-net/revival/internal/wire"
)

// codecCase is one row of a codec table: annotated bytes and the message
// they are. Tests decode raw, compare, re-encode and compare bytes.
type codecCase struct {
	name string
	raw  []byte
	msg  ServerMessage
}

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
func u32(v uint32) []byte        { return binary.LittleEndian.AppendUint32(nil, v) }
func u64(v uint64) []byte        { return binary.LittleEndian.AppendUint64(nil, v) }
func str(s string) []byte        { return append(u32(uint32(len(s))), s...) }

var cmpOpts = cmp.Options{cmpopts.EquateComparable(netip.Addr{}), cmpopts.EquateEmpty()}

func runCodecCases(t *testing.T, cases []codecCase, decode func([]byte) (ServerMessage, error)) {
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
			frame := AppendServerFrame(nil, tc.msg)
			body, _, ok, err := wire.SplitFrame(frame, MaxServerFrame)
			if !ok || err != nil {
				t.Fatalf("re-encoded frame does not split: ok=%v err=%v", ok, err)
			}
			if !bytes.Equal(body, tc.raw) {
				t.Errorf("encode mismatch:\n got %x\nwant %x", body, tc.raw)
			}
		})
	}
}
