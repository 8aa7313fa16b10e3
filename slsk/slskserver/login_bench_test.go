package slskserver_test

import (
	"bufio"
	"fmt"
	"net"
	"testing"

	"github.com/revival-net/revival/internal/wire"
	"github.com/revival-net/revival/slsk"
	"github.com/revival-net/revival/slsk/slsktest"
)

// BenchmarkReturningLogin is a returning user's whole login over loopback:
// connect, Login and SetWaitPort in one write, read until the last
// post-login message (ExcludedSearchPhrases), disconnect. Profile it with
// -cpuprofile to see the server's share (the issue's "µs of server CPU per
// login"; `revival bench slsk` measures the same from outside).
func BenchmarkReturningLogin(b *testing.B) {
	h := slsktest.Start(b)
	const users = 200
	for i := range users {
		h.Login(fmt.Sprintf("user%03d", i)).Close()
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		name := fmt.Sprintf("user%03d", i%users)
		i++
		nc, err := net.Dial("tcp", h.Addr)
		if err != nil {
			b.Fatal(err)
		}
		var msg []byte
		msg = slsk.AppendServerFrame(msg, slsktest.LoginMessage(name, slsktest.Password(name)))
		msg = slsk.AppendServerFrame(msg, &slsk.SetWaitPort{Port: 2234})
		if _, err := nc.Write(msg); err != nil {
			b.Fatal(err)
		}
		fr := wire.NewFrameReader(bufio.NewReader(nc), 1<<20)
		for {
			body, err := fr.Next()
			if err != nil {
				b.Fatal(err)
			}
			code, _, err := slsk.SplitServerFrame(body)
			if err != nil {
				b.Fatal(err)
			}
			if code == slsk.CodeExcludedSearchPhrases {
				break
			}
		}
		nc.Close()
	}
}
