package slsk

import (
	"fmt"
	"testing"
)

// BenchmarkDecodePeer measures the hot path of a searching client: one
// FileSearchResponse with 100 results, each with the usual three audio
// attributes, compressed as a peer sends it.
func BenchmarkDecodePeer(b *testing.B) {
	files := make([]File, 100)
	for i := range files {
		files[i] = File{
			Code: 1,
			Name: fmt.Sprintf(`@@music\Some Artist\Some Album (%d)\%02d - Some Track Title.mp3`, i/10, i%10),
			Size: 8_000_000 + uint64(i),
			Attributes: []FileAttribute{
				{AttrBitrate, 320}, {AttrDuration, 245}, {AttrVBR, 0},
			},
		}
	}
	body := AppendPeerFrame(nil, &FileSearchResponse{
		Username: "someone", Token: 1234, Files: files, SlotFree: true, AvgSpeed: 1 << 20,
	})[4:]
	b.Run("FileSearchResponse/files=100", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if _, err := DecodePeer(body); err != nil {
				b.Fatal(err)
			}
		}
	})
}
