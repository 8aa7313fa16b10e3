package slskload

// Result is everything one run measured. Durations are in milliseconds or
// seconds as the field names say, so the JSON form needs no conversion.
// Failures lists every correctness problem (a missed delivery, a refused
// login, a dropped connection); a run with any failure did not pass,
// whatever its timings.
type Result struct {
	Clients        int          `json:"clients"`
	Register       LoginPhase   `json:"register"`
	Login          LoginPhase   `json:"returning_login"`
	Memory         *Memory      `json:"memory,omitempty"`
	Restart        *Restart     `json:"restart,omitempty"` // a restart-storm run (Options.Restart)
	Room           RoomPhase    `json:"room"`
	Search         SearchPhase  `json:"search"`
	Disconnects    int          `json:"disconnects"` // sessions the server closed during the run
	Relogged       int          `json:"relogged"`    // sessions that got Relogged (spec §1.3)
	Strays         int          `json:"strays"`      // room lines or searches nobody should have got
	ElapsedSeconds float64      `json:"elapsed_s"`
	Failures       []string     `json:"failures"`
	Warnings       []string     `json:"warnings,omitempty"`
	Options        ResultParams `json:"params"`
}

// ResultParams records the parameters a run used, after defaults.
type ResultParams struct {
	Clients        int     `json:"clients"`
	RoomMembers    int     `json:"room_members"`
	Messages       int     `json:"messages"`
	Searches       int     `json:"searches"`
	Concurrency    int     `json:"concurrency"`
	ChatSenders    int     `json:"chat_senders"`
	ChatIntervalMs float64 `json:"chat_interval_ms"`
	SettleSeconds  float64 `json:"settle_s"`
	TimeoutSeconds float64 `json:"timeout_s"`
}

// OK reports whether the run had no correctness failure.
func (r *Result) OK() bool { return len(r.Failures) == 0 }

// LoginPhase is one pass of logins over all users. The first pass
// registers them (the first login creates the account, spec §1.3) and is
// reported for information; the second is the returning-user figure.
type LoginPhase struct {
	Attempted int         `json:"attempted"`
	OK        int         `json:"ok"`
	Failed    int         `json:"failed"`
	Seconds   float64     `json:"seconds"`
	PerSecond float64     `json:"per_second"`
	Latency   Percentiles `json:"latency"` // dial to LoginReply, per login
	CPU       *PhaseCPU   `json:"cpu,omitempty"`
	Errors    []string    `json:"errors,omitempty"`
}

// PhaseCPU is the CPU time spent during one phase, in seconds: by the
// server and by the simulated clients (their processes' user + system
// time), and by the whole machine (all processors' non-idle time, softirq
// included; SoftIRQ is that part, on loopback mostly the run's own TCP
// traffic). Other is Machine − Server − Clients, the share of the other
// processes; it is approximate because the kernel may charge softirq work
// to whichever process it interrupted, and all figures come in 10 ms
// ticks. When Machine nears Wall × Cores, the phase was limited by the
// machine, not by the server alone.
type PhaseCPU struct {
	Wall    float64 `json:"wall_s"`
	Cores   int     `json:"cores"`
	Server  float64 `json:"server_s"`
	Clients float64 `json:"clients_s"`
	Machine float64 `json:"machine_s"`
	SoftIRQ float64 `json:"softirq_s"`
	Other   float64 `json:"other_s"`
}

// Memory is the server's resident memory at four points of the run.
// PerIdleClientBytes is (Idle − Start) / IdleClients: it charges every byte
// the server grew by, including its store cache and garbage not yet
// returned to the OS, to the idle sessions, so it is an upper bound.
// PerIdleClientAfterRegisterBytes starts from after registration instead,
// leaving out the store's growth; it can undercount when memory freed by
// the registration sessions is reused by the idle ones.
type Memory struct {
	StartBytes         int64 `json:"start_bytes"`          // before the first login
	AfterRegisterBytes int64 `json:"after_register_bytes"` // users registered, none connected
	IdleBytes          int64 `json:"idle_bytes"`           // IdleClients connected and idle
	EndBytes           int64 `json:"end_bytes"`            // after the room and search phases
	IdleClients        int   `json:"idle_clients"`
	PerIdleClientBytes int64 `json:"per_idle_client_bytes"`

	PerIdleClientAfterRegisterBytes int64 `json:"per_idle_client_after_register_bytes"`
}

// RoomPhase is the chat fan-out measurement: Members join one room and
// Senders take turns sending Messages lines; every member, the sender
// included (spec §2 code 13), must receive every line.
type RoomPhase struct {
	Members        int         `json:"members"`
	Joined         int         `json:"joined"`
	JoinSeconds    float64     `json:"join_seconds"`
	SendersReadyMs float64     `json:"senders_ready_ms"` // CheckPrivileges round trip to the senders after joining
	Messages       int         `json:"messages"`
	Senders        int         `json:"senders"`
	IntervalMs     float64     `json:"interval_ms"`
	Expected       int         `json:"expected"`
	Delivered      int         `json:"delivered"`
	Missing        int         `json:"missing"`
	Duplicates     int         `json:"duplicates"`
	MembersMissing int         `json:"members_missing"` // members that missed at least one line
	Latency        Percentiles `json:"latency"`
	JoinCPU        *PhaseCPU   `json:"join_cpu,omitempty"`
	ChatCPU        *PhaseCPU   `json:"chat_cpu,omitempty"`
}

// SearchPhase is the search fan-out measurement: each search comes from a
// different user and must reach every other online user.
type SearchPhase struct {
	Searches     int         `json:"searches"`
	Recipients   int         `json:"recipients"` // per search
	Expected     int         `json:"expected"`
	Delivered    int         `json:"delivered"`
	Missing      int         `json:"missing"`
	Duplicates   int         `json:"duplicates"`
	PerSearch    []SearchOne `json:"per_search"`
	Latency      Percentiles `json:"latency"`        // over all deliveries of all searches
	AllReachedMs float64     `json:"all_reached_ms"` // worst time for a search to reach its last recipient
	CPU          *PhaseCPU   `json:"cpu,omitempty"`  // over all searches, from each send to its last delivery
}

// SearchOne is one search: how many users it reached and how long the
// last of them waited.
type SearchOne struct {
	Token      uint32  `json:"token"`
	Searcher   string  `json:"searcher"`
	Recipients int     `json:"recipients"`
	Reached    int     `json:"reached"`
	LastMs     float64 `json:"last_ms"`
	P50Ms      float64 `json:"p50_ms"`
	P99Ms      float64 `json:"p99_ms"`
}
