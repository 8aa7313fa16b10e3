package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"text/tabwriter"

	"github.com/revival-net/revival/internal/app"
	"github.com/revival-net/revival/internal/config"
	"github.com/revival-net/revival/internal/hub"
	"github.com/revival-net/revival/internal/store"
)

// slskRoomsUsage documents `revival slsk rooms`, the operators' tool for
// the stored Soulseek rooms. Unlike the other `slsk` commands it is not a
// client: it opens the store, like `revival user`.
const slskRoomsUsage = `usage: revival slsk rooms <command> [--data DIR | --store postgres --store-dsn DSN]

  list [--private] [--owner USER]   list the stored rooms: private rooms
                                    and public rooms kept for their tickers
  purge NAME...                     delete these rooms
  purge --owner USER                delete every private room USER owns
  purge --empty                     delete every private room without
                                    members or tickers

A running server applies a purge within seconds: the users and members of
a purged room are told as when its owner disbands it. Public rooms that
hold no tickers live only in the server's memory; purge them with the
admin command "purgeroom" (a private message to "server").`

// runSlskWithRooms is `revival slsk`: the rooms subcommand here, the
// client commands in runSlsk.
func runSlskWithRooms(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "rooms" {
		return runSlskRooms(ctx, args[1:], stdout, stderr)
	}
	code := runSlsk(ctx, args, stdout, stderr)
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprintln(stderr, "\n  rooms list|purge ...        operators: list and purge stored rooms (revival slsk rooms -h)")
	}
	return code
}

// runSlskRooms implements `revival slsk rooms list|purge`.
func runSlskRooms(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprintln(stderr, slskRoomsUsage)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	sub := args[0]
	cfg := config.Default()
	var configPath, owner string
	var private, empty bool
	fs := flag.NewFlagSet("slsk rooms "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	addStoreFlags(fs, &cfg, &configPath)
	fs.StringVar(&owner, "owner", "", "only private rooms this user owns")
	switch sub {
	case "list":
		fs.BoolVar(&private, "private", false, "only private rooms")
	case "purge":
		fs.BoolVar(&empty, "empty", false, "every private room without members or tickers")
	default:
		return fail(stderr, "slsk rooms", fmt.Errorf("%w: unknown subcommand %q (list, purge)", errUsage, sub))
	}
	pos, err := parseInterspersed(fs, args[1:])
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if sub == "list" && len(pos) > 0 {
		return fail(stderr, "slsk rooms list", fmt.Errorf("%w: no arguments expected", errUsage))
	}
	if sub == "purge" && boolCount(len(pos) > 0, owner != "", empty) != 1 {
		return fail(stderr, "slsk rooms purge", fmt.Errorf("%w: give room names, --owner USER or --empty", errUsage))
	}
	if err := loadConfig(fs, &cfg, configPath); err != nil {
		return fail(stderr, "slsk rooms", err)
	}
	st, err := app.OpenStore(ctx, cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		return fail(stderr, "slsk rooms", err)
	}
	defer st.Close()
	rooms, err := storedRooms(ctx, st.Rooms())
	if err != nil {
		return fail(stderr, "slsk rooms", err)
	}
	if sub == "list" {
		return listRooms(rooms, private, owner, stdout)
	}
	return purgeRooms(ctx, st, rooms, pos, owner, empty, stdout, stderr)
}

func boolCount(bs ...bool) int {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}

// storedRoom is a stored Soulseek room with its number of tickers.
type storedRoom struct {
	store.Room
	tickers int
}

func storedRooms(ctx context.Context, rs store.Rooms) ([]storedRoom, error) {
	recs, err := rs.List(ctx, hub.NetworkSoulseek)
	if err != nil {
		return nil, err
	}
	out := make([]storedRoom, len(recs))
	for i, rec := range recs {
		tk, err := rs.Tickers(ctx, hub.NetworkSoulseek, rec.Name)
		if err != nil {
			return nil, err
		}
		out[i] = storedRoom{Room: rec, tickers: len(tk)}
	}
	return out, nil
}

func listRooms(rooms []storedRoom, private bool, owner string, stdout io.Writer) int {
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tPRIVATE\tOWNER\tMEMBERS\tTICKERS\tCREATED")
	for _, r := range rooms {
		if (private || owner != "") && !r.Private || owner != "" && r.Owner != owner {
			continue
		}
		fmt.Fprintf(tw, "%s\t%v\t%s\t%d\t%d\t%s\n", printable(r.Name), r.Private, printable(r.Owner),
			len(r.Members), r.tickers, r.CreatedAt.UTC().Format("2006-01-02 15:04"))
	}
	_ = tw.Flush()
	return 0
}

// purgeRooms deletes the chosen rooms from the store, and records each in
// the change log so that a running server drops it too.
func purgeRooms(ctx context.Context, st store.Store, rooms []storedRoom, names []string, owner string, empty bool, stdout, stderr io.Writer) int {
	known := map[string]bool{}
	for _, r := range rooms {
		known[r.Name] = true
		if r.Private && (owner != "" && r.Owner == owner || empty && len(r.Members) == 0 && r.tickers == 0) {
			names = append(names, r.Name)
		}
	}
	code := 0
	for _, name := range names {
		if !known[name] {
			fmt.Fprintf(stderr, "revival slsk rooms purge: no stored room %s (public rooms without tickers are only in the server's memory: use the admin command purgeroom)\n", printable(name))
			code = 1
			continue
		}
		err := st.Rooms().Delete(ctx, hub.NetworkSoulseek, name)
		if err == nil {
			err = app.NoteRoomPurged(ctx, st, hub.NetworkSoulseek, name)
		}
		if err != nil {
			return fail(stderr, "slsk rooms purge", err)
		}
		fmt.Fprintf(stdout, "%s: purged\n", printable(name))
	}
	return code
}
