package wpnclient_test

import (
	"net"
	"net/netip"
	"testing"

	"github.com/revival-net/revival/internal/nettest"
	"github.com/revival-net/revival/wpn"
	"github.com/revival-net/revival/wpn/wpncache"
	"github.com/revival-net/revival/wpn/wpnclient"
	"github.com/revival-net/revival/wpn/wpntest"
)

// DialCache asks a dead cache, then a live one, and logs in to the listed
// primary with free slots, skipping a full one and a dead one listed
// before it.
func TestDialCache(t *testing.T) {
	h := wpntest.Start(t)
	primary := netip.MustParseAddrPort(h.Addr)
	dead := netip.MustParseAddrPort(nettest.HeldAddr(t))
	cache := wpncache.New(wpncache.Options{Local: func(netip.AddrPort) []wpn.NodeEntry {
		return []wpn.NodeEntry{
			{IP: dead.Addr(), TCPPort: dead.Port(), UDPPort: 6257, FreePrimary: 1, FreeSecondary: 200},
			{IP: primary.Addr(), TCPPort: primary.Port(), UDPPort: 6257, FreePrimary: 3, FreeSecondary: 100},
		}
	}})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = cache.Serve(ln) }()
	t.Cleanup(func() { _ = cache.Close() })

	c, err := wpnclient.DialCache(ctx(t), []string{nettest.HeldAddr(t), ln.Addr().String()}, wpnclient.Options{Name: "alice123"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Sync(ctx(t)); err != nil {
		t.Fatal(err)
	}
	if h.Srv.Online() != 1 {
		t.Fatalf("online %d", h.Srv.Online())
	}
}
