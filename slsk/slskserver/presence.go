package slskserver

import (
	"context"
	"errors"
	"time"

	"github.com/revival-net/revival/internal/store"
	"github.com/revival-net/revival/slsk"
)

func init() {
	on(handleSetWaitPort)
	on(handleWatchUser)
	on(handleUnwatchUser)
	on(handleGetUserStatus)
	on(handleSetStatus)
	on(handleSharedFoldersFiles)
	on(handleGetUserStats)
	on(handleSendUploadSpeed)
	on(handleUserPrivileged)
	on(handleServerPing)
}

// handleSetWaitPort stores the port peers reach the user on, and the
// optional obfuscation fields (spec §2 code 2), which GetPeerAddress and
// ConnectToPeer pass on to other users (spec §3.5). Values no peer could
// use are never stored, so they are never relayed (issue 5, finding 11);
// see waitPort.
func handleSetWaitPort(s *Server, u *session, m *slsk.SetWaitPort) error {
	port, obfType, obfPort, ok := waitPort(m)
	if !ok {
		s.log.Debug("ignoring SetWaitPort with an impossible port", "user", u.name, "port", m.Port)
		return nil
	}
	s.mu.Lock()
	u.port, u.obfType, u.obfPort = port, obfType, obfPort
	s.mu.Unlock()
	return nil
}

// Obfuscation types of SetWaitPort (spec §2 code 2, §3.5): none, and the
// rotated-key scheme, the only one clients implement.
const (
	obfuscationNone    = 0
	obfuscationRotated = 1
)

// waitPort checks a SetWaitPort. A port is a TCP port, 1..65535, or 0 for
// "not listening" (what GetPeerAddress reports for users without one,
// spec §2 code 3).
//   - A listening port above 65535 cannot be reached: the message is
//     ignored (ok is false) and the ports stored before stay. Clamping
//     would relay a port the client does not listen on.
//   - An obfuscation type other than none and rotated (spec §3.5), or the
//     rotated type without a valid obfuscated port, turns obfuscation off
//     (type 0, port 0) and keeps the plain port: peers still reach the
//     client there, while an unknown scheme would only make their
//     connections fail.
//   - Without obfuscation the obfuscated port means nothing and is 0.
func waitPort(m *slsk.SetWaitPort) (port, obfType, obfPort uint32, ok bool) {
	const maxPort = 65535
	if m.Port > maxPort {
		return 0, 0, 0, false
	}
	if m.ObfuscationType != obfuscationRotated || m.ObfuscatedPort == 0 || m.ObfuscatedPort > maxPort {
		return m.Port, obfuscationNone, 0, true
	}
	return m.Port, obfuscationRotated, m.ObfuscatedPort, true
}

// addWatchLocked makes u watch name. A session that is logging out (its
// reader may still be finishing a message) adds nothing: logout has
// already cleaned its watches.
func (s *Server) addWatchLocked(u *session, name string) {
	if u.loggedOut {
		return
	}
	u.watching[name] = struct{}{}
	w := s.watchers[name]
	if w == nil {
		w = map[*session]struct{}{}
		s.watchers[name] = w
	}
	w[u] = struct{}{}
}

func (s *Server) removeWatchLocked(u *session, name string) {
	delete(u.watching, name)
	if w := s.watchers[name]; w != nil {
		delete(w, u)
		if len(w) == 0 {
			delete(s.watchers, name)
		}
	}
}

// userInfo is what the server knows of a name, online or not.
type userInfo struct {
	exists     bool
	status     slsk.UserStatus
	stats      slsk.UserStats
	privileged bool
}

