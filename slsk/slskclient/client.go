package slskclient

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/revival-net/revival/internal/netlimit"
	"github.com/revival-net/revival/internal/wire"
	"github.com/revival-net/revival/slsk"
)

// Errors callers may test with errors.Is.
var (
	// ErrClosed is returned by calls on a closed Client.
	ErrClosed = errors.New("slskclient: client closed")
	// ErrNotConnected is returned by calls that need the server when the
	// client has no server connection.
	ErrNotConnected = errors.New("slskclient: not connected to a server")
	// ErrNotLoggedIn is returned by calls that need a completed Login.
	ErrNotLoggedIn = errors.New("slskclient: not logged in")
	// ErrTooManyConns is returned when a peer connection is not opened
	// because Options.MaxPeerConns sockets are open already. The client
	// keeps running; retry once connections have closed.
	ErrTooManyConns = errors.New("slskclient: too many peer connections")
)

// errClosed is the internal alias used by queues.
var errClosed = ErrClosed

// maxServerReply bounds one server-to-client frame. Server messages such
// as RoomList or JoinRoom on a busy server can be megabytes (Nicotine+
// accepts up to 448 MiB, spec §1.2); 32 MiB is plenty and still bounded.
const maxServerReply = 32 << 20

// maxConnsPerHost caps the peer sockets one remote host may hold open to
// us (inbound only; an IPv6 /64 counts as one host). One real client needs
// a P socket or two (the race of spec §3.2 may leave both), a D socket or
// two as our child, and an F socket per file it is sending us at once; the
// cap leaves room for that and a few users behind one NAT, but stops one
// host from taking every socket of Options.MaxPeerConns.
const maxConnsPerHost = 12

// outboundReserve is the share of Options.MaxPeerConns (one tenth) that
// inbound sockets may not use, so that a flood of inbound connections
// never stops us from connecting out (to answer searches, to download, to
// open the F connection of an upload).
func outboundReserve(max int) int { return max / 10 }

// connInfo is what trackConn remembers about a socket: inbound sockets
// count against their host's maxConnsPerHost and against the inbound
// share of Options.MaxPeerConns.
type connInfo struct {
	inbound bool
	host    netip.Addr
}

// Client is a Soulseek client: one server connection, one peer listener,
// and the peer connections it opens or accepts. Create it with Dial.
type Client struct {
	opts Options
	log  *slog.Logger

	conn       net.Conn // the server connection; nil in server-less tests
	sendq      *sendQueue
	serverDone chan struct{} // closed when the server connection ends
	serverOnce sync.Once

	ln      net.Listener
	closing chan struct{}   // closed by shutdown: stops every goroutine
	ctx     context.Context // cancelled by shutdown, for background work
	cancel  context.CancelFunc
	wg      sync.WaitGroup

	events *eventQueue
	token  atomic.Uint32
	share  atomic.Pointer[shareIndex]

	mu          sync.Mutex
	closed      bool
	err         error // why the client ended
	waiters     map[waitKey][]chan any
	reports     map[waitKey][]chan any
	conns       map[net.Conn]connInfo // open peer sockets, closed by Close
	inbound     int                   // how many of conns were accepted
	perHost     *netlimit.PerIP       // inbound sockets per remote host
	peerReaders map[string]int        // running P readers per user
	user        string
	loggedIn    bool
	excluded    []string // ExcludedSearchPhrases, lower-case (spec §2 code 160)
	peers       map[string]*peerConn
	pending     map[uint32]*pendingConn
	dialing     map[string]*dialCall
	searches    map[uint32]*Search
	downloads   map[*download]struct{}
	uploads     map[uint32]*upload
	up          uploadQueue // queued and running uploads (upload_queue.go)

	searchSem  chan struct{}                     // bounds concurrent search answers
	connectSem chan struct{}                     // bounds concurrent ConnectToPeerReply dials
	queued     atomic.Int32                      // uploads queued and not yet running
	addrHook   func(user string) (string, error) // tests: resolve peers without a server

	dist distNet // our place in the distributed search tree (distrib.go)

	peerIn peerInbound // unsolicited answers, inflation slots (peer_inbound.go)
}

// Dial connects to the Soulseek server at addr, indexes Options.ShareDir
// and starts the peer listener. Call Login next: Dial does not log in, so
// the caller picks the name and sees the login failure reason separately.
func Dial(ctx context.Context, addr string, opts Options) (*Client, error) {
	c, err := newClient(opts)
	if err != nil {
		return nil, err
	}
	d := net.Dialer{Timeout: c.opts.DialTimeout}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		c.Close()
		return nil, err
	}
	c.attachServer(conn)
	return c, nil
}

