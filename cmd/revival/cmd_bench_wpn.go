package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/revival-net/revival/internal/loadtest/serverproc"
	"github.com/revival-net/revival/internal/loadtest/wpnload"
)

// runBenchWPN implements `revival bench wpn`: one primary (a child
// `revival serve` unless --server is given), thousands of secondaries
// sharing generated files, the primary's memory per secondary and per
// file, and the time to answer term searches across all of them.
func runBenchWPN(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var o wpnload.Options
	var server string
	var serverPid int
	var jsonOut bool
	fs := flag.NewFlagSet("bench wpn", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&o.Secondaries, "secondaries", 10000, "secondaries logged in at once")
	fs.IntVar(&o.Files, "files", 100, "files shared by each secondary")
	fs.IntVar(&o.Searches, "searches", 500, "term searches timed")
	fs.IntVar(&o.Searchers, "searchers", 50, "secondaries taking turns to search")
	fs.IntVar(&o.Concurrency, "concurrency", 200, "logins in flight at once")
	fs.DurationVar(&o.Settle, "settle", 3*time.Second, "idle time before the server's memory is read")
	fs.DurationVar(&o.Timeout, "timeout", 60*time.Second, "longest wait for one step")
	fs.StringVar(&server, "server", "", "address of a running primary (default: start one as a child process)")
	fs.IntVar(&serverPid, "server-pid", 0, "process id of the --server, to report its memory")
	fs.BoolVar(&jsonOut, "json", false, "print the result as JSON")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	command := strings.TrimSpace("revival bench wpn " + strings.Join(args, " "))
	progress := func(format string, a ...any) { fmt.Fprintf(stderr, "bench: "+format+"\n", a...) }
	if _, err := serverproc.RaiseNoFile(uint64(o.Secondaries) + 256); err != nil {
		return fail(stderr, "bench wpn", err)
	}
	if server == "" {
		child, cleanup, err := startWPNChild(stderr)
		if err != nil {
			return fail(stderr, "bench wpn", err)
		}
		defer cleanup()
		server, serverPid = child.Addr, child.Pid()
		progress("started primary pid %d on %s", serverPid, server)
	}
	if serverPid > 0 {
		o.Memory = func() (int64, error) { return serverproc.RSS(serverPid) }
	}
	o.Progress = progress
	res, err := wpnload.Run(ctx, server, o)
	if err != nil {
		return fail(stderr, "bench wpn", err)
	}
	if jsonOut {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(map[string]any{"command": command, "server": server, "result": res})
	} else {
		fmt.Fprintln(stdout, "command:", command)
		fmt.Fprintf(stdout, "secondaries %d, shared files %d (login %.1f s, shares %.1f s)\n", res.Secondaries, res.SharedFiles, res.LoginSeconds, res.ShareSeconds)
		if res.RSSStart > 0 {
			fmt.Fprintf(stdout, "server RSS: start %.1f MiB, logged in %.1f MiB, shared %.1f MiB\n",
				mib(res.RSSStart), mib(res.RSSLoggedIn), mib(res.RSSShared))
			fmt.Fprintf(stdout, "memory: %.0f bytes per secondary, %.0f bytes per shared file\n", res.PerSecondary, res.PerSharedFile)
		}
		s := res.Search
		fmt.Fprintf(stdout, "term search (answered in full): n=%d p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms; %d hits\n",
			s.Count, s.P50, s.P90, s.P99, s.Max, res.SearchHits)
		for _, f := range res.Failures {
			fmt.Fprintln(stdout, "FAILURE:", f)
		}
	}
	if len(res.Failures) > 0 {
		return 1
	}
	return 0
}

func mib(n int64) float64 { return float64(n) / (1 << 20) }

// startWPNChild runs this binary's `serve` with only the WinMX primary, on
// a free loopback port and a temporary data directory.
func startWPNChild(stderr io.Writer) (*serverproc.Child, func(), error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, nil, err
	}
	dir, err := os.MkdirTemp("", "revival-bench-wpn-")
	if err != nil {
		return nil, nil, err
	}
	addr, err := serverproc.FreeAddr()
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, nil, err
	}
	args := []string{"serve", "--data", dir, "--slsk", "off", "--wpn", addr, "--wpn-cache", "off", "--admin", "off",
		"--wpn-max-conns-per-ip", "-1", "--log-level", "warn"}
	child, err := serverproc.Start(exe, args, addr, stderr, 30*time.Second)
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, nil, err
	}
	return child, func() {
		_ = child.Stop(10 * time.Second)
		_ = os.RemoveAll(dir)
	}, nil
}
