package wpnserver

import (
	"strings"
	"time"

	"github.com/revival-net/revival/wpn"
)

// Transfer brokering (wpn.md §3.11, §3.13 "Transfers"): the downloader's
// 0x1F41 reaches the uploader as 0x1FB8; the uploader's 0x1F68 ("slot
// free") reaches the downloader as 0x1FC2 with the uploader's address and
// transfer port. No file data passes through the primary. The downloader
// may be on another primary (the mesh passes its answers back).

// firewalledBoth is the 0x1FA4 status when neither side accepts
// connections [G]: no WinMX text for it is known.
const firewalledBoth = "Both users are firewalled"

// getKey identifies a brokered download: the uploader, the downloader
// (its handle and full name, lower-cased) and the file (case-insensitive,
// as Windows paths are).
type getKey struct {
	uploader   uint16
	downloader string
	file       string
}

type pendingGet struct {
	up      *session
	down    Origin
	reply   func(wpn.Packet) // to the downloader
	target  wpn.Target       // the uploader as the downloader named it
	file    string
	expires time.Time
}

func downloaderKey(o Origin) string { return strings.ToLower(o.Handle.String() + "\x00" + o.Name) }

func (s *Server) handleDownload(ss *session, p *wpn.DownloadRequest) {
	if !ss.requests.Allow(s.lim.Requests, s.now()) {
		s.metrics.flood.WithLabelValues("download").Inc()
		ss.send(&wpn.DownloadFailed{Target: p.Target, FileName: p.FileName, Status: wpn.DownloadTimedOut})
		return
	}
	r := s.resolve(ss, p.Target)
	if r.local == nil {
		if !s.forward(ss, r, p) {
			ss.send(&wpn.DownloadFailed{Target: p.Target, FileName: p.FileName, Status: wpn.DownloadTimedOut})
		}
		return
	}
	s.requestUpload(r.local, p, ss.origin(), func(pk wpn.Packet) { ss.send(pk) })
}

// requestUpload asks local uploader up for a file on behalf of down.
func (s *Server) requestUpload(up *session, p *wpn.DownloadRequest, down Origin, reply func(wpn.Packet)) {
	fail := func(status string) {
		reply(&wpn.DownloadFailed{Target: p.Target, FileName: p.FileName, Status: status})
	}
	if !s.index.Has(up.owner(), p.FileName) {
		fail(wpn.DownloadNotShared)
		return
	}
	k := getKey{uploader: up.id, downloader: downloaderKey(down), file: strings.ToLower(p.FileName)}
	s.brokerMu.Lock()
	if _, dup := s.gets[k]; !dup && up.pendingGets >= s.lim.MaxPendingGets {
		s.brokerMu.Unlock()
		fail(wpn.DownloadTimedOut)
		return
	}
	if _, dup := s.gets[k]; !dup {
		up.pendingGets++
	}
	s.gets[k] = &pendingGet{up: up, down: down, reply: reply, target: p.Target, file: p.FileName, expires: s.now().Add(s.lim.BrokerTimeout)}
	s.brokerMu.Unlock()
	s.metrics.transfers.WithLabelValues("requested").Inc()
	up.send(&wpn.IncomingDownload{
		Target:   wpn.Target{Handle: down.Handle.String(), Name: down.Name},
		FileName: p.FileName,
		Option:   uint32(p.Option),
	})
}

// handleUploadReady: the uploader has a slot for the requester named in
// its 0x1F68. The downloader gets 0x1FC2 with the uploader's address (the
// TCP peer address of its link) and transfer port. When the uploader is
// passive (port 0) and the downloader is not, the transfer is pushed
// [G]: the downloader's 0x1FC2 carries port 0 (wait for a SEND
// connection) and the uploader gets a 0x1FC2 naming the downloader's
// address, where it connects with SEND (wpn.md §3.12).
func (s *Server) handleUploadReady(ss *session, p *wpn.UploadReady) {
	h, err := wpn.ParseHandle(p.Target.Handle)
	if err != nil {
		return
	}
	k := getKey{uploader: ss.id, downloader: downloaderKey(Origin{Handle: h, Name: p.Target.Name}), file: strings.ToLower(p.FileName)}
	s.brokerMu.Lock()
	g := s.takeGetLocked(k)
	s.brokerMu.Unlock()
	if g == nil {
		return // nobody asked (or it timed out): a 0x1F68 cannot open a transfer by itself
	}
	ss.mu.Lock()
	upName, upPort := ss.name, ss.port
	ss.mu.Unlock()
	if upPort == 0 && g.down.Port == 0 {
		g.reply(&wpn.DownloadFailed{Target: g.target, FileName: g.file, Status: firewalledBoth})
		s.metrics.transfers.WithLabelValues("firewalled").Inc()
		return
	}
	g.reply(&wpn.StartDownload{
		Requester: g.down.Name,
		Target:    wpn.Target{Handle: g.target.Handle, Name: upName},
		FileName:  g.file,
		IP:        ss.c.Remote(),
		Port:      upPort,
	})
	if upPort == 0 {
		ss.send(&wpn.StartDownload{
			Requester: upName,
			Target:    wpn.Target{Handle: g.down.Handle.String(), Name: g.down.Name},
			FileName:  g.file,
			IP:        g.down.Addr,
			Port:      g.down.Port,
		})
		s.metrics.transfers.WithLabelValues("pushed").Inc()
		return
	}
	s.metrics.transfers.WithLabelValues("started").Inc()
}

// expireGets fails downloads whose uploader never answered.
func (s *Server) expireGets() {
	now := s.now()
	var late []*pendingGet
	s.brokerMu.Lock()
	for k, g := range s.gets {
		if now.After(g.expires) {
			late = append(late, s.takeGetLocked(k))
		}
	}
	s.brokerMu.Unlock()
	for _, g := range late {
		g.reply(&wpn.DownloadFailed{Target: g.target, FileName: g.file, Status: wpn.DownloadTimedOut})
	}
}

// dropGets forgets a leaving secondary's brokered downloads; those it was
// to upload fail at once for their downloaders.
func (s *Server) dropGets(ss *session) {
	var failed []*pendingGet
	mine := downloaderKey(ss.origin())
	s.brokerMu.Lock()
	for k, g := range s.gets {
		switch {
		case g.up == ss:
			failed = append(failed, s.takeGetLocked(k))
		case k.downloader == mine:
			s.takeGetLocked(k)
		}
	}
	s.brokerMu.Unlock()
	for _, g := range failed {
		if downloaderKey(g.down) != mine {
			g.reply(&wpn.DownloadFailed{Target: g.target, FileName: g.file, Status: wpn.DownloadTimedOut})
		}
	}
}

// takeGetLocked removes and returns a pending download (nil if none).
func (s *Server) takeGetLocked(k getKey) *pendingGet {
	g := s.gets[k]
	if g != nil {
		delete(s.gets, k)
		g.up.pendingGets--
	}
	return g
}
