package wpncache_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/revival-net/revival/internal/netconn"
	"github.com/revival-net/revival/internal/nettest"
	"github.com/revival-net/revival/wpn"
	"github.com/revival-net/revival/wpn/wpncache"
	"github.com/revival-net/revival/wpn/wpnconn"
)

var cmpOpts = cmp.Options{cmpopts.EquateComparable(netip.Addr{})}

func node(ip string, tcp uint16, freePri, freeSec uint8) wpn.NodeEntry {
	return wpn.NodeEntry{IP: netip.MustParseAddr(ip), UDPPort: 6257, TCPPort: tcp, FreePrimary: freePri, FreeSecondary: freeSec}
}

func start(t *testing.T, opts wpncache.Options) (*wpncache.Server, string) {
	t.Helper()
	s := wpncache.New(opts)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = s.Serve(ln) }()
	t.Cleanup(func() { _ = s.Close() })
	return s, ln.Addr().String()
}

// wpn.md §5.1: the client connects and sends nothing; the cache sends
// 0x38, a key block with ID 0x54 and the 132-byte FrontCode list, which
// both FC table variants decode alike (§2.6).
func TestReplyAsWPNSection51(t *testing.T) {
	local := node("10.0.0.1", 6699, 3, 200)
	_, addr := start(t, wpncache.Options{Local: func(netip.AddrPort) []wpn.NodeEntry { return []wpn.NodeEntry{local} }})
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	_ = nc.SetDeadline(time.Now().Add(10 * time.Second))
	var b [wpn.CacheReplySize]byte
	if _, err := io.ReadFull(nc, b[:]); err != nil {
		t.Fatal(err)
	}
	if b[0] != 0x38 {
		t.Fatalf("first byte 0x%02X, want 0x38", b[0])
	}
	if id, ok := wpn.KeyBlock(b[1:17]).ID(); !ok || id != wpn.KeyCache {
		t.Fatalf("key block id %v %v, want 0x54", id, ok)
	}
	if wpn.FrontCodeAmbiguous([wpn.FrontCodeSize]byte(b[17:])) {
		t.Fatal("the list decodes differently under the two FC tables")
	}
	list, err := wpn.ParseCacheReply(b[:])
	if err != nil {
		t.Fatal(err)
	}
	want := [wpn.FrontCodeEntries]wpn.NodeEntry{local}
	for i := 1; i < len(want); i++ {
		want[i].IP = netip.AddrFrom4([4]byte{})
	}
	if diff := cmp.Diff(want, list, cmpOpts); diff != "" {
		t.Fatalf("list (-want +got):\n%s", diff)
	}
	// The cache then waits for the client to close, and closes too.
	_ = nc.(*net.TCPConn).CloseWrite()
	if n, err := nc.Read(b[:]); n != 0 || err != io.EOF {
		t.Fatalf("after the reply: %d bytes, %v", n, err)
	}
}

// wpn.md §5.2: most free secondary slots first, then fewest free primary
// slots; full primaries are left out; at most ten.
func TestEntriesOrder(t *testing.T) {
	now := time.Unix(1_000_000, 0)
	s, addr := start(t, wpncache.Options{
		Local: func(netip.AddrPort) []wpn.NodeEntry { return []wpn.NodeEntry{node("10.0.0.1", 6699, 3, 50)} },
		Now:   func() time.Time { return now },
	})
	s.Learn(node("10.0.0.2", 6699, 5, 80), time.Minute)
	s.Learn(node("10.0.0.3", 6699, 1, 80), time.Minute)
	s.Learn(node("10.0.0.4", 6699, 3, 0), time.Minute) // full
	for i := range 12 {
		s.Learn(node(fmt.Sprintf("10.1.0.%d", i+1), 6699, 3, 10), time.Minute)
	}
	got, err := wpncache.Fetch(context.Background(), addr)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 10 {
		t.Fatalf("%d entries, want 10", len(got))
	}
	want := []wpn.NodeEntry{node("10.0.0.3", 6699, 1, 80), node("10.0.0.2", 6699, 5, 80), node("10.0.0.1", 6699, 3, 50)}
	if diff := cmp.Diff(want, got[:3], cmpOpts); diff != "" {
		t.Fatalf("first entries (-want +got):\n%s", diff)
	}
	for _, e := range got {
		if e.FreeSecondary == 0 {
			t.Fatalf("full primary listed: %+v", e)
		}
	}
}

// Learnt primaries expire unless refreshed, and Forget drops one at once.
func TestLearnExpires(t *testing.T) {
	now := time.Unix(1_000_000, 0)
	s, _ := start(t, wpncache.Options{Now: func() time.Time { return now }})
	a, b := node("10.0.0.2", 6699, 3, 9), node("10.0.0.3", 6699, 3, 8)
	s.Learn(a, time.Minute)
	s.Learn(b, 2*time.Minute)
	if got := s.Entries(netip.AddrPort{}); len(got) != 2 {
		t.Fatalf("entries %v", got)
	}
	now = now.Add(90 * time.Second)
	if diff := cmp.Diff([]wpn.NodeEntry{b}, s.Entries(netip.AddrPort{}), cmpOpts); diff != "" {
		t.Fatal(diff)
	}
	s.Learn(b, time.Minute) // refreshed
	now = now.Add(45 * time.Second)
	if len(s.Entries(netip.AddrPort{})) != 1 {
		t.Fatal("a refreshed entry expired")
	}
	s.Forget(netip.AddrPortFrom(b.IP, b.TCPPort))
	if len(s.Entries(netip.AddrPort{})) != 0 {
		t.Fatal("Forget kept the entry")
	}
}

