package main

import (
	"context"
	"io"
)

// wpnCommands is the `revival wpn` table; each entry's file holds its
// flags. Other WPN tools (the secondary client) add their entries here.
func wpnCommands() []command {
	return append(wpnSecondaryCommands(),
		command{"chat", "join a WinMX chat room and talk from the terminal (revival wpn chat ROOM)", runWPNChat},
		command{"room", "operators: add, list and remove the hosted chat rooms", runWPNRoom},
	)
}

// runWPN implements `revival wpn <command>`.
func runWPN(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return dispatch(ctx, "revival wpn", wpnCommands(), args, stdout, stderr)
}
