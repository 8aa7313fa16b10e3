package slsk

import (
	"errors"
	"testing"

	"github.com/revival-net/revival/internal/wire"
)

// errCase is a frame body that must not decode. want, when set, is an
// error the result must wrap.
type errCase struct {
	name string
	raw  []byte
	want error
}

func runErrCases[M any](t *testing.T, cases []errCase, decode func([]byte) (M, error)) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, err := decode(tc.raw)
			if err == nil {
				t.Fatalf("decoded %#v, want an error", m)
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want one wrapping %v", err, tc.want)
			}
		})
	}
}

func TestDecodePeerErrors(t *testing.T) {
	runErrCases(t, []errCase{
		{"empty body", nil, wire.ErrShort},
		{"code cut short", []byte{9, 0}, wire.ErrShort},
		{"unknown code", u32(1234), ErrUnknownCode},
		{"obsolete code 1 is not decoded", u32(1), ErrUnknownCode},
		{"QueueUpload name longer than payload", cat(u32(43), u32(100), []byte("abc")), wire.ErrTooLarge},
		{"TransferRequest upload without size", cat(u32(40), u32(1), u32(5), str("f")), wire.ErrShort},
		{"TransferResponse allowed, size cut", cat(u32(41), u32(5), u8(1), []byte{1, 2, 3}), wire.ErrShort},
		{"UserInfoResponse picture larger than payload", cat(u32(16), str(""), u8(1), u32(1<<30)), wire.ErrTooLarge},
		{"UserInfoResponse cut before slots free", cat(u32(16), str(""), u8(0), u32(1), u32(2)), wire.ErrShort},
		{"PlaceInQueueResponse without place", cat(u32(44), str("f")), wire.ErrShort},
		{"UploadDenied without reason", cat(u32(50), str("f")), wire.ErrShort},
		{"FolderContentsRequest without folder", cat(u32(36), u32(1)), wire.ErrShort},
		{"zlib: empty payload", u32(9), nil},
		{"zlib: not a zlib stream", cat(u32(9), []byte("plain text, not zlib")), nil},
		{"zlib: corrupt checksum", cat(u32(9), corruptTail(deflated(str("u"), u32(1), u32(0), u8(1), u32(0), u32(0)))), nil},
		{"FileSearchResponse huge file count", cat(u32(9), deflated(str("u"), u32(1), u32(0xFFFFFFFF))), wire.ErrTooLarge},
		{"FileSearchResponse huge attribute count", cat(u32(9), deflated(str("u"), u32(1), u32(1),
			u8(1), str("f"), u64(1), str(""), u32(0x40000000))), wire.ErrTooLarge},
		{"FileSearchResponse cut before slot free", cat(u32(9), deflated(str("u"), u32(1), u32(0))), wire.ErrShort},
		{"SharedFileListResponse huge dir count", cat(u32(5), deflated(u32(0x20000000))), wire.ErrTooLarge},
		{"SharedFileListResponse huge private dir count", cat(u32(5), deflated(u32(0), u32(0), u32(0x20000000))), wire.ErrTooLarge},
		{"FolderContentsResponse cut in folder", cat(u32(37), deflated(u32(1), u32(50), []byte("ab"))), wire.ErrTooLarge},
	}, DecodePeer)
}

func TestDecodeDistribErrors(t *testing.T) {
	runErrCases(t, []errCase{
		{"empty body", nil, wire.ErrShort},
		{"unknown code", u8(99), ErrUnknownCode},
		{"DistribSearch cut in query", cat(u8(3), u32(49), str("ghost"), u32(777), u32(6), []byte("art")), wire.ErrTooLarge},
		{"DistribSearch without token", cat(u8(3), u32(49), str("ghost")), wire.ErrShort},
		{"DistribBranchLevel cut", cat(u8(4), []byte{1, 2}), wire.ErrShort},
		{"DistribBranchRoot without root", u8(5), wire.ErrShort},
		{"DistribChildDepth without depth", u8(7), wire.ErrShort},
		{"DistribEmbeddedMessage empty", u8(93), wire.ErrShort},
	}, DecodeDistrib)
}

func TestDecodeInitErrors(t *testing.T) {
	runErrCases(t, []errCase{
		{"empty body", nil, wire.ErrShort},
		{"unknown code", cat(u8(2), u32(0)), ErrUnknownCode},
		{"PierceFireWall token cut", hx("00 5a 44 32"), wire.ErrShort},
		{"PeerInit username longer than payload", cat(u8(1), u32(1000), []byte("test")), wire.ErrTooLarge},
		{"PeerInit without type", cat(u8(1), str("testuser")), wire.ErrShort},
	}, DecodeInit)
}

