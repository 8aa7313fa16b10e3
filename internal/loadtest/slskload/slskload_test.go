package slskload_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/revival-net/revival/internal/loadtest/slskload"
	"github.com/revival-net/revival/internal/netlimit"
	"github.com/revival-net/revival/slsk"
	"github.com/revival-net/revival/slsk/slskserver"
	"github.com/revival-net/revival/slsk/slsktest"
)

// TestRunDeliversEverything runs every phase against a real server with
// small numbers and checks that each login, room line and search arrived
// exactly once. Timings are not checked.
func TestRunDeliversEverything(t *testing.T) {
	h := slsktest.Start(t)
	var probes int
	opts := slskload.Options{
		Clients:      50,
		RoomMembers:  20,
		Messages:     5,
		Searches:     2,
		Concurrency:  8,
		ChatSenders:  3,
		ChatInterval: time.Millisecond,
		Settle:       time.Millisecond,
		Timeout:      20 * time.Second,
		Memory: func() (int64, error) {
			probes++
			return int64(probes) << 20, nil
		},
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	res, err := slskload.Run(ctx, h.Addr, opts)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if !res.OK() {
		t.Fatalf("run failed: %q", res.Failures)
	}
	type counts struct {
		RegisterOK, LoginOK, LoginFailed    int
		Joined, ChatExpected, ChatDelivered int
		ChatLatencies                       int
		SearchExpected, SearchDelivered     int
		PerSearchReached                    []int
		Disconnects, Strays, Probes         int
	}
	got := counts{
		RegisterOK: res.Register.OK, LoginOK: res.Login.OK, LoginFailed: res.Login.Failed,
		Joined: res.Room.Joined, ChatExpected: res.Room.Expected, ChatDelivered: res.Room.Delivered,
		ChatLatencies:  res.Room.Latency.Count,
		SearchExpected: res.Search.Expected, SearchDelivered: res.Search.Delivered,
		Disconnects: res.Disconnects, Strays: res.Strays, Probes: probes,
	}
	for _, s := range res.Search.PerSearch {
		got.PerSearchReached = append(got.PerSearchReached, s.Reached)
	}
	want := counts{
		RegisterOK: 50, LoginOK: 50,
		Joined: 20, ChatExpected: 20 * 5, ChatDelivered: 20 * 5, ChatLatencies: 20 * 5,
		SearchExpected: 2 * 49, SearchDelivered: 2 * 49, PerSearchReached: []int{49, 49},
		Probes: 4,
	}
	if diff := cmp.Diff(got, want); diff != "" {
		t.Errorf("counts (-got +want):\n%s", diff)
	}
	m := res.Memory
	if m == nil || m.IdleClients != 50 || m.PerIdleClientBytes != (3<<20-1<<20)/50 || m.PerIdleClientAfterRegisterBytes != (3<<20-2<<20)/50 {
		t.Errorf("memory = %+v, want samples of 1, 2, 3 MiB spread over 50 clients", m)
	}
}

// TestRunReportsRefusedLogins checks that a login the server refuses is a
// failure of the run, not a silent gap: here every user's password is
// wrong on the second pass because another account holds the name.
func TestRunReportsRefusedLogins(t *testing.T) {
	h := slsktest.Start(t)
	h.Login("bench00002").Conn.Close() // registers bench00002 with another password
	res, err := slskload.Run(context.Background(), h.Addr, slskload.Options{
		Clients: 3, RoomMembers: 2, Messages: 1, Searches: 1, Concurrency: 2,
		Settle: time.Millisecond, Timeout: 10 * time.Second,
	})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if res.OK() {
		t.Fatal("run with a refused login reported OK")
	}
	if res.Register.Failed != 1 || res.Login.Failed != 1 || res.Login.OK != 2 {
		t.Errorf("register failed %d, login failed %d ok %d; want 1, 1, 2", res.Register.Failed, res.Login.Failed, res.Login.OK)
	}
	// The two users that did log in still exchange everything.
	if res.Room.Missing != 0 || res.Search.Missing != 0 || res.Search.Delivered != 1 {
		t.Errorf("room missing %d, search missing %d delivered %d; want 0, 0, 1", res.Room.Missing, res.Search.Missing, res.Search.Delivered)
	}
}

// TestRunReportsMissingDeliveries makes the server drop room lines (a
// one-line chat budget per session; the room already exists, so no member
// spends it creating the room) and every search (an excluded phrase, spec
// §2 code 160), and checks that the run counts them as missing.
func TestRunReportsMissingDeliveries(t *testing.T) {
	h := slsktest.Start(t, func(o *slskserver.Options) {
		o.Limits.ChatRate = netlimit.Rate{PerSecond: 0.001, Burst: 1}
		o.ExcludedPhrases = []string{"revival bench"}
	})
	keeper := h.Login("keeper")
	keeper.Send(&slsk.JoinRoom{Room: "bench"})
	keeper.SkipUntil(slsk.CodeJoinRoom)
	res, err := slskload.Run(context.Background(), h.Addr, slskload.Options{
		Clients: 6, RoomMembers: 4, Messages: 3, Searches: 1, Concurrency: 3, ChatSenders: 1,
		ChatInterval: time.Millisecond, Settle: time.Millisecond, Timeout: 2 * time.Second,
	})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if res.OK() {
		t.Fatal("run with dropped deliveries reported OK")
	}
	type missing struct{ ChatDelivered, ChatMissing, MembersMissing, SearchDelivered, SearchMissing int }
	got := missing{res.Room.Delivered, res.Room.Missing, res.Room.MembersMissing, res.Search.Delivered, res.Search.Missing}
	want := missing{ChatDelivered: 4, ChatMissing: 8, MembersMissing: 4, SearchDelivered: 0, SearchMissing: 5}
	if diff := cmp.Diff(got, want); diff != "" {
		t.Errorf("deliveries (-got +want):\n%s", diff)
	}
}

func TestOptionsRejected(t *testing.T) {
	tests := []struct {
		name string
		opts slskload.Options
	}{
		{"one client", slskload.Options{Clients: 1}},
		{"too many clients", slskload.Options{Clients: 100000}},
		{"negative messages", slskload.Options{Messages: -1}},
		{"long prefix", slskload.Options{Prefix: "abcdefghijklmnopqrstuvwxyz"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := slskload.Run(context.Background(), "127.0.0.1:1", tt.opts); err == nil {
				t.Error("Run accepted the options")
			}
		})
	}
}

// A restart-storm run registers every user, restarts the server and
// reconnects them all at once; every reconnection is counted.
func TestRunRestartStorm(t *testing.T) {
	h := slsktest.Start(t)
	restarts := 0
	opts := slskload.Options{
		Clients: 30, Concurrency: 8, Timeout: 20 * time.Second,
		Restart: func(context.Context) (string, error) {
			restarts++
			h.Restart()
			return h.Addr, nil
		},
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	res, err := slskload.Run(ctx, h.Addr, opts)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if !res.OK() || restarts != 1 || res.Restart == nil || res.Register.OK != 30 || res.Login.OK != 30 ||
		res.Restart.Refused != 0 || res.Restart.Concurrency != 30 || res.Room.Joined != 0 {
		t.Fatalf("restarts %d, result %+v, restart %+v", restarts, res, res.Restart)
	}
	if n := h.Hub.Accounts.HashRuns(); n != 0 {
		t.Errorf("%d bcrypt runs after the restart, want 0 (verifiers kept)", n)
	}
	var out strings.Builder
	if err := res.WriteText(&out); err != nil || !strings.Contains(out.String(), "slowest reconnection") {
		t.Errorf("text report: %v\n%s", err, &out)
	}
}
