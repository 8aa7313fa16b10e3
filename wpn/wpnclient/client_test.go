package wpnclient_test

import (
	"context"
	"errors"
	"io"
	"net"
	"slices"
	"testing"
	"time"

	"github.com/revival-net/revival/wpn"
	"github.com/revival-net/revival/wpn/wpnclient"
	"github.com/revival-net/revival/wpn/wpnserver"
	"github.com/revival-net/revival/wpn/wpntest"
)

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return c
}

func dial(t *testing.T, h *wpntest.Harness, name string, o wpnclient.Options) *wpnclient.Client {
	t.Helper()
	o.Name = name
	c, err := wpnclient.Dial(ctx(t), h.Addr, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

type rooms []wpn.RoomListEntry

func (r rooms) AppendRoomList(dst []wpn.RoomListEntry) []wpn.RoomListEntry { return append(dst, r...) }

// Two clients on one primary: whois, PMs both ways with receipts, a
// search and a browse of a raw secondary's shares, the room list.
func TestSecondaryAgainstOurPrimary(t *testing.T) {
	list := rooms{{Users: 3, Limit: 50, Name: "Lobby_0100007F1A2B", Topic: "hi"}}
	h := wpntest.Start(t, func(o *wpnserver.Options) { o.Rooms = list })
	alice := dial(t, h, "alice123", wpnclient.Options{Status: "9003 3 of 3 available"})
	bob := dial(t, h, "bob123", wpnclient.Options{AutoReply: "away"})
	if alice.Name() == bob.Name() || alice.Handle() != bob.Handle() {
		t.Fatalf("names %s %s, handles %v %v", alice.Name(), bob.Name(), alice.Handle(), bob.Handle())
	}

	w, err := bob.Whois(ctx(t), alice.Target())
	if err != nil || w.Name != alice.Name() || w.Status != "9003 3 of 3 available" {
		t.Fatalf("whois %+v %v", w, err)
	}
	if _, err := bob.Whois(ctx(t), wpn.Target{Handle: alice.Target().Handle, Name: "nobody000_00001"}); !errors.Is(err, wpnclient.ErrNotFound) {
		t.Fatalf("unknown whois: %v", err)
	}

	st, err := alice.SendPM(ctx(t), bob.Target(), "hi bob")
	if err != nil || st != "away" {
		t.Fatalf("PM status %q %v", st, err)
	}
	if pm := <-bob.PMs(); pm.Text != "hi bob" || pm.From.Name != alice.Name() {
		t.Fatalf("bob got %+v", pm)
	}
	if st, err := bob.SendPM(ctx(t), alice.Target(), "hi alice"); err != nil || st != wpn.PMSent {
		t.Fatalf("PM status %q %v", st, err)
	}
	if _, err := alice.SendPM(ctx(t), wpn.Target{Handle: bob.Target().Handle, Name: "gone000_00009"}, "x"); !errors.Is(err, wpnclient.ErrNotFound) {
		t.Fatalf("PM to nobody: %v", err)
	}

	carol := h.Login("carol123") // a raw secondary that shares files
	carol.Send(&wpn.ShareFolder{Folder: `C:\Music`, Files: []wpn.SharedFile{{Name: "Song One.mp3", Size: 11}, {Name: "Song Two.mp3", Size: 22}}})
	carol.Send(&wpn.Whois{Target: carol.Target()})
	wpntest.Expect[*wpn.WhoisReply](carol)

	s, err := alice.Search("song", 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := alice.Sync(ctx(t)); err != nil { // every local hit is in
		t.Fatal(err)
	}
	s.Stop()
	var paths []string
	for hit := range s.Hits {
		paths = append(paths, hit.Path)
	}
	slices.Sort(paths)
	if want := []string{`C:\Music\Song One.mp3`, `C:\Music\Song Two.mp3`}; !slices.Equal(paths, want) {
		t.Fatalf("hits %v, want %v", paths, want)
	}

	files, err := alice.Browse(ctx(t), carol.Target())
	if err != nil || len(files) != 2 || files[1].Size != 22 {
		t.Fatalf("browse %+v %v", files, err)
	}
	if _, err := alice.Browse(ctx(t), wpn.Target{Handle: carol.Handle, Name: "gone000_00001"}); !errors.Is(err, wpnclient.ErrNotFound) {
		t.Fatalf("browse of nobody: %v", err)
	}

	got, err := alice.Rooms(ctx(t))
	if err != nil || len(got) != 1 || got[0] != list[0] {
		t.Fatalf("rooms %+v %v", got, err)
	}
}

// A responder that takes the key block and closes without answering:
// Dial fails at once instead of hanging.
func TestDialFailsWhenThePrimaryHangsUp(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		nc, err := ln.Accept()
		if err != nil {
			return
		}
		defer nc.Close()
		var b [16]byte
		_, _ = nc.Write([]byte{0x31})
		_, _ = io.ReadFull(nc, b[:])
	}()
	if _, err := wpnclient.Dial(ctx(t), ln.Addr().String(), wpnclient.Options{Name: "x123"}); err == nil {
		t.Fatal("Dial succeeded against a primary that never answered")
	}
}
