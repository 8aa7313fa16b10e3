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
		{"wpn", "WinMX client: search, whois, pm, browse, rooms, chat; hosted chat rooms (operators)", runWPN},
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
	return dispatch(ctx, "revival", commands(), args, stdout, stderr)
}

// dispatch runs the command of table named by args[0] (prog is the
// command line so far: "revival", "revival wpn"), or prints the table.
func dispatch(ctx context.Context, prog string, table []command, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stderr, prog, table)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range table {
		if c.name == args[0] {
			return c.run(ctx, args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "%s: unknown command %q\n\n", prog, args[0])
	usage(stderr, prog, table)
	return 2
}

func usage(w io.Writer, prog string, table []command) {
	fmt.Fprintf(w, "usage: %s <command> [flags] [args]\n\n", prog)
	for _, c := range table {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.usage)
	}
	fmt.Fprintf(w, "\nRun `%s <command> -h` for a command's flags.\n", prog)
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
