package app

import (
	"context"
	"fmt"
	"net"
	"net/netip"

	"github.com/revival-net/revival/internal/config"
	"github.com/revival-net/revival/wpn"
	"github.com/revival-net/revival/wpn/wpncache"
	"github.com/revival-net/revival/wpn/wpnchat"
	"github.com/revival-net/revival/wpn/wpnmesh"
	"github.com/revival-net/revival/wpn/wpnserver"
)

// buildWPN makes the WinMX primary and the peer cache that points WinMX
// clients at it. The primary's listener is bound first, so the port it
// announces in node lists is the real one (":0" in tests).
func (a *App) buildWPN(ctx context.Context) error {
	c := a.cfg.WPN
	if !config.Enabled(c.Listen) {
		return nil
	}
	udp, err := c.UDPPort()
	if err != nil {
		return err
	}
	if err := a.listen("wpn", c.Listen); err != nil {
		return err
	}
	opts := wpnserver.Options{
		Hub:        a.hub,
		Logger:     a.log.With("proto", "wpn"),
		Registerer: a.registry,
		UDPPort:    udp,
		TCPPort:    uint16(a.listenerPort("wpn")),
		Limits: wpnserver.Limits{
			MaxSecondaries: c.MaxSecondaries,
			MaxConnsPerIP:  c.MaxConnsPerIP,
		},
	}
	if c.PublicIP != "" {
		if opts.PublicIP, err = netip.ParseAddr(c.PublicIP); err != nil {
			return fmt.Errorf("wpn: public_ip: %w", err)
		}
	}
	// The mesh links this primary with others (--wpn-peers, and any that
	// dial in): requests for their users, searches and room lists go
	// through it, and its live peers fill the node lists and the cache.
	// Chat rooms are hosted on the primary's port (chat clients send a
	// 0x57 key block); their names carry the public address.
	chat, err := wpnchat.New(ctx, wpnchat.Options{
		Hub:        a.hub,
		Logger:     a.log.With("proto", "wpn_chat"),
		Registerer: a.registry,
		Addr: func() netip.AddrPort {
			return netip.AddrPortFrom(roomHostIP(opts.PublicIP, a.Addr("wpn")), opts.TCPPort)
		},
	})
	if err != nil {
		return fmt.Errorf("wpn chat: %w", err)
	}
	a.wpnChat = chat
	opts.Chat = chat
	mesh := wpnmesh.New(wpnmesh.Options{
		LocalRooms: chat,
		Peers:      c.PeerAddrs(),
		Logger:     a.log.With("proto", "wpn_mesh"),
		Registerer: a.registry,
	})
	opts.Mesh, opts.Links, opts.Rooms, opts.Nodes = mesh, mesh, mesh, mesh.Nodes
	srv, err := wpnserver.New(opts)
	if err != nil {
		return fmt.Errorf("wpn primary: %w", err)
	}
	mesh.Attach(srv)
	a.wpn, a.wpnMesh = srv, mesh
	for i, addr := range c.CacheAddrs() {
		if i == 0 {
			a.wpnCache = wpncache.New(wpncache.Options{
				Logger:     a.log.With("proto", "wpn_cache"),
				Registerer: a.registry,
				// This primary, then the mesh's live primaries: the
				// cache learns primaries from the mesh.
				Local: func(local netip.AddrPort) []wpn.NodeEntry {
					return append([]wpn.NodeEntry{srv.NodeEntry(local)}, mesh.Nodes()...)
				},
			})
		}
		if err := a.listen(cacheListener(i), addr); err != nil {
			return err
		}
	}
	return nil
}

// roomHostIP is the IPv4 address in the names of hosted rooms (wpn.md
// §1.4: chat clients connect to the address in the name): the public
// address if configured, else the listener's own if it names one, else
// the first non-loopback IPv4 address of this machine, else loopback.
// Behind NAT only --wpn-public-ip is right.
func roomHostIP(public netip.Addr, listener string) netip.Addr {
	if public.IsValid() {
		return public
	}
	if ap, err := netip.ParseAddrPort(listener); err == nil && ap.Addr().Unmap().Is4() && !ap.Addr().IsUnspecified() {
		return ap.Addr().Unmap()
	}
	if addrs, err := net.InterfaceAddrs(); err == nil {
		for _, a := range addrs {
			if n, ok := a.(*net.IPNet); ok {
				if ip, ok := netip.AddrFromSlice(n.IP); ok && ip.Unmap().Is4() && !ip.IsLoopback() {
					return ip.Unmap()
				}
			}
		}
	}
	return netip.AddrFrom4([4]byte{127, 0, 0, 1})
}

// cacheListener names the i-th peer cache listener ("wpn-cache",
// "wpn-cache-2", …).
func cacheListener(i int) string {
	if i == 0 {
		return "wpn-cache"
	}
	return fmt.Sprintf("wpn-cache-%d", i+1)
}

// listenerPort is the bound port of a named listener.
func (a *App) listenerPort(name string) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	if ln := a.listeners[name]; ln != nil {
		if ta, ok := ln.Addr().(*net.TCPAddr); ok {
			return ta.Port
		}
	}
	return 0
}

// serveWPN starts the primary's and the cache's accept loops.
func (a *App) serveWPN(goServe func(network string, ln net.Listener, serve func(net.Listener) error, closed error)) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if ln := a.listeners["wpn"]; ln != nil {
		goServe("wpn", ln, a.wpn.Serve, wpnserver.ErrServerClosed)
	}
	for i := 0; ; i++ {
		ln := a.listeners[cacheListener(i)]
		if ln == nil {
			break
		}
		goServe("wpn-cache", ln, a.wpnCache.Serve, wpncache.ErrServerClosed)
	}
}
