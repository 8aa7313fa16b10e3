package wpnchat

import (
	"errors"
	"slices"
	"testing"

	"github.com/revival-net/revival/internal/store"
	"github.com/revival-net/revival/wpn"
)

// Topic, MOTD, operators, bans and moderation survive a restart of the
// host: they are in the store before the command's answer.
func TestPersistenceAcrossRestart(t *testing.T) {
	lim := Limits{LoginRate: unlimited, CommandRate: unlimited}
	e := newEnv(t, lim, store.WPNRoom{Name: "Ops", Topic: "t", Owner: "alice"})
	e.account("alice", "secret-a")
	alice := loginOwner(t, e, e.room("Ops"), "t")
	for _, cmd := range []string{"/topic kept", "/motd line 1#\\n#line #c4#2", "/ban 192.0.2.9", "/ban troll", "/moderate on"} {
		alice.send(&wpn.ChatSay{Text: cmd})
	}
	alice.roundTrip()

	e.restart(lim)
	rec, err := e.st.WPNRooms().Get(ctx, "ops")
	if err != nil {
		t.Fatal(err)
	}
	if rec.Topic != "kept" || rec.MOTD != "line 1\nline #c4#2" || !slices.Equal(rec.Bans, []string{"@192.0.2.9", "troll"}) || !rec.Moderated {
		t.Errorf("stored %+v", rec)
	}
	infos := e.host.Rooms()
	if len(infos) != 1 || infos[0].Topic != "kept" || !infos[0].Moderated {
		t.Errorf("after restart Rooms() = %+v", infos)
	}
	c := e.join353(e.room("Ops"), "zed_00001", "kept")
	c.expect(&wpn.ChatMOTDLine{Text: "line 1"})
	c.expect(&wpn.ChatLine{Text: "line \x03\x04" + "2"}) // #c4# expanded in a 0x00D2 line
	c.expect(&wpn.ChatUserInfo{ChatUser: user("zed_00001", 0)})
	c.send(&wpn.ChatSay{Text: "can I talk?"})
	c.expectNotice("moderated")
	troll := e.dialRaw()
	troll.send(joinReq(e.room("Ops"), "Troll_00004"))
	if n := troll.expectClosed(); len(n) != 1 || !contains(n[0], "banned") {
		t.Errorf("troll: %q", n)
	}
}

// ReloadRoom applies what another process stored: a new room opens, a
// changed topic and operator list show, a removed room closes.
func TestReloadRoom(t *testing.T) {
	e := newEnv(t, Limits{})
	if len(e.host.Rooms()) != 0 {
		t.Fatal("rooms before any was added")
	}
	if err := e.st.WPNRooms().Create(ctx, store.WPNRoom{Name: "Fresh", Topic: "one"}); err != nil {
		t.Fatal(err)
	}
	if err := e.host.ReloadRoom(ctx, "fresh"); err != nil {
		t.Fatal(err)
	}
	c := e.join353(e.room("Fresh"), "zed_00001", "one")
	c.expect(&wpn.ChatUserInfo{ChatUser: user("zed_00001", 0)})

	rec, _ := e.st.WPNRooms().Get(ctx, "Fresh")
	rec.Topic = "two"
	rec.Bans = []string{"zed"}
	if err := e.st.WPNRooms().Put(ctx, rec); err != nil {
		t.Fatal(err)
	}
	if err := e.host.ReloadRoom(ctx, "Fresh"); err != nil {
		t.Fatal(err)
	}
	c.expect(&wpn.ChatTopicText{Text: "two"})
	if n := c.expectClosed(); len(n) != 1 || !contains(n[0], "banned") {
		t.Errorf("banned by reload: %q", n)
	}

	d := e.join353(e.room("Fresh"), "yan_00001", "two")
	d.expect(&wpn.ChatUserInfo{ChatUser: user("yan_00001", 0)})
	if err := e.st.WPNRooms().Delete(ctx, "Fresh"); err != nil {
		t.Fatal(err)
	}
	if err := e.host.ReloadRoom(ctx, "Fresh"); err != nil {
		t.Fatal(err)
	}
	if n := d.expectClosed(); len(n) != 1 || !contains(n[0], "closed") {
		t.Errorf("closed room: %q", n)
	}
	if len(e.host.Rooms()) != 0 {
		t.Error("room still listed after removal")
	}

	// CreateRoom stores and opens; a second one of that name conflicts.
	if err := e.host.CreateRoom(ctx, store.WPNRoom{Name: "Made"}); err != nil {
		t.Fatal(err)
	}
	if err := e.host.CreateRoom(ctx, store.WPNRoom{Name: "MADE"}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("second CreateRoom: %v", err)
	}
	if err := e.host.CreateRoom(ctx, store.WPNRoom{Name: "bad\x01"}); err == nil {
		t.Error("CreateRoom accepted a control character")
	}
}
