package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"text/tabwriter"
	"time"

	"github.com/revival-net/revival/internal/app"
	"github.com/revival-net/revival/internal/config"
	"github.com/revival-net/revival/internal/hub"
	"github.com/revival-net/revival/internal/store"
)

// runUser implements `revival user add|passwd|ban|unban|list|del|admin`.
// It opens the same store as serve (same --data), and works while serve
// runs: SQLite in WAL mode lets both write, and a running server applies
// bans, password and operator changes and deletions within seconds
// (app.NoteAccountChange).
func runUser(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: revival user add|passwd|ban|unban|list|del|admin [flags] [NAME]")
		return 2
	}
	sub := args[0]
	cfg := config.Default()
	var configPath, password, reason string
	var days int
	var admin bool
	fs := flag.NewFlagSet("user "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	addStoreFlags(fs, &cfg, &configPath)
	switch sub {
	case "add", "passwd":
		fs.StringVar(&password, "password", "", "the password (required)")
		if sub == "add" {
			fs.BoolVar(&admin, "admin", false, "make the user an operator (Soulseek admin commands)")
		}
	case "ban":
		fs.IntVar(&days, "days", 0, "ban length in days (0: permanent)")
		fs.StringVar(&reason, "reason", "", "reason shown to operators")
	case "admin":
		fs.BoolVar(&admin, "off", false, "remove operator rights instead of granting them")
	}
	pos, err := parseInterspersed(fs, args[1:])
	if err != nil {
		return 2
	}
	if err := loadConfig(fs, &cfg, configPath); err != nil {
		return fail(stderr, "user", err)
	}
	st, err := app.OpenStore(ctx, cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		return fail(stderr, "user", err)
	}
	defer st.Close()
	h := hub.New(st, hub.AccountsOptions{BcryptCost: cfg.Accounts.BcryptCost})
	if sub == "list" {
		return userList(ctx, h, stdout, stderr)
	}
	if len(pos) != 1 {
		return fail(stderr, "user "+sub, fmt.Errorf("%w: expected exactly one NAME, got %d arguments", errUsage, len(pos)))
	}
	name := pos[0]
	switch sub {
	case "add":
		if password == "" {
			return fail(stderr, "user add", fmt.Errorf("%w: --password is required", errUsage))
		}
		if _, err = h.Accounts.Register(ctx, name, password); errors.Is(err, store.ErrConflict) {
			err = fmt.Errorf("user %q already exists (use `revival user passwd`)", name)
		}
		if err == nil && admin {
			err = st.Users().SetAdmin(ctx, name, true)
		}
	case "passwd":
		if password == "" {
			return fail(stderr, "user passwd", fmt.Errorf("%w: --password is required", errUsage))
		}
		err = h.Accounts.SetPassword(ctx, name, password)
	case "ban":
		if days < 0 {
			return fail(stderr, "user ban", fmt.Errorf("%w: --days must be 0 (permanent) or more", errUsage))
		}
		until := hub.PermanentBan
		if days > 0 {
			until = time.Now().Add(time.Duration(days) * 24 * time.Hour)
		}
		err = h.Ban(ctx, name, until, reason)
	case "unban":
		err = h.Ban(ctx, name, time.Time{}, "")
	case "del":
		err = st.Users().Delete(ctx, name)
	case "admin":
		err = st.Users().SetAdmin(ctx, name, !admin)
	default:
		return fail(stderr, "user", fmt.Errorf("%w: unknown subcommand %q (add, passwd, ban, unban, list, del, admin)", errUsage, sub))
	}
	if err == nil && sub != "add" {
		err = app.NoteAccountChange(ctx, h, name)
	}
	if errors.Is(err, store.ErrNotFound) {
		err = fmt.Errorf("no user %q", name)
	}
	if err != nil {
		return fail(stderr, "user "+sub, err)
	}
	fmt.Fprintf(stdout, "%s: ok\n", name)
	return 0
}

func userList(ctx context.Context, h *hub.Hub, stdout, stderr io.Writer) int {
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tCREATED\tADMIN\tBANNED UNTIL\tREASON")
	now := time.Now()
	after := ""
	for {
		users, err := h.Store.Users().List(ctx, after, 500)
		if err != nil {
			return fail(stderr, "user list", err)
		}
		for _, u := range users {
			banned := "-"
			if u.Banned(now) {
				banned = u.BannedUntil.UTC().Format("2006-01-02 15:04")
				if hub.IsPermanent(u.BannedUntil) {
					banned = "forever"
				}
			}
			fmt.Fprintf(tw, "%s\t%s\t%v\t%s\t%s\n", u.Name, u.CreatedAt.UTC().Format("2006-01-02"), u.Admin, banned, u.BanReason)
		}
		if len(users) < 500 {
			break
		}
		after = users[len(users)-1].Name
	}
	_ = tw.Flush()
	return 0
}
