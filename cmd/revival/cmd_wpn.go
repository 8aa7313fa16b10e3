package main

import (
	"context"
	"fmt"
	"io"
)

// wpnCommand is one `revival wpn` subcommand. Other WPN tools (the
// secondary client, the peer cache probe) add their entries to
// wpnCommands.
type wpnCommand struct {
	name  string
	usage string
	run   func(ctx context.Context, args []string, stdout, stderr io.Writer) int
}

// wpnCommands is the `revival wpn` table; each entry's file holds its flags.
func wpnCommands() []wpnCommand {
	return []wpnCommand{
		{"chat", "join a WinMX chat room and talk from the terminal (revival wpn chat ROOM)", runWPNChat},
		{"room", "operators: add, list and remove the hosted chat rooms", runWPNRoom},
	}
}

// runWPN implements `revival wpn <command>`.
func runWPN(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		wpnUsage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range wpnCommands() {
		if c.name == args[0] {
			return c.run(ctx, args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "revival wpn: unknown command %q\n\n", args[0])
	wpnUsage(stderr)
	return 2
}

func wpnUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: revival wpn <command> [flags] [args]")
	fmt.Fprintln(w)
	for _, c := range wpnCommands() {
		fmt.Fprintf(w, "  %-6s %s\n", c.name, c.usage)
	}
	fmt.Fprintln(w, "\nRun `revival wpn <command> -h` for a command's flags.")
}
