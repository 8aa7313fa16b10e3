package netconn

import "time"

// Limits bounds what connections may cost. Zero fields take defaults
// (SetDefaults); for the caps, a negative value means unlimited.
type Limits struct {
	// MaxConns caps open connections, logged in or not. The default is the
	// process's descriptor limit (RLIMIT_NOFILE, read after Go raised the
	// soft limit to the hard one) minus Reserve, so a flood of sockets
	// cannot take the descriptors the store, the admin listener and
	// /metrics need.
	MaxConns int
	// Reserve is how many descriptors the default MaxConns leaves to the
	// rest of the process (default 128).
	Reserve int
	// MaxPreLogin caps connections that have not logged in yet (Conn.LoggedIn),
	// across all hosts: stalled sockets from many addresses cannot take
	// more than half of MaxConns, so logged-in users always keep the other
	// half (default MaxConns/2, at least 16; 4096 when MaxConns is
	// unlimited). Not smaller: after a restart every client reconnects at
	// once and waits, not yet logged in, for its password check.
	MaxPreLogin int
	// MaxConnsPerIP caps simultaneous connections per host, IPv6 per /64
	// (default 32).
	MaxConnsPerIP int

	// MaxQueueBytes is the backlog of unsent bytes after which a client
	// that does not read is a slow consumer and is disconnected (default
	// 2 MiB). One frame counts for at most half of it, so a single large
	// reply on a quiet queue never disconnects anyone (see Conn.Send).
	MaxQueueBytes int
	// MaxSendFrame is the largest frame Send queues at all (default
	// 16 MiB); larger ones are refused with ErrFrameTooLarge and the
	// client stays connected.
	MaxSendFrame int
	// OptionalHighWater is the backlog above which SendOptional drops
	// messages instead of queueing them (default MaxQueueBytes/4).
	OptionalHighWater int
	// WriteTimeout bounds one vectored write to the socket (default 30 s).
	WriteTimeout time.Duration
	// FrameTimeout bounds the time from a frame's first byte to its last
	// (Conn.FrameStarted), even when idle connections are never timed out:
	// a half-sent frame must not hold its buffer forever (default 30 s).
	FrameTimeout time.Duration
	// KeepAlive is the TCP keepalive period (default 60 s; < 0 off). Idle
	// Soulseek clients send nothing, so keepalive is how dead peers are found.
	KeepAlive time.Duration
}

// defaultReserve is the descriptors kept out of the default MaxConns: the
// SQLite files and pool (or PostgreSQL connections), the admin listener and
// its clients, and outgoing work.
const defaultReserve = 128

// SetDefaults fills zero fields.
func (l *Limits) SetDefaults() {
	def := func(p *int, v int) {
		if *p == 0 {
			*p = v
		}
	}
	def(&l.Reserve, defaultReserve)
	if l.MaxConns == 0 {
		l.MaxConns = DefaultMaxConns(DescriptorLimit(), l.Reserve)
	}
	if l.MaxPreLogin == 0 {
		l.MaxPreLogin = 4096
		if l.MaxConns > 0 {
			l.MaxPreLogin = max(16, l.MaxConns/2)
		}
	}
	def(&l.MaxConnsPerIP, 32)
	def(&l.MaxQueueBytes, 2<<20)
	def(&l.MaxSendFrame, 16<<20)
	def(&l.OptionalHighWater, l.MaxQueueBytes/4)
	if l.WriteTimeout == 0 {
		l.WriteTimeout = 30 * time.Second
	}
	if l.FrameTimeout == 0 {
		l.FrameTimeout = 30 * time.Second
	}
	if l.KeepAlive == 0 {
		l.KeepAlive = 60 * time.Second
	}
}

// DefaultMaxConns is the connection cap for a descriptor limit: the limit
// minus reserve, and never less than a quarter of the limit, so a small
// limit still serves someone. An unknown limit (0) gives -1, unlimited.
func DefaultMaxConns(limit, reserve int) int {
	if limit <= 0 {
		return -1
	}
	return max(limit-reserve, limit/4, 1)
}
