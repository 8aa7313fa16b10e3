package slskserver_test

import (
	"context"
	"testing"

	"github.com/revival-net/revival/internal/netlimit"
	"github.com/revival-net/revival/slsk"
	"github.com/revival-net/revival/slsk/slskserver"
	"github.com/revival-net/revival/slsk/slsktest"
)

// lookups are the messages that look a user up by name, each with the
// reply it gets.
var lookups = []struct {
	msg  slsk.ServerMessage
	code slsk.ServerCode
}{
	{&slsk.WatchUser{Username: "nobody1"}, slsk.CodeWatchUser},
	{&slsk.GetUserStatus{Username: "nobody2"}, slsk.CodeGetUserStatus},
	{&slsk.GetUserStats{Username: "nobody3"}, slsk.CodeGetUserStats},
	{&slsk.GetPeerAddress{Username: "nobody4"}, slsk.CodeGetPeerAddress},
	{&slsk.UserInterests{Username: "nobody5"}, slsk.CodeUserInterests},
	{&slsk.UserPrivileged{Username: "nobody6"}, slsk.CodeUserPrivileged},
}

// Lookups of unknown names ran at 34–69k/s uncharged, each a store read
// (issue 5, finding 10). Past the lookup bucket they are dropped and count
// as strikes, which end in a disconnect.
func TestLookupsPastTheBucketAreDroppedAndStrike(t *testing.T) {
	n := len(lookups)
	h := slsktest.Start(t, func(o *slskserver.Options) {
		o.Limits.LookupRate = netlimit.Rate{PerSecond: 1e-6, Burst: float64(n)}
		o.Limits.FloodStrikes = n
	})
	alice := h.Login("alice")
	for _, l := range lookups {
		alice.Send(l.msg)
	}
	got := alice.Sync()
	if len(got) != n {
		t.Fatalf("got %d replies within the bucket, want %d", len(got), n)
	}
	for i, l := range lookups {
		if got[i].ServerCode() != l.code {
			t.Errorf("reply %d is %v, want %v", i, got[i].ServerCode(), l.code)
		}
	}
	for _, l := range lookups {
		alice.Send(l.msg) // dropped: n strikes, still tolerated
	}
	alice.ExpectNothing()
	alice.Send(lookups[0].msg) // one strike too many
	alice.ExpectClosed()
}

// MessageAcked, a store write, has a bucket of its own: past it an ack is
// dropped (the message stays pending) but is no strike, and it takes no
// lookup token, since a client acknowledges what others choose to send it.
func TestAcksPastTheBucketAreDroppedWithoutStrikes(t *testing.T) {
	h := slsktest.Start(t, func(o *slskserver.Options) {
		o.Limits.LookupRate = netlimit.Rate{PerSecond: 1e-6, Burst: 2}
		o.Limits.FloodStrikes = 1
	})
	h.Login("bob").Close()
	alice := h.Login("alice")
	for range 4 {
		alice.Send(&slsk.MessageUser{Username: "bob", Message: "hi"})
	}
	alice.Sync()

	bob := h.Dial()
	bob.Name = "bob"
	bob.Send(slsktest.LoginMessage("bob", slsktest.Password("bob")))
	bob.SkipUntil(slsk.CodeLogin)
	var ids []uint32
	for range 4 {
		ids = append(ids, bob.Next().(*slsk.MessageUserReply).ID)
	}
	bob.SkipUntil(slsk.CodeExcludedSearchPhrases)
	for _, id := range ids {
		bob.Send(&slsk.MessageAcked{ID: id})
	}
	bob.Sync() // still connected: two dropped acks, no strikes
	bob.Send(&slsk.GetUserStatus{Username: "alice"})
	bob.Expect(&slsk.GetUserStatusReply{Username: "alice", Status: slsk.StatusOnline})
	n, err := h.Store.Messages().CountPending(context.Background(), "slsk", "bob")
	if err != nil || n != 2 {
		t.Errorf("pending after 4 acks past a bucket of 2 = %d, %v; want 2", n, err)
	}
}
