package slskserver_test

import (
	"strings"
	"testing"

	"github.com/revival-net/revival/slsk"
	"github.com/revival-net/revival/slsk/slskserver"
	"github.com/revival-net/revival/slsk/slsktest"
)

// "Store the message under a new id and deliver it if the recipient is
// online. Re-deliver with is_new = 0 at each login until acknowledged"
// (spec §2 codes 22/23) — and across a server restart, since acknowledged
// writes must survive.
func TestPrivateMessagesOnlineOfflineAndAcks(t *testing.T) {
	h := slsktest.Start(t)
	h.Login("bob").Close() // registers bob
	alice := h.Login("alice")

	alice.Send(&slsk.MessageUser{Username: "bob", Message: "while you were out"})
	alice.Send(&slsk.MessageUser{Username: "ghost", Message: "nobody home"}) // no such user: dropped
	alice.Sync()

	h.Restart()
	bob := h.Dial()
	bob.Name = "bob"
	bob.Send(slsktest.LoginMessage("bob", slsktest.Password("bob")))
	bob.SkipUntil(slsk.CodeLogin)
	m, ok := bob.Next().(*slsk.MessageUserReply)
	if !ok || m.Username != "alice" || m.Message != "while you were out" || m.IsNew {
		t.Fatalf("first message after login = %#v, want the stored PM with is_new = 0", m)
	}
	bob.SkipUntil(slsk.CodeExcludedSearchPhrases)
	bob.ExpectNothing() // the PM to "ghost" went nowhere

	// Not acknowledged: delivered again at the next login.
	bob.Close()
	bob = h.Dial()
	bob.Send(slsktest.LoginMessage("bob", slsktest.Password("bob")))
	bob.SkipUntil(slsk.CodeLogin)
	again := bob.Next().(*slsk.MessageUserReply)
	if again.ID != m.ID {
		t.Fatalf("redelivered id %d, want %d", again.ID, m.ID)
	}
	// Someone else's ack does not delete it; bob's does.
	alice = h.Login("alice")
	alice.Send(&slsk.MessageAcked{ID: m.ID})
	alice.Sync()
	bob.Send(&slsk.MessageAcked{ID: m.ID})
	bob.SkipUntil(slsk.CodeExcludedSearchPhrases)
	bob.Sync()
	bob.Close()
	h.Login("bob").ExpectNothing()
}

func TestPrivateMessageToOnlineUser(t *testing.T) {
	h := slsktest.Start(t)
	alice := h.Login("alice")
	bob := h.Login("bob")
	alice.Send(&slsk.MessageUser{Username: "bob", Message: "hi bob"})
	got := bob.Next().(*slsk.MessageUserReply)
	if got.Username != "alice" || got.Message != "hi bob" || !got.IsNew || got.ID == 0 || got.Timestamp == 0 {
		t.Fatalf("got %#v", got)
	}
	// MessageUsers reaches each listed online user.
	alice.Send(&slsk.MessageUsers{Usernames: []string{"bob", "offline-carol"}, Message: "all"})
	if m := bob.Next().(*slsk.MessageUserReply); m.Message != "all" {
		t.Fatalf("got %#v", m)
	}
}

// A message past the recipient's queue limit is not kept, and the sender
// is told so by "server" instead of seeing it vanish.
func TestFullQueueIsReportedToTheSender(t *testing.T) {
	h := slsktest.Start(t, func(o *slskserver.Options) { o.Limits.MaxPending = 1 })
	h.Login("bob").Close()
	alice := h.Login("alice")
	alice.Send(&slsk.MessageUser{Username: "bob", Message: "first"})
	alice.ExpectNothing()
	alice.Send(&slsk.MessageUser{Username: "bob", Message: "second"})
	m := alice.Next().(*slsk.MessageUserReply)
	if m.Username != "server" || !strings.Contains(m.Message, "too many unread messages") {
		t.Fatalf("sender got %#v", m)
	}
}
