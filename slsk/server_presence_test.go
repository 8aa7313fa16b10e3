package slsk

import (
	"encoding/binary"
	"net/netip"
)

// Test helpers shared by the server_*_test.go files (prefixed srv so they
// do not collide with the peer tests' helpers).

// srvLoopIP is 127.0.0.1 as sent on the wire (little-endian u32, spec §1.1).
var srvLoopIP = []byte{0x01, 0, 0, 0x7f}

var srvLoopAddr = netip.MustParseAddr("127.0.0.1")

// srvZeroAddr is 0.0.0.0, what ReadIP returns for a zero field.
var srvZeroAddr = netip.AddrFrom4([4]byte{})

func srvU16(v uint16) []byte { return binary.LittleEndian.AppendUint16(nil, v) }

// srvStats is the 20-byte UserStats group.
func srvStats(avg, uploads, unknown, files, dirs uint32) []byte {
	return cat(u32(avg), u32(uploads), u32(unknown), u32(files), u32(dirs))
}

func init() {
	serverRequestCases = append(serverRequestCases,
		codecCase{
			name: "SetWaitPort/Nicotine+ plain port (e2e_soulfind_2x_nicotine: 08 00 00 00 02 00 00 00 bb 08 00 00)",
			raw:  cat(u32(2), u32(2235)), // code, port 2235
			msg:  &SetWaitPort{Port: 2235},
		},
		codecCase{
			name: "SetWaitPort/aioslsk with obfuscation (e2e_soulfind_nicotine_aioslsk)",
			raw: cat(
				u32(2),    // code SetWaitPort
				u32(2237), // port bd 08
				u32(1),    // obfuscation type 1 = rotated
				u32(2238), // obfuscated port be 08
			),
			msg: &SetWaitPort{Port: 2237, ObfuscationType: 1, ObfuscatedPort: 2238},
		},
		codecCase{
			name: "WatchUser/self (Nicotine+ capture)",
			raw:  cat(u32(5), str("testuser")),
			msg:  &WatchUser{Username: "testuser"},
		},
		codecCase{
			name: "UnwatchUser (aioslsk capture)",
			raw:  cat(u32(6), str("testuser")),
			msg:  &UnwatchUser{Username: "testuser"},
		},
		codecCase{
			name: "GetUserStatus (Nicotine+ capture)",
			raw:  cat(u32(7), str("nuser2")),
			msg:  &GetUserStatus{Username: "nuser2"},
		},
		codecCase{
			name: "IgnoreUser request",
			raw:  cat(u32(11), str("spammer")),
			msg:  &IgnoreUser{Username: "spammer"},
		},
		codecCase{
			name: "UnignoreUser request",
			raw:  cat(u32(12), str("spammer")),
			msg:  &UnignoreUser{Username: "spammer"},
		},
		codecCase{
			name: "SetStatus/online (all captures: 1c 00 00 00 02 00 00 00)",
			raw:  cat(u32(28), u32(2)),
			msg:  &SetStatus{Status: StatusOnline},
		},
		codecCase{
			name: "SetStatus/away",
			raw:  cat(u32(28), u32(1)),
			msg:  &SetStatus{Status: StatusAway},
		},
		codecCase{
			name: "SendDownloadSpeed (obsolete)",
			raw:  cat(u32(34), str("alice"), u32(12345)),
			msg:  &SendDownloadSpeed{Username: "alice", Speed: 12345},
		},
		codecCase{
			name: "SharedFoldersFiles/Nicotine+ 2 dirs 1 file (capture)",
			raw: cat(
				u32(35), // code
				u32(2),  // dirs
				u32(1),  // files
			),
			msg: &SharedFoldersFiles{Dirs: 2, Files: 1},
		},
		codecCase{
			name: "GetUserStats/aioslsk self (fake listener capture)",
			raw:  cat(u32(36), str("aiouser")),
			msg:  &GetUserStats{Username: "aiouser"},
		},
		codecCase{
			name: "UploadSlotsFull request (obsolete u32 flag)",
			raw:  cat(u32(40), u32(1)),
			msg:  &UploadSlotsFull{Full: true},
		},
		codecCase{
			name: "SendUploadSpeed/Nicotine+ after upload (capture: 79 00 00 00 40 0d 03 00)",
			raw:  cat(u32(121), u32(200000)),
			msg:  &SendUploadSpeed{Speed: 200000},
		},
	)
	serverReplyCases = append(serverReplyCases,
		codecCase{
			name: "WatchUserReply/exists online, empty country (Soulfind capture, len=45)",
			raw: cat(
				u32(5),                  // code WatchUser
				str("testuser"),         // user
				[]byte{1},               // exists
				u32(2),                  // status online
				srvStats(0, 0, 0, 1, 2), // avgspeed, uploadnum, unknown, files, dirs
				str(""),                 // country (status > 0)
			),
			msg: &WatchUserReply{Username: "testuser", Exists: true, Status: StatusOnline, Stats: UserStats{Files: 1, Dirs: 2}},
		},
		codecCase{
			name: "WatchUserReply/unknown user (Soulfind capture, len=15)",
			raw:  cat(u32(5), str("nuser2"), []byte{0}), // exists = 0, nothing follows
			msg:  &WatchUserReply{Username: "nuser2"},
		},
		codecCase{
			name: "WatchUserReply/exists but offline: no country",
			raw:  cat(u32(5), str("bob"), []byte{1}, u32(0), srvStats(100, 2, 0, 30, 4)),
			msg:  &WatchUserReply{Username: "bob", Exists: true, Stats: UserStats{AvgSpeed: 100, UploadNum: 2, Files: 30, Dirs: 4}},
		},
		codecCase{
			name: "WatchUserReply/with country code",
			raw:  cat(u32(5), str("bob"), []byte{1}, u32(1), srvStats(1, 2, 0, 3, 4), str("DE")),
			msg:  &WatchUserReply{Username: "bob", Exists: true, Status: StatusAway, Stats: UserStats{AvgSpeed: 1, UploadNum: 2, Files: 3, Dirs: 4}, Country: "DE"},
		},
		codecCase{
			name: "GetUserStatusReply/online not privileged (Soulfind capture, len=21)",
			raw: cat(
				u32(7),          // code
				str("testuser"), // user
				u32(2),          // status online
				[]byte{0},       // privileged
			),
			msg: &GetUserStatusReply{Username: "testuser", Status: StatusOnline},
		},
		codecCase{
			name: "GetUserStatusReply/offline (Soulfind capture, len=19)",
			raw:  cat(u32(7), str("nuser2"), u32(0), []byte{0}),
			msg:  &GetUserStatusReply{Username: "nuser2", Status: StatusOffline},
		},
		codecCase{
			name: "IgnoreUser reply",
			raw:  cat(u32(11), str("spammer")),
			msg:  &IgnoreUser{Username: "spammer"},
		},
		codecCase{
			name: "UnignoreUser reply",
			raw:  cat(u32(12), str("spammer")),
			msg:  &UnignoreUser{Username: "spammer"},
		},
		codecCase{
			name: "GetUserStatsReply/after upload (Soulfind capture: avgspeed 200000)",
			raw: cat(
				u32(36),                      // code
				str("testuser"),              // user
				srvStats(200000, 0, 0, 1, 2), // 40 0d 03 00, 0, 0, files 1, dirs 2
			),
			msg: &GetUserStatsReply{Username: "testuser", Stats: UserStats{AvgSpeed: 200000, Files: 1, Dirs: 2}},
		},
		codecCase{
			name: "UploadSlotsFullReply (obsolete relay)",
			raw:  cat(u32(40), str("alice"), u32(0)),
			msg:  &UploadSlotsFullReply{Username: "alice"},
		},
	)
}
