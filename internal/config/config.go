// Package config holds Revival's configuration: the file format (TOML),
// its defaults, and validation. Flags of `revival serve` override file
// values; both end up in one Config.
package config

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// Off is the listen value that disables a network.
const Off = "off"

// Config is the whole runtime configuration.
type Config struct {
	// Data is the data directory: the SQLite store lives there.
	Data     string   `toml:"data"`
	Store    Store    `toml:"store"`
	Log      Log      `toml:"log"`
	Accounts Accounts `toml:"accounts"`
	Slsk     Slsk     `toml:"slsk"`
	WPN      WPN      `toml:"wpn"`
	Admin    Admin    `toml:"admin"`
}

// WPN configures the WinMX network: the primary node (secondaries, chat
// clients and primary links on one TCP port) and the peer cache.
type WPN struct {
	Listen string `toml:"listen"` // primary's TCP port, default ":6699"; "off" disables the WPN
	// UDP is the primary's UDP address (default ":6257"). Its port is the
	// one in this primary's WinMX handle.
	UDP string `toml:"udp"`
	// Cache lists the peer cache's listen addresses, comma-separated
	// (default ":7950"; WinMX also tries 7951 and 7952); "off" disables it.
	Cache string `toml:"cache"`
	// PublicIP is the IPv4 address in handles, node lists and room names
	// (default: the address each client connected to; set it behind NAT).
	PublicIP string `toml:"public_ip"`
	// Peers lists other primaries to link with (host:port of their WPN
	// port, comma-separated): searches, whois, PMs, browses, transfers and
	// room lists then reach users on every primary (docs/wpn-mesh.md).
	Peers          string `toml:"peers"`
	MaxSecondaries int    `toml:"max_secondaries"` // default 20000
	MaxConnsPerIP  int    `toml:"max_conns_per_ip"`
}

// Store selects the database. Driver "sqlite" (default) uses Data/revival.db;
// "postgres" uses DSN.
type Store struct {
	Driver string `toml:"driver"`
	DSN    string `toml:"dsn"`
}

// Log configures structured logging.
type Log struct {
	Level  string `toml:"level"`  // debug, info, warn, error
	Format string `toml:"format"` // text or json
}

// Accounts configures the shared accounts.
type Accounts struct {
	// BcryptCost for new password hashes (4–31; default 10). Lower it only
	// for load tests.
	BcryptCost int `toml:"bcrypt_cost"`
}

// Slsk configures the Soulseek server.
type Slsk struct {
	Listen          string   `toml:"listen"` // default ":2242"; "off" disables
	Greeting        string   `toml:"greeting"`
	PrivateMode     bool     `toml:"private_mode"` // refuse unknown names instead of registering them
	MaxUsers        int      `toml:"max_users"`
	Distributed     string   `toml:"distributed"` // roots (default), tree, direct
	MaxConnsPerIP   int      `toml:"max_conns_per_ip"`
	IdleTimeout     Duration `toml:"idle_timeout"`
	ExcludedPhrases []string `toml:"excluded_phrases"`
	MaxConns        int      `toml:"max_conns"`    // open connections; 0: descriptor limit - conn_reserve; -1: unlimited
	MaxPreLogin     int      `toml:"max_prelogin"` // connections not logged in yet, all hosts; 0: max_conns/2; -1: unlimited
	ConnReserve     int      `toml:"conn_reserve"` // descriptors kept for the store and admin when max_conns is 0 (default 128)

	// Room caps (0: the server's default, see slskserver.Limits).
	MaxRooms           int      `toml:"max_rooms"`             // rooms kept, public and private
	MaxRoomsPerAccount int      `toml:"max_rooms_per_account"` // live rooms one account created (-1: unlimited)
	RoomsPerHost       int      `toml:"rooms_per_host"`        // rooms created per address per window (-1: unlimited)
	RoomsPerHostWindow Duration `toml:"rooms_per_host_window"` // default 1h
	RoomListMax        int      `toml:"room_list_max"`         // public rooms in one RoomList reply
	// RegistrationsPerHostHour and RegistrationsPerMinute ration new
	// accounts per host (IPv6: per /64) and for the whole server; -1
	// lifts a ration (load tests from one address).
	RegistrationsPerHostHour int `toml:"registrations_per_host_per_hour"`
	RegistrationsPerMinute   int `toml:"registrations_per_minute"`
}

// Admin configures the HTTP listener for /metrics and /healthz.
type Admin struct {
	Listen string `toml:"listen"` // default "127.0.0.1:8242"; "off" disables
}

// Duration is a time.Duration written as "90s" in TOML.
type Duration struct{ time.Duration }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	d.Duration = v
	return err
}

