package main

import (
	"context"
	"flag"
	"io"
	"log/slog"

	"github.com/revival-net/revival/internal/app"
	"github.com/revival-net/revival/internal/config"
)

// serveFlags are the flags shared by serve and the commands that open the
// store; names are fixed by the issue (other issues and scripts use them).
func addStoreFlags(fs *flag.FlagSet, cfg *config.Config, configPath *string) {
	fs.StringVar(configPath, "config", "", "TOML configuration file (flags override it)")
	fs.StringVar(&cfg.Data, "data", cfg.Data, "data directory (SQLite store)")
	fs.StringVar(&cfg.Store.Driver, "store", cfg.Store.Driver, "store driver: sqlite or postgres")
	fs.StringVar(&cfg.Store.DSN, "store-dsn", cfg.Store.DSN, "PostgreSQL connection string, with --store postgres")
}

// loadConfig applies the config file (if any), then re-applies the flags the
// user set, so flags always win over the file.
func loadConfig(fs *flag.FlagSet, cfg *config.Config, path string) error {
	if path == "" {
		return nil
	}
	fileCfg, err := config.Load(path)
	if err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	flagCfg := *cfg
	*cfg = fileCfg
	apply := map[string]func(){
		"data":                  func() { cfg.Data = flagCfg.Data },
		"store":                 func() { cfg.Store.Driver = flagCfg.Store.Driver },
		"store-dsn":             func() { cfg.Store.DSN = flagCfg.Store.DSN },
		"slsk":                  func() { cfg.Slsk.Listen = flagCfg.Slsk.Listen },
		"wpn":                   func() { cfg.WPN.Listen = flagCfg.WPN.Listen },
		"wpn-udp":               func() { cfg.WPN.UDP = flagCfg.WPN.UDP },
		"wpn-cache":             func() { cfg.WPN.Cache = flagCfg.WPN.Cache },
		"wpn-public-ip":         func() { cfg.WPN.PublicIP = flagCfg.WPN.PublicIP },
		"wpn-peers":             func() { cfg.WPN.Peers = flagCfg.WPN.Peers },
		"wpn-max-secondaries":   func() { cfg.WPN.MaxSecondaries = flagCfg.WPN.MaxSecondaries },
		"wpn-max-conns-per-ip":  func() { cfg.WPN.MaxConnsPerIP = flagCfg.WPN.MaxConnsPerIP },
		"admin":                 func() { cfg.Admin.Listen = flagCfg.Admin.Listen },
		"log-level":             func() { cfg.Log.Level = flagCfg.Log.Level },
		"log-format":            func() { cfg.Log.Format = flagCfg.Log.Format },
		"bcrypt-cost":           func() { cfg.Accounts.BcryptCost = flagCfg.Accounts.BcryptCost },
		"slsk-distributed":      func() { cfg.Slsk.Distributed = flagCfg.Slsk.Distributed },
		"slsk-max-conns-per-ip": func() { cfg.Slsk.MaxConnsPerIP = flagCfg.Slsk.MaxConnsPerIP },
		"slsk-private":          func() { cfg.Slsk.PrivateMode = flagCfg.Slsk.PrivateMode },
		"slsk-max-conns":        func() { cfg.Slsk.MaxConns = flagCfg.Slsk.MaxConns },
		"slsk-max-prelogin":     func() { cfg.Slsk.MaxPreLogin = flagCfg.Slsk.MaxPreLogin },

		"slsk-max-rooms":             func() { cfg.Slsk.MaxRooms = flagCfg.Slsk.MaxRooms },
		"slsk-max-rooms-per-account": func() { cfg.Slsk.MaxRoomsPerAccount = flagCfg.Slsk.MaxRoomsPerAccount },
		"slsk-rooms-per-host":        func() { cfg.Slsk.RoomsPerHost = flagCfg.Slsk.RoomsPerHost },
		"slsk-rooms-per-host-window": func() { cfg.Slsk.RoomsPerHostWindow = flagCfg.Slsk.RoomsPerHostWindow },
		"slsk-room-list-max":         func() { cfg.Slsk.RoomListMax = flagCfg.Slsk.RoomListMax },
		"slsk-registrations-per-host-hour": func() {
			cfg.Slsk.RegistrationsPerHostHour = flagCfg.Slsk.RegistrationsPerHostHour
		},
		"slsk-registrations-per-minute": func() { cfg.Slsk.RegistrationsPerMinute = flagCfg.Slsk.RegistrationsPerMinute },
	}
	for name := range set {
		if f := apply[name]; f != nil {
			f()
		}
	}
	return nil
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg := config.Default()
	var configPath string
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addStoreFlags(fs, &cfg, &configPath)
	fs.StringVar(&cfg.Slsk.Listen, "slsk", cfg.Slsk.Listen, `Soulseek listen address, or "off"`)
	fs.StringVar(&cfg.WPN.Listen, "wpn", cfg.WPN.Listen, `WinMX primary (secondaries, chat rooms, primary links) TCP address, or "off"`)
	fs.StringVar(&cfg.WPN.UDP, "wpn-udp", cfg.WPN.UDP, "WinMX primary UDP address (its port is in the primary's handle)")
	fs.StringVar(&cfg.WPN.Cache, "wpn-cache", cfg.WPN.Cache, `WinMX peer cache addresses, comma-separated (WinMX tries 7950, 7951, 7952), or "off"`)
	fs.StringVar(&cfg.WPN.PublicIP, "wpn-public-ip", cfg.WPN.PublicIP, "IPv4 address announced in WinMX handles, node lists and room names (default: the one clients connected to)")
	fs.StringVar(&cfg.WPN.Peers, "wpn-peers", cfg.WPN.Peers, "other WinMX primaries to link with, HOST:PORT,... (one network across primaries)")
	fs.IntVar(&cfg.WPN.MaxSecondaries, "wpn-max-secondaries", cfg.WPN.MaxSecondaries, "WinMX secondaries one primary serves (0: 20000)")
	fs.IntVar(&cfg.WPN.MaxConnsPerIP, "wpn-max-conns-per-ip", cfg.WPN.MaxConnsPerIP, "simultaneous WinMX connections per address (-1: unlimited)")
	fs.StringVar(&cfg.Admin.Listen, "admin", cfg.Admin.Listen, `admin HTTP (/metrics, /healthz) listen address, or "off"`)
	fs.StringVar(&cfg.Log.Level, "log-level", cfg.Log.Level, "log level: debug, info, warn, error")
	fs.StringVar(&cfg.Log.Format, "log-format", cfg.Log.Format, "log format: text or json")
	fs.IntVar(&cfg.Accounts.BcryptCost, "bcrypt-cost", cfg.Accounts.BcryptCost, "bcrypt cost for new passwords (lower only for load tests)")
	fs.StringVar(&cfg.Slsk.Distributed, "slsk-distributed", cfg.Slsk.Distributed, "how searches reach Soulseek users: roots, tree or direct")
	fs.IntVar(&cfg.Slsk.MaxConnsPerIP, "slsk-max-conns-per-ip", cfg.Slsk.MaxConnsPerIP, "simultaneous Soulseek connections per address (-1: unlimited)")
	fs.BoolVar(&cfg.Slsk.PrivateMode, "slsk-private", cfg.Slsk.PrivateMode, "refuse unknown Soulseek names instead of registering them")
	fs.IntVar(&cfg.Slsk.MaxConns, "slsk-max-conns", cfg.Slsk.MaxConns, "open Soulseek connections (0: descriptor limit minus a reserve; -1: unlimited)")
	fs.IntVar(&cfg.Slsk.MaxPreLogin, "slsk-max-prelogin", cfg.Slsk.MaxPreLogin, "Soulseek connections not logged in yet, all addresses (0: default; -1: unlimited)")
	fs.IntVar(&cfg.Slsk.MaxRooms, "slsk-max-rooms", cfg.Slsk.MaxRooms, "Soulseek rooms kept, public and private (0: 100000)")
	fs.IntVar(&cfg.Slsk.MaxRoomsPerAccount, "slsk-max-rooms-per-account", cfg.Slsk.MaxRoomsPerAccount, "live Soulseek rooms one account created (0: 50, -1: unlimited)")
	fs.IntVar(&cfg.Slsk.RoomsPerHost, "slsk-rooms-per-host", cfg.Slsk.RoomsPerHost, "Soulseek rooms created per address (IPv6: /64) per window (0: 20, -1: unlimited)")
	fs.DurationVar(&cfg.Slsk.RoomsPerHostWindow.Duration, "slsk-rooms-per-host-window", cfg.Slsk.RoomsPerHostWindow.Duration, "the window of --slsk-rooms-per-host (0: 1h)")
	fs.IntVar(&cfg.Slsk.RoomListMax, "slsk-room-list-max", cfg.Slsk.RoomListMax, "public rooms in one RoomList reply, largest first (0: 1000)")
	fs.IntVar(&cfg.Slsk.RegistrationsPerHostHour, "slsk-registrations-per-host-hour", cfg.Slsk.RegistrationsPerHostHour, "new Soulseek accounts per host and hour (-1: unlimited)")
	fs.IntVar(&cfg.Slsk.RegistrationsPerMinute, "slsk-registrations-per-minute", cfg.Slsk.RegistrationsPerMinute, "new Soulseek accounts per minute on the whole server (-1: unlimited)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if err := loadConfig(fs, &cfg, configPath); err != nil {
		return fail(stderr, "serve", err)
	}
	if err := cfg.Validate(); err != nil {
		return fail(stderr, "serve", err)
	}
	logger := newLogger(stderr, cfg.Log)
	a, err := app.New(ctx, cfg, logger)
	if err != nil {
		return fail(stderr, "serve", err)
	}
	if err := a.Run(ctx); err != nil {
		return fail(stderr, "serve", err)
	}
	return 0
}

func newLogger(w io.Writer, c config.Log) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.Level)); err != nil {
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level}
	if c.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
