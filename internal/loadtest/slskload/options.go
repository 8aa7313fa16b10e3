package slskload

import (
	"context"
	"fmt"
	"time"
)

// MemoryProbe returns the server's resident memory in bytes. The command
// layer supplies it when it knows the server's process (VmRSS of a child
// it started); Run calls it between phases.
type MemoryProbe func() (int64, error)

// CPUSample is cumulative CPU time: the server process's, this process's
// (the simulated clients'), the whole machine's non-idle time (softirq
// included), and the softirq part of it.
type CPUSample struct {
	Server, Clients, Machine, SoftIRQ time.Duration
}

// CPUProbe reads a CPUSample. Run takes one before and after each phase,
// so a latency figure can be told apart as server-bound, client-bound or
// disturbed by other processes on the machine.
type CPUProbe func() (CPUSample, error)

// Options sizes a run. Zero fields take the defaults in parentheses, which
// are the figures the load targets are stated for.
type Options struct {
	Clients     int // users logged in at once (10,000)
	RoomMembers int // members of the chat room, at most Clients (1,000)
	Messages    int // chat lines sent to the room (200)
	Searches    int // searches sent, each measured alone (5)
	Concurrency int // logins in flight at once (200)

	// ChatSenders is how many room members take turns sending the chat
	// lines (20), and ChatInterval the gap between two lines (20 ms). The
	// server allows each session 5 lines/s with a burst of 20, so each
	// sender must stay below 5/s: with the defaults each one sends every
	// 20 × 20 ms = 400 ms, 2.5 lines/s, half the limit.
	ChatSenders  int
	ChatInterval time.Duration

	// Settle is how long the N clients sit idle before the server's memory
	// is read (5 s), so post-login traffic and garbage have settled.
	Settle time.Duration
	// Timeout bounds each wait for logins, room joins and deliveries (60 s);
	// what has not arrived by then is reported as missing.
	Timeout time.Duration

	// Prefix and Password name the simulated users: Prefix followed by a
	// five-digit index ("bench00001"), all with the same password.
	Prefix   string
	Password string
	// Room is the chat room the members join ("bench").
	Room string

	// Memory, when set, is sampled before the first login, after
	// registration, with all clients idle, and at the end.
	Memory MemoryProbe
	// CPU, when set, is sampled around each phase (Result's PhaseCPU).
	CPU CPUProbe
	// Progress, when set, receives one line per phase as it starts, for a
	// human watching a long run.
	Progress func(format string, args ...any)

	// Restart, when set, makes the run a restart storm instead (see
	// runRestart): register every user, call Restart (which stops the
	// server and starts it again on the same data), then log every user
	// in again with ReconnectConcurrency logins in flight (0: all at
	// once). The room and search phases are skipped. Restart returns the
	// server's new address, or "" when it did not change.
	Restart              func(ctx context.Context) (addr string, err error)
	ReconnectConcurrency int
}

// withDefaults returns o with zero fields filled in, or an error for
// values that cannot work.
func (o Options) withDefaults() (Options, error) {
	def := func(p *int, v int) {
		if *p == 0 {
			*p = v
		}
	}
	def(&o.Clients, 10000)
	def(&o.RoomMembers, 1000)
	def(&o.Messages, 200)
	def(&o.Searches, 5)
	def(&o.Concurrency, 200)
	def(&o.ChatSenders, 20)
	if o.ChatInterval == 0 {
		o.ChatInterval = 20 * time.Millisecond
	}
	if o.Settle == 0 {
		o.Settle = 5 * time.Second
	}
	if o.Timeout == 0 {
		o.Timeout = 60 * time.Second
	}
	if o.Prefix == "" {
		o.Prefix = "bench"
	}
	if o.Password == "" {
		o.Password = "benchpass"
	}
	if o.Room == "" {
		o.Room = "bench"
	}
	switch {
	case o.Clients < 2:
		return o, fmt.Errorf("slskload: need at least 2 clients, got %d", o.Clients)
	case o.Clients > 99999:
		return o, fmt.Errorf("slskload: at most 99999 clients (five-digit names), got %d", o.Clients)
	case o.RoomMembers < 1 || o.Messages < 0 || o.Searches < 0 || o.Concurrency < 1 || o.ChatSenders < 1:
		return o, fmt.Errorf("slskload: room members, senders and concurrency must be positive, messages and searches not negative")
	case len(o.Prefix)+5 > 30:
		return o, fmt.Errorf("slskload: prefix %q too long for a 30-character name (spec §1.3)", o.Prefix)
	}
	if o.ReconnectConcurrency <= 0 || o.ReconnectConcurrency > o.Clients {
		o.ReconnectConcurrency = o.Clients
	}
	o.RoomMembers = min(o.RoomMembers, o.Clients)
	o.ChatSenders = min(o.ChatSenders, o.RoomMembers)
	return o, nil
}

// username returns the name of simulated user i (0-based): Prefix and a
// five-digit number starting at 1, e.g. "bench00001".
func (o *Options) username(i int) string { return fmt.Sprintf("%s%05d", o.Prefix, i+1) }
