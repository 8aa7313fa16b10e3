package slsk

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// dnetEmbeddedSearch is the server EmbeddedMessage frame our fake server
// sent and both Nicotine+ and aioslsk accepted (dnet_fake_server_vs_*.log):
// u32 length, u32 server code 93, then a DistribSearch as a D frame body.
var dnetEmbeddedSearch = hx(`20 00 00 00 5d 00 00 00 03 31 00 00 00 05 00 00 00 67 68 6f 73 74
	09 03 00 00 06 00 00 00 61 72 74 69 73 74`)

// ghostSearch is the DistribSearch inside dnetEmbeddedSearch, annotated.
var ghostSearch = cat(
	u8(3),         // distributed code DistribSearch
	u32(49),       // unknown, always 49 ('1')
	str("ghost"),  // searcher
	u32(777),      // token (09 03 00 00)
	str("artist"), // query
)

var distribCases = []frameCase[DistribMessage]{
	{
		name: "DistribPing",
		raw:  u8(0),
		msg:  &DistribPing{},
	},
	{
		name: "DistribSearch (body of the dnet capture's EmbeddedMessage)",
		raw:  dnetEmbeddedSearch[8:],
		msg:  &DistribSearch{Unknown: 49, Username: "ghost", Token: 777, Query: "artist"},
	},
	{
		name: "DistribBranchLevel",
		raw:  cat(u8(4), u32(0)),
		msg:  &DistribBranchLevel{Level: 0},
	},
	{
		name: "DistribBranchLevel/negative (signed on the wire)",
		raw:  cat(u8(4), hx("ff ff ff ff")),
		msg:  &DistribBranchLevel{Level: -1},
	},
	{
		name: "DistribBranchRoot",
		raw:  cat(u8(5), str("parentx")),
		msg:  &DistribBranchRoot{Root: "parentx"},
	},
	{
		name: "DistribChildDepth",
		raw:  cat(u8(7), u32(3)),
		msg:  &DistribChildDepth{Depth: 3},
	},
	{
		name: "DistribEmbeddedMessage/SoulseekQt form (Soulseek.NET's mystery bytes 00 00 00 03 31 00 00 00)",
		raw: cat(
			u8(93),          // distributed code DistribEmbeddedMessage
			[]byte{0, 0, 0}, // high bytes of the server's u32 code 93
			ghostSearch,     // distributed code 3 and its payload
		),
		msg: &DistribEmbeddedMessage{Code: 3, Payload: ghostSearch[1:]},
	},
	{
		name:    "DistribEmbeddedMessage/plain form as Nicotine+ sends it",
		raw:     cat(u8(93), ghostSearch),
		msg:     &DistribEmbeddedMessage{Code: 3, Payload: ghostSearch[1:]},
		lenient: true,
	},
}

func TestDistribMessages(t *testing.T) {
	runFrameCases(t, distribCases, DecodeDistrib, AppendDistribFrame, MaxPeerFrame)
}

func TestDistribEmbeddedMessageUnwraps(t *testing.T) {
	m := &DistribEmbeddedMessage{Code: 3, Payload: ghostSearch[1:]}
	got, err := m.Message()
	if err != nil {
		t.Fatal(err)
	}
	want := &DistribSearch{Unknown: DistribSearchUnknown, Username: "ghost", Token: 777, Query: "artist"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("embedded message (-want +got):\n%s", diff)
	}
}

// TestDistribEmbeddedPayloadIsCopied guards against aliasing the frame
// buffer, which FrameReader reuses for the next small frame.
func TestDistribEmbeddedPayloadIsCopied(t *testing.T) {
	body := cat(u8(93), []byte{0, 0, 0}, ghostSearch)
	m, err := DecodeDistrib(body)
	if err != nil {
		t.Fatal(err)
	}
	for i := range body {
		body[i] = 0xAA
	}
	if diff := cmp.Diff(ghostSearch[1:], m.(*DistribEmbeddedMessage).Payload); diff != "" {
		t.Errorf("payload changed with the frame buffer (-want +got):\n%s", diff)
	}
}