// newClient builds a Client with its share index and peer listener but no
// server connection.
func newClient(opts Options) (*Client, error) {
	opts.setDefaults()
	c := &Client{
		opts:        opts,
		log:         opts.Logger,
		serverDone:  make(chan struct{}),
		closing:     make(chan struct{}),
		events:      newEventQueue(opts.EventBuffer),
		waiters:     map[waitKey][]chan any{},
		conns:       map[net.Conn]connInfo{},
		perHost:     netlimit.NewPerIP(maxConnsPerHost),
		peerReaders: map[string]int{},
		peers:       map[string]*peerConn{},
		pending:     map[uint32]*pendingConn{},
		dialing:     map[string]*dialCall{},
		searches:    map[uint32]*Search{},
		downloads:   map[*download]struct{}{},
		uploads:     map[uint32]*upload{},
		up:          newUploadQueue(opts),
		searchSem:   make(chan struct{}, 16),
		connectSem:  make(chan struct{}, 32),
	}
	c.token.Store(uint32(time.Now().UnixNano()) & 0x7fffffff)
	c.share.Store(emptyShare())
	if opts.ShareDir != "" {
		idx, err := indexShare(opts.ShareDir, opts.ShareName, opts.MaxSharedFiles)
		if err != nil {
			return nil, fmt.Errorf("slskclient: indexing %s: %w", opts.ShareDir, err)
		}
		c.share.Store(idx)
	}
	ln, err := net.Listen("tcp", opts.ListenAddr)
	if err != nil {
		return nil, fmt.Errorf("slskclient: peer listener: %w", err)
	}
	c.ln = ln
	c.ctx, c.cancel = context.WithCancel(context.Background())
	c.spawn(c.acceptLoop)
	return c, nil
}

// attachServer starts the reader and writer of the server connection.
func (c *Client) attachServer(conn net.Conn) {
	c.conn = conn
	c.sendq = newSendQueue(c.opts.MaxSendQueue)
	c.spawn(c.readLoop)
	c.spawn(c.writeLoop)
}

// spawn runs f in a tracked goroutine unless the client is shutting down.
func (c *Client) spawn(f func()) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return false
	}
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		f()
	}()
	return true
}

// trackConn records a peer socket so Close can end it. It closes conn and
// fails when the client is shut down (with why it ended) or when
// Options.MaxPeerConns sockets are open (ErrTooManyConns). Inbound
// sockets (accepted on our listener) must also fit their host's
// maxConnsPerHost and leave outboundReserve sockets free. Tracking a
// tracked socket is a no-op.
func (c *Client) trackConn(conn net.Conn, inbound bool) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.conns[conn]; ok {
		return nil
	}
	if c.closed {
		conn.Close()
		if c.err == nil {
			return ErrClosed
		}
		return c.err
	}
	max := c.opts.MaxPeerConns
	if len(c.conns) >= max || (inbound && c.inbound >= max-outboundReserve(max)) {
		conn.Close()
		return ErrTooManyConns
	}
	var info connInfo
	if inbound {
		info = connInfo{inbound: true, host: remoteHost(conn)}
		if !c.perHost.Acquire(info.host) {
			conn.Close()
			return ErrTooManyConns
		}
		c.inbound++
	}
	c.conns[conn] = info
	return nil
}

// remoteHost is the remote IP of conn (the zero Addr, one shared bucket,
// for non-IP sockets).
func remoteHost(conn net.Conn) netip.Addr {
	if a, ok := conn.RemoteAddr().(*net.TCPAddr); ok {
		return a.AddrPort().Addr().Unmap()
	}
	return netip.Addr{}
}

// untrackConn closes a peer socket and forgets it.
func (c *Client) untrackConn(conn net.Conn) {
	conn.Close()
	c.mu.Lock()
	defer c.mu.Unlock()
	info, ok := c.conns[conn]
	if !ok {
		return
	}
	delete(c.conns, conn)
	if info.inbound {
		c.inbound--
		c.perHost.Release(info.host)
	}
}

// nextToken returns a fresh token for searches, transfers and folder
// requests, from one counter as clients do. Connection races draw random
// tokens instead (addPending): a race token must not be guessable.
func (c *Client) nextToken() uint32 { return c.token.Add(1) }

// Username returns the name given to Login ("" before).
func (c *Client) Username() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.user
}

// ListenAddr returns the address of the peer listener.
func (c *Client) ListenAddr() net.Addr { return c.ln.Addr() }