// lookup describes name: from its session when online, else from the store
// (spec §2.1: offline registered users have status 0 and their stored stats).
func (s *Server) lookup(name string) userInfo {
	s.mu.Lock()
	if o := s.users[name]; o != nil {
		info := userInfo{exists: true, status: o.status, stats: o.stats, privileged: s.privilegedAt(name, s.opts.Now())}
		s.mu.Unlock()
		return info
	}
	priv := s.privilegedAt(name, s.opts.Now())
	s.mu.Unlock()
	if name == serverUser {
		return userInfo{exists: true} // Soulfind answers exists for `server`
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := s.opts.Hub.Store.Users().Get(ctx, name); err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			s.log.Error("user lookup failed", "user", name, "err", err)
		}
		return userInfo{}
	}
	return userInfo{exists: true, stats: s.storedStats(ctx, name), privileged: priv}
}

// handleWatchUser adds name to the watch list and answers with status and
// stats (spec §2 code 5). Later status changes arrive as code 7.
func handleWatchUser(s *Server, u *session, m *slsk.WatchUser) error {
	if ok, err := s.lookupCheck(u); !ok {
		return err
	}
	info := s.lookup(m.Username)
	s.mu.Lock()
	if info.exists && (len(u.watching) < s.opts.Limits.MaxWatches || m.Username == u.name) {
		s.addWatchLocked(u, m.Username)
	}
	s.mu.Unlock()
	u.send(&slsk.WatchUserReply{Username: m.Username, Exists: info.exists, Status: info.status, Stats: info.stats})
	return nil
}

// handleUnwatchUser removes name from the watch list; a user always
// watches itself (spec §2 code 6).
func handleUnwatchUser(s *Server, u *session, m *slsk.UnwatchUser) error {
	if m.Username == u.name {
		return nil
	}
	s.mu.Lock()
	s.removeWatchLocked(u, m.Username)
	s.mu.Unlock()
	return nil
}

func handleGetUserStatus(s *Server, u *session, m *slsk.GetUserStatus) error {
	if ok, err := s.lookupCheck(u); !ok {
		return err
	}
	info := s.lookup(m.Username)
	u.send(&slsk.GetUserStatusReply{Username: m.Username, Status: info.status, Privileged: info.privileged})
	return nil
}

