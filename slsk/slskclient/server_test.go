package slskclient

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/revival-net/revival/internal/nettest"
	"github.com/revival-net/revival/slsk"
	"github.com/revival-net/revival/slsk/slskserver"
	"github.com/revival-net/revival/slsk/slsktest"
)

// login dials the test server and logs in as user with opts.
func login(t *testing.T, h *slsktest.Harness, user string, opts Options) *Client {
	t.Helper()
	opts.ListenAddr = "127.0.0.1:0"
	ctx := testCtx(t)
	c, err := Dial(ctx, h.Addr, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if _, err := c.Login(ctx, user, "pw-"+user); err != nil {
		t.Fatalf("login %s: %v", user, err)
	}
	return c
}

// deadAddr returns a loopback address that refuses connections for the
// whole test, to make direct connections fail so only the PierceFireWall
// path is left.
func deadAddr(t *testing.T) string { return nettest.HeldAddr(t) }

func TestLoginAnnouncesLikeNicotine(t *testing.T) {
	h := slsktest.Start(t)
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"a/1.mp3": "1", "a/2.mp3": "2", "b/3.mp3": "3"})
	alice := login(t, h, "alice", Options{ShareDir: dir})
	// Login returns once the server accepted it; the announcements after
	// it (SetWaitPort, SharedFoldersFiles) are still on their way on
	// alice's connection, which bob's requests do not wait for.
	serverBarrier(t, alice)
	bob := login(t, h, "bob", Options{})
	ctx := testCtx(t)

	st, err := bob.GetUserStats(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if st.Stats.Files != 3 || st.Stats.Dirs != 3 {
		t.Errorf("alice's stats as bob sees them: %+v, want 3 files in 3 folders", st.Stats)
	}
	status, err := bob.GetUserStatus(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if status.Status != slsk.StatusOnline {
		t.Errorf("alice's status %v, want online", status.Status)
	}
	addr, err := bob.GetPeerAddress(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if int(addr.Port) != alice.ListenAddr().(*net.TCPAddr).Port || addr.IP.String() != "127.0.0.1" {
		t.Errorf("alice's address %v:%d, want the listener %v", addr.IP, addr.Port, alice.ListenAddr())
	}
	if _, err := bob.CheckPrivileges(ctx); err != nil {
		t.Errorf("CheckPrivileges: %v", err)
	}

	// A rescan reports the new counts.
	writeTree(t, dir, map[string]string{"c/4.mp3": "4"})
	if err := alice.Rescan(); err != nil {
		t.Fatal(err)
	}
	if d, f := alice.SharedCounts(); d != 4 || f != 4 {
		t.Errorf("after rescan SharedCounts = %d, %d; want 4, 4", d, f)
	}
	// The server pushes alice her own stats after each SharedFoldersFiles
	// (spec §1.5), so a report of the old counts may still be on its way:
	// she waits for the new ones instead of taking the first report.
	if _, err := alice.WaitUserStats(ctx, "alice", func(r *slsk.GetUserStatsReply) bool {
		return r.Stats.Files == 4 && r.Stats.Dirs == 4
	}); err != nil {
		t.Fatalf("waiting for alice's new counts: %v", err)
	}
	// The server has them, so bob (who is sent no pushes about alice)
	// gets them as the answer.
	st, err = bob.GetUserStats(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if st.Stats.Files != 4 || st.Stats.Dirs != 4 {
		t.Errorf("after rescan alice's stats as bob sees them: %+v, want 4 files in 4 folders", st.Stats)
	}
}

// TestUserAndRoomSearch checks the two searches the server delivers as a
// direct FileSearch (26) to one user or a room's members (spec §2 codes
// 42 and 120).
func TestUserAndRoomSearch(t *testing.T) {
	h := slsktest.Start(t)
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"tune.mp3": "la"})
	alice := login(t, h, "alice", Options{ShareDir: dir, ShareName: "A"})
	bob := login(t, h, "bob", Options{})
	ctx := testCtx(t)

	first := func(s *Search, err error) SearchResult {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		select {
		case r := <-s.Results():
			return r
		case <-ctx.Done():
			t.Fatal("no result")
		}
		return SearchResult{}
	}
	sctx, cancel := context.WithCancel(ctx)
	r := first(bob.UserSearch(sctx, "alice", "tune"))
	if r.User != "alice" || len(r.Files) != 1 || r.Files[0].Name != `A\tune.mp3` {
		t.Errorf("user search result %+v", r)
	}
	cancel()

	for _, c := range []*Client{alice, bob} {
		if _, err := c.JoinRoom(ctx, "music"); err != nil {
			t.Fatal(err)
		}
	}
	r = first(bob.RoomSearch(ctx, "music", "TUNE"))
	if r.User != "alice" || len(r.Files) != 1 {
		t.Errorf("room search result %+v", r)
	}
}

func TestLoginRefused(t *testing.T) {
	h := slsktest.Start(t)
	login(t, h, "alice", Options{}).Close()
	ctx := testCtx(t)
	c, err := Dial(ctx, h.Addr, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, err = c.Login(ctx, "alice", "wrong")
	var le *LoginError
	if !errors.As(err, &le) || le.Reason != slsk.ReasonInvalidPass {
		t.Fatalf("login with a wrong password: %v, want %s", err, slsk.ReasonInvalidPass)
	}
}

// TestSearchAndDownload is the end-to-end flow of the two-Nicotine+
// capture: A shares, B searches, A answers over P, B downloads over F.
// Each mode delivers the search differently (spec §4.3): code 93 to every
// branch root, or code 26 as Soulfind does. In the "pierce" case alice
// cannot reach anyone directly, so her search answer and her F connection
// both go through ConnectToPeer and PierceFireWall (spec §3.2).
func TestSearchAndDownload(t *testing.T) {
	tests := []struct {
		name   string
		mode   slskserver.DistribMode
		pierce bool
	}{
		{"embedded 93", slskserver.DistribEveryoneRoot, false},
		{"direct 26", slskserver.DistribDirect, false},
		{"pierce firewall", slskserver.DistribEveryoneRoot, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := slsktest.Start(t, func(o *slskserver.Options) { o.Distributed = tc.mode })
			dir := t.TempDir()
			data := pattern(200_000)
			if err := os.MkdirAll(filepath.Join(dir, "Artist"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "Artist", "test_song.mp3"), data, 0o644); err != nil {
				t.Fatal(err)
			}
			writeTree(t, dir, map[string]string{"Artist/other.mp3": "x"})
			alice := login(t, h, "alice", Options{ShareDir: dir, ShareName: "Music"})
			if tc.pierce {
				dead := deadAddr(t)
				alice.addrHook = func(string) (string, error) { return dead, nil }
			}
			bob := login(t, h, "bob", Options{})
			ctx := testCtx(t)

			s, err := bob.Search(ctx, "artist song")
			if err != nil {
				t.Fatal(err)
			}
			var res SearchResult
			select {
			case res = <-s.Results():
			case <-ctx.Done():
				t.Fatal("no search result")
			}
			want := []slsk.File{{Code: 1, Name: `Music\Artist\test_song.mp3`, Size: uint64(len(data))}}
			if res.User != "alice" || !slices.EqualFunc(res.Files, want, func(a, b slsk.File) bool {
				return a.Name == b.Name && a.Size == b.Size
			}) {
				t.Fatalf("result %+v, want alice with %v", res, want)
			}

			var buf bytes.Buffer
			n, err := bob.Download(ctx, res.User, res.Files[0].Name, &buf, nil)
			if err != nil {
				t.Fatal(err)
			}
			if n != int64(len(data)) || !bytes.Equal(buf.Bytes(), data) {
				t.Fatalf("downloaded %d bytes, equal=%v", n, bytes.Equal(buf.Bytes(), data))
			}
			// Uploader reported its speed: the server's stats change.
			waitEvent(t, alice, func(ev Event) bool {
				up, ok := ev.(UploadFinished)
				return ok && up.Err == nil && up.Bytes == int64(len(data))
			})
		})
	}
}

func TestRoomsAndChat(t *testing.T) {
	h := slsktest.Start(t)
	alice := login(t, h, "alice", Options{})
	bob := login(t, h, "bob", Options{})
	ctx := testCtx(t)

	if _, err := alice.JoinRoom(ctx, "retro"); err != nil {
		t.Fatal(err)
	}
	jr, err := bob.JoinRoom(ctx, "retro")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, u := range jr.Users {
		names = append(names, u.Username)
	}
	slices.Sort(names)
	if !slices.Equal(names, []string{"alice", "bob"}) {
		t.Errorf("room members %v, want alice and bob", names)
	}
	waitEvent(t, alice, func(ev Event) bool {
		j, ok := ev.(UserJoinedRoom)
		return ok && j.Room == "retro" && j.User == "bob"
	})
	if err := alice.Say("retro", "hello from A"); err != nil {
		t.Fatal(err)
	}
	isHello := func(ev Event) bool {
		m, ok := ev.(RoomMessage)
		return ok && m == RoomMessage{Room: "retro", User: "alice", Text: "hello from A"}
	}
	waitEvent(t, bob, isHello)
	waitEvent(t, alice, isHello) // the server echoes our own line

	rl, err := alice.RoomList(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(rl.Public, func(r slsk.RoomCount) bool { return r.Room == "retro" && r.Users == 2 }) {
		t.Errorf("room list %+v lacks retro with 2 users", rl.Public)
	}
	if err := bob.LeaveRoom(ctx, "retro"); err != nil {
		t.Fatal(err)
	}
	waitEvent(t, alice, func(ev Event) bool {
		l, ok := ev.(UserLeftRoom)
		return ok && l == UserLeftRoom{Room: "retro", User: "bob"}
	})
}

func TestPrivateMessageAcked(t *testing.T) {
	h := slsktest.Start(t)
	alice := login(t, h, "alice", Options{})
	bob := login(t, h, "bob", Options{})

	if err := alice.SendPrivateMessage("bob", "private hello"); err != nil {
		t.Fatal(err)
	}
	ev := waitEvent(t, bob, func(ev Event) bool { _, ok := ev.(PrivateMessage); return ok }).(PrivateMessage)
	if ev.User != "alice" || ev.Text != "private hello" || !ev.New {
		t.Errorf("private message %+v", ev)
	}
	// bob acknowledged it, so a new session of bob is not given it again:
	// the first private message the new session sees is the next one. A
	// round trip first makes sure the server has handled the ack (it reads
	// each connection in order) before the new session logs in.
	if _, err := bob.GetUserStatus(testCtx(t), "bob"); err != nil {
		t.Fatal(err)
	}
	bob.Close()
	bob2 := login(t, h, "bob", Options{})
	if err := alice.SendPrivateMessage("bob", "second"); err != nil {
		t.Fatal(err)
	}
	ev = waitEvent(t, bob2, func(ev Event) bool { _, ok := ev.(PrivateMessage); return ok }).(PrivateMessage)
	if ev.Text != "second" {
		t.Errorf("after relogin the first private message is %q, want %q (the first was acknowledged)", ev.Text, "second")
	}
}

func TestOfflinePrivateMessage(t *testing.T) {
	h := slsktest.Start(t)
	alice := login(t, h, "alice", Options{})
	login(t, h, "bob", Options{}).Close() // register bob
	if err := alice.SendPrivateMessage("bob", "while you were out"); err != nil {
		t.Fatal(err)
	}
	// Make sure the server handled it before bob logs in again.
	if _, err := alice.GetUserStatus(testCtx(t), "bob"); err != nil {
		t.Fatal(err)
	}
	bob := login(t, h, "bob", Options{})
	ev := waitEvent(t, bob, func(ev Event) bool { _, ok := ev.(PrivateMessage); return ok }).(PrivateMessage)
	if ev.Text != "while you were out" || ev.New {
		t.Errorf("offline message %+v, want the text with New=false", ev)
	}
}

func TestWatchAndStatus(t *testing.T) {
	h := slsktest.Start(t)
	alice := login(t, h, "alice", Options{})
	bob := login(t, h, "bob", Options{})
	ctx := testCtx(t)

	w, err := alice.WatchUser(ctx, "bob")
	if err != nil {
		t.Fatal(err)
	}
	if !w.Exists || w.Status != slsk.StatusOnline {
		t.Errorf("watch reply %+v", w)
	}
	if err := bob.SetStatus(slsk.StatusAway); err != nil {
		t.Fatal(err)
	}
	waitEvent(t, alice, func(ev Event) bool {
		s, ok := ev.(StatusChanged)
		return ok && s.User == "bob" && s.Status == slsk.StatusAway
	})
	bob.Close()
	waitEvent(t, alice, func(ev Event) bool {
		s, ok := ev.(StatusChanged)
		return ok && s.User == "bob" && s.Status == slsk.StatusOffline
	})
	w, err = alice.WatchUser(ctx, "nobody-here")
	if err != nil {
		t.Fatal(err)
	}
	if w.Exists {
		t.Errorf("unknown user reported as existing: %+v", w)
	}
}

func TestRelogged(t *testing.T) {
	h := slsktest.Start(t)
	first := login(t, h, "alice", Options{})
	login(t, h, "alice", Options{})
	waitEvent(t, first, func(ev Event) bool { _, ok := ev.(Relogged); return ok })
	ev := waitEvent(t, first, func(ev Event) bool { _, ok := ev.(Disconnected); return ok }).(Disconnected)
	if ev.Err == nil {
		t.Error("Disconnected after Relogged has no error")
	}
	select {
	case <-first.Done():
	default:
		t.Error("client not done after the server closed it")
	}
	if _, err := first.GetUserStatus(context.Background(), "alice"); err == nil {
		t.Error("call on a disconnected client succeeded")
	}
}
