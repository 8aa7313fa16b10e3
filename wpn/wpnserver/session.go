package wpnserver

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/revival-net/revival/internal/hub"
	"github.com/revival-net/revival/internal/netconn"
	"github.com/revival-net/revival/internal/netlimit"
	"github.com/revival-net/revival/internal/store"
	"github.com/revival-net/revival/wpn"
	"github.com/revival-net/revival/wpn/wpnconn"
	"github.com/revival-net/revival/wpn/wpnserver/shareindex"
)

// session is one logged-in secondary. Fields set at login are read-only
// afterwards except under mu; the reader goroutine owns the buckets.
type session struct {
	srv    *Server
	c      *netconn.Conn
	local  netip.AddrPort // the address it connected to (our handle's IP when none is configured)
	handle wpn.Handle     // this primary's handle as this secondary knows it
	since  time.Time

	mu     sync.Mutex
	id     uint16
	base   string
	name   string // base + "_%05d"
	line   uint16
	port   uint16 // its transfer port; 0: passive (firewalled)
	status string

	// pms maps the ids of PMs delivered to this secondary to their
	// senders, until its 0x144F receipt comes back.
	pms    map[string]pmOrigin
	pmSeq  uint64
	stopFn map[uint32]func() // remote searches by search id

	searches, messages, requests netlimit.Bucket

	pendingGets int // downloads waiting for this uploader's 0x1F68 (Server.brokerMu)
}

func (s *session) setName(id uint16, base string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.id, s.base, s.name = id, base, wpn.FullName(base, id)
}

func (s *session) fullName() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.name
}

func (s *session) origin() Origin {
	s.mu.Lock()
	defer s.mu.Unlock()
	return Origin{Handle: s.handle, Name: s.name, Addr: s.c.Remote(), Port: s.port}
}

// owner is the session's key in the share index: its client id, unique
// among current secondaries, released only after its files are gone.
func (s *session) owner() shareindex.Owner { return shareindex.Owner(s.id) }

// Network, Username and Kick make a session a hub.Session, so that
// `revival user ban` and the admin tools reach WinMX users.
func (s *session) Network() string  { return hub.NetworkWPN }
func (s *session) Username() string { return s.baseName() }
func (s *session) Kick(reason string) {
	s.c.CloseAfterFlush(reason)
}

func (s *session) baseName() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.base
}

func (s *session) send(p wpn.Packet) { _ = s.c.Send(wpn.AppendPacket(nil, p)) }

// Name rules: WinMX names are at most 48 bytes with the "_NNNNN" suffix
// (nuggit's check, wpn.md §1.4), so a base name has at most 42.
const maxBaseName = 48 - 6

var errBadName = errors.New("bad user name")

// checkBaseName refuses names a client could not display or that would
// break handles and logs: empty, too long, or with control bytes other
// than WinMX's colour code 0x03.
func checkBaseName(name string) error {
	if name == "" || len(wpn.AppendText(nil, name)) > maxBaseName {
		return errBadName
	}
	for _, r := range name {
		if r < 0x20 && r != 0x03 || r == 0x7F {
			return errBadName
		}
	}
	return nil
}

// serveSecondary runs one secondary from its key block to the end.
func (s *Server) serveSecondary(c *netconn.Conn, in wpnconn.Opening) {
	fr, err := wpnconn.Respond(c, in, s.lim.MaxPayload)
	if err != nil {
		return
	}
	_ = c.SetReadDeadline(s.now().Add(s.lim.LoginTimeout))
	typ, payload, err := fr.Next()
	if err != nil {
		return
	}
	if wpn.Type(typ) != wpn.TypeLogin {
		// Every known client logs in first (wpn.md §3.2 step 6).
		s.metrics.refused.WithLabelValues("no_login").Inc()
		return
	}
	p, err := wpn.DecodePacket(typ, payload)
	if err != nil {
		s.metrics.refused.WithLabelValues("malformed").Inc()
		return
	}
	login := p.(*wpn.Login)
	if err := checkBaseName(login.BaseName); err != nil {
		s.metrics.refused.WithLabelValues("bad_name").Inc()
		return
	}
	if reason := s.banned(login.BaseName, c.Remote()); reason != "" {
		s.metrics.refused.WithLabelValues("banned").Inc()
		s.log.Info("banned secondary refused", "name", logName(login.BaseName), "remote", c.Remote())
		return
	}
	local := c.Local()
	ss := &session{
		srv: s, c: c, local: local, since: s.now(),
		handle: wpn.Handle{IP: s.selfIP(local), UDPPort: s.opts.UDPPort},
		line:   login.LineType, port: login.TransferPort,
		pms: map[string]pmOrigin{}, stopFn: map[uint32]func(){},
	}
	if err := s.dir.add(ss, login.BaseName); err != nil {
		// Full: the key exchange is done, closing now sends the client
		// on to its next primary (wpn.md §3.13).
		s.metrics.refused.WithLabelValues("full").Inc()
		return
	}
	defer s.logout(ss)
	c.LoggedIn()
	s.opts.Hub.Presence.Add(ss)
	// 0x0460 must be the first frame (clients fail the login otherwise).
	ss.send(&wpn.LoginAck{ClientID: ss.id})
	_ = c.Send(s.nodeList(local))
	s.metrics.logins.Inc()
	s.log.Debug("secondary logged in", "name", logName(ss.fullName()), "remote", c.Remote())

	_ = c.SetReadDeadline(time.Time{})
	malformed := 0
	for {
		c.AwaitFrame(s.lim.IdleTimeout)
		typ, payload, err := fr.Next()
		if errors.Is(err, wpn.ErrFrameTooLarge) {
			s.metrics.oversized.Inc()
			continue
		}
		if err != nil {
			return
		}
		p, err := wpn.DecodePacket(typ, payload)
		if err != nil {
			s.metrics.malformed.Inc()
			if malformed++; malformed > 10 {
				c.CloseAfterFlush("too many malformed packets")
				return
			}
			continue
		}
		s.dispatch(ss, p)
	}
}

