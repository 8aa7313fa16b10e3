package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/revival-net/revival/slsk"
	"github.com/revival-net/revival/slsk/slskclient"
)

// slskUsage lists the `revival slsk` subcommands.
const slskUsage = `usage: revival slsk <command> [flags] [args]

  search [--wait 5s] QUERY   print one line per result: user, size, path
                             (and "private" for buddy-only files)
  get [--out DIR] USER PATH  download a file (resumes DIR/.incomplete/NAME.<hash>.part);
                             --size N refuses an uploader announcing another size
                             than N (the size "search" printed); any upload above
                             64 GiB is refused, and a leading '.' of the file
                             name is saved as '_' (".bashrc" -> "_bashrc")
  browse USER                list a user's shared files: size, path
                             (and "private" for buddy-only files)
  say ROOM TEXT              join ROOM and say TEXT
  pm USER TEXT               send a private message
  share DIR                  share DIR and serve searches and uploads until interrupted
  watch USER                 print USER's status changes until interrupted

Every command takes --server ADDR (default 127.0.0.1:2242), --user and
--password (default $REVIVAL_SLSK_USER / $REVIVAL_SLSK_PASSWORD, else a
random guest), --listen ADDR for the peer listener and -v for debug logs.
Names, paths and messages from other users are printed in Go quoted form
("a\nb") when they contain control characters, so they cannot fake lines.`

// slskFlags are the flags every `revival slsk` subcommand shares.
type slskFlags struct {
	server, user, password, listen string
	verbose                        bool
}

func (f *slskFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.server, "server", "127.0.0.1:2242", "Soulseek server address")
	fs.StringVar(&f.user, "user", os.Getenv("REVIVAL_SLSK_USER"), "user name (default $REVIVAL_SLSK_USER, else a random guest)")
	fs.StringVar(&f.password, "password", os.Getenv("REVIVAL_SLSK_PASSWORD"), "password (default $REVIVAL_SLSK_PASSWORD)")
	fs.StringVar(&f.listen, "listen", "127.0.0.1:0", "peer listener address (use :2234 to be reachable from other hosts)")
	fs.BoolVar(&f.verbose, "v", false, "log protocol details to stderr")
}