// The learnt set is bounded: past MaxLearnt the entry closest to expiry
// gives way.
func TestLearnIsBounded(t *testing.T) {
	s, _ := start(t, wpncache.Options{MaxLearnt: 2})
	s.Learn(node("10.0.0.1", 6699, 3, 9), time.Minute)
	s.Learn(node("10.0.0.2", 6699, 3, 9), time.Hour)
	s.Learn(node("10.0.0.3", 6699, 3, 9), time.Hour)
	got := s.Entries(netip.AddrPort{})
	if len(got) != 2 || got[0].IP.String() == "10.0.0.1" || got[1].IP.String() == "10.0.0.1" {
		t.Fatalf("entries %v", got)
	}
}

// The probe keeps a primary that completes a secondary's key exchange and
// forgets one that refuses connections.
func TestProbe(t *testing.T) {
	live := netconn.New(netconn.Options{Handle: func(c *netconn.Conn) {
		in, err := wpnconn.Greet(c)
		if err != nil {
			return
		}
		_, _ = wpnconn.Respond(c, in, 0)
		c.AwaitFrame(0)
		_, _ = io.Copy(io.Discard, c)
	}})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = live.Serve(ln) }()
	t.Cleanup(func() { _ = live.Close() })
	liveAP := netip.MustParseAddrPort(ln.Addr().String())
	deadAP := netip.MustParseAddrPort(nettest.HeldAddr(t))

	s, _ := start(t, wpncache.Options{})
	s.Learn(wpn.NodeEntry{IP: liveAP.Addr(), TCPPort: liveAP.Port(), UDPPort: 6257, FreePrimary: 3, FreeSecondary: 9}, time.Hour)
	s.Learn(wpn.NodeEntry{IP: deadAP.Addr(), TCPPort: deadAP.Port(), UDPPort: 6257, FreePrimary: 3, FreeSecondary: 9}, time.Hour)
	s.ProbeOnce(context.Background())
	got := s.Entries(netip.AddrPort{})
	if len(got) != 1 || got[0].TCPPort != liveAP.Port() {
		t.Fatalf("after the probe: %v", got)
	}
}

// A client that writes garbage and holds the connection open does not
// stall the cache for others; the per-address cap refuses extra sockets.
func TestHoldersAndCaps(t *testing.T) {
	_, addr := start(t, wpncache.Options{MaxConnsPerIP: 1, LingerFor: time.Hour})
	holder, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	_ = holder.SetDeadline(time.Now().Add(10 * time.Second))
	var b [wpn.CacheReplySize]byte
	if _, err := io.ReadFull(holder, b[:]); err != nil {
		t.Fatal(err)
	}
	garbage := make([]byte, 1000) // the cache reads up to 4 KiB, then closes
	_, _ = rand.Read(garbage)
	if _, err := holder.Write(garbage); err != nil {
		t.Fatal(err)
	}
	// The holder takes the only slot of 127.0.0.1: another client is
	// refused.
	if _, err := wpncache.Fetch(context.Background(), addr); err == nil {
		t.Fatal("a second connection from the address got a list")
	}
	// The holder half-closes and waits for the cache to close: its slot is
	// free before the cache's close reaches it.
	_ = holder.(*net.TCPConn).CloseWrite()
	if _, err := io.Copy(io.Discard, holder); err != nil {
		t.Fatal(err)
	}
	if _, err := wpncache.Fetch(context.Background(), addr); err != nil {
		t.Fatalf("after the holder left: %v", err)
	}
}

// FetchAny goes on to the next cache when one does not answer.
func TestFetchAny(t *testing.T) {
	_, addr := start(t, wpncache.Options{Local: func(netip.AddrPort) []wpn.NodeEntry { return []wpn.NodeEntry{node("10.0.0.1", 6699, 3, 9)} }})
	got, err := wpncache.FetchAny(context.Background(), []string{nettest.HeldAddr(t), addr})
	if err != nil || len(got) != 1 {
		t.Fatalf("got %v, %v", got, err)
	}
	if _, err := wpncache.FetchAny(context.Background(), []string{nettest.HeldAddr(t)}); err == nil {
		t.Fatal("no cache answered, yet no error")
	}
}

// A compliant cache never emits a list the FC table variants decode
// differently, whatever the entries (wpn.md §2.6, TV9's 239.0.0.1 case).
func TestRepliesNeverAmbiguous(t *testing.T) {
	entries := []wpn.NodeEntry{node("239.0.0.1", 6699, 2, 5)}
	for i := range 9 {
		entries = append(entries, node(fmt.Sprintf("10.0.0.%d", i+2), 6699, 2, 5))
	}
	for range 2000 {
		r, err := wpn.NewCacheReply(rand.Reader, entries)
		if err != nil {
			t.Fatal(err)
		}
		if wpn.FrontCodeAmbiguous([wpn.FrontCodeSize]byte(r[17:])) {
			t.Fatal("ambiguous list emitted")
		}
	}
}
