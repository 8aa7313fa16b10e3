package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/revival-net/revival/wpn"
	"github.com/revival-net/revival/wpn/wpnclient"
)

const wpnSecondaryUsage = `usage: revival wpn search QUERY | whois NAME | pm NAME TEXT | browse NAME | rooms
       [--server HOST:PORT | --cache HOST:PORT,...] [--name BASE] [--handle "WinMX 0100007f1871"] [--wait 3s]

Logs in to a WinMX primary as a secondary (wpn.md §3) and runs one request.
NAME is a full WinMX name (alice123_04321); --handle is that user's primary
(default: the primary we log in to). search prints "user<TAB>size<TAB>path"
for hits arriving within --wait.`

// wpnSecondaryCommands are the `revival wpn` requests of a secondary.
func wpnSecondaryCommands() []command {
	sub := func(name, usage string) command {
		return command{name, usage, func(ctx context.Context, args []string, stdout, stderr io.Writer) int {
			return runWPNSecondary(ctx, name, args, stdout, stderr)
		}}
	}
	return []command{
		sub("search", "search the WinMX network (revival wpn search QUERY)"),
		sub("whois", "ask about a WinMX user (revival wpn whois NAME)"),
		sub("pm", "send a WinMX private message and print the receipt (revival wpn pm NAME TEXT)"),
		sub("browse", "list a WinMX user's shared files (revival wpn browse NAME)"),
		sub("rooms", "list the WinMX chat rooms"),
	}
}

// runWPNSecondary logs in, runs one request and logs out.
func runWPNSecondary(ctx context.Context, sub string, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("wpn "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprintln(stderr, wpnSecondaryUsage) }
	server := fs.String("server", "127.0.0.1:6699", "the primary to log in to")
	cache := fs.String("cache", "", "peer caches to ask for a primary instead of --server (comma-separated)")
	name := fs.String("name", "", "your base name (default: a random guest)")
	handle := fs.String("handle", "", "the target user's primary handle (default: ours)")
	waitFor := fs.Duration("wait", 3*time.Second, "search: how long to collect hits")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	want := map[string]int{"search": 1, "whois": 1, "pm": 2, "browse": 1, "rooms": 0}[sub]
	if len(pos) != want {
		fmt.Fprintln(stderr, wpnSecondaryUsage)
		return 2
	}
	if *name == "" {
		*name = fmt.Sprintf("guest%03d", rand.IntN(1000))
	}
	dctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	opts := wpnclient.Options{Name: *name}
	var c *wpnclient.Client
	if *cache != "" {
		c, err = wpnclient.DialCache(dctx, strings.Split(*cache, ","), opts)
	} else {
		c, err = wpnclient.Dial(dctx, *server, opts)
	}
	if err != nil {
		return fail(stderr, "wpn "+sub, printableError{err})
	}
	defer c.Close()
	target := func() wpn.Target {
		h := *handle
		if h == "" {
			h = c.Handle().String()
		}
		return wpn.Target{Handle: h, Name: pos[0]}
	}
	switch sub {
	case "search":
		s, err := c.Search(pos[0], 0, 0)
		if err != nil {
			return fail(stderr, "wpn search", printableError{err})
		}
		timer := time.NewTimer(*waitFor)
		defer timer.Stop()
		n := 0
		for done := false; !done; {
			select {
			case hit := <-s.Hits:
				n++
				fmt.Fprintf(stdout, "%s\t%d\t%s\n", printable(hit.UserName), hit.Size, printable(hit.Path))
			case <-timer.C:
				done = true
			case <-ctx.Done():
				done = true
			}
		}
		s.Stop()
		fmt.Fprintf(stderr, "%d hits\n", n)
	case "whois":
		w, err := c.Whois(dctx, target())
		if err != nil {
			return fail(stderr, "wpn whois", printableError{err})
		}
		fmt.Fprintf(stdout, "%s\tline %d\tonline %ds\t%d files\t%s\n", printable(w.Name), w.LineType, w.OnlineSeconds, w.Files, printable(w.Status))
	case "pm":
		st, err := c.SendPM(dctx, target(), pos[1])
		if err != nil {
			return fail(stderr, "wpn pm", printableError{err})
		}
		fmt.Fprintln(stdout, printable(st))
	case "browse":
		files, err := c.Browse(dctx, target())
		if err != nil {
			return fail(stderr, "wpn browse", printableError{err})
		}
		for _, f := range files {
			fmt.Fprintf(stdout, "%d\t%s\n", f.Size, printable(f.FileName))
		}
	case "rooms":
		rooms, err := c.Rooms(dctx)
		if err != nil {
			return fail(stderr, "wpn rooms", printableError{err})
		}
		slices.SortFunc(rooms, func(a, b wpn.RoomListEntry) int { return int(b.Users) - int(a.Users) })
		for _, r := range rooms {
			fmt.Fprintf(stdout, "%d/%d\t%s\t%s\n", r.Users, r.Limit, printable(r.Name), printable(r.Topic))
		}
	}
	return 0
}
