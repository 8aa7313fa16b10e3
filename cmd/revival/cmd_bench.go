package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/revival-net/revival/internal/loadtest/serverproc"
	"github.com/revival-net/revival/internal/loadtest/slskload"
)

// runBench implements `revival bench <network>`: load tools that measure a
// server against the targets. Only Soulseek exists so far.
func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprintln(stderr, "usage: revival bench slsk|wpn [flags]\n\nRun `revival bench slsk -h` or `revival bench wpn -h` for the flags.")
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	switch args[0] {
	case "slsk":
		return runBenchSlsk(ctx, args[1:], stdout, stderr)
	case "wpn":
		return runBenchWPN(ctx, args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "revival bench: unknown network %q (want slsk or wpn)\n", args[0])
	return 2
}

// benchSlskOutput is the --json form: the command and server measured,
// then the result.
type benchSlskOutput struct {
	Command   string           `json:"command"`
	Server    string           `json:"server"`
	ServerPid int              `json:"server_pid,omitempty"`
	ServerCmd string           `json:"server_command,omitempty"`
	Result    *slskload.Result `json:"result"`
	Error     string           `json:"error,omitempty"`
}

// runBenchSlsk implements `revival bench slsk`. By default it starts its
// own server as a child process (this binary's `serve` on a temporary data
// directory), so the server's memory can be read from /proc and is not
// mixed with the clients'; --server targets a running server instead.
// Exit status 1 means a login or delivery failed, whatever the timings.
func runBenchSlsk(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var o slskload.Options
	var server string
	var serverPid int
	var jsonOut, restart bool
	var bcryptCost int
	fs := flag.NewFlagSet("bench slsk", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&o.Clients, "clients", 10000, "users logged in at once")
	fs.IntVar(&o.RoomMembers, "room-members", 1000, "members of the chat room")
	fs.IntVar(&o.Messages, "messages", 200, "chat lines for the latency test")
	fs.IntVar(&o.Searches, "searches", 5, "searches, each sent to every user")
	fs.IntVar(&o.Concurrency, "concurrency", 200, "logins in flight at once")
	fs.IntVar(&o.ChatSenders, "chat-senders", 20, "members taking turns to send the chat lines (each must stay under the server's 5 lines/s)")
	fs.DurationVar(&o.ChatInterval, "chat-interval", 20*time.Millisecond, "gap between two chat lines")
	fs.DurationVar(&o.Settle, "settle", 5*time.Second, "idle time before the server's memory is read")
	fs.DurationVar(&o.Timeout, "timeout", 60*time.Second, "longest wait for logins, joins and deliveries")
	fs.StringVar(&server, "server", "", "address of a running server to test (default: start one as a child process)")
	fs.IntVar(&serverPid, "server-pid", 0, "process id of the --server, to report its memory")
	fs.BoolVar(&jsonOut, "json", false, "print the result as JSON")
	fs.BoolVar(&restart, "restart", false, "restart storm: register --clients users, restart the child server on the same data directory, reconnect them all at once; report the slowest login and refusals")
	fs.IntVar(&o.ReconnectConcurrency, "reconnect-concurrency", 0, "with --restart: reconnections in flight at once (0: all)")
	fs.IntVar(&bcryptCost, "bcrypt-cost", 4, "bcrypt cost of the child server (10 is the default of `revival serve`)")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "revival bench slsk: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	out := benchSlskOutput{Command: strings.TrimSpace("revival bench slsk " + strings.Join(args, " "))}
	progress := func(format string, a ...any) { fmt.Fprintf(stderr, "bench: "+format+"\n", a...) }

	// Each simulated client holds a descriptor here, and the server one
	// more for each; the child inherits the raised limit.
	if _, err := serverproc.RaiseNoFile(uint64(o.Clients) + 256); err != nil {
		return fail(stderr, "bench slsk", err)
	}

	if restart && server != "" {
		fmt.Fprintln(stderr, "revival bench slsk: --restart needs the child server (no --server)")
		return 2
	}
	var bs *benchServer
	if server == "" {
		var err error
		bs, err = startBenchServer(stderr, bcryptCost)
		if err != nil {
			return fail(stderr, "bench slsk", err)
		}
		defer bs.cleanup()
		server, serverPid, out.ServerCmd = bs.child.Addr, bs.child.Pid(), bs.cmdline()
		progress("started server pid %d on %s", serverPid, server)
	}
	out.Server, out.ServerPid = server, serverPid
	if restart {
		o.Restart = func(context.Context) (string, error) {
			if err := bs.restart(); err != nil {
				return "", err
			}
			serverPid = bs.child.Pid()
			out.ServerPid = serverPid
			progress("restarted server: pid %d on %s", serverPid, server)
			return "", nil
		}
	}
	if serverPid > 0 {
		self := os.Getpid()
		// serverPid changes when --restart starts a new child.
		o.Memory = func() (int64, error) { return serverproc.RSS(serverPid) }
		o.CPU = func() (slskload.CPUSample, error) {
			var s slskload.CPUSample
			var err1, err2, err3 error
			s.Server, err1 = serverproc.ProcessCPU(serverPid)
			s.Clients, err2 = serverproc.ProcessCPU(self)
			s.Machine, s.SoftIRQ, err3 = serverproc.MachineBusy()
			return s, errors.Join(err1, err2, err3)
		}
	}
	o.Progress = progress

	res, err := slskload.Run(ctx, server, o)
	if err != nil {
		out.Error = err.Error()
	}
	if res != nil && bs != nil {
		if exited, werr := bs.child.Exited(); exited {
			res.Failures = append(res.Failures, fmt.Sprintf("the server exited during the run: %v", werr))
		}
	}
	if res == nil {
		return fail(stderr, "bench slsk", err)
	}
	out.Result = res
	if jsonOut {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if werr := enc.Encode(out); werr != nil {
			return fail(stderr, "bench slsk", werr)
		}
	} else {
		fmt.Fprintln(stdout, "command:", out.Command)
		if out.ServerCmd != "" {
			fmt.Fprintf(stdout, "server:  %s (pid %d)\n", out.ServerCmd, out.ServerPid)
		} else {
			fmt.Fprintln(stdout, "server: ", out.Server)
		}
		fmt.Fprintln(stdout)
		if werr := res.WriteText(stdout); werr != nil {
			return fail(stderr, "bench slsk", werr)
		}
	}
	if err != nil {
		fmt.Fprintln(stderr, "revival bench slsk: run stopped:", err)
		return 1
	}
	if !res.OK() {
		return 1
	}
	return 0
}

