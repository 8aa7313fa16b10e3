package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// command is one `revival` subcommand.
type command struct {
	name  string
	usage string
	run   func(ctx context.Context, args []string, stdout, stderr io.Writer) int
}

// commands is the subcommand table; each entry's file holds its flags.
func commands() []command {
	return []command{
		{"serve", "run every enabled network (default ports, SQLite in --data)", runServe},
		{"user", "manage accounts: add, passwd, ban, unban, list, del, admin", runUser},
		{"slsk", "Soulseek client: search, get, browse, say, pm, share, watch; rooms (operators)", runSlskWithRooms},
		{"wpn", "WinMX: chat client; hosted chat rooms (operators)", runWPN},
		{"bench", "load tools: bench slsk, bench wpn", runBench},
		{"version", "print the version", runVersion},
	}
}

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func runVersion(_ context.Context, _ []string, stdout, _ io.Writer) int {
	fmt.Fprintln(stdout, "revival", version)
	return 0
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "revival: unknown command %q\n\n", args[0])
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: revival <command> [flags] [args]")
	fmt.Fprintln(w)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.usage)
	}
	fmt.Fprintln(w, "\nRun `revival <command> -h` for a command's flags.")
}

// parseInterspersed parses flags that may come before or after positional
// arguments (`user add alice --password x`), which the flag package alone
// does not allow. It returns the positional arguments.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if rest[0] == "--" {
			return append(pos, rest[1:]...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// errUsage marks an error whose fix is in the command's usage text.
var errUsage = errors.New("usage")

func fail(stderr io.Writer, name string, err error) int {
	msg := err.Error()
	if errors.Is(err, errUsage) {
		msg = strings.TrimPrefix(msg, "usage: ")
		fmt.Fprintf(stderr, "revival %s: %s\n", name, msg)
		return 2
	}
	fmt.Fprintf(stderr, "revival %s: %s\n", name, msg)
	return 1
}
