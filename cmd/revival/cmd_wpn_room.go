package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/revival-net/revival/internal/app"
	"github.com/revival-net/revival/internal/config"
	"github.com/revival-net/revival/internal/hub"
	"github.com/revival-net/revival/internal/store"
)

// wpnRoomUsage documents `revival wpn room`, the operators' tool for the
// hosted WinMX chat rooms. It opens the store like `revival user`.
const wpnRoomUsage = `usage: revival wpn room <command> [--data DIR | --store postgres --store-dsn DSN]

  add NAME [--topic T] [--motd M] [--password P] [--owner USER]
           [--operators U1,U2] [--limit N]
                      create a room (NAME is the base name, at most 40
                      characters; the server adds its address suffix)
  list                list the rooms
  remove NAME         delete a room; its members are disconnected

A running server applies the change within seconds. Rooms exist only when
added here: joining an unknown name is refused. The owner and operators
are Revival accounts; they get their rank in the room after /login.`

// runWPNRoom implements `revival wpn room add|list|remove`.
func runWPNRoom(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprintln(stderr, wpnRoomUsage)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	sub := args[0]
	cfg := config.Default()
	var configPath, topic, motd, password, owner, operators string
	var limit int
	fs := flag.NewFlagSet("wpn room "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	addStoreFlags(fs, &cfg, &configPath)
	switch sub {
	case "add":
		fs.StringVar(&topic, "topic", "", "the topic (at most 125 characters)")
		fs.StringVar(&motd, "motd", "", `the message of the day ("\n" or #\n# between lines)`)
		fs.StringVar(&password, "password", "", "a room password (members type /password P)")
		fs.StringVar(&owner, "owner", "", "the owner's Revival account")
		fs.StringVar(&operators, "operators", "", "operators' Revival accounts, comma-separated")
		fs.IntVar(&limit, "limit", 0, "most members (0: the server's default)")
	case "list", "remove":
	default:
		return fail(stderr, "wpn room", fmt.Errorf("%w: unknown subcommand %q (add, list, remove)", errUsage, sub))
	}
	pos, err := parseInterspersed(fs, args[1:])
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if want := map[string]int{"add": 1, "list": 0, "remove": 1}[sub]; len(pos) != want {
		return fail(stderr, "wpn room "+sub, fmt.Errorf("%w: expected %d argument(s), got %d", errUsage, want, len(pos)))
	}
	if err := loadConfig(fs, &cfg, configPath); err != nil {
		return fail(stderr, "wpn room", err)
	}
	st, err := app.OpenStore(ctx, cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		return fail(stderr, "wpn room", err)
	}
	defer st.Close()
	switch sub {
	case "list":
		return wpnRoomList(ctx, st, stdout, stderr)
	case "remove":
		err = st.WPNRooms().Delete(ctx, pos[0])
		if errors.Is(err, store.ErrNotFound) {
			err = fmt.Errorf("no room %s", printable(pos[0]))
		}
	case "add":
		h := hub.New(st, hub.AccountsOptions{BcryptCost: cfg.Accounts.BcryptCost})
		err = wpnRoomAdd(ctx, h, store.WPNRoom{Name: pos[0], Topic: topic, MOTD: wpnMOTD(motd), Owner: owner,
			Operators: splitList(operators), Limit: limit, CreatedAt: time.Now()}, password)
	}
	if err == nil {
		_, err = st.Changes().Append(ctx, store.Change{Kind: store.ChangeWPNRoom, Network: hub.NetworkWPN, Name: pos[0], At: time.Now()})
	}
	if err != nil {
		return fail(stderr, "wpn room "+sub, err)
	}
	fmt.Fprintf(stdout, "%s: ok\n", printable(pos[0]))
	return 0
}

// wpnRoomAdd checks and stores a new room.
func wpnRoomAdd(ctx context.Context, h *hub.Hub, r store.WPNRoom, password string) error {
	if err := checkWPNRoom(r); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	for _, acc := range append([]string{r.Owner}, r.Operators...) {
		if acc == "" {
			continue
		}
		if _, err := h.Store.Users().Get(ctx, acc); errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("no account %s (create it with `revival user add`)", printable(acc))
		} else if err != nil {
			return err
		}
	}
	if password != "" {
		hash, err := h.Accounts.HashPassword(ctx, password)
		if err != nil {
			return err
		}
		r.PasswordHash = hash
	}
	err := h.Store.WPNRooms().Create(ctx, r)
	if errors.Is(err, store.ErrConflict) {
		return fmt.Errorf("a room named %s exists (names ignore letter case)", printable(r.Name))
	}
	return err
}

// checkWPNRoom applies the limits of wpn.md §1.4 to a new room.
func checkWPNRoom(r store.WPNRoom) error {
	switch {
	case strings.TrimSpace(r.Name) == "" || strings.ContainsAny(r.Name, "\x00\r\n\t"):
		return errors.New("the room name is empty or has control characters")
	case len([]rune(r.Name)) > 40:
		return errors.New("the room name is longer than 40 characters (WinMX's limit)")
	case len([]rune(r.Topic)) > 125:
		return errors.New("the topic is longer than 125 characters (WinMX's limit)")
	case r.Limit < 0:
		return errors.New("--limit must be 0 or more")
	}
	return nil
}

func wpnMOTD(s string) string {
	return strings.NewReplacer(`#\n#`, "\n", `\n`, "\n").Replace(s)
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func wpnRoomList(ctx context.Context, st store.Store, stdout, stderr io.Writer) int {
	rooms, err := st.WPNRooms().List(ctx)
	if err != nil {
		return fail(stderr, "wpn room list", err)
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tOWNER\tOPERATORS\tPASSWORD\tLIMIT\tBANS\tTOPIC")
	for _, r := range rooms {
		limit := "-"
		if r.Limit > 0 {
			limit = fmt.Sprint(r.Limit)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%v\t%s\t%d\t%s\n", printable(r.Name), printable(r.Owner),
			printable(strings.Join(r.Operators, ",")), r.PasswordHash != "", limit, len(r.Bans), printable(r.Topic))
	}
	_ = tw.Flush()
	return 0
}
