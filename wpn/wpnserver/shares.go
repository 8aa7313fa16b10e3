package wpnserver

import "github.com/revival-net/revival/wpn"

// handleShare keeps the index of what a secondary shares (wpn.md §3.5):
// searches and browses are answered from it, never by asking the
// secondary. A list beyond the limits is cut and counted; the secondary
// stays (WinMX itself caps libraries at 65,535 files).
func (s *Server) handleShare(ss *session, p wpn.Packet) {
	var err error
	switch p := p.(type) {
	case *wpn.ShareFile:
		err = s.index.AddFile(ss.owner(), p)
	case *wpn.ShareFolder:
		_, err = s.index.AddFolder(ss.owner(), p)
	case *wpn.UnshareFile:
		s.index.RemoveFile(ss.owner(), p.Path)
	case *wpn.UnshareFolder:
		s.index.RemoveFolder(ss.owner(), p.Folder)
	}
	if err != nil {
		s.metrics.shareRefused.Inc()
		s.log.Debug("share refused", "name", logName(ss.fullName()), "err", err)
	}
}
