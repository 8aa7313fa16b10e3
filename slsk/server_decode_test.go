package slsk

import (
	"bytes"
	"errors"
	"reflect"
	"runtime"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/revival-net/revival/internal/wire"
)

// tolerantCase is input that real or old clients/servers send in a
// non-canonical form (spec §8.1): it must decode to msg, and msg encodes to
// canon.
type tolerantCase struct {
	name  string
	reply bool
	raw   []byte
	msg   ServerMessage
	canon []byte
}

var tolerantCases = []tolerantCase{
	{
		name:  "HaveNoParent/slsk-client sends a u32 (fake listener capture: 47 00 00 00 01 00 00 00)",
		raw:   cat(u32(71), u32(1)),
		msg:   &HaveNoParent{NoParent: true},
		canon: cat(u32(71), []byte{1}),
	},
	{
		name:  "HaveNoParent/u32 zero",
		raw:   cat(u32(71), u32(0)),
		msg:   &HaveNoParent{},
		canon: cat(u32(71), []byte{0}),
	},
	{
		name:  "HaveNoParent/u32 with only a high byte set",
		raw:   cat(u32(71), u32(0x01000000)),
		msg:   &HaveNoParent{NoParent: true},
		canon: cat(u32(71), []byte{1}),
	},
	{
		name:  "AcceptChildren/u32 form",
		raw:   cat(u32(100), u32(1)),
		msg:   &AcceptChildren{Accept: true},
		canon: cat(u32(100), []byte{1}),
	},
	{
		name:  "Login/old client without hash and minor",
		raw:   cat(u32(1), str("old"), str("pw"), u32(157)),
		msg:   &Login{Username: "old", Password: "pw", Major: 157},
		canon: cat(u32(1), str("old"), str("pw"), u32(157), str(""), u32(0)),
	},
	{
		name:  "JoinRoom/without private flag",
		raw:   cat(u32(14), str("testroom")),
		msg:   &JoinRoom{Room: "testroom"},
		canon: cat(u32(14), str("testroom"), u32(0)),
	},
	{
		name:  "SetWaitPort/obfuscation type without port",
		raw:   cat(u32(2), u32(2234), u32(1)),
		msg:   &SetWaitPort{Port: 2234, ObfuscationType: 1},
		canon: cat(u32(2), u32(2234), u32(1), u32(0)),
	},
	{
		name:  "SetWaitPort/explicit zero obfuscation fields",
		raw:   cat(u32(2), u32(2234), u32(0), u32(0)),
		msg:   &SetWaitPort{Port: 2234},
		canon: cat(u32(2), u32(2234)),
	},
	{
		name:  "SayChatroom/trailing bytes are ignored",
		raw:   cat(u32(13), str("r"), str("m"), []byte{0xde, 0xad}),
		msg:   &SayChatroom{Room: "r", Message: "m"},
		canon: cat(u32(13), str("r"), str("m")),
	},
	{
		name:  "SayChatroom/Latin-1 text from a legacy client",
		raw:   cat(u32(13), str("r"), u32(4), []byte("caf\xe9")),
		msg:   &SayChatroom{Room: "r", Message: "café"},
		canon: cat(u32(13), str("r"), str("café")),
	},
	{
		name:  "ExactFileSearch/without the trailing byte",
		raw:   cat(u32(65), u32(1), str("f"), str("d"), u64(2), u32(3)),
		msg:   &ExactFileSearch{Token: 1, Filename: "f", Folder: "d", Size: 2, Checksum: 3},
		canon: cat(u32(65), u32(1), str("f"), str("d"), u64(2), u32(3), []byte{0}),
	},
	{
		name:  "GetPeerAddressReply/old server without obfuscation fields",
		reply: true,
		raw:   cat(u32(3), str("bob"), srvLoopIP, u32(2234)),
		msg:   &GetPeerAddressReply{Username: "bob", IP: srvLoopAddr, Port: 2234},
		canon: cat(u32(3), str("bob"), srvLoopIP, u32(2234), u32(0), srvU16(0)),
	},
	{
		name:  "ConnectToPeerReply/without obfuscation fields",
		reply: true,
		raw:   cat(u32(18), str("bob"), str("P"), srvLoopIP, u32(2234), u32(9), []byte{1}),
		msg:   &ConnectToPeerReply{Username: "bob", Type: "P", IP: srvLoopAddr, Port: 2234, Token: 9, Privileged: true},
		canon: cat(u32(18), str("bob"), str("P"), srvLoopIP, u32(2234), u32(9), []byte{1}, u32(0), u32(0)),
	},
	{
		name:  "GetUserStatusReply/without privileged flag",
		reply: true,
		raw:   cat(u32(7), str("bob"), u32(1)),
		msg:   &GetUserStatusReply{Username: "bob", Status: StatusAway},
		canon: cat(u32(7), str("bob"), u32(1), []byte{0}),
	},
	{
		name:  "MessageUserReply/without is_new",
		reply: true,
		raw:   cat(u32(22), u32(1), u32(2), str("bob"), str("hi")),
		msg:   &MessageUserReply{ID: 1, Timestamp: 2, Username: "bob", Message: "hi"},
		canon: cat(u32(22), u32(1), u32(2), str("bob"), str("hi"), []byte{0}),
	},
	{
		name:  "CheckPrivilegesReply/empty",
		reply: true,
		raw:   u32(92),
		msg:   &CheckPrivilegesReply{},
		canon: cat(u32(92), u32(0)),
	},
	{
		name:  "WatchUserReply/online without country",
		reply: true,
		raw:   cat(u32(5), str("bob"), []byte{1}, u32(2), srvStats(1, 2, 0, 3, 4)),
		msg:   &WatchUserReply{Username: "bob", Exists: true, Status: StatusOnline, Stats: UserStats{AvgSpeed: 1, UploadNum: 2, Files: 3, Dirs: 4}},
		canon: cat(u32(5), str("bob"), []byte{1}, u32(2), srvStats(1, 2, 0, 3, 4), str("")),
	},
	{
		name:  "RoomListReply/old server with public rooms only",
		reply: true,
		raw:   cat(u32(64), u32(1), str("a"), u32(1), u32(5)),
		msg:   &RoomListReply{Public: []RoomCount{{"a", 5}}},
		canon: cat(u32(64), u32(1), str("a"), u32(1), u32(5), u32(0), u32(0), u32(0), u32(0), u32(0)),
	},
	{
		name:  "RecommendationsReply/without unrecommendations",
		reply: true,
		raw:   cat(u32(54), u32(1), str("jazz"), u32(2)),
		msg:   &RecommendationsReply{Recommendations: []Recommendation{{"jazz", 2}}},
		canon: cat(u32(54), u32(1), str("jazz"), u32(2), u32(0)),
	},
	{
		name:  "LoginReply/success without supporter flag",
		reply: true,
		raw:   cat(u32(1), []byte{1}, str("hi"), srvLoopIP, str("h")),
		msg:   &LoginReply{Success: true, Greeting: "hi", IP: srvLoopAddr, PassHash: "h"},
		canon: cat(u32(1), []byte{1}, str("hi"), srvLoopIP, str("h"), []byte{0}),
	},
}