// runSlsk implements `revival slsk ...`, a command-line Soulseek client
// built on slsk/slskclient.
func runSlsk(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprintln(stderr, slskUsage)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	sub := args[0]
	var common slskFlags
	fs := flag.NewFlagSet("slsk "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	common.register(fs)
	var wait time.Duration
	var out string
	var size int64

	var nargs int
	var run func(ctx context.Context, c *slskclient.Client, pos []string) error
	opts := slskclient.Options{}
	switch sub {
	case "search":
		fs.DurationVar(&wait, "wait", 5*time.Second, "how long to collect results")
		nargs, run = -1, func(ctx context.Context, c *slskclient.Client, pos []string) error {
			return slskSearch(ctx, c, strings.Join(pos, " "), wait, stdout, stderr)
		}
	case "get":
		fs.StringVar(&out, "out", ".", "download directory")
		fs.Int64Var(&size, "size", -1, "the file's size as search printed it; an uploader announcing another is refused (default: unknown)")
		nargs, run = 2, func(ctx context.Context, c *slskclient.Client, pos []string) error {
			return slskGet(ctx, c, pos[0], pos[1], size, stdout, stderr)
		}
	case "browse":
		nargs, run = 1, func(ctx context.Context, c *slskclient.Client, pos []string) error {
			return slskBrowse(ctx, c, pos[0], stdout)
		}
	case "say":
		nargs, run = -2, func(ctx context.Context, c *slskclient.Client, pos []string) error {
			return slskSay(ctx, c, pos[0], strings.Join(pos[1:], " "))
		}
	case "pm":
		nargs, run = -2, func(ctx context.Context, c *slskclient.Client, pos []string) error {
			return slskPM(ctx, c, pos[0], strings.Join(pos[1:], " "), stderr)
		}
	case "share":
		nargs, run = 1, func(ctx context.Context, c *slskclient.Client, pos []string) error {
			return slskShare(ctx, c, pos[0], stdout)
		}
	case "watch":
		nargs, run = 1, func(ctx context.Context, c *slskclient.Client, pos []string) error {
			return slskWatch(ctx, c, pos[0], stdout)
		}
	default:
		fmt.Fprintf(stderr, "revival slsk: unknown command %q\n\n%s\n", sub, slskUsage)
		return 2
	}
	pos, err := parseInterspersed(fs, args[1:])
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	// nargs > 0: exactly that many; -n: at least n.
	if (nargs > 0 && len(pos) != nargs) || (nargs < 0 && len(pos) < -nargs) {
		fmt.Fprintf(stderr, "revival slsk %s: wrong number of arguments\n\n%s\n", sub, slskUsage)
		return 2
	}
	switch sub {
	case "get":
		opts.DownloadDir = out
	case "share":
		opts.ShareDir = pos[0]
	}
	c, err := slskConnect(ctx, common, opts, stderr)
	if err != nil {
		return fail(stderr, "slsk "+sub, printableError{err})
	}
	defer c.Close()
	if err := run(ctx, c, pos); err != nil {
		return fail(stderr, "slsk "+sub, printableError{err})
	}
	return 0
}

// printable returns s as is, or strconv.Quote(s) when it holds control
// or other non-printable characters or invalid UTF-8. Names, paths and
// texts come from other users (spec §3.3 search results, share lists;
// §2 code 22 messages): a file name with "\n" must not print as two
// result lines, nor an escape sequence reach the terminal.
func printable(s string) string {
	if utf8.ValidString(s) && strings.IndexFunc(s, func(r rune) bool { return !strconv.IsPrint(r) }) < 0 {
		return s
	}
	return strconv.Quote(s)
}

// printableError prints an error with printable, since errors can carry
// peer text (a transfer denial reason, spec §3.3 code 50). errors.Is
// still sees the original error.
type printableError struct{ err error }

func (e printableError) Error() string { return printable(e.err.Error()) }
func (e printableError) Unwrap() error { return e.err }

// slskConnect dials the server and logs in with the common flags.
func slskConnect(ctx context.Context, f slskFlags, opts slskclient.Options, stderr io.Writer) (*slskclient.Client, error) {
	if f.user == "" {
		f.user, f.password = "guest"+randomHex(3), randomHex(8)
		fmt.Fprintf(stderr, "logging in as %s\n", f.user)
	}
	if f.password == "" {
		return nil, fmt.Errorf("%w: --password is required with --user (or set REVIVAL_SLSK_PASSWORD)", errUsage)
	}
	opts.ListenAddr = f.listen
	if f.verbose {
		opts.Logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	dctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	c, err := slskclient.Dial(dctx, f.server, opts)
	if err != nil {
		return nil, err
	}
	if _, err := c.Login(dctx, f.user, f.password); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// slskSearch prints results as they arrive, one line per file:
// user, size, path, and a fourth column "private" for files the user
// shares with buddies only.
func slskSearch(ctx context.Context, c *slskclient.Client, query string, wait time.Duration, stdout, stderr io.Writer) error {
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	s, err := c.Search(ctx, query)
	if err != nil {
		return err
	}
	files, users := 0, 0
	for r := range s.Results() {
		users++
		for _, f := range r.Files {
			files++
			fmt.Fprintf(stdout, "%s\t%d\t%s\n", printable(r.User), f.Size, printable(f.Name))
		}
		for _, f := range r.PrivateFiles {
			files++
			fmt.Fprintf(stdout, "%s\t%d\t%s\tprivate\n", printable(r.User), f.Size, printable(f.Name))
		}
	}
	fmt.Fprintf(stderr, "%d files from %d users\n", files, users)
	return c.Err()
}

// slskGet downloads a file with a progress line on stderr, redrawn at
// most four times a second. size, when not negative, is the size the
// search result said: an uploader announcing another is refused.
func slskGet(ctx context.Context, c *slskclient.Client, user, path string, size int64, stdout, stderr io.Writer) error {
	start := time.Now()
	var last time.Time
	var first int64 = -1
	progress := func(done, total int64) {
		if first < 0 {
			first = done // resumed bytes do not count towards the rate
		}
		now := time.Now()
		if now.Sub(last) < 250*time.Millisecond && done != total {
			return
		}
		last = now
		fmt.Fprintf(stderr, "\r%s", progressLine(done, total, done-first, now.Sub(start)))
	}
	var name string
	var err error
	if size >= 0 {
		name, err = c.DownloadFileSized(ctx, user, path, uint64(size), progress)
	} else {
		name, err = c.DownloadFile(ctx, user, path, progress)
	}
	if first >= 0 {
		fmt.Fprintln(stderr)
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, printable(name))
	return nil
}

// progressLine formats "done / total (pct%) rate/s".
func progressLine(done, total, moved int64, elapsed time.Duration) string {
	pct := int64(100)
	if total > 0 {
		pct = done * 100 / total
	}
	rate := 0.0
	if s := elapsed.Seconds(); s > 0 {
		rate = float64(moved) / s
	}
	return fmt.Sprintf("%s / %s (%d%%) %s/s   ", humanBytes(float64(done)), humanBytes(float64(total)), pct, humanBytes(rate))
}

func humanBytes(n float64) string {
	units := []string{"B", "KiB", "MiB", "GiB", "TiB"}
	i := 0
	for n >= 1024 && i < len(units)-1 {
		n /= 1024
		i++
	}
	if i == 0 {
		return fmt.Sprintf("%.0f %s", n, units[i])
	}
	return fmt.Sprintf("%.1f %s", n, units[i])
}

// slskBrowse prints a user's share list, one line per file: size, path,
// and a third column "private" for files shared with buddies only.
func slskBrowse(ctx context.Context, c *slskclient.Client, user string, stdout io.Writer) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	list, err := c.Browse(ctx, user)
	if err != nil {
		return err
	}
	for i, dirs := range [][]slsk.Dir{list.Dirs, list.PrivateDirs} {
		mark := ""
		if i == 1 {
			mark = "\tprivate"
		}
		for _, d := range dirs {
			for _, f := range d.Files {
				fmt.Fprintf(stdout, "%d\t%s%s\n", f.Size, printable(d.Name+`\`+f.Name), mark)
			}
		}
	}
	return nil
}

// slskSay joins room, says text, and waits for the server's echo so the
// line is known to have been delivered.
func slskSay(ctx context.Context, c *slskclient.Client, room, text string) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if _, err := c.JoinRoom(ctx, room); err != nil {
		return err
	}
	if err := c.Say(room, text); err != nil {
		return err
	}
	for {
		select {
		case ev, ok := <-c.Events():
			if !ok {
				return c.Err()
			}
			if m, is := ev.(slskclient.RoomMessage); is && m.Room == room && m.User == c.Username() && m.Text == text {
				return nil
			}
		case <-ctx.Done():
			return fmt.Errorf("no echo of the message from the server: %w", ctx.Err())
		}
	}
}

// slskPM sends a private message. GetUserStatus after it is a barrier
// (the server handles messages in order) and tells whether the user will
// see it now or at their next login.
func slskPM(ctx context.Context, c *slskclient.Client, user, text string, stderr io.Writer) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := c.SendPrivateMessage(user, text); err != nil {
		return err
	}
	st, err := c.GetUserStatus(ctx, user)
	if err != nil {
		return err
	}
	if st.Status == slsk.StatusOffline {
		fmt.Fprintf(stderr, "%s is offline; the server keeps the message until they log in\n", user)
	}
	return nil
}

// slskShare stays online sharing dir, printing what it serves, until
// interrupted or disconnected.
func slskShare(ctx context.Context, c *slskclient.Client, dir string, stdout io.Writer) error {
	dirs, files := c.SharedCounts()
	fmt.Fprintf(stdout, "sharing %d files in %d folders from %s as %s; peers connect to %s\n", files, dirs, dir, c.Username(), c.ListenAddr())
	for {
		select {
		case ev, ok := <-c.Events():
			if !ok {
				return c.Err()
			}
			switch ev := ev.(type) {
			case slskclient.SearchAnswered:
				fmt.Fprintf(stdout, "search %q from %s: %d files\n", ev.Query, printable(ev.User), ev.Files)
			case slskclient.UploadFinished:
				if ev.Err != nil {
					fmt.Fprintf(stdout, "upload of %s to %s failed after %d bytes: %s\n", printable(ev.Path), printable(ev.User), ev.Bytes, printable(ev.Err.Error()))
				} else {
					fmt.Fprintf(stdout, "uploaded %s to %s (%d bytes)\n", printable(ev.Path), printable(ev.User), ev.Bytes)
				}
			case slskclient.PrivateMessage:
				fmt.Fprintf(stdout, "message from %s: %s\n", printable(ev.User), printable(ev.Text))
			case slskclient.Relogged:
				return errors.New("logged in from elsewhere (Relogged)")
			}
		case <-ctx.Done():
			return nil
		}
	}
}

// slskWatch prints user's status now and at every change.
func slskWatch(ctx context.Context, c *slskclient.Client, user string, stdout io.Writer) error {
	wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	w, err := c.WatchUser(wctx, user)
	cancel()
	if err != nil {
		return err
	}
	if !w.Exists {
		return fmt.Errorf("no such user %q", user)
	}
	fmt.Fprintf(stdout, "%s\t%s\n", user, statusName(w.Status))
	for {
		select {
		case ev, ok := <-c.Events():
			if !ok {
				return c.Err()
			}
			if s, is := ev.(slskclient.StatusChanged); is && s.User == user {
				fmt.Fprintf(stdout, "%s\t%s\n", user, statusName(s.Status))
			}
		case <-ctx.Done():
			return nil
		}
	}
}

func statusName(s slsk.UserStatus) string {
	switch s {
	case slsk.StatusOffline:
		return "offline"
	case slsk.StatusAway:
		return "away"
	case slsk.StatusOnline:
		return "online"
	}
	return fmt.Sprintf("status %d", s)
}
