// Package nettest holds test helpers about loopback networking that
// several packages' tests share.
package nettest

import (
	"net"
	"testing"
)

// HeldAddr returns a loopback address that refuses connections for the
// whole test: its port is the local end of a connection kept open until
// the test ends, so dialling it is refused and no listener can take it
// meanwhile. The port of a closed listener is not good enough: another
// test binary running at the same time (go test runs packages in
// parallel) could listen there and accept the "dead" dial.
func HeldAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	held, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { held.Close() })
	other, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	return held.LocalAddr().String()
}
