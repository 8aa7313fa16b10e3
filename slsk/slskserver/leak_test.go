package slskserver_test

import (
	"runtime"
	"testing"
	"time"

	"github.com/revival-net/revival/slsk"
	"github.com/revival-net/revival/slsk/slsktest"
)

// "the server never crashes or leaks goroutines": after clients come and
// go (rooms, searches, relogins, refusals), only the idle server's
// goroutines remain.
func TestNoGoroutineLeak(t *testing.T) {
	h := slsktest.Start(t)
	baseline := runtime.NumGoroutine()
	for round := range 3 {
		var clients []*slsktest.Client
		for _, name := range []string{"a", "b", "c", "d"} {
			c := h.Login(name)
			c.Send(&slsk.JoinRoom{Room: "leaks"})
			c.Send(&slsk.WatchUser{Username: "a"})
			clients = append(clients, c)
		}
		clients[0].Send(&slsk.SayChatroom{Room: "leaks", Message: "hi"})
		clients[1].Send(&slsk.FileSearch{Token: uint32(round), Query: "q"})
		h.Login("a") // relogs the first a
		bad := h.Dial()
		bad.Send(slsktest.LoginMessage("b", "wrong password"))
		bad.ExpectClosed()
		for _, c := range clients {
			c.Close()
		}
		h.Login("probe").Close()
	}
	deadline := time.Now().Add(slsktest.Timeout)
	for {
		// Connections still open from the last round ("a", the relogged
		// session) keep one reader each.
		n := runtime.NumGoroutine()
		if n <= baseline+2 {
			return
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("%d goroutines, baseline %d:\n%s", n, baseline, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(10 * time.Millisecond)
	}
}
