package slskserver_test

import (
	"net"
	"testing"
	"time"

	"github.com/revival-net/revival/slsk"
	"github.com/revival-net/revival/slsk/slsktest"
)

// FuzzServer logs in, feeds arbitrary bytes, and checks that the server
// neither crashes nor stops serving others (style §3.9 (c), mox-style
// server fuzzing). Seeds run in every `go test`.
func FuzzServer(f *testing.F) {
	f.Add(frame(uint32(slsk.CodeJoinRoom), 4, 0, 0, 0, 'r', 'o', 'o', 'm'))
	f.Add(frame(uint32(slsk.CodeFileSearch), 1, 0, 0, 0, 1, 0, 0, 0, 'q'))
	f.Add(frame(uint32(slsk.CodeMessageUser), 3, 0, 0, 0, 'b', 'o', 'b', 2, 0, 0, 0, 'h', 'i'))
	f.Add(frame(uint32(slsk.CodeHaveNoParent), 1, 0, 0, 0))
	f.Add(frame(uint32(slsk.CodeRoomList)))
	f.Add([]byte{0xff, 0xff, 0xff, 0x7f})
	f.Add(frame(uint32(slsk.CodeSayChatroom), 0xff, 0xff, 0xff, 0xff))
	h := slsktest.Start(f)
	watcher := h.Login("watcher")
	f.Fuzz(func(t *testing.T, data []byte) {
		nc, err := net.Dial("tcp", h.Addr)
		if err != nil {
			t.Fatal(err)
		}
		defer nc.Close()
		login := slsk.AppendServerFrame(nil, slsktest.LoginMessage("fuzzer", "pw"))
		nc.SetDeadline(time.Now().Add(5 * time.Second))
		if _, err := nc.Write(append(login, data...)); err != nil {
			return
		}
		// The server still answers another user.
		watcher.T = t
		watcher.Sync()
	})
}
