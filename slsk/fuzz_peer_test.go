package slsk

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/revival-net/revival/internal/wire"
)

// Fuzz properties for the peer-side codecs: no input panics, and whatever
// decodes re-encodes to a frame that decodes to an equal value. Seeds are
// the table rows (good and bad).

func checkRoundTrip[M any](t *testing.T, m M, frame func([]byte, M) []byte, decode func([]byte) (M, error), max uint32) {
	t.Helper()
	body, _, ok, err := wire.SplitFrame(frame(nil, m), max)
	if !ok || err != nil {
		t.Fatalf("re-encoded frame does not split: ok=%v err=%v", ok, err)
	}
	again, err := decode(body)
	if err != nil {
		t.Fatalf("re-encoded %#v does not decode: %v", m, err)
	}
	if diff := cmp.Diff(m, again, cmpOpts); diff != "" {
		t.Fatalf("round trip mismatch (-first +second):\n%s", diff)
	}
}

func FuzzDecodePeer(f *testing.F) {
	for _, tc := range peerCases {
		f.Add(tc.raw)
	}
	f.Add(cat(u32(9), deflated(str("u"), u32(1), u32(0xFFFFFFFF))))
	f.Add(cat(u32(5), deflated(u32(1), str("d"), u32(1), u8(1), str("f"), hx("00 00 00 80 ff ff ff ff"), str(""), u32(0))))
	f.Fuzz(func(t *testing.T, body []byte) {
		m, err := DecodePeer(body)
		if err != nil {
			return
		}
		checkRoundTrip(t, m, AppendPeerFrame, DecodePeer, MaxPeerFrame)
	})
}

func FuzzDecodeDistrib(f *testing.F) {
	for _, tc := range distribCases {
		f.Add(tc.raw)
	}
	f.Add(cat(u8(93), []byte{0, 0, 0}))
	f.Fuzz(func(t *testing.T, body []byte) {
		m, err := DecodeDistrib(body)
		if err != nil {
			return
		}
		checkRoundTrip(t, m, AppendDistribFrame, DecodeDistrib, MaxPeerFrame)
		if e, ok := m.(*DistribEmbeddedMessage); ok {
			_, _ = e.Message() // must not panic either
		}
	})
}

func FuzzDecodeInit(f *testing.F) {
	for _, tc := range initCases {
		f.Add(tc.raw)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		m, err := DecodeInit(body)
		if err != nil {
			return
		}
		checkRoundTrip(t, m, AppendInitFrame, DecodeInit, MaxInitFrame)
	})
}

// FuzzInflate checks the zlib helper the P messages rely on, with a small
// cap so the fuzzer cannot spend its time on legitimately large outputs:
// no panic, output never above the cap, and what inflates survives a
// Deflate/Inflate round trip.
func FuzzInflate(f *testing.F) {
	const limit = 1 << 16
	for _, tc := range peerCases {
		if tc.zlib {
			f.Add(tc.raw[4:])
		}
	}
	f.Add(wire.Deflate(make([]byte, limit+1)))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, z []byte) {
		out, err := wire.Inflate(z, limit)
		if err != nil {
			return
		}
		if len(out) > limit {
			t.Fatalf("inflated %d bytes past the %d cap", len(out), limit)
		}
		again, err := wire.Inflate(wire.Deflate(out), limit)
		if err != nil {
			t.Fatalf("re-deflated output does not inflate: %v", err)
		}
		if !bytes.Equal(again, out) {
			t.Fatalf("round trip changed %d bytes into %d", len(out), len(again))
		}
	})
}
