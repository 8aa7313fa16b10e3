package slskserver_test

import (
	"testing"

	"github.com/revival-net/revival/slsk"
	"github.com/revival-net/revival/slsk/slsktest"
)

// waitOffline makes watcher watch name and returns a function that waits
// until the server has logged name out (its watchers hear "offline").
func waitOffline(watcher *slsktest.Client, name string) func() {
	watcher.Send(&slsk.WatchUser{Username: name})
	watcher.SkipUntil(slsk.CodeWatchUser)
	return func() {
		for {
			m := watcher.SkipUntil(slsk.CodeGetUserStatus).(*slsk.GetUserStatusReply)
			if m.Username == name && m.Status == slsk.StatusOffline {
				return
			}
		}
	}
}

// A returning login takes its statistics and interests from what the
// server kept at logout instead of the store: they must be the session's.
func TestReturningLoginKeepsInterests(t *testing.T) {
	h := slsktest.Start(t)
	bob := h.Login("bob")
	alice := h.Login("alice")
	alice.Send(&slsk.AddThingILike{Item: "jazz"})
	alice.Sync()
	offline := waitOffline(bob, "alice")
	alice.Close()
	offline()
	h.Login("alice").Close()
	offline()
	alice = h.Login("alice")
	alice.Send(&slsk.UserInterests{Username: "alice"})
	got := alice.SkipUntil(slsk.CodeUserInterests).(*slsk.UserInterestsReply)
	if len(got.Likes) != 1 || got.Likes[0] != "jazz" {
		t.Fatalf("likes after two relogins: %q, want [jazz]", got.Likes)
	}
}

// A user who had no offline messages at their last login still gets the
// ones sent since: the server only skips the query for users it knows to
// have none, and every stored message clears that.
func TestOfflineMessageAfterAnEmptyLogin(t *testing.T) {
	h := slsktest.Start(t)
	bob := h.Login("bob")
	alice := h.Login("alice") // no pending messages: remembered
	offline := waitOffline(bob, "alice")
	alice.Close()
	offline()
	bob.Send(&slsk.MessageUser{Username: "alice", Message: "while you were away"})
	bob.Sync()
	c := h.Dial()
	c.Send(slsktest.LoginMessage("alice", slsktest.Password("alice")))
	m := c.SkipUntil(slsk.CodeMessageUser).(*slsk.MessageUserReply)
	if m.Username != "bob" || m.Message != "while you were away" {
		t.Fatalf("pending message: %#v", m)
	}
}
