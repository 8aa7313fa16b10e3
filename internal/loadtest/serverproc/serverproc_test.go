package serverproc

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/revival-net/revival/internal/nettest"
)

// TestMain lets the test binary play the child server: with
// SERVERPROC_HELPER=listen it listens on the address in SERVERPROC_ADDR
// until SIGTERM; with SERVERPROC_HELPER=exit it exits at once.
func TestMain(m *testing.M) {
	switch os.Getenv("SERVERPROC_HELPER") {
	case "listen":
		ln, err := net.Listen("tcp", os.Getenv("SERVERPROC_ADDR"))
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, syscall.SIGTERM)
		<-sig
		_ = ln.Close()
		os.Exit(0)
	case "exit":
		os.Exit(4)
	}
	os.Exit(m.Run())
}

func TestParseVmRSS(t *testing.T) {
	tests := []struct {
		name    string
		status  string
		want    int64
		wantErr bool
	}{
		{"normal", "Name:\trevival\nVmPeak:\t  999 kB\nVmRSS:\t   12345 kB\nThreads:\t4\n", 12345 << 10, false},
		{"zero", "VmRSS:\t0 kB\n", 0, false},
		{"missing (kernel thread)", "Name:\tkthreadd\nThreads:\t1\n", 0, true},
		{"wrong unit", "VmRSS:\t12 MB\n", 0, true},
		{"not a number", "VmRSS:\tlots kB\n", 0, true},
		{"negative", "VmRSS:\t-5 kB\n", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseVmRSS([]byte(tt.status))
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("parseVmRSS = %d, %v; want %d, error %v", got, err, tt.want, tt.wantErr)
			}
			if err != nil && !errors.Is(err, errNoVmRSS) {
				t.Errorf("error %v is not errNoVmRSS", err)
			}
		})
	}
}

func TestRSSOfSelf(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc")
	}
	got, err := RSS(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if got < 1<<20 {
		t.Errorf("RSS of the test process = %d bytes, want at least 1 MiB", got)
	}
}

func TestStartWaitsAndStops(t *testing.T) {
	addr, err := FreeAddr()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("SERVERPROC_HELPER", "listen")
	t.Setenv("SERVERPROC_ADDR", addr)
	var out strings.Builder
	c, err := Start(os.Args[0], nil, addr, &out, 10*time.Second)
	if err != nil {
		t.Fatalf("Start: %v (output %q)", err, out.String())
	}
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatalf("child not listening after Start: %v", err)
	}
	_ = nc.Close()
	if exited, _ := c.Exited(); exited {
		t.Fatal("child reported exited while running")
	}
	if err := c.Stop(10 * time.Second); err != nil {
		t.Errorf("Stop: %v", err)
	}
	if exited, _ := c.Exited(); !exited {
		t.Error("child not exited after Stop")
	}
}

func TestStartReportsEarlyExit(t *testing.T) {
	addr := nettest.HeldAddr(t)
	t.Setenv("SERVERPROC_HELPER", "exit")
	if _, err := Start(os.Args[0], nil, addr, &strings.Builder{}, 10*time.Second); err == nil || !strings.Contains(err.Error(), "exited before listening") {
		t.Errorf("Start of a child that exits = %v, want an 'exited before listening' error", err)
	}
}

func TestServeArgs(t *testing.T) {
	got := strings.Join(ServeArgs("/tmp/d", "127.0.0.1:5"), " ")
	want := "serve --data /tmp/d --slsk 127.0.0.1:5 --wpn off --wpn-cache off --admin off --bcrypt-cost 4 --slsk-max-conns-per-ip -1 --slsk-registrations-per-host-hour -1 --slsk-registrations-per-minute -1 --log-level warn"
	if got != want {
		t.Errorf("ServeArgs = %q, want %q", got, want)
	}
}

func TestParseProcStat(t *testing.T) {
	tests := []struct {
		name    string
		stat    string
		want    time.Duration
		wantErr bool
	}{
		// Fields: pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime …
		{"plain", "5503 (revival) S 1 5503 5503 0 -1 4194560 100 0 0 0 250 130 0 0 20 0 7 0", 3800 * time.Millisecond, false},
		{"name with spaces and parens", "7 (a) b (c) R 1 7 7 0 -1 0 0 0 0 0 1 2 0 0", 30 * time.Millisecond, false},
		{"no name", "5503 revival S 1", 0, true},
		{"short", "5503 (revival) S 1 2 3", 0, true},
		{"bad number", "5503 (revival) S 1 5503 5503 0 -1 4194560 100 0 0 0 x 130", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseProcStat([]byte(tt.stat))
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("parseProcStat = %v, %v; want %v, error %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestParseMachineStat(t *testing.T) {
	tests := []struct {
		name        string
		stat        string
		busy, softq time.Duration
		wantErr     bool
	}{
		// cpu user nice system idle iowait irq softirq steal guest guest_nice
		{"normal", "cpu  100 5 50 9000 7 1 2 3 0 0\ncpu0 50 2 25 4500 3 0 1 1 0 0\n", 1610 * time.Millisecond, 20 * time.Millisecond, false},
		{"old kernel without guest", "cpu 1 0 0 0 0 0 4 0\n", 50 * time.Millisecond, 40 * time.Millisecond, false},
		{"no cpu line", "intr 5\n", 0, 0, true},
		{"short", "cpu 1 2 3\n", 0, 0, true},
		{"bad number", "cpu 1 2 3 x 5 6 7 8\n", 0, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			busy, softq, err := parseMachineStat([]byte(tt.stat))
			if (err != nil) != tt.wantErr || busy != tt.busy || softq != tt.softq {
				t.Errorf("parseMachineStat = %v, %v, %v; want %v, %v, error %v", busy, softq, err, tt.busy, tt.softq, tt.wantErr)
			}
		})
	}
}

func TestCPUOfSelfAndMachine(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc")
	}
	self, err := ProcessCPU(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	busy, _, err := MachineBusy()
	if err != nil {
		t.Fatal(err)
	}
	if self > busy {
		t.Errorf("this process used %v, more than the whole machine's %v", self, busy)
	}
}
