package app

import (
	"fmt"
	"net"
	"net/netip"

	"github.com/revival-net/revival/internal/config"
	"github.com/revival-net/revival/wpn"
	"github.com/revival-net/revival/wpn/wpncache"
	"github.com/revival-net/revival/wpn/wpnmesh"
	"github.com/revival-net/revival/wpn/wpnserver"
)

// buildWPN makes the WinMX primary and the peer cache that points WinMX
// clients at it. The primary's listener is bound first, so the port it
// announces in node lists is the real one (":0" in tests).
func (a *App) buildWPN() error {
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
	mesh := wpnmesh.New(wpnmesh.Options{
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