func TestServerTolerantDecode(t *testing.T) {
	for _, tc := range tolerantCases {
		t.Run(tc.name, func(t *testing.T) {
			decode := DecodeServerRequest
			if tc.reply {
				decode = DecodeServerReply
			}
			got, err := decode(tc.raw)
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if diff := cmp.Diff(tc.msg, got, cmpOpts); diff != "" {
				t.Errorf("decode mismatch (-want +got):\n%s", diff)
			}
			body, _, _, _ := wire.SplitFrame(AppendServerFrame(nil, got), MaxServerFrame)
			if !bytes.Equal(body, tc.canon) {
				t.Errorf("re-encode:\n got %x\nwant %x", body, tc.canon)
			}
		})
	}
}

// optionalTail lists the messages whose last field is optional on decode,
// so dropping their final byte still decodes.
var optionalTail = map[reflect.Type]bool{
	reflect.TypeFor[*LoginReply]():         true, // supporter
	reflect.TypeFor[*GetUserStatusReply](): true, // privileged
	reflect.TypeFor[*MessageUserReply]():   true, // is_new
	reflect.TypeFor[*ExactFileSearch]():    true, // unknown byte
	reflect.TypeFor[*EmbeddedMessage]():    true, // raw payload
}

// TestServerTruncated cuts every table row short: no prefix may panic,
// and losing the last byte must be an error unless that byte belongs to an
// optional field.
func TestServerTruncated(t *testing.T) {
	run := func(t *testing.T, cases []codecCase, decode func([]byte) (ServerMessage, error)) {
		for _, tc := range cases {
			for n := range len(tc.raw) {
				_, _ = decode(tc.raw[:n]) // must not panic
			}
			if optionalTail[reflect.TypeOf(tc.msg)] {
				continue
			}
			if m, err := decode(tc.raw[:len(tc.raw)-1]); err == nil {
				t.Errorf("%s: %d-byte prefix decoded without error: %#v", tc.name, len(tc.raw)-1, m)
			}
		}
	}
	t.Run("requests", func(t *testing.T) { run(t, serverRequestCases, DecodeServerRequest) })
	t.Run("replies", func(t *testing.T) { run(t, serverReplyCases, DecodeServerReply) })
}

