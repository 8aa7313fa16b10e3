package netconn

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"
)

// Issue 5, finding 5: connections that have not logged in are capped
// across all hosts. The N+1th stalled socket is refused; a logged-in
// connection leaves the cap, and a closed one frees its slot by the time
// its peer reads EOF.
func TestPreLoginCap(t *testing.T) {
	s, addr, reg := start(t, Options{Limits: Limits{MaxPreLogin: 2}, Handle: echoHandler})
	a := dial(t, addr)
	a.ping()
	b := dial(t, addr)
	b.ping()
	dial(t, addr).expectClosed()
	if n := counter(t, reg, "revival_connections_refused_total", "prelogin_cap"); n != 1 {
		t.Fatalf("refusals counted %v, want 1", n)
	}
	a.write("L")
	a.expect("l")
	c := dial(t, addr)
	c.ping()
	dial(t, addr).expectClosed()
	b.write("Q")
	b.expectClosed()
	dial(t, addr).ping()
	a.ping() // the logged-in connection was never affected
	if n := s.PreLogin(); n != 2 {
		t.Fatalf("PreLogin() = %d, want 2", n)
	}
}

// The total cap counts logged-in connections too.
func TestTotalCap(t *testing.T) {
	_, addr, reg := start(t, Options{Limits: Limits{MaxConns: 2}, Handle: echoHandler})
	a := dial(t, addr)
	a.write("L")
	a.expect("l")
	dial(t, addr).ping()
	dial(t, addr).expectClosed()
	if n := counter(t, reg, "revival_connections_refused_total", "total_cap"); n != 1 {
		t.Fatalf("refusals counted %v, want 1", n)
	}
	a.write("Q")
	a.expectClosed()
	dial(t, addr).ping()
}

// The per-host cap refuses past the limit and frees on close.
func TestPerIPCap(t *testing.T) {
	_, addr, reg := start(t, Options{Limits: Limits{MaxConnsPerIP: 1}, Handle: echoHandler})
	a := dial(t, addr)
	a.ping()
	dial(t, addr).expectClosed()
	if n := counter(t, reg, "revival_connections_refused_total", "per_ip_cap"); n != 1 {
		t.Fatalf("refusals counted %v, want 1", n)
	}
	a.write("Q")
	a.expectClosed()
	dial(t, addr).ping()
}

// Shutdown closes every connection, waits for the handlers and makes
// Serve return ErrServerClosed (checked by start's cleanup).
func TestShutdownEndsHandlers(t *testing.T) {
	ended := make(chan struct{}, 2)
	s, addr, _ := start(t, Options{Handle: func(c *Conn) {
		defer func() { ended <- struct{}{} }()
		echoHandler(c)
	}})
	a, b := dial(t, addr), dial(t, addr)
	a.ping()
	b.ping()
	if err := s.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(ended) != 2 {
		t.Fatalf("%d handlers ended before Shutdown returned, want 2", len(ended))
	}
	a.expectClosed()
	b.expectClosed()
	if n := s.Count(); n != 0 {
		t.Fatalf("Count() = %d after Shutdown", n)
	}
}

func TestDefaultMaxConnsKeepsAReserve(t *testing.T) {
	for _, tc := range []struct{ limit, reserve, want int }{
		{1024, 128, 896},
		{100, 128, 25},
		{0, 128, -1},
	} {
		if got := DefaultMaxConns(tc.limit, tc.reserve); got != tc.want {
			t.Errorf("DefaultMaxConns(%d, %d) = %d, want %d", tc.limit, tc.reserve, got, tc.want)
		}
	}
	var l Limits
	l.SetDefaults()
	if lim := DescriptorLimit(); lim > 0 && (l.MaxConns <= 0 || l.MaxConns >= lim) {
		t.Errorf("default MaxConns %d with descriptor limit %d", l.MaxConns, lim)
	}
}

// countingHandler counts log records by message.
type countingHandler struct {
	mu sync.Mutex
	n  map[string]int
}

func (h *countingHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h *countingHandler) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h *countingHandler) WithGroup(string) slog.Handler            { return h }
func (h *countingHandler) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.n[r.Message]++
	return nil
}

func (h *countingHandler) count(msg string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.n[msg]
}

// Issue 5, findings 4 and 5: refused connections are counted, and logged
// at a sampled rate, never one line each.
func TestRefusalsAreCountedNotEachLogged(t *testing.T) {
	logs := &countingHandler{n: map[string]int{}}
	every := refusalLogEvery
	refusalLogEvery = time.Hour // however slow the machine, the 50 fall in one interval
	t.Cleanup(func() { refusalLogEvery = every })
	_, addr, reg := start(t, Options{Logger: slog.New(logs), Limits: Limits{MaxConnsPerIP: 1}, Handle: echoHandler})
	dial(t, addr).ping()
	for range 50 {
		dial(t, addr).expectClosed()
	}
	if n := counter(t, reg, "revival_connections_refused_total", "per_ip_cap"); n != 50 {
		t.Fatalf("refusals counted %v, want 50", n)
	}
	if n := logs.count("connection refused"); n != 1 {
		t.Fatalf("%d log lines for 50 refusals within seconds, want 1", n)
	}
}
