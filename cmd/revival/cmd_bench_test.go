package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/revival-net/revival/internal/loadtest/slskload"
	"github.com/revival-net/revival/slsk/slsktest"
)

// benchArgs is a tiny run against an existing server (the child-process
// path needs the real binary and is exercised by running the command).
func benchArgs(addr string, extra ...string) []string {
	return append([]string{"slsk", "--server", addr, "--clients", "12", "--room-members", "5", "--messages", "3",
		"--searches", "1", "--concurrency", "4", "--settle", "1ms", "--chat-interval", "1ms", "--timeout", "20s"}, extra...)
}

func TestBenchSlskText(t *testing.T) {
	h := slsktest.Start(t)
	var stdout, stderr strings.Builder
	if code := runBench(context.Background(), benchArgs(h.Addr), &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, &stdout, &stderr)
	}
	out := stdout.String()
	for _, want := range []string{"command: revival bench slsk --server", "chat deliveries", "15 of 15", "11 of 11", "result: PASS"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestBenchSlskJSON(t *testing.T) {
	h := slsktest.Start(t)
	var stdout, stderr strings.Builder
	if code := runBench(context.Background(), benchArgs(h.Addr, "--json"), &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d\nstderr:\n%s", code, &stderr)
	}
	var got struct {
		Server string
		Result slskload.Result
	}
	if err := json.Unmarshal([]byte(stdout.String()), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, &stdout)
	}
	r := got.Result
	if got.Server != h.Addr || r.Login.OK != 12 || r.Room.Delivered != 15 || r.Search.Delivered != 11 || len(r.Failures) != 0 {
		t.Errorf("server %q, logins %d, chat %d, search %d, failures %q; want %q, 12, 15, 11, none",
			got.Server, r.Login.OK, r.Room.Delivered, r.Search.Delivered, r.Failures, h.Addr)
	}
}

func TestBenchUsage(t *testing.T) {
	tests := []struct {
		args []string
		code int
	}{
		{nil, 2},
		{[]string{"msn"}, 2},
		{[]string{"slsk", "extra"}, 2},
		{[]string{"slsk", "--clients", "x"}, 2},
		{[]string{"slsk", "--server", "127.0.0.1:1", "--clients", "1"}, 1}, // refused by the options check
		{[]string{"slsk", "--server", "127.0.0.1:1", "--restart"}, 2},      // a restart needs the child server
	}
	for _, tt := range tests {
		var stdout, stderr strings.Builder
		if code := runBench(context.Background(), tt.args, &stdout, &stderr); code != tt.code {
			t.Errorf("runBench(%q) = %d, want %d (stderr %q)", tt.args, code, tt.code, &stderr)
		}
	}
}