// benchServer is the child server of a bench run and its data directory.
type benchServer struct {
	exe, dir string
	args     []string
	child    *serverproc.Child
	stderr   io.Writer // the child's output and cleanup's complaints
}

// startBenchServer starts this binary's `serve` on a temporary data
// directory and a free loopback port, with the given bcrypt cost.
// cleanup stops it (SIGTERM, then wait) and removes the directory.
func startBenchServer(stderr io.Writer, bcryptCost int) (*benchServer, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "revival-bench-")
	if err != nil {
		return nil, err
	}
	addr, err := serverproc.FreeAddr()
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	b := &benchServer{exe: exe, dir: dir, args: serverproc.ServeArgsCost(dir, addr, bcryptCost), stderr: stderr}
	if b.child, err = serverproc.Start(exe, b.args, addr, stderr, 30*time.Second); err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	return b, nil
}

func (b *benchServer) cmdline() string { return "revival " + strings.Join(b.args, " ") }

// restart stops the child (SIGTERM: a graceful shutdown, as an operator's
// restart) and starts the same command on the same data directory and
// address.
func (b *benchServer) restart() error {
	if err := b.child.Stop(30 * time.Second); err != nil {
		return fmt.Errorf("stopping the server: %w", err)
	}
	c, err := serverproc.Start(b.exe, b.args, b.child.Addr, b.stderr, 60*time.Second)
	if err != nil {
		return fmt.Errorf("starting the server again: %w", err)
	}
	b.child = c
	return nil
}

func (b *benchServer) cleanup() {
	if err := b.child.Stop(30 * time.Second); err != nil {
		fmt.Fprintln(b.stderr, "revival bench slsk: stopping the server:", err)
	}
	_ = os.RemoveAll(b.dir)
}
