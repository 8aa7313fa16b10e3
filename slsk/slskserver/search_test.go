package slskserver_test

import (
	"testing"

	"github.com/revival-net/revival/internal/wire"
	"github.com/revival-net/revival/slsk"
	"github.com/revival-net/revival/slsk/slskserver"
	"github.com/revival-net/revival/slsk/slsktest"
)

func embeddedSearch(user string, token uint32, query string) *slsk.EmbeddedMessage {
	b := wire.NewBuilder(nil)
	(&slsk.DistribSearch{Unknown: 49, Username: user, Token: token, Query: query}).Encode(b)
	return &slsk.EmbeddedMessage{Code: 3, Payload: b.Bytes()}
}

// Default mode: "deliver each search as code 93 to every online user except
// the searcher" (spec §4.3 strategy (a)); a user that reports
// HaveNoParent(0) hears searches from its parent instead.
func TestFileSearchReachesEveryBranchRoot(t *testing.T) {
	h := slsktest.Start(t)
	alice := h.Login("alice")
	bob := h.Login("bob")
	carol := h.Login("carol")
	dave := h.Login("dave")
	dave.Send(&slsk.HaveNoParent{NoParent: false})
	dave.Sync()

	alice.Send(&slsk.FileSearch{Token: 9, Query: "artist song"})
	alice.Sync()
	bob.Expect(embeddedSearch("alice", 9, "artist song"))
	carol.Expect(embeddedSearch("alice", 9, "artist song"))
	alice.ExpectNothing()
	dave.ExpectNothing()

	alice.Send(&slsk.WishlistSearch{Token: 10, Query: "wish"})
	bob.Expect(embeddedSearch("alice", 10, "wish"))
}

// Direct mode sends FileSearch (26) to everyone, as Soulfind does.
func TestFileSearchDirectMode(t *testing.T) {
	h := slsktest.Start(t, func(o *slskserver.Options) { o.Distributed = slskserver.DistribDirect })
	alice := h.Login("alice")
	bob := h.Login("bob")
	alice.Send(&slsk.FileSearch{Token: 1, Query: "q"})
	bob.Expect(&slsk.FileSearchReply{Username: "alice", Token: 1, Query: "q"})
}

// UserSearch goes to the target only, as FileSearch(26) carrying the
// searcher's name (spec §2 code 42); excluded phrases drop searches and are
// announced at login (code 160).
func TestUserSearchAndExcludedPhrases(t *testing.T) {
	h := slsktest.Start(t, func(o *slskserver.Options) { o.ExcludedPhrases = []string{"Forbidden Album"} })
	c := h.Dial()
	c.Send(slsktest.LoginMessage("alice", "pw"))
	c.SkipUntil(slsk.CodeLogin)
	if m := c.SkipUntil(slsk.CodeExcludedSearchPhrases).(*slsk.ExcludedSearchPhrases); len(m.Phrases) != 1 || m.Phrases[0] != "forbidden album" {
		t.Fatalf("excluded phrases at login = %#v", m)
	}
	bob := h.Login("bob")
	carol := h.Login("carol")
	c.Send(&slsk.UserSearch{Username: "bob", Token: 5, Query: "x"})
	bob.Expect(&slsk.FileSearchReply{Username: "alice", Token: 5, Query: "x"})
	c.Send(&slsk.FileSearch{Token: 6, Query: "the forbidden album flac"})
	c.Sync()
	bob.ExpectNothing()
	carol.ExpectNothing()
}

// The search flood limit drops searches past the burst, and a client that
// keeps flooding is disconnected.
func TestSearchFloodLimit(t *testing.T) {
	h := slsktest.Start(t, func(o *slskserver.Options) { o.Limits.FloodStrikes = 5 })
	alice := h.Login("alice")
	bob := h.Login("bob")
	var flood []byte
	for i := range 40 {
		flood = slsk.AppendServerFrame(flood, &slsk.FileSearch{Token: uint32(i), Query: "q"})
	}
	alice.SendRaw(flood) // one write: the server may close before reading it all

	alice.ExpectClosed()
	got := bob.Sync()
	if len(got) == 0 || len(got) >= 40 {
		t.Fatalf("bob got %d of 40 flooded searches; want the burst only", len(got))
	}
}

// In tree mode, a user without a parent is offered parents that accept
// children (spec §4.3 item 3).
func TestTreeModeOffersParents(t *testing.T) {
	h := slsktest.Start(t, func(o *slskserver.Options) { o.Distributed = slskserver.DistribTree })
	parent := h.Login("parent")
	parent.Send(&slsk.AcceptChildren{Accept: true})
	parent.Sync()
	child := h.Login("child")
	child.Send(&slsk.HaveNoParent{NoParent: true})
	child.Expect(&slsk.PossibleParents{Parents: []slsk.PossibleParent{{Username: "parent", IP: loopback, Port: 2234}}})
	// A stale branch root is reset (item 4).
	child.Send(&slsk.BranchRoot{Root: "gone"})
	child.Expect(&slsk.ResetDistributed{})
}
