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
// online: statistics and interests.
func (s *Server) loadUserSettings(ctx context.Context, u *session) {
	u.stats = s.storedStats(ctx, u.name)
	u.statsSaved = u.stats
	s.loadInterests(ctx, u)
}

// saveStats writes u's statistics if they changed since login. It runs at
// logout, so a reconnect storm of unchanged clients costs no writes.
func (s *Server) saveStats(u *session) {
	s.mu.Lock()
	st := u.stats
	s.mu.Unlock()
	if st == u.statsSaved {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.opts.Hub.Store.Settings().Set(ctx, u.name, statsKey, formatStats(st)); err != nil {
		s.log.Error("saving statistics failed", "user", u.name, "err", err)
		return
	}
	u.statsSaved = st
}
