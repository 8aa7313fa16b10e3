package wpnserver

import (
	"sync/atomic"

	"github.com/revival-net/revival/wpn"
	"github.com/revival-net/revival/wpn/wpnserver/shareindex"
)

// maxQuery caps a search text; WinMX's own search box is far shorter.
const maxQuery = 256

// handleSearch answers a 0x1771 term search from the index, one 0x177A
// per hit (wpn.md §3.6), and floods it to other primaries through the
// mesh. The searcher's own files, and owners slower than the asked
// minimum line type, are left out.
func (s *Server) handleSearch(ss *session, p *wpn.Search) {
	if !ss.searches.Allow(s.lim.Searches, s.now()) {
		s.metrics.flood.WithLabelValues("search").Inc()
		return
	}
	s.metrics.searches.WithLabelValues("term").Inc()
	q := shareindex.Query{Text: clip(p.Query, maxQuery), Filter: shareindex.Filter{
		FileType: p.FileType,
		Owners:   s.ownerFilter(ss, p.MinLineType),
		Limit:    s.lim.MaxSearchResults,
	}}
	var out []byte
	s.index.Search(q, func(o shareindex.Owner, f *shareindex.File) bool {
		out = s.appendHit(out, ss, p.SearchID, o, f)
		return true
	})
	s.sendHits(ss, out)
	s.searchMesh(ss, p.SearchID, p)
}

// handleHashSearch answers 0x1772 from the hash index.
func (s *Server) handleHashSearch(ss *session, p *wpn.HashSearch) {
	if !ss.searches.Allow(s.lim.Searches, s.now()) {
		s.metrics.flood.WithLabelValues("search").Inc()
		return
	}
	s.metrics.searches.WithLabelValues("hash").Inc()
	filter := shareindex.Filter{FileType: p.FileType, Owners: s.ownerFilter(ss, p.MinLineType), Limit: s.lim.MaxSearchResults}
	var out []byte
	s.index.HashSearch(p.Hash, filter, func(o shareindex.Owner, f *shareindex.File) bool {
		out = s.appendHit(out, ss, p.SearchID, o, f)
		return true
	})
	s.sendHits(ss, out)
	s.searchMesh(ss, p.SearchID, p)
}

// handleStopSearch stops the remote part of a search; the local part was
// answered at once.
func (s *Server) handleStopSearch(ss *session, p *wpn.StopSearch) {
	ss.mu.Lock()
	stop := ss.stopFn[p.SearchID]
	delete(ss.stopFn, p.SearchID)
	ss.mu.Unlock()
	if stop != nil {
		stop()
	}
}

// searchMesh floods the search to other primaries; their hits are passed
// on until the searcher stops it, starts another with the same id, or
// leaves, and at most MaxSearchResults of them.
func (s *Server) searchMesh(ss *session, id uint32, req wpn.Packet) {
	if s.opts.Mesh == nil {
		return
	}
	var n atomic.Int64
	limit := int64(s.lim.MaxSearchResults)
	stop := s.opts.Mesh.Search(req, ss.origin(), func(h *wpn.SearchHit) {
		if n.Add(1) <= limit {
			h.SearchID = id
			_ = ss.c.SendOptional(wpn.AppendPacket(nil, h))
		}
	})
	ss.mu.Lock()
	old := ss.stopFn[id]
	if ss.stopFn != nil {
		ss.stopFn[id] = stop
	}
	gone := ss.stopFn == nil
	ss.mu.Unlock()
	if old != nil {
		old()
	}
	if gone {
		stop()
	}
}

// ownerFilter keeps owners other than the searcher whose line type is at
// least min (0: any).
func (s *Server) ownerFilter(ss *session, min uint8) func(shareindex.Owner) bool {
	self, lines := ss.owner(), s.lineFilter(min)
	return func(o shareindex.Owner) bool { return o != self && lines(o) }
}

// lineFilter keeps owners whose line type is at least min (0: any).
func (s *Server) lineFilter(min uint8) func(shareindex.Owner) bool {
	return func(o shareindex.Owner) bool {
		if min == 0 {
			return true
		}
		t := s.dir.byClientID(uint16(o))
		if t == nil {
			return false
		}
		t.mu.Lock()
		line := t.line
		t.mu.Unlock()
		return line >= uint16(min)
	}
}

// appendHit appends the 0x177A frame for file f of owner o. The hits of
// one search go out as one queued buffer (sendHits): one lock and one
// writer wake-up per search instead of one per hit, and the index's read
// lock is held only while frames are encoded, never while sending.
func (s *Server) appendHit(out []byte, ss *session, id uint32, o shareindex.Owner, f *shareindex.File) []byte {
	hit, ok := s.hitFor(ss.handle, o, f)
	if !ok {
		return out // left while we searched
	}
	hit.SearchID = id
	return wpn.AppendPacket(out, hit)
}

func (s *Server) sendHits(ss *session, out []byte) {
	if len(out) > 0 {
		_ = ss.c.Send(out)
	}
}

// hitFor builds the 0x177A for file f of local owner o, under this
// primary's handle self.
func (s *Server) hitFor(self wpn.Handle, o shareindex.Owner, f *shareindex.File) (*wpn.SearchHit, bool) {
	t := s.dir.byClientID(uint16(o))
	if t == nil {
		return nil, false
	}
	t.mu.Lock()
	hit := &wpn.SearchHit{
		PrimaryIP:      self.IP,
		PrimaryUDPPort: self.UDPPort,
		Path:           f.Path,
		Hash:           f.Hash,
		Size:           f.Size,
		Media:          f.Media,
		LineType:       uint8(min(t.line, 255)),
		PingIP:         t.c.Remote(),
		UserName:       t.name,
		Status:         t.status,
	}
	t.mu.Unlock()
	if !hit.PingIP.Is4() {
		hit.PingIP = hit.PrimaryIP
	}
	s.metrics.hits.Inc()
	return hit, true
}
