package app

import (
	"fmt"
	"net/netip"

	"github.com/revival-net/revival/internal/config"
	"github.com/revival-net/revival/wpn/wpnserver"
)

// buildWPN makes the WinMX primary (and, with it, the chat rooms it hosts
// and the peer cache that points WinMX clients at it).
func (a *App) buildWPN() error {
	c := a.cfg.WPN
	if !config.Enabled(c.Listen) {
		return nil
	}
	udp, err := c.UDPPort()
	if err != nil {
		return err
	}
	opts := wpnserver.Options{
		Hub:        a.hub,
		Logger:     a.log.With("proto", "wpn"),
		Registerer: a.registry,
		UDPPort:    udp,
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
	srv, err := wpnserver.New(opts)
	if err != nil {
		return fmt.Errorf("wpn primary: %w", err)
	}
	a.wpn = srv
	return a.listen("wpn", c.Listen)
}
