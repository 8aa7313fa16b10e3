package nettest

import (
	"net"
	"testing"
	"time"
)

// Nothing can listen on a held address, and dialling it is refused.
func TestHeldAddr(t *testing.T) {
	a := HeldAddr(t)
	if ln, err := net.Listen("tcp", a); err == nil {
		ln.Close()
		t.Fatalf("listened on held address %s", a)
	}
	if c, err := net.DialTimeout("tcp", a, 5*time.Second); err == nil {
		c.Close()
		t.Fatalf("dialled held address %s", a)
	}
}