// handleSetStatus changes away/online. Other values and unchanged statuses
// are ignored; watchers and room co-members are told, the user only when
// going away (spec §2 code 28).
func handleSetStatus(s *Server, u *session, m *slsk.SetStatus) error {
	if m.Status != slsk.StatusAway && m.Status != slsk.StatusOnline {
		return nil
	}
	if ok, err := s.fanoutCheck(u); !ok {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if u.status == m.Status {
		return nil
	}
	u.status = m.Status
	s.broadcastStatusLocked(u)
	if m.Status == slsk.StatusAway {
		u.send(&slsk.GetUserStatusReply{Username: u.name, Status: u.status, Privileged: s.privilegedAt(u.name, s.opts.Now())})
	}
	return nil
}

// broadcastStatusLocked sends u's status (code 7) to its watchers and room
// co-members, but not to u (spec §1.5, §2.1).
func (s *Server) broadcastStatusLocked(u *session) {
	m := &slsk.GetUserStatusReply{Username: u.name, Status: u.status, Privileged: s.privilegedAt(u.name, s.opts.Now())}
	s.sendFrameTo(s.audienceLocked(u), slsk.AppendServerFrame(nil, m), m.ServerCode())
}

// broadcastStatsLocked sends u's stats (code 36) to its watchers and room
// co-members (spec §2.1), u included: every user watches itself, and
// Nicotine+ learns its own upload speed from it (spec §1.5).
func (s *Server) broadcastStatsLocked(u *session) {
	m := &slsk.GetUserStatsReply{Username: u.name, Stats: u.stats}
	s.sendFrameTo(append(s.audienceLocked(u), u), slsk.AppendServerFrame(nil, m), m.ServerCode())
}

// audienceLocked lists the sessions that follow u: watchers of its name
// and members of rooms it has joined, each once, u excluded.
func (s *Server) audienceLocked(u *session) []*session {
	seen := map[*session]struct{}{u: {}}
	var out []*session
	for w := range s.watchers[u.name] {
		if _, dup := seen[w]; !dup {
			seen[w] = struct{}{}
			out = append(out, w)
		}
	}
	for _, r := range u.joined {
		for _, w := range r.joined {
			if _, dup := seen[w]; !dup {
				seen[w] = struct{}{}
				out = append(out, w)
			}
		}
	}
	return out
}

// sendToWatchersLocked sends m to the sessions watching name, except skip.
func (s *Server) sendToWatchersLocked(name string, skip *session, m slsk.ServerMessage) {
	var to []*session
	for w := range s.watchers[name] {
		if w != skip {
			to = append(to, w)
		}
	}
	s.sendFrameTo(to, slsk.AppendServerFrame(nil, m), m.ServerCode())
}

// sendFrameTo queues one encoded frame to many sessions: the frame is
// encoded once and shared, which is what keeps room and search fan-out
// cheap.
func (s *Server) sendFrameTo(to []*session, frame []byte, code slsk.ServerCode) {
	if len(to) == 0 {
		return
	}
	s.metrics.messages.WithLabelValues("out", code.Label()).Add(float64(len(to)))
	for _, w := range to {
		w.c.sendFrame(frame)
	}
}

// sendOptionalTo is sendFrameTo for messages a recipient can miss without
// harm (a search from someone else): one that has not read its backlog
// gets none instead of being disconnected as a slow consumer, so a search
// flood can never cost other users their sessions.
func (s *Server) sendOptionalTo(to []*session, frame []byte, code slsk.ServerCode) {
	sent := 0
	for _, w := range to {
		if w.c.sendOptional(frame) {
			sent++
		}
	}
	if sent > 0 {
		s.metrics.messages.WithLabelValues("out", code.Label()).Add(float64(sent))
	}
}

// handleSharedFoldersFiles stores the share counts and tells watchers and
// room co-members (spec §2 code 35), even when they did not change, as
// Soulfind does; the fan-out bucket bounds how often.
func handleSharedFoldersFiles(s *Server, u *session, m *slsk.SharedFoldersFiles) error {
	if ok, err := s.fanoutCheck(u); !ok {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u.stats.Dirs, u.stats.Files = m.Dirs, m.Files
	s.broadcastStatsLocked(u)
	return nil
}

func handleGetUserStats(s *Server, u *session, m *slsk.GetUserStats) error {
	if ok, err := s.lookupCheck(u); !ok {
		return err
	}
	info := s.lookup(m.Username)
	u.send(&slsk.GetUserStatsReply{Username: m.Username, Stats: info.stats})
	return nil
}

// handleSendUploadSpeed folds one upload's speed into the running mean and
// counts the upload (spec §2 code 121: the official formula), then tells
// the user's audience and the user itself, which Nicotine+ needs to learn
// its own speed (spec §1.5).
func handleSendUploadSpeed(s *Server, u *session, m *slsk.SendUploadSpeed) error {
	if ok, err := s.fanoutCheck(u); !ok {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	n := uint64(u.stats.UploadNum)
	u.stats.AvgSpeed = uint32((uint64(u.stats.AvgSpeed)*n + uint64(m.Speed)) / (n + 1))
	u.stats.UploadNum++
	s.broadcastStatsLocked(u)
	return nil
}

// handleUserPrivileged answers the deprecated code 122, which Soulseek.NET
// still waits on.
func handleUserPrivileged(s *Server, u *session, m *slsk.UserPrivileged) error {
	if ok, err := s.lookupCheck(u); !ok {
		return err
	}
	s.mu.Lock()
	p := s.privilegedAt(m.Username, s.opts.Now())
	s.mu.Unlock()
	u.send(&slsk.UserPrivilegedReply{Username: m.Username, Privileged: p})
	return nil
}

// handleServerPing echoes code 32: the official server no longer does, but
// Soulseek.NET's PingServerAsync waits for it and others ignore it (§1.5).
func handleServerPing(s *Server, u *session, m *slsk.ServerPing) error {
	u.send(&slsk.ServerPing{})
	return nil
}
