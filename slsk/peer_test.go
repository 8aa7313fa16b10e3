package slsk

import (
	"testing"
)

// songPath is the file every capture run shared and downloaded.
const songPath = `Music\Artist\test_song.mp3`

// specSearchResultPlain is the FileSearchResponse of spec §3.3 after zlib
// decompression, 80 bytes, sent by Nicotine+ to aioslsk
// (e2e_soulfind_nicotine_aioslsk_decoded.txt).
var specSearchResultPlain = cat(
	str("testuser"),            // username
	u32(2),                     // token
	u32(1),                     // one result
	file(songPath, 200000, ""), // code 1, path, size 200000, no ext, no attributes
	u8(1),                      // slot free
	u32(0),                     // average speed
	u32(0),                     // queue length
	u32(0),                     // unknown, always 0 (no private list follows)
)

var peerCases = []frameCase[PeerMessage]{
	{
		name: "SharedFileListRequest",
		raw:  u32(4),
		msg:  &SharedFileListRequest{},
	},
	{
		name:    "SharedFileListRequest/aioslsk trailing ticket is ignored",
		raw:     cat(u32(4), u32(7)),
		msg:     &SharedFileListRequest{},
		lenient: true,
	},
	{
		name: "SharedFileListResponse/public and private dirs",
		raw: cat(u32(5), deflated(
			u32(2),              // two public dirs
			str(`Music\Artist`), // dir
			u32(2),              // two files
			file("a.mp3", 4000000, "mp3", // lossy: bitrate, duration, VBR
				AttrBitrate, 320, AttrDuration, 100, AttrVBR, 0),
			file("b.flac", 30000000, "", // lossless: duration, rate, depth
				AttrDuration, 180, AttrSampleRate, 44100, AttrBitDepth, 16),
			str(`Music\Empty`), u32(0), // dir without files
			u32(0), // unknown, always 0
			u32(1), // one private dir
			str(`Buddies`), u32(1), file("c.ogg", 5, ""),
		)),
		zlib: true,
		msg: &SharedFileListResponse{
			Dirs: []Dir{
				{Name: `Music\Artist`, Files: []File{
					{Code: 1, Name: "a.mp3", Size: 4000000, Extension: "mp3", Attributes: []FileAttribute{{AttrBitrate, 320}, {AttrDuration, 100}, {AttrVBR, 0}}},
					{Code: 1, Name: "b.flac", Size: 30000000, Attributes: []FileAttribute{{AttrDuration, 180}, {AttrSampleRate, 44100}, {AttrBitDepth, 16}}},
				}},
				{Name: `Music\Empty`},
			},
			PrivateDirs: []Dir{{Name: "Buddies", Files: []File{{Code: 1, Name: "c.ogg", Size: 5}}}},
		},
	},
	{
		name: "SharedFileListResponse/empty share, no private list (as Nicotine+ sends)",
		raw:  cat(u32(5), deflated(u32(0), u32(0))),
		zlib: true,
		msg:  &SharedFileListResponse{},
		plain: cat(
			u32(0), // no dirs
			u32(0), // unknown
		),
	},
	{
		name: "FileSearchRequest (obsolete peer search)",
		raw:  cat(u32(8), u32(77), str("test song")),
		msg:  &FileSearchRequest{Token: 77, Query: "test song"},
	},
	{
		name: "FileSearchResponse/spec §3.3 example, real zlib bytes from Nicotine+",
		raw: cat(u32(9), hx(`78 5e e3 60 60 60 28 49 2d 2e 29 2d 4e 2d 62 02 b2 19 41 58 0a 48 f8 96 16 67 26
			c7 38 16 95 64 16 97 c4 80 54 c4 17 e7 e7 a5 eb e5 16 18 3b f0 32 33 20 03 90 16 38 00 00 c7 19 0e 3b`)),
		zlib:  true,
		plain: specSearchResultPlain,
		msg: &FileSearchResponse{
			Username: "testuser", Token: 2, SlotFree: true,
			Files: []File{{Code: 1, Name: songPath, Size: 200000}},
		},
	},
	{
		name: "FileSearchResponse/real zlib bytes from Nicotine+ (e2e_soulfind_2x_nicotine)",
		raw: cat(u32(9), hx(`78 5e e3 60 60 60 28 49 2d 2e 29 2d 4e 2d 3a 78 9d 91 81 11 c8 67 94 02 12 be a5
			c5 99 c9 31 8e 45 25 99 c5 25 31 20 15 f1 c5 f9 79 e9 7a b9 05 c6 0e bc cc 0c c8 00 a4 05 0e 00 32 6b 0f d2`)),
		zlib: true,
		msg: &FileSearchResponse{
			Username: "testuser", Token: 120769, SlotFree: true,
			Files: []File{{Code: 1, Name: songPath, Size: 200000}},
		},
	},
	{
		name: "FileSearchResponse/aioslsk layout: extension, 16 trailing bytes (dnet_fake_server_vs_aioslsk)",
		raw: cat(u32(9), deflated(
			str("aiouser"), // username
			u32(777),       // token
			u32(1),         // one result
			file(`@@tfmtr\Artist\test_song.mp3`, 200000, "mp3"),
			u8(1),                  // slot free
			u32(0),                 // average speed
			u32(0), u32(0), u32(0), // queue, unknown and 4 more zero bytes
		)),
		zlib: true,
		msg: &FileSearchResponse{
			Username: "aiouser", Token: 777, SlotFree: true,
			Files: []File{{Code: 1, Name: `@@tfmtr\Artist\test_song.mp3`, Size: 200000, Extension: "mp3"}},
		},
	},
	{
		name: "FileSearchResponse/queue length and private results",
		raw: cat(u32(9), deflated(
			str("bob"), u32(5), u32(1), file(`a\b.mp3`, 10, "", AttrBitrate, 128),
			u8(0),                            // no free slot
			u32(900),                         // average speed
			u32(12),                          // queue length
			u32(0),                           // unknown
			u32(1), file(`p\q.flac`, 20, ""), // one private result
		)),
		zlib: true,
		msg: &FileSearchResponse{
			Username: "bob", Token: 5, AvgSpeed: 900, QueueLength: 12,
			Files:        []File{{Code: 1, Name: `a\b.mp3`, Size: 10, Attributes: []FileAttribute{{AttrBitrate, 128}}}},
			PrivateFiles: []File{{Code: 1, Name: `p\q.flac`, Size: 20}},
		},
	},
	{
		name: "UserInfoRequest",
		raw:  u32(15),
		msg:  &UserInfoRequest{},
	},
	{
		name: "UserInfoResponse/with picture and upload permission",
		raw: cat(u32(16),
			str("hello"),            // description
			u8(1),                   // has picture
			u32(3), []byte{1, 2, 3}, // picture bytes
			u32(42), // total uploads
			u32(7),  // queue size
			u8(1),   // slots free
			u32(2),  // upload permission
		),
		msg: &UserInfoResponse{Description: "hello", HasPicture: true, Picture: []byte{1, 2, 3}, TotalUploads: 42, QueueSize: 7, SlotsFree: true, UploadPermission: 2},
	},
	{
		name: "UserInfoResponse/no picture",
		raw:  cat(u32(16), str(""), u8(0), u32(0), u32(0), u8(0), u32(0)),
		msg:  &UserInfoResponse{},
	},
	{
		name:    "UserInfoResponse/older clients omit the upload permission",
		raw:     cat(u32(16), str("x"), u8(0), u32(1), u32(2), u8(1)),
		msg:     &UserInfoResponse{Description: "x", TotalUploads: 1, QueueSize: 2, SlotsFree: true},
		lenient: true,
	},
	{
		name:    "UserInfoResponse/Museek+ sends slots free as u32: 3 garbage bytes ignored",
		raw:     cat(u32(16), str("x"), u8(0), u32(1), u32(2), u32(1)),
		msg:     &UserInfoResponse{Description: "x", TotalUploads: 1, QueueSize: 2, SlotsFree: true},
		lenient: true,
	},
	{
		name: "FolderContentsRequest",
		raw:  cat(u32(36), u32(9), str(`Music\Artist`)),
		msg:  &FolderContentsRequest{Token: 9, Folder: `Music\Artist`},
	},
	{
		name: "FolderContentsResponse",
		raw: cat(u32(37), deflated(
			u32(9),              // token
			str(`Music\Artist`), // folder
			u32(1),              // one dir
			str(`Music\Artist`), u32(1), file("test_song.mp3", 200000, ""),
		)),
		zlib: true,
		plain: cat(u32(9), str(`Music\Artist`), u32(1),
			str(`Music\Artist`), u32(1), file("test_song.mp3", 200000, "")),
		msg: &FolderContentsResponse{Token: 9, Folder: `Music\Artist`, Dirs: []Dir{
			{Name: `Music\Artist`, Files: []File{{Code: 1, Name: "test_song.mp3", Size: 200000}}},
		}},
	},
	{
		name: "TransferRequest/upload offer from Nicotine+ (e2e_soulfind_2x_nicotine)",
		raw: cat(
			u32(40),                       // code TransferRequest
			u32(1),                        // direction upload
			hx("4a 5e 08 00"),             // token 548426
			str(songPath),                 // filename
			hx("40 0d 03 00 00 00 00 00"), // size 200000
		),
		msg: &TransferRequest{Direction: TransferUpload, Token: 548426, Filename: songPath, Size: 200000},
	},
	{
		name: "TransferRequest/legacy download request carries no size",
		raw:  cat(u32(40), u32(0), u32(31), str(songPath)),
		msg:  &TransferRequest{Direction: TransferDownload, Token: 31, Filename: songPath},
	},
	{
		name: "TransferResponse/allowed, from Nicotine+ (09 00 00 00 29 00 00 00 4a 5e 08 00 01)",
		raw:  hx("29 00 00 00 4a 5e 08 00 01"),
		msg:  &TransferResponse{Token: 548426, Allowed: true},
	},
	{
		name: "TransferResponse/allowed with size, answering a download request",
		raw:  cat(u32(41), u32(31), u8(1), u64(200000)),
		msg:  &TransferResponse{Token: 31, Allowed: true, Size: 200000, HasSize: true},
	},
	{
		name: "TransferResponse/refused as queued",
		raw:  cat(u32(41), u32(31), u8(0), str("Queued")),
		msg:  &TransferResponse{Token: 31, Reason: ReasonQueued},
	},
	{
		name:    "TransferResponse/refusal without a reason",
		raw:     cat(u32(41), u32(31), u8(0)),
		msg:     &TransferResponse{Token: 31},
		lenient: true,
	},
	{
		name: "QueueUpload from Nicotine+ (e2e_soulfind_2x_nicotine)",
		raw:  hx("2b 00 00 00 1a 00 00 00 4d 75 73 69 63 5c 41 72 74 69 73 74 5c 74 65 73 74 5f 73 6f 6e 67 2e 6d 70 33"),
		msg:  &QueueUpload{Filename: songPath},
	},
	{
		name: "PlaceInQueueResponse",
		raw:  cat(u32(44), str(songPath), u32(3)),
		msg:  &PlaceInQueueResponse{Filename: songPath, Place: 3},
	},
	{
		name: "UploadFailed",
		raw:  cat(u32(46), str(songPath)),
		msg:  &UploadFailed{Filename: songPath},
	},
	{
		name: "UploadDenied",
		raw:  cat(u32(50), str(songPath), str("File not shared.")),
		msg:  &UploadDenied{Filename: songPath, Reason: ReasonFileNotShared},
	},
	{
		name: "PlaceInQueueRequest",
		raw:  cat(u32(51), str(songPath)),
		msg:  &PlaceInQueueRequest{Filename: songPath},
	},
	{
		name: "UploadQueueNotification",
		raw:  u32(52),
		msg:  &UploadQueueNotification{},
	},
}

func TestPeerMessages(t *testing.T) {
	runFrameCases(t, peerCases, DecodePeer, AppendPeerFrame, MaxPeerFrame)
}

// TestPeerCasesCoverRegistry keeps the table honest: every registered
// peer, distributed and peer-init message has at least one row.
func TestPeerCasesCoverRegistry(t *testing.T) {
	seen := map[PeerCode]bool{}
	for _, tc := range peerCases {
		seen[tc.msg.PeerCode()] = true
	}
	for code := range peerMessages {
		if !seen[code] {
			t.Errorf("peer code %v has no table row", code)
		}
	}
	seenD := map[DistribCode]bool{}
	for _, tc := range distribCases {
		seenD[tc.msg.DistribCode()] = true
	}
	for code := range distribMessages {
		if !seenD[code] {
			t.Errorf("distributed code %v has no table row", code)
		}
	}
	seenI := map[InitCode]bool{}
	for _, tc := range initCases {
		seenI[tc.msg.InitCode()] = true
	}
	for code := range initMessages {
		if !seenI[code] {
			t.Errorf("peer-init code %v has no table row", code)
		}
	}
}