// logout undoes a login: the session leaves the directory only after its
// files left the index, so its client id (the index owner) is free again
// only when nothing refers to it.
func (s *Server) logout(ss *session) {
	s.opts.Hub.Presence.Remove(ss)
	s.index.RemoveOwner(ss.owner())
	ss.mu.Lock()
	stops := ss.stopFn
	ss.stopFn = nil
	ss.mu.Unlock()
	for _, stop := range stops {
		stop()
	}
	s.dropGets(ss)
	failPMs(ss)
	s.dir.remove(ss)
}

// banned reports why a name may not use the WPN: WinMX secondaries log
// in with a name and no password (docs/wpn.md "Accounts"), so a banned
// Revival account bans that base name here too (`revival user ban NAME`).
// A name without an account is not banned; a store that does not answer
// lets the secondary in (WinMX users cannot do anything about it).
func (s *Server) banned(base string, _ netip.Addr) string {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	u, err := s.opts.Hub.Store.Users().Get(ctx, base)
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			s.log.Warn("ban check failed", "name", logName(base), "err", err)
		}
		return ""
	}
	if u.Banned(s.now()) {
		return "banned"
	}
	return ""
}

// dispatch handles one packet of a logged-in secondary.
func (s *Server) dispatch(ss *session, p wpn.Packet) {
	s.metrics.packets.WithLabelValues(fmt.Sprintf("0x%04X", uint16(p.PacketType()))).Inc()
	switch p := p.(type) {
	case *wpn.Login:
		s.handleRename(ss, p)
	case *wpn.Status:
		ss.mu.Lock()
		ss.status = clip(p.Status, 128)
		ss.mu.Unlock()
	case *wpn.NameNotice:
		// The client confirms its full name; nothing to do, the name
		// is ours to give (0x0460).
	case *wpn.ShareFile, *wpn.ShareFolder, *wpn.UnshareFile, *wpn.UnshareFolder:
		s.handleShare(ss, p)
	case *wpn.Search:
		s.handleSearch(ss, p)
	case *wpn.HashSearch:
		s.handleHashSearch(ss, p)
	case *wpn.StopSearch:
		s.handleStopSearch(ss, p)
	case *wpn.Whois:
		s.handleWhois(ss, p)
	case *wpn.PrivateMessage:
		s.handlePM(ss, p)
	case *wpn.PMReceipt:
		s.handlePMReceipt(ss, p)
	case *wpn.Browse:
		s.handleBrowse(ss, p)
	case *wpn.BrowseEnd:
		// Sent before and after every browse; our answers are already
		// complete when it comes.
	case *wpn.RoomListRequest:
		s.handleRoomList(ss)
	case *wpn.DownloadRequest:
		s.handleDownload(ss, p)
	case *wpn.UploadReady:
		s.handleUploadReady(ss, p)
	default:
		// Unknown types (0x038E, 0x1F54, …) and packets that only go the
		// other way are ignored, as WinMX does (wpn.md §3.3).
		s.metrics.ignored.Inc()
	}
}

// handleRename: 0x03E9 after login changes the base name and line type
// and is answered with 0x0460 carrying the same id (wpn.md §3.2 Rename).
func (s *Server) handleRename(ss *session, p *wpn.Login) {
	if checkBaseName(p.BaseName) != nil || s.banned(p.BaseName, ss.c.Remote()) != "" {
		ss.c.CloseAfterFlush("bad or banned name")
		return
	}
	s.opts.Hub.Presence.Remove(ss)
	s.dir.rename(ss, p.BaseName)
	ss.mu.Lock()
	ss.line, ss.port = p.LineType, p.TransferPort
	ss.mu.Unlock()
	s.opts.Hub.Presence.Add(ss)
	ss.send(&wpn.LoginAck{ClientID: ss.id})
}

// clip cuts s to at most n bytes on a rune boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n]
	for len(s) > 0 && !utf8ValidTail(s) {
		s = s[:len(s)-1]
	}
	return s
}

func utf8ValidTail(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }

// logName keeps peer-chosen names short in logs (issue 5, finding 4).
func logName(s string) string { return clip(s, 64) }