// Default returns the configuration `revival serve` uses with no file and
// no flags: every network on its usual port, SQLite in ./revival-data.
func Default() Config {
	return Config{
		Data:     "./revival-data",
		Store:    Store{Driver: "sqlite"},
		Log:      Log{Level: "info", Format: "text"},
		Accounts: Accounts{BcryptCost: 10},
		Slsk: Slsk{Listen: ":2242", Greeting: "Welcome to Revival", Distributed: "roots", MaxConnsPerIP: 32,
			RegistrationsPerHostHour: 5, RegistrationsPerMinute: 60},
		WPN:   WPN{Listen: ":6699", UDP: ":6257", Cache: ":7950", MaxConnsPerIP: 32},
		Admin: Admin{Listen: "127.0.0.1:8242"},
	}
}

// Load reads a TOML file over the defaults. Unknown keys are an error, so
// a typo never silently falls back to a default.
func Load(path string) (Config, error) {
	cfg := Default()
	b, err := os.ReadFile(path)
	if err != nil {
		return cfg, err
	}
	md, err := toml.Decode(string(b), &cfg)
	if err != nil {
		return cfg, fmt.Errorf("config %s: %w", path, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		keys := make([]string, len(und))
		for i, k := range und {
			keys[i] = k.String()
		}
		return cfg, fmt.Errorf("config %s: unknown keys: %s", path, strings.Join(keys, ", "))
	}
	return cfg, nil
}

// Validate reports every problem at once.
func (c *Config) Validate() error {
	var errs []error
	if c.Data == "" {
		errs = append(errs, errors.New("data directory is empty"))
	}
	switch c.Store.Driver {
	case "sqlite":
	case "postgres":
		if c.Store.DSN == "" {
			errs = append(errs, errors.New("store: postgres needs a dsn"))
		}
	default:
		errs = append(errs, fmt.Errorf("store: unknown driver %q (want sqlite or postgres)", c.Store.Driver))
	}
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("log: unknown level %q", c.Log.Level))
	}
	switch c.Log.Format {
	case "text", "json":
	default:
		errs = append(errs, fmt.Errorf("log: unknown format %q", c.Log.Format))
	}
	if c.Accounts.BcryptCost < 4 || c.Accounts.BcryptCost > 31 {
		errs = append(errs, fmt.Errorf("accounts: bcrypt_cost %d out of range 4–31", c.Accounts.BcryptCost))
	}
	switch c.Slsk.Distributed {
	case "roots", "tree", "direct":
	default:
		errs = append(errs, fmt.Errorf("slsk: unknown distributed mode %q (want roots, tree or direct)", c.Slsk.Distributed))
	}
	if c.Slsk.RegistrationsPerHostHour == 0 || c.Slsk.RegistrationsPerHostHour < -1 ||
		c.Slsk.RegistrationsPerMinute == 0 || c.Slsk.RegistrationsPerMinute < -1 {
		errs = append(errs, errors.New("slsk: registrations_per_host_per_hour and registrations_per_minute must be positive, or -1 for no limit"))
	}
	if c.WPN.Listen == "" {
		errs = append(errs, errors.New(`wpn: listen is empty (use "off" to disable)`))
	}
	if c.WPN.PublicIP != "" {
		if ip, err := netip.ParseAddr(c.WPN.PublicIP); err != nil || !ip.Unmap().Is4() {
			errs = append(errs, fmt.Errorf("wpn: public_ip %q is not an IPv4 address (WinMX handles hold four bytes)", c.WPN.PublicIP))
		}
	}
	if _, err := c.WPN.UDPPort(); err != nil {
		errs = append(errs, err)
	}
	if c.Slsk.Listen == "" {
		errs = append(errs, errors.New(`slsk: listen is empty (use "off" to disable)`))
	}
	return errors.Join(errs...)
}

// UDPPort is the port of the WPN UDP address, the one WinMX handles
// carry.
func (w WPN) UDPPort() (uint16, error) {
	_, port, err := net.SplitHostPort(w.UDP)
	if err != nil {
		return 0, fmt.Errorf("wpn: udp %q: %w", w.UDP, err)
	}
	n, err := strconv.ParseUint(port, 10, 16)
	if err != nil || n == 0 {
		return 0, fmt.Errorf("wpn: udp %q: the port must be 1-65535", w.UDP)
	}
	return uint16(n), nil
}

// PeerAddrs returns the primaries to link with.
func (w WPN) PeerAddrs() []string { return splitList(w.Peers) }

// CacheAddrs returns the peer cache's listen addresses (none when off).
func (w WPN) CacheAddrs() []string {
	if !Enabled(w.Cache) {
		return nil
	}
	return splitList(w.Cache)
}

// splitList splits a comma-separated list, dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, a := range strings.Split(s, ",") {
		if a = strings.TrimSpace(a); a != "" {
			out = append(out, a)
		}
	}
	return out
}

// Enabled reports whether a listen value turns its network on.
func Enabled(listen string) bool { return listen != "" && listen != Off }
