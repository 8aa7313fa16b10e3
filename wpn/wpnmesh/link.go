package wpnmesh

import (
	"errors"
	"io"
	"net"
	"net/netip"
	"sync"
	"time"

	"github.com/revival-net/revival/internal/netconn"
	"github.com/revival-net/revival/internal/netlimit"
	"github.com/revival-net/revival/wpn"
	"github.com/revival-net/revival/wpn/wpnconn"
)

// link is one primary link: incoming (a netconn connection of the
// primary's listener, bounded by netconn's queue) or outgoing (a session
// we dialled, with its own bounded queue and writer goroutine). Sends
// never block.
type link struct {
	m        *Mesh
	id       uint64
	outgoing bool
	remote   netip.Addr
	local    netip.AddrPort

	nc   *netconn.Conn    // incoming
	sess *wpnconn.Session // outgoing
	wake chan struct{}    // outgoing: the writer has work
	done chan struct{}    // closed by close
	once sync.Once

	mu     sync.Mutex
	peer   wpn.Handle // set by the neighbour's own announcement: a Revival primary
	peered bool
	queue  [][]byte // outgoing only
	queued int

	// reader goroutine only
	searches, requests netlimit.Bucket
	malformed          int
}

func newIncomingLink(m *Mesh, c *netconn.Conn) *link {
	return &link{m: m, id: m.linkIDs.Add(1), remote: c.Remote(), local: c.Local(), nc: c, done: make(chan struct{})}
}

func newOutgoingLink(m *Mesh, s *wpnconn.Session) *link {
	l := &link{m: m, id: m.linkIDs.Add(1), outgoing: true, sess: s, wake: make(chan struct{}, 1), done: make(chan struct{})}
	if a, ok := s.Conn.RemoteAddr().(*net.TCPAddr); ok {
		l.remote = a.AddrPort().Addr().Unmap()
	}
	if a, ok := s.Conn.LocalAddr().(*net.TCPAddr); ok {
		ap := a.AddrPort()
		l.local = netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
	}
	return l
}

func (l *link) isPeer() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.peered
}

func (l *link) peerHandle() (wpn.Handle, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.peer, l.peered
}

// setPeer marks l as a link to the Revival primary h; a link that later
// claims to be another primary is refused.
func (l *link) setPeer(h wpn.Handle) (first, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.peered {
		return false, l.peer == h
	}
	l.peer, l.peered = h, true
	return true, true
}

// send queues a frame. optional frames (floods, hits) are the first to
// be dropped when the peer falls behind; on an incoming link a peer that
// does not read even required frames is disconnected by netconn as a
// slow consumer. It reports whether the frame was queued.
func (l *link) send(frame []byte, optional bool) bool {
	if l.nc != nil {
		var err error
		if optional {
			err = l.nc.SendOptional(frame)
		} else {
			err = l.nc.Send(frame)
		}
		if err != nil {
			l.m.metrics.drops.WithLabelValues("queue").Inc()
		}
		return err == nil
	}
	l.mu.Lock()
	select {
	case <-l.done:
		l.mu.Unlock()
		return false
	default:
	}
	limit := l.m.lim.QueueBytes
	if optional {
		limit /= 2
	}
	if l.queued+len(frame) > limit {
		l.mu.Unlock()
		l.m.metrics.drops.WithLabelValues("queue").Inc()
		return false
	}
	l.queue = append(l.queue, frame)
	l.queued += len(frame)
	l.mu.Unlock()
	select {
	case l.wake <- struct{}{}:
	default:
	}
	return true
}

// writeLoop drains an outgoing link's queue, one write per batch.
func (l *link) writeLoop() {
	var buf []byte
	for {
		select {
		case <-l.done:
			return
		case <-l.wake:
		}
		l.mu.Lock()
		batch := l.queue
		l.queue, l.queued = nil, 0
		l.mu.Unlock()
		buf = buf[:0]
		for _, f := range batch {
			buf = append(buf, f...)
		}
		if len(buf) == 0 {
			continue
		}
		if _, err := l.sess.Write(buf); err != nil {
			l.close("write: " + err.Error())
			return
		}
		if cap(buf) > 1<<20 {
			buf = nil
		}
	}
}

func (l *link) close(reason string) {
	l.once.Do(func() {
		l.mu.Lock()
		close(l.done)
		l.queue, l.queued = nil, 0
		l.mu.Unlock()
		if l.nc != nil {
			l.nc.Close(reason)
		} else {
			_ = l.sess.Close()
		}
	})
}

// idle is how long a link may stay silent: peers announce every
// AnnounceEvery, so three rounds missed means the peer is gone. Room
// listers never send anything; they are only bounded by TCP keepalive.
func (l *link) idle() time.Duration {
	if l.outgoing || l.isPeer() {
		return 3 * l.m.lim.AnnounceEvery
	}
	return 0
}

// maxMalformed is how many undecodable frames a peer may send before its
// link is dropped (one for a link that never announced itself).
const maxMalformed = 10

// run reads frames until the link fails, then cleans up after it.
func (l *link) run(r io.Reader) {
	m := l.m
	fr := &frameReader{r: r}
	if l.nc != nil {
		fr.onStart = l.nc.FrameStarted
	}
	m.metrics.links.Inc()
	defer m.metrics.links.Dec()
	defer m.linkDown(l)
	defer l.close("link ended")
	m.sendHello(l)
	for {
		idle := l.idle()
		if l.nc != nil {
			l.nc.AwaitFrame(idle)
		} else if idle > 0 {
			_ = l.sess.Conn.SetReadDeadline(time.Now().Add(idle))
		}
		h, body, err := fr.next()
		if err != nil {
			if !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) {
				m.log.Debug("mesh link ended", "link", l.id, "remote", l.remote, "err", err)
			}
			return
		}
		if !m.handleFrame(l, h, body) {
			return
		}
	}
}