// corruptTail flips the last byte of a zlib stream (its Adler-32).
func corruptTail(z []byte) []byte {
	z = append([]byte{}, z...)
	z[len(z)-1] ^= 0xFF
	return z
}

// TestZlibBomb feeds a stream that inflates past the cap. The cap is
// lowered so the test stays cheap: 1 MiB of zeros against a 64 KiB cap
// exercises the same guard as 100 MiB against MaxInflated.
func TestZlibBomb(t *testing.T) {
	lim := ZlibLimit{Inflated: 64 << 10, Entries: 1000, Decoded: 1 << 20}
	bomb := wire.Deflate(make([]byte, 1<<20))
	if len(bomb) > 4<<10 {
		t.Fatalf("test setup: %d-byte bomb is not small", len(bomb))
	}
	for _, code := range []PeerCode{PeerCodeSharedFileListResponse, PeerCodeFileSearchResponse, PeerCodeFolderContentsResponse} {
		_, err := DecodePeerLimited(cat(u32(uint32(code)), bomb), lim)
		if !errors.Is(err, wire.ErrInflateTooLarge) {
			t.Errorf("%v: err = %v, want %v", code, err, wire.ErrInflateTooLarge)
		}
	}

	// Just under the cap still decodes: the guard is the cap, not a
	// blanket refusal of large streams.
	share := &SharedFileListResponse{Dirs: []Dir{{Name: string(make([]byte, 60<<10))}}}
	if _, err := DecodePeerLimited(AppendPeerFrame(nil, share)[4:], lim); err != nil {
		t.Errorf("stream under the cap: %v", err)
	}
}

// TestZlibLimitsPerType: each zlib message is inflated under its own
// type's cap, so a search answer cannot cost what a share list may. A
// stream that a share list may inflate to is refused as a search answer
// or folder contents.
func TestZlibLimitsPerType(t *testing.T) {
	share, _ := DefaultZlibLimit(PeerCodeSharedFileListResponse)
	folder, _ := DefaultZlibLimit(PeerCodeFolderContentsResponse)
	search, _ := DefaultZlibLimit(PeerCodeFileSearchResponse)
	if !(search.Inflated < folder.Inflated && folder.Inflated < share.Inflated && share.Inflated == MaxInflated) {
		t.Fatalf("inflation caps search %d, folder %d, share %d: want search < folder < share = MaxInflated", search.Inflated, folder.Inflated, share.Inflated)
	}
	if _, ok := DefaultZlibLimit(PeerCodeUserInfoResponse); ok {
		t.Error("UserInfoResponse has a zlib limit; it is not compressed")
	}
	// search.Inflated+1 bytes: one past the search cap, well under the
	// others. A directory name carries them, so the stream is valid for
	// every type.
	over := wire.Deflate(cat(u32(0), u32(uint32(search.Inflated)-3), make([]byte, search.Inflated-3), u32(0)))
	_, err := DecodePeer(cat(u32(uint32(PeerCodeFileSearchResponse)), over))
	if !errors.Is(err, wire.ErrInflateTooLarge) {
		t.Errorf("search answer one byte over its cap: %v, want %v", err, wire.ErrInflateTooLarge)
	}
	if _, err := DecodePeer(cat(u32(uint32(PeerCodeFolderContentsResponse)), over)); err != nil {
		t.Errorf("the same stream as folder contents: %v", err)
	}
	if search.FrameLimit() >= MaxPeerFrame || share.FrameLimit() != MaxPeerFrame {
		t.Errorf("frame limits: search %d, share %d; want search < MaxPeerFrame = share", search.FrameLimit(), share.FrameLimit())
	}
}

// TestTruncatedFrames cuts every table row at every length. Nothing may
// panic, and a cut zlib stream must always fail (zlib ends in a checksum).
func TestTruncatedFrames(t *testing.T) {
	for _, tc := range peerCases {
		for n := range len(tc.raw) {
			_, err := DecodePeer(tc.raw[:n])
			if tc.zlib && err == nil {
				t.Errorf("%s cut to %d bytes: decoded without error", tc.name, n)
			}
		}
	}
	for _, tc := range distribCases {
		for n := range len(tc.raw) {
			_, _ = DecodeDistrib(tc.raw[:n])
		}
	}
	for _, tc := range initCases {
		for n := range len(tc.raw) {
			_, _ = DecodeInit(tc.raw[:n])
		}
	}
}
