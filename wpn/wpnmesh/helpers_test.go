package wpnmesh

import (
	"context"
	"net/netip"
	"testing"
	"time"

	"github.com/revival-net/revival/wpn"
	"github.com/revival-net/revival/wpn/wpnserver"
	"github.com/revival-net/revival/wpn/wpntest"
)

var loopback = netip.MustParseAddr("127.0.0.1")

// node is one primary of a test mesh: all listen on 127.0.0.1, so each
// gets its own UDP port to have a handle of its own.
type node struct {
	h   *wpntest.Harness
	m   *Mesh
	udp uint16
}

func (n *node) handle() wpn.Handle { return wpn.Handle{IP: loopback, UDPPort: n.udp} }

type nodeOpts struct {
	peers  []*node
	rooms  wpnserver.RoomSource
	limits func(*Limits)
	server func(*wpnserver.Options)
}

func startNode(t testing.TB, udp uint16, o nodeOpts) *node {
	t.Helper()
	opts := Options{LocalRooms: o.rooms}
	// No periodic rounds during a test: what the tests wait for must
	// come from the events they cause.
	opts.Limits.AnnounceEvery = time.Hour
	opts.Limits.RoomQueryEvery = time.Hour
	opts.Limits.DialBackoff = 50 * time.Millisecond
	for _, p := range o.peers {
		opts.Peers = append(opts.Peers, p.h.Addr)
	}
	if o.limits != nil {
		o.limits(&opts.Limits)
	}
	m := New(opts)
	h := wpntest.Start(t, func(so *wpnserver.Options) {
		so.UDPPort = udp
		so.Mesh, so.Links, so.Rooms, so.Nodes = m, m, m, m.Nodes
		if o.server != nil {
			o.server(so)
		}
	})
	m.Attach(h.Srv)
	m.Start(context.Background())
	t.Cleanup(m.Close)
	return &node{h: h, m: m, udp: udp}
}

// waitUntil waits for cond to hold, re-checking whenever one of the
// meshes changes (a barrier on mesh events, not a sleep).
func waitUntil(t testing.TB, what string, cond func() bool, nodes ...*node) {
	t.Helper()
	deadline := time.NewTimer(wpntest.Timeout)
	defer deadline.Stop()
	for {
		chans := make([]<-chan struct{}, len(nodes))
		for i, n := range nodes {
			chans[i] = n.m.watch()
		}
		if cond() {
			return
		}
		changed := make(chan struct{})
		stop := make(chan struct{})
		for _, c := range chans {
			go func() {
				select {
				case <-c:
					select {
					case changed <- struct{}{}:
					case <-stop:
					}
				case <-stop:
				}
			}()
		}
		select {
		case <-changed:
			close(stop)
		case <-deadline.C:
			close(stop)
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// knowsAll waits until every node has a route to every other.
func knowsAll(t testing.TB, nodes ...*node) {
	t.Helper()
	waitUntil(t, "the mesh to converge", func() bool {
		for _, a := range nodes {
			for _, b := range nodes {
				if a != b && !a.m.routes.has(b.handle()) {
					return false
				}
			}
		}
		return true
	}, nodes...)
}

// line starts A–B–C: B dials A and C, so C is two hops from A.
func line(t testing.TB, lim func(*Limits)) (a, b, c *node) {
	a = startNode(t, 7001, nodeOpts{limits: lim})
	c = startNode(t, 7003, nodeOpts{limits: lim})
	b = startNode(t, 7002, nodeOpts{peers: []*node{a, c}, limits: lim})
	knowsAll(t, a, b, c)
	return a, b, c
}

// barrier is a barrier: a whois of oneself is answered only after every
// packet c sent before it was handled.
func barrier(c *wpntest.Secondary) {
	c.T.Helper()
	c.Send(&wpn.Whois{Target: c.Target()})
	if p := c.Next(); p.PacketType() != wpn.TypeWhoisReply {
		c.T.Fatalf("%s: got %T %+v before the barrier's answer", c.FullName, p, p)
	}
}

func shareMusic(c *wpntest.Secondary) {
	var h1, h2 [wpn.HashSize]byte
	copy(h1[:], "0123456789abcdef")
	copy(h2[:], "fedcba9876543210")
	c.Send(&wpn.ShareFolder{Folder: `C:\Music\The Beatles`, Files: []wpn.SharedFile{
		{Name: "Help.mp3", Hash: h1, Size: 3_000_000, Media: wpn.Media{Bitrate: 192, SampleFreq: 44100, PlayTime: 140}},
		{Name: "Yesterday.mp3", Hash: h2, Size: 2_000_000, Media: wpn.Media{Bitrate: 128, SampleFreq: 44100, PlayTime: 125}},
	}})
	barrier(c)
}

// linked waits until each node has n peer links.
func linked(t testing.TB, n int, nodes ...*node) {
	t.Helper()
	waitUntil(t, "the links", func() bool {
		for _, x := range nodes {
			if len(x.m.peerLinks(nil)) != n {
				return false
			}
		}
		return true
	}, nodes...)
}

func timeoutFromNow() time.Time { return time.Now().Add(wpntest.Timeout) }
