package slskserver

import (
	"context"
	"fmt"
	"time"

	"github.com/revival-net/revival/slsk"
)

// statsKey is the per-user settings key of the Soulseek statistics, which
// persist across sessions as on the official server and Soulfind (§2.1).
const statsKey = "slsk.stats"

func formatStats(st slsk.UserStats) string {
	return fmt.Sprintf("%d %d %d %d", st.AvgSpeed, st.UploadNum, st.Files, st.Dirs)
}

func parseStats(v string) slsk.UserStats {
	var st slsk.UserStats
	_, _ = fmt.Sscanf(v, "%d %d %d %d", &st.AvgSpeed, &st.UploadNum, &st.Files, &st.Dirs)
	return st
}

// storedStats reads name's saved statistics (zero when none).
func (s *Server) storedStats(ctx context.Context, name string) slsk.UserStats {
	v, err := s.opts.Hub.Store.Settings().Get(ctx, name, statsKey)
	if err != nil {
		return slsk.UserStats{}
	}
	return parseStats(v)
}

// loadUserSettings fills a new session from the store before it goes
// online: statistics and interests, read with one query (it runs on every
// login).
func (s *Server) loadUserSettings(ctx context.Context, u *session) {
	if k, ok := s.login.kept.take(u.name); ok {
		u.stats, u.statsSaved, u.likes, u.hates = k.stats, k.stats, k.likes, k.hates
		return
	}
	vals, err := s.opts.Hub.Store.Settings().List(ctx, u.name, "slsk.")
	if err != nil {
		s.log.Error("loading user settings failed", "user", u.name, "err", err)
	}
	if v, ok := vals[statsKey]; ok {
		u.stats = parseStats(v)
	}
	u.statsSaved = u.stats
	u.likes = s.interestSet(u.name, likesKey, vals)
	u.hates = s.interestSet(u.name, hatesKey, vals)
}

// storeStats writes one user's statistics.
func (s *Server) storeStats(name string, st slsk.UserStats) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.opts.Hub.Store.Settings().Set(ctx, name, statsKey, formatStats(st)); err != nil {
		s.log.Error("saving statistics failed", "user", name, "err", err)
	}
}

// statsFlushInterval bounds how much of the statistics a killed server can
// lose (uploads counted since the last flush).
const statsFlushInterval = 30 * time.Second

// flushStats saves the statistics of online users that changed since they
// were last saved. Sessions are collected under mu and written outside it.
func (s *Server) flushStats() {
	type pending struct {
		name  string
		stats slsk.UserStats
	}
	var todo []pending
	s.mu.Lock()
	for _, u := range s.users {
		if !u.loggedOut && u.stats != u.statsSaved {
			todo = append(todo, pending{u.name, u.stats})
			u.statsSaved = u.stats
		}
	}
	s.mu.Unlock()
	for _, p := range todo {
		s.storeStats(p.name, p.stats)
	}
	s.flushInterests()
}
