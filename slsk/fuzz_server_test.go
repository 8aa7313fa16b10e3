package slsk

import (
	"bytes"
	"encoding/hex"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/revival-net/revival/internal/wire"
)

// serverSeeds returns every frame body the server tables know in one
// direction: codec rows, tolerant rows, capture frames and hostile counts.
func serverSeeds(reply bool) [][]byte {
	var seeds [][]byte
	cases := serverRequestCases
	if reply {
		cases = serverReplyCases
	}
	for _, tc := range cases {
		seeds = append(seeds, tc.raw)
	}
	for _, tc := range tolerantCases {
		if tc.reply == reply {
			seeds = append(seeds, tc.raw)
		}
	}
	for _, tc := range captureFrames {
		if tc.reply == reply {
			if b, err := hex.DecodeString(tc.hex); err == nil && len(b) >= 4 {
				seeds = append(seeds, b[4:])
			}
		}
	}
	for _, tc := range hostileCounts {
		if tc.reply == reply {
			seeds = append(seeds, tc.raw)
		}
	}
	return seeds
}

// fuzzServerRoundTrip is the property both fuzz targets check: decoding
// never panics; when it succeeds, encoding the message and decoding that
// again gives an equal message, and encoding is stable (a second
// encode-decode-encode gives the same bytes).
func fuzzServerRoundTrip(t *testing.T, body []byte, decode func([]byte) (ServerMessage, error)) {
	m, err := decode(body)
	if err != nil {
		return
	}
	frame := AppendServerFrame(nil, m)
	b1, rest, ok, err := wire.SplitFrame(frame, ^uint32(0))
	if !ok || err != nil || len(rest) != 0 {
		t.Fatalf("%T: re-encoded frame does not split: ok=%v err=%v", m, ok, err)
	}
	m2, err := decode(b1)
	if err != nil {
		t.Fatalf("%T: re-encoded %x does not decode: %v", m, b1, err)
	}
	if diff := cmp.Diff(m, m2, cmpOpts); diff != "" {
		t.Fatalf("%T: round trip changed the message (-first +second):\n%s", m, diff)
	}
	frame2 := AppendServerFrame(nil, m2)
	if !bytes.Equal(frame, frame2) {
		t.Fatalf("%T: encoding is not stable:\n %x\n %x", m, frame, frame2)
	}
}

func FuzzDecodeServerRequest(f *testing.F) {
	for _, s := range serverSeeds(false) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body []byte) { fuzzServerRoundTrip(t, body, DecodeServerRequest) })
}

func FuzzDecodeServerReply(f *testing.F) {
	for _, s := range serverSeeds(true) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body []byte) { fuzzServerRoundTrip(t, body, DecodeServerReply) })
}
