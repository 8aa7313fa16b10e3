package slsk

import (
	"bytes"
	"testing"
)

var initCases = []frameCase[InitMessage]{
	{
		name: "PeerInit/Nicotine+ P, token 0 (e2e_soulfind_2x_nicotine)",
		raw: cat(
			u8(1),           // peer-init code PeerInit
			str("testuser"), // own username
			str("P"),        // connection type
			u32(0),          // token
		),
		msg: &PeerInit{Username: "testuser", Type: ConnTypePeer},
	},
	{
		name: "PeerInit/Nicotine+ F (e2e_soulfind_2x_nicotine)",
		raw:  hx("01 08 00 00 00 74 65 73 74 75 73 65 72 01 00 00 00 46 00 00 00 00"),
		msg:  &PeerInit{Username: "testuser", Type: ConnTypeFile},
	},
	{
		name: "PeerInit/aioslsk D with its ConnectToPeer ticket (dnet_fake_server_vs_aioslsk)",
		raw:  hx("01 07 00 00 00 61 69 6f 75 73 65 72 01 00 00 00 44 03 00 00 00"),
		msg:  &PeerInit{Username: "aiouser", Type: ConnTypeDistrib, Token: 3},
	},
	{
		name:    "PeerInit/u64 token",
		raw:     cat(u8(1), str("aiouser"), str("P"), u64(2)),
		msg:     &PeerInit{Username: "aiouser", Type: ConnTypePeer, Token: 2},
		lenient: true,
	},
	{
		name:    "PeerInit/no token",
		raw:     cat(u8(1), str("old"), str("P")),
		msg:     &PeerInit{Username: "old", Type: ConnTypePeer},
		lenient: true,
	},
	{
		name: "PierceFireWall/Nicotine+ (05 00 00 00 00 5a 44 32 00)",
		raw:  hx("00 5a 44 32 00"),
		msg:  &PierceFirewall{Token: 3294298},
	},
	{
		name: "PierceFireWall/aioslsk token 2",
		raw:  cat(u8(0), u32(2)),
		msg:  &PierceFirewall{Token: 2},
	},
}

func TestInitMessages(t *testing.T) {
	runFrameCases(t, initCases, DecodeInit, AppendInitFrame, MaxInitFrame)
}

// TestWholeFrames checks the length prefix against frames copied whole
// from the captures.
func TestWholeFrames(t *testing.T) {
	tests := []struct {
		name string
		got  []byte
		want []byte
	}{
		{
			"PeerInit",
			AppendInitFrame(nil, &PeerInit{Username: "testuser", Type: ConnTypePeer}),
			hx("16 00 00 00 01 08 00 00 00 74 65 73 74 75 73 65 72 01 00 00 00 50 00 00 00 00"),
		},
		{
			"PierceFireWall",
			AppendInitFrame(nil, &PierceFirewall{Token: 3294299}),
			hx("05 00 00 00 00 5b 44 32 00"),
		},
		{
			"TransferResponse",
			AppendPeerFrame(nil, &TransferResponse{Token: 548426, Allowed: true}),
			hx("09 00 00 00 29 00 00 00 4a 5e 08 00 01"),
		},
		{
			"QueueUpload appended after existing bytes",
			AppendPeerFrame([]byte{0xEE}, &QueueUpload{Filename: songPath}),
			cat([]byte{0xEE}, hx("22 00 00 00 2b 00 00 00 1a 00 00 00"), []byte(songPath)),
		},
		{
			"DistribSearch as sent inside the dnet EmbeddedMessage",
			AppendDistribFrame(nil, &DistribSearch{Unknown: 49, Username: "ghost", Token: 777, Query: "artist"}),
			cat(u32(uint32(len(dnetEmbeddedSearch)-8)), dnetEmbeddedSearch[8:]),
		},
	}
	for _, tc := range tests {
		if !bytes.Equal(tc.got, tc.want) {
			t.Errorf("%s:\n got %x\nwant %x", tc.name, tc.got, tc.want)
		}
	}
}