// hostileCounts are frames whose list count claims 0xFFFFFFFF elements.
var hostileCounts = []struct {
	name  string
	reply bool
	raw   []byte
}{
	{"MessageUsers", false, cat(u32(149), u32(0xFFFFFFFF), str("x"))},
	{"AdminCommand", false, cat(u32(58), str("ban"), u32(0xFFFFFFFF))},
	{"JoinRoomReply/names", true, cat(u32(14), str("r"), u32(0xFFFFFFFF))},
	{"JoinRoomReply/statuses", true, cat(u32(14), str("r"), u32(1), str("a"), u32(0xFFFFFFFF), u32(2))},
	{"JoinRoomReply/stats", true, cat(u32(14), str("r"), u32(0), u32(0), u32(0xFFFFFFFF))},
	{"JoinRoomReply/operators", true, cat(u32(14), str("r"), u32(0), u32(0), u32(0), u32(0), u32(0), str("o"), u32(0xFFFFFFFF))},
	{"RoomListReply/public", true, cat(u32(64), u32(0xFFFFFFFF))},
	{"RoomListReply/counts", true, cat(u32(64), u32(0), u32(0xFFFFFFFF))},
	{"RoomListReply/operated", true, cat(u32(64), u32(0), u32(0), u32(0), u32(0), u32(0), u32(0), u32(0xFFFFFFFF))},
	{"RoomTickers", true, cat(u32(113), str("r"), u32(0xFFFFFFFF), str("a"), str("b"))},
	{"PrivilegedUsers", true, cat(u32(69), u32(0xFFFFFFFF))},
	{"ExcludedSearchPhrases", true, cat(u32(160), u32(0xFFFFFFFF), str("x"))},
	{"PossibleParents", true, cat(u32(102), u32(0xFFFFFFFF))},
	{"RoomMembers", true, cat(u32(133), str("r"), u32(0xFFFFFFFF))},
	{"RoomOperators", true, cat(u32(148), str("r"), u32(0xFFFFFFFF))},
	{"RecommendationsReply", true, cat(u32(54), u32(0xFFFFFFFF))},
	{"GlobalRecommendationsReply/second list", true, cat(u32(56), u32(0), u32(0xFFFFFFFF))},
	{"MyRecommendationsReply", true, cat(u32(55), u32(0xFFFFFFFF))},
	{"SimilarRecommendationsReply", true, cat(u32(50), str("x"), u32(0xFFFFFFFF))},
	{"UserInterestsReply", true, cat(u32(57), str("u"), u32(0), u32(0xFFFFFFFF))},
	{"SimilarUsersReply", true, cat(u32(110), u32(0xFFFFFFFF))},
	{"ItemRecommendationsReply", true, cat(u32(111), str("x"), u32(0xFFFFFFFF))},
	{"ItemSimilarUsersReply", true, cat(u32(112), str("x"), u32(0xFFFFFFFF))},
	{"RelatedSearchReply", true, cat(u32(153), str("x"), u32(0xFFFFFFFF))},
	{"string length", false, cat(u32(5), u32(0xFFFFFFFF), []byte("abc"))},
}

