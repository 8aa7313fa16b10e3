package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/netip"
	"os"
	"strings"
	"time"

	"github.com/revival-net/revival/wpn"
	"github.com/revival-net/revival/wpn/wpnclient"
)

const wpnChatUsage = `usage: revival wpn chat ROOM [--name NAME] [--addr HOST:PORT] [--files N] [--line N] [--331]

Joins the WinMX chat room ROOM ("Name_0100007F1A2B": the last twelve hex
digits are the host's address) and prints what happens, one line each:
"<name> text", "* name action", "-> name joined", "<- name left",
"-- " for the host's notices. Lines typed on stdin are said; /me TEXT
acts, /nick NAME renames, /quit leaves, any other /command goes to the
host (/login PASSWORD, /password PASSWORD, /who, /help; operators /kick,
/ban, /topic ...). Text from others is printed quoted when it holds
control characters, and colour codes are removed.`

// runWPNChat implements `revival wpn chat ROOM`.
func runWPNChat(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("wpn chat", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprintln(stderr, wpnChatUsage) }
	opts := wpnclient.ChatOptions{}
	var files, line uint
	fs.StringVar(&opts.Name, "name", "", "your name, e.g. alice123_00001 (default: a random guest)")
	fs.StringVar(&opts.Addr, "addr", "", "connect here instead of the address in the room name")
	fs.UintVar(&files, "files", 0, "the number of files you say you share")
	fs.UintVar(&line, "line", 8, "your line type (8: DSL)")
	fs.BoolVar(&opts.Protocol331, "331", false, "speak the WinMX 3.31 chat protocol")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if len(pos) != 1 {
		fmt.Fprintln(stderr, wpnChatUsage)
		return 2
	}
	if opts.Name == "" {
		opts.Name = fmt.Sprintf("guest%03d_%05d", rand.IntN(1000), rand.IntN(100000))
		fmt.Fprintf(stderr, "joining as %s\n", opts.Name)
	}
	opts.Files, opts.LineType = uint32(files), uint16(line)
	dctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	c, err := wpnclient.DialChat(dctx, pos[0], opts)
	cancel()
	if err != nil {
		return fail(stderr, "wpn chat", printableError{err})
	}
	defer c.Close()
	if err := wpnChatLoop(ctx, c, os.Stdin, stdout); err != nil {
		return fail(stderr, "wpn chat", printableError{err})
	}
	return 0
}

// wpnChatLoop prints the room's events and sends the lines read from in
// until the room or in ends, or ctx is cancelled.
func wpnChatLoop(ctx context.Context, c *wpnclient.ChatClient, in io.Reader, out io.Writer) error {
	lines := make(chan string)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(in)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			case <-ctx.Done():
				return
			}
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return nil
		case l, ok := <-lines:
			if !ok {
				return nil
			}
			quit, err := wpnChatSend(c, l)
			if quit || err != nil {
				return err
			}
		case ev, ok := <-c.Events():
			if !ok {
				return nil
			}
			if cl, is := ev.(wpnclient.ChatClosed); is {
				if errors.Is(cl.Err, wpnclient.ErrClosed) {
					return nil
				}
				return fmt.Errorf("disconnected: %v", cl.Err)
			}
			if s := wpnChatLine(ev); s != "" {
				fmt.Fprintln(out, s)
			}
		}
	}
}

// wpnChatSend sends one typed line; /quit reports quit.
func wpnChatSend(c *wpnclient.ChatClient, l string) (quit bool, err error) {
	l = strings.TrimRight(l, "\r")
	switch {
	case strings.TrimSpace(l) == "":
		return false, nil
	case l == "/quit":
		return true, nil
	case strings.HasPrefix(l, "/me "):
		return false, c.Action(strings.TrimPrefix(l, "/me "))
	case strings.HasPrefix(l, "/nick "):
		return false, c.Rename(strings.TrimSpace(strings.TrimPrefix(l, "/nick ")), 0)
	}
	return false, c.Say(l) // other /commands are the host's
}

// wpnChatLine formats an event for the terminal ("" prints nothing).
func wpnChatLine(ev wpnclient.ChatEvent) string {
	p := func(s string) string { return printable(stripColours(s)) }
	switch ev := ev.(type) {
	case wpnclient.ChatJoined:
		return "-- joined " + p(ev.Room)
	case wpnclient.ChatServerInfo:
		if ev.Name != "" {
			return "-- host: " + p(ev.Name) + " " + p(ev.Version)
		}
	case wpnclient.ChatTopic:
		return "-- topic: " + p(ev.Text)
	case wpnclient.ChatMOTD:
		return "-- " + p(ev.Text)
	case wpnclient.ChatNotice:
		return "-- " + p(ev.Text)
	case wpnclient.ChatUserListed:
		return "-- here: " + rankMark(ev.User.Rank) + p(ev.User.Name)
	case wpnclient.ChatUserJoined:
		s := "-> " + rankMark(ev.User.Rank) + p(ev.User.Name) + " joined"
		if ev.RealIP.IsValid() && ev.RealIP != netip.IPv4Unspecified() {
			s += " from " + ev.RealIP.String()
		}
		return s
	case wpnclient.ChatUserLeft:
		return "<- " + p(ev.Peer.Name) + " left"
	case wpnclient.ChatUserRenamed:
		if ev.Old.Name == ev.New.Name {
			return "-- " + rankMark(ev.New.Rank) + p(ev.New.Name) + " changed"
		}
		return "-- " + p(ev.Old.Name) + " is now " + rankMark(ev.New.Rank) + p(ev.New.Name)
	case wpnclient.ChatText:
		var r uint8
		if ev.Rank != nil {
			r = *ev.Rank
		}
		return "<" + rankMark(r) + p(ev.Name) + "> " + p(ev.Text)
	case wpnclient.ChatAction:
		return "* " + p(ev.Name) + " " + p(ev.Text)
	case wpnclient.ChatRoomRenamed:
		return "-- the room is now " + p(ev.Base)
	case wpnclient.ChatRedirect:
		return "-- the host asks you to join " + p(ev.Room)
	}
	return ""
}

func rankMark(r uint8) string {
	switch r {
	case wpn.RankOperator:
		return "@"
	case wpn.RankVoice:
		return "+"
	}
	return ""
}

// stripColours removes WinMX colour codes (0x03 and an index byte,
// wpn.md §6.2), which a terminal cannot show.
func stripColours(s string) string {
	if !strings.ContainsRune(s, 0x03) {
		return s
	}
	var b strings.Builder
	skip := false
	for _, r := range s {
		switch {
		case skip:
			skip = false
		case r == 0x03:
			skip = true
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
