package slskserver_test

import (
	"bytes"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/revival-net/revival/internal/netlimit"
	"github.com/revival-net/revival/slsk"
	"github.com/revival-net/revival/slsk/slskserver"
	"github.com/revival-net/revival/slsk/slsktest"
)

// lockedBuffer counts what a slog handler writes, from any goroutine.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (w *lockedBuffer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *lockedBuffer) Len() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Len()
}

// Refused logins with huge names write a bounded amount of log: names are
// cut, and each reason logs one line per interval (the clock is frozen,
// so here: one line), while the metric counts every refusal.
func TestRefusedLoginsDoNotFloodTheLog(t *testing.T) {
	var logged lockedBuffer
	reg := prometheus.NewRegistry()
	frozen := time.Unix(1_000_000, 0)
	h := slsktest.Start(t, func(o *slskserver.Options) {
		o.Logger = slog.New(slog.NewTextHandler(&logged, &slog.HandlerOptions{Level: slog.LevelDebug}))
		o.Metrics = reg
		o.Now = func() time.Time { return frozen }
	})
	const n = 100
	name := strings.Repeat("\x1b", 60000)
	for range n {
		c := h.Dial()
		c.Send(slsktest.LoginMessage(name, "x"))
		c.Expect(&slsk.LoginReply{Reason: slsk.ReasonInvalidUsername, Detail: "Nick too long."})
		c.ExpectClosed()
	}
	if got := logged.Len(); got > 4096 {
		t.Fatalf("%d refused logins wrote %d bytes of log, want at most 4096", n, got)
	}
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var counted float64
	for _, mf := range mfs {
		if mf.GetName() != "revival_logins_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "result" && l.GetValue() == "invalidusername" {
					counted = m.GetCounter().GetValue()
				}
			}
		}
	}
	if counted != n {
		t.Fatalf("revival_logins_total{result=\"invalidusername\"} = %v, want %d", counted, n)
	}
}

// New accounts are rationed per host, and for the whole server.
func TestRegistrationsAreRationed(t *testing.T) {
	for _, tc := range []struct {
		name   string
		limits func(*slskserver.Limits)
	}{
		{"per host", func(l *slskserver.Limits) { l.HostRegistrations = netlimit.Rate{PerSecond: 0.001, Burst: 2} }},
		{"global", func(l *slskserver.Limits) { l.Registrations = netlimit.Rate{PerSecond: 0.001, Burst: 2} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := slsktest.Start(t, func(o *slskserver.Options) { tc.limits(&o.Limits) })
			h.Login("alice").Close()
			h.Login("bob").Close()
			c := h.Dial()
			c.Send(slsktest.LoginMessage("carol", slsktest.Password("carol")))
			m := c.Next().(*slsk.LoginReply)
			if m.Success || !strings.Contains(m.Reason, "Too many new accounts") {
				t.Fatalf("third registration: %#v", m)
			}
			h.Login("alice") // existing accounts are not affected
		})
	}
}

// A restarted server (same data directory) lets a returning user in
// without a bcrypt run: the verifier is kept in the store, sealed with the
// data directory's key.
func TestReturningLoginAfterRestartNeedsNoBcrypt(t *testing.T) {
	h := slsktest.Start(t)
	h.Login("alice").Close()
	h.Restart()
	h.Login("alice")
	if n := h.Hub.Accounts.HashRuns(); n != 0 {
		t.Fatalf("%d bcrypt runs for a returning login after a restart, want 0", n)
	}
}
