package wpnserver

import (
	"net/netip"

	"github.com/revival-net/revival/wpn"
	"github.com/revival-net/revival/wpn/wpnserver/shareindex"
)

// Entry points for the mesh: requests that arrive from other primaries
// for this primary's secondaries, answered through reply exactly as a
// local request would be (the packets go back to the requester as they
// are).

// Handle returns this primary's handle as seen through local, the
// address a peer connected to (or the configured public address).
func (s *Server) Handle(local netip.AddrPort) wpn.Handle {
	return wpn.Handle{IP: s.selfIP(local), UDPPort: s.opts.UDPPort}
}

// HandleRemote serves a whois, PM, browse or download request from
// another primary for a user of this one; req names the target as the
// requester did. Anything else is ignored.
func (s *Server) HandleRemote(req wpn.Packet, from Origin, reply func(wpn.Packet)) {
	switch p := req.(type) {
	case *wpn.Whois:
		if t := s.dir.lookup(p.Name); t != nil {
			reply(s.whoisReply(p.Handle, t))
		} else {
			reply(&wpn.WhoisFailed{Target: p.Target, Message: whoisFailed})
		}
	case *wpn.PrivateMessage:
		if t := s.dir.lookup(p.Name); t != nil {
			s.deliverPM(t, p.Target, from, p.Text, reply)
		} else {
			reply(&wpn.PMStatus{Target: p.Target, Status: wpn.PMOffline})
		}
	case *wpn.Browse:
		t := s.dir.lookup(p.Name)
		if t == nil {
			reply(&wpn.BrowseError{Target: p.Target})
			return
		}
		target := wpn.Target{Handle: p.Handle, Name: t.fullName()}
		n := 0
		s.index.Browse(t.owner(), func(f *shareindex.File) bool {
			reply(&wpn.BrowseEntry{Target: target, FileName: f.Path, Hash: f.Hash, Size: f.Size, Media: f.Media})
			n++
			return n < s.lim.MaxBrowseEntries
		})
		reply(&wpn.BrowseDone{Target: target})
	case *wpn.DownloadRequest:
		if t := s.dir.lookup(p.Name); t != nil {
			s.requestUpload(t, p, from, reply)
		} else {
			reply(&wpn.DownloadFailed{Target: p.Target, FileName: p.FileName, Status: wpn.DownloadTimedOut})
		}
	}
}

// SearchLocal answers a term (0x1771) or hash (0x1772) search from
// another primary from this primary's index; self is this primary's
// handle as the requester's primary knows it (it goes into each hit).
// hit returning false stops the search.
func (s *Server) SearchLocal(req wpn.Packet, self wpn.Handle, hit func(*wpn.SearchHit) bool) {
	visit := func(o shareindex.Owner, f *shareindex.File) bool {
		h, ok := s.hitFor(self, o, f)
		if !ok {
			return true
		}
		return hit(h)
	}
	switch p := req.(type) {
	case *wpn.Search:
		q := shareindex.Query{Text: clip(p.Query, maxQuery), Filter: shareindex.Filter{
			FileType: p.FileType, Owners: s.lineFilter(p.MinLineType), Limit: s.lim.MaxSearchResults,
		}}
		s.index.Search(q, visit)
	case *wpn.HashSearch:
		s.index.HashSearch(p.Hash, shareindex.Filter{
			FileType: p.FileType, Owners: s.lineFilter(p.MinLineType), Limit: s.lim.MaxSearchResults,
		}, visit)
	}
}
