package slskserver_test

import (
	"net/netip"

	"testing"

	"github.com/revival-net/revival/slsk"
	"github.com/revival-net/revival/slsk/slsktest"
)

// "Adds user to the caller's watch list. Later status changes arrive as
// code 7" (spec §2 code 5); "The user is told only when switching to away"
// (code 28); at disconnect, status 0 goes to watchers (§2.1).
func TestWatchStatusAndStats(t *testing.T) {
	h := slsktest.Start(t)
	alice := h.Login("alice")
	bob := h.Login("bob")

	bob.Send(&slsk.WatchUser{Username: "alice"})
	bob.Expect(&slsk.WatchUserReply{Username: "alice", Exists: true, Status: slsk.StatusOnline})
	bob.Send(&slsk.WatchUser{Username: "nobody"})
	bob.Expect(&slsk.WatchUserReply{Username: "nobody"})

	alice.Send(&slsk.SetStatus{Status: slsk.StatusAway})
	alice.Expect(&slsk.GetUserStatusReply{Username: "alice", Status: slsk.StatusAway})
	bob.Expect(&slsk.GetUserStatusReply{Username: "alice", Status: slsk.StatusAway})
	alice.Send(&slsk.SetStatus{Status: slsk.StatusAway}) // unchanged: ignored
	alice.Send(&slsk.SetStatus{Status: 7})               // invalid: ignored
	alice.Send(&slsk.SetStatus{Status: slsk.StatusOnline})
	alice.ExpectNothing() // not told when coming back online
	bob.Expect(&slsk.GetUserStatusReply{Username: "alice", Status: slsk.StatusOnline})

	alice.Send(&slsk.SharedFoldersFiles{Dirs: 3, Files: 40})
	alice.Sync()
	bob.Expect(&slsk.GetUserStatsReply{Username: "alice", Stats: slsk.UserStats{Files: 40, Dirs: 3}})

	// SendUploadSpeed: running mean and upload count; the uploader learns
	// its own speed too (Nicotine+ needs it, spec §1.5).
	alice.Send(&slsk.SendUploadSpeed{Speed: 1000})
	alice.Send(&slsk.SendUploadSpeed{Speed: 3000})
	want1 := &slsk.GetUserStatsReply{Username: "alice", Stats: slsk.UserStats{AvgSpeed: 1000, UploadNum: 1, Files: 40, Dirs: 3}}
	want2 := &slsk.GetUserStatsReply{Username: "alice", Stats: slsk.UserStats{AvgSpeed: 2000, UploadNum: 2, Files: 40, Dirs: 3}}
	alice.Expect(want1, want2)
	bob.Expect(want1, want2)

	alice.Close()
	bob.Expect(&slsk.GetUserStatusReply{Username: "alice", Status: slsk.StatusOffline})

	// Offline users keep their stored stats (spec §2.1).
	bob.Send(&slsk.GetUserStats{Username: "alice"})
	bob.Expect(&slsk.GetUserStatsReply{Username: "alice", Stats: want2.Stats})
	bob.Send(&slsk.GetUserStatus{Username: "alice"})
	bob.Expect(&slsk.GetUserStatusReply{Username: "alice", Status: slsk.StatusOffline})
}

// Unwatching stops status pushes; a user never unwatches itself.
func TestUnwatch(t *testing.T) {
	h := slsktest.Start(t)
	alice := h.Login("alice")
	bob := h.Login("bob")
	bob.Send(&slsk.WatchUser{Username: "alice"})
	bob.SkipUntil(slsk.CodeWatchUser)
	bob.Send(&slsk.UnwatchUser{Username: "alice"})
	bob.Sync()
	alice.Send(&slsk.SetStatus{Status: slsk.StatusAway})
	alice.Sync()
	bob.ExpectNothing()
}

// GetPeerAddress ends with the u16 obfuscated port; offline users are
// 0.0.0.0:0 (spec §2 code 3).
func TestGetPeerAddress(t *testing.T) {
	h := slsktest.Start(t)
	alice := h.Login("alice")
	bob := h.Login("bob")
	bob.Send(&slsk.SetWaitPort{Port: 2240, ObfuscationType: 1, ObfuscatedPort: 2241})
	bob.Sync()
	alice.Send(&slsk.GetPeerAddress{Username: "bob"})
	alice.Expect(&slsk.GetPeerAddressReply{Username: "bob", IP: loopback, Port: 2240, ObfuscationType: 1, ObfuscatedPort: 2241})
	alice.Send(&slsk.GetPeerAddress{Username: "nobody"})
	alice.Expect(&slsk.GetPeerAddressReply{Username: "nobody", IP: netip.IPv4Unspecified()})
}

// ConnectToPeer is forwarded with the requester's address and all eight
// fields; an offline target gets CantConnectToPeer back; CantConnectToPeer
// is relayed with the token only (spec §2 codes 18, 1001; §3.2).
func TestConnectToPeerBrokering(t *testing.T) {
	h := slsktest.Start(t)
	alice := h.Login("alice") // SetWaitPort 2234 in Login
	bob := h.Login("bob")
	alice.Send(&slsk.ConnectToPeer{Token: 77, Username: "bob", Type: "P"})
	bob.Expect(&slsk.ConnectToPeerReply{Username: "alice", Type: "P", IP: loopback, Port: 2234, Token: 77})
	bob.Send(&slsk.CantConnectToPeer{Token: 77, Username: "alice"})
	alice.Expect(&slsk.CantConnectToPeerReply{Token: 77})
	alice.Send(&slsk.ConnectToPeer{Token: 78, Username: "nobody", Type: "F"})
	alice.Expect(&slsk.CantConnectToPeerReply{Token: 78})
}

func TestPrivilegesAndPing(t *testing.T) {
	h := slsktest.Start(t)
	alice := h.Login("alice")
	alice.Send(&slsk.CheckPrivileges{})
	alice.Expect(&slsk.CheckPrivilegesReply{Seconds: 0})
	alice.Send(&slsk.UserPrivileged{Username: "alice"})
	alice.Expect(&slsk.UserPrivilegedReply{Username: "alice"})
	alice.Send(&slsk.NotifyPrivileges{Token: 5, Username: "x"})
	alice.Expect(&slsk.AckNotifyPrivileges{Token: 5})
}