// TestServerHostileCounts checks that a huge count is refused before any
// slice is allocated: a decode may allocate a few small objects, never the
// gigabytes the count asks for.
func TestServerHostileCounts(t *testing.T) {
	for _, tc := range hostileCounts {
		t.Run(tc.name, func(t *testing.T) {
			decode := DecodeServerRequest
			if tc.reply {
				decode = DecodeServerReply
			}
			var err error
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			for range 10 {
				_, err = decode(tc.raw)
			}
			runtime.ReadMemStats(&after)
			if !errors.Is(err, wire.ErrTooLarge) {
				t.Errorf("err = %v, want wire.ErrTooLarge", err)
			}
			if perRun := (after.TotalAlloc - before.TotalAlloc) / 10; perRun > 16<<10 {
				t.Errorf("decode allocated %d bytes per run", perRun)
			}
		})
	}
}

// TestServerArrayMismatch checks that JoinRoomReply and RoomListReply
// refuse parallel arrays whose counts differ instead of misreading them.
func TestServerArrayMismatch(t *testing.T) {
	for _, raw := range [][]byte{
		cat(u32(14), str("r"), u32(1), str("a"), u32(2), u32(2), u32(2)),
		cat(u32(14), str("r"), u32(1), str("a"), u32(1), u32(2), u32(0)),
		cat(u32(64), u32(1), str("a"), u32(0), u32(0), u32(0), u32(0), u32(0), u32(0)),
	} {
		if _, err := DecodeServerReply(raw); !errors.Is(err, errArrayMismatch) {
			t.Errorf("%x: err = %v, want errArrayMismatch", raw, err)
		}
	}
}

// TestServerUnknownCode checks that unknown codes give ErrUnknownCode (the
// connection ignores them, spec §2) and frames without a code are errors.
func TestServerUnknownCode(t *testing.T) {
	for _, decode := range []func([]byte) (ServerMessage, error){DecodeServerRequest, DecodeServerReply} {
		if _, err := decode(cat(u32(9999), str("x"))); !errors.Is(err, ErrUnknownCode) {
			t.Errorf("unknown code: err = %v", err)
		}
		if _, err := decode(cat(u32(68), str("x"))); !errors.Is(err, ErrUnknownCode) {
			t.Errorf("TunneledMessage is not implemented, want ErrUnknownCode, got %v", err)
		}
		if _, err := decode([]byte{1, 0}); !errors.Is(err, wire.ErrShort) {
			t.Errorf("2-byte frame: err = %v", err)
		}
	}
}

// notImplemented lists the spec §2 codes with no struct in a direction,
// because the spec gives no layout (or the message is dead): each entry
// says why.
var notImplemented = map[ServerCode]string{
	CodeTunneledMessage: "obsolete, layout not given",
}

// TestServerEveryCodeCovered checks that every code in codes.go has a
// struct in at least one direction, and that every registered struct has
// at least one row in serverRequestCases or serverReplyCases.
func TestServerEveryCodeCovered(t *testing.T) {
	for code := range serverCodeNames {
		_, req := serverRequests[code]
		_, rep := serverReplies[code]
		if !req && !rep && notImplemented[code] == "" {
			t.Errorf("%v (%d) has no struct in either direction", code, code)
		}
	}
	check := func(dir string, reg map[ServerCode]func() ServerMessage, cases []codecCase) {
		rows := map[reflect.Type]bool{}
		for _, tc := range cases {
			code, _, err := SplitServerFrame(tc.raw)
			if err != nil || code != tc.msg.ServerCode() {
				t.Errorf("%s row %q: raw code %v does not match %v", dir, tc.name, code, tc.msg.ServerCode())
			}
			if f, ok := reg[code]; !ok || reflect.TypeOf(f()) != reflect.TypeOf(tc.msg) {
				t.Errorf("%s row %q: %T is not what the %s table decodes code %v to", dir, tc.name, tc.msg, dir, code)
			}
			rows[reflect.TypeOf(tc.msg)] = true
		}
		for code, f := range reg {
			if !rows[reflect.TypeOf(f())] {
				t.Errorf("%s: %T (code %v) has no table row", dir, f(), code)
			}
		}
	}
	check("request", serverRequests, serverRequestCases)
	check("reply", serverReplies, serverReplyCases)
}