// listenPort is the port announced with SetWaitPort.
func (c *Client) listenPort() uint32 {
	if a, ok := c.ln.Addr().(*net.TCPAddr); ok {
		return uint32(a.Port)
	}
	return 0
}

// Events returns the channel of unsolicited events. It is bounded: when
// full, the oldest event other than a PrivateMessage is dropped (see
// DroppedEvents). It is closed
// after the Disconnected event.
func (c *Client) Events() <-chan Event { return c.events.ch }

// DroppedEvents returns how many events were dropped because the Events
// channel was full.
func (c *Client) DroppedEvents() uint64 { return c.events.dropped.Load() }

// Done is closed when the client has shut down: after Close, or when the
// server connection ended (the client then shuts down by itself).
func (c *Client) Done() <-chan struct{} { return c.closing }

// Err returns why the client ended: nil while running and after Close,
// the server connection's error (io.EOF when the server hung up) otherwise.
func (c *Client) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err == ErrClosed {
		return nil
	}
	return c.err
}

// Close logs out: it lets the writer send what is already queued (for at
// most Options.WriteTimeout, so a Say or SendPrivateMessage just before
// Close is not lost), closes every connection and waits for the client's
// goroutines to end. It is safe to call more than once.
func (c *Client) Close() error {
	if c.sendq != nil {
		if ch := c.sendq.drained(); ch != nil {
			t := time.NewTimer(c.opts.WriteTimeout)
			select {
			case <-ch:
			case <-c.closing:
			case <-t.C:
			}
			t.Stop()
		}
	}
	c.shutdown(ErrClosed)
	c.wg.Wait()
	return nil
}

// shutdown ends everything once: server connection, listener, peer
// sockets, waiters. err is recorded as the reason.
func (c *Client) shutdown(err error) {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return
	}
	c.closed = true
	c.err = err
	conns := c.conns
	c.conns = map[net.Conn]connInfo{}
	c.inbound = 0
	c.mu.Unlock()

	close(c.closing)
	c.cancel()
	c.endServer()
	c.ln.Close()
	for conn := range conns {
		conn.Close()
	}
	var evErr error
	if err != ErrClosed {
		evErr = err
	}
	c.events.close(Disconnected{Err: evErr})
}

// endServer closes the server connection and wakes every waiter.
func (c *Client) endServer() {
	c.serverOnce.Do(func() {
		close(c.serverDone)
		if c.conn != nil {
			c.conn.Close()
			c.sendq.close()
		}
	})
}

// send queues a message for the server. It never blocks.
func (c *Client) send(m slsk.ServerMessage) error {
	if c.conn == nil {
		return ErrNotConnected
	}
	select {
	case <-c.serverDone:
		return c.failure()
	default:
	}
	err := c.queueFrame(m)
	if errors.Is(err, errSendQueueFull) {
		c.shutdown(err)
	}
	return err
}

// queueFrame queues m for the server and takes no lock but the send
// queue's, so it may run under the event queue's lock (pushThen). Unlike
// send it leaves a full queue (errSendQueueFull) to the caller, which
// must shut the client down outside that lock.
func (c *Client) queueFrame(m slsk.ServerMessage) error {
	if c.conn == nil {
		return ErrNotConnected
	}
	return c.sendq.put(slsk.AppendServerFrame(nil, m))
}

// writeLoop drains the send queue into the server connection.
func (c *Client) writeLoop() {
	for {
		select {
		case <-c.sendq.wake:
		case <-c.serverDone:
			return
		}
		buf := c.sendq.take()
		if buf == nil {
			continue
		}
		c.conn.SetWriteDeadline(time.Now().Add(c.opts.WriteTimeout))
		if _, err := c.conn.Write(buf); err != nil {
			c.shutdown(fmt.Errorf("slskclient: writing to server: %w", err))
			return
		}
		c.sendq.written()
	}
}

// readLoop is the one goroutine that reads the server connection. Messages
// it cannot decode are logged and skipped, as Nicotine+ drops them; a
// broken frame or EOF ends the client.
func (c *Client) readLoop() {
	fr := wire.NewFrameReader(c.conn, maxServerReply)
	for {
		body, err := fr.Next()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				err = ErrClosed
			} else if err == io.EOF {
				err = fmt.Errorf("slskclient: server closed the connection: %w", io.EOF)
			}
			c.shutdown(err)
			return
		}
		m, err := slsk.DecodeServerReply(body)
		if err != nil {
			c.log.Debug("slsk: skipping server message", "err", err)
			continue
		}
		c.handleServer(m)
	}
}
