package slskserver_test

import (
	"testing"

	"github.com/revival-net/revival/slsk"
	"github.com/revival-net/revival/slsk/slsktest"
)

// An account deleted by an operator (the CLI, another process) is
// disconnected, and the private room it owned is disbanded in memory too:
// whoever registers the name again inherits nothing.
func TestDeletedAccountLosesItsPrivateRooms(t *testing.T) {
	h := slsktest.Start(t)
	olga := createClub(t, h)
	bob := h.Login("bob")
	invitable(t, bob)
	olga.Send(&slsk.AddRoomMember{Room: "club", Username: "bob"})
	olga.Sync()
	bob.Sync()

	if err := h.Store.Users().Delete(t.Context(), "olga"); err != nil {
		t.Fatal(err)
	}
	h.Hub.AccountChanged(t.Context(), "olga")
	olga.ExpectClosed()
	got := bob.Sync()
	revoked := false
	for _, m := range got {
		if r, ok := m.(*slsk.RoomMembershipRevoked); ok && r.Room == "club" {
			revoked = true
		}
	}
	if !revoked {
		t.Fatalf("bob was not told the room is gone: %#v", got)
	}

	// A new olga can create "club" afresh, as its owner with no members.
	createClub(t, h)
	checkRoomIndex(t, h)
}
