package slskclient

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/revival-net/revival/slsk"
)

// upload is an upload waiting for the downloader's TransferResponse,
// keyed by our transfer token in Client.uploads.
type upload struct {
	user string
	resp chan *slsk.TransferResponse // capacity 1
}

// queueKey names a queued or running upload, to ignore duplicate
// QueueUpload messages for it.
type queueKey struct{ user, path string }

// onQueueUpload handles a peer's QueueUpload (spec §3.4 step 1): refuse
// paths we do not share with UploadDenied "File not shared." (the path is
// only ever a key into the share index, never a file-system path), refuse
// when the queue is full, else queue the upload.
func (c *Client) onQueueUpload(p *peerConn, path string) {
	if reason := c.queueUpload(p, path, nil); reason != "" {
		p.send(&slsk.UploadDenied{Filename: path, Reason: reason})
	}
}

// onLegacyDownloadRequest handles a direction-0 TransferRequest, the
// legacy downloader flow of Soulseek.NET and slsk-client (spec §3.4):
// answer "Queued" (or why not), then start the modern flow ourselves.
func (c *Client) onLegacyDownloadRequest(p *peerConn, m *slsk.TransferRequest) {
	queued := func() { p.send(&slsk.TransferResponse{Token: m.Token, Reason: slsk.ReasonQueued}) }
	if reason := c.queueUpload(p, m.Filename, queued); reason != "" {
		p.send(&slsk.TransferResponse{Token: m.Token, Reason: reason})
	}
}

// queueUpload queues path for p's user and returns "" or the refusal
// reason. accepted, if not nil, runs once the upload is accepted and
// before it starts, so its answer precedes our TransferRequest.
func (c *Client) queueUpload(p *peerConn, path string, accepted func()) string {
	idx := c.share.Load()
	e, ok := idx.lookup(path)
	if !ok {
		return slsk.ReasonFileNotShared
	}
	key := queueKey{p.user, path}
	c.mu.Lock()
	if _, dup := c.queuedFiles[key]; dup {
		c.mu.Unlock()
		if accepted != nil {
			accepted()
		}
		return "" // already queued or running: nothing more to do
	}
	if len(c.queuedFiles) >= c.opts.MaxQueuedUploads+c.opts.UploadSlots {
		c.mu.Unlock()
		return slsk.ReasonTooManyFiles
	}
	c.queuedFiles[key] = struct{}{}
	c.mu.Unlock()
	if accepted != nil {
		accepted()
	}
	c.queued.Add(1)
	ok = c.spawn(func() { c.runUpload(p, idx, e, key) })
	if !ok {
		c.queued.Add(-1)
		c.mu.Lock()
		delete(c.queuedFiles, key)
		c.mu.Unlock()
		return slsk.ReasonPendingShutdown
	}
	return ""
}

// runUpload waits for an upload slot, then serves the file. The upload
// leaves queuedFiles before UploadFinished is reported, so the peer can
// queue the same file again as soon as it sees the transfer end.
func (c *Client) runUpload(p *peerConn, idx *shareIndex, e *shareEntry, key queueKey) {
	done := func() {
		c.mu.Lock()
		delete(c.queuedFiles, key)
		c.mu.Unlock()
	}
	select {
	case c.uploadSlots <- struct{}{}:
		c.queued.Add(-1)
	case <-c.closing:
		c.queued.Add(-1)
		done()
		return
	}
	sent, err := c.serveUpload(p, idx, e)
	done()
	<-c.uploadSlots
	if err != nil {
		c.log.Debug("slsk: upload failed", "user", p.user, "path", e.virtual, "err", err)
	}
	c.events.push(UploadFinished{User: p.user, Path: e.virtual, Bytes: sent, Err: err})
}

// serveUpload runs the uploader's side of spec §3.4: TransferRequest
// (direction 1), wait for TransferResponse, open an F connection with the
// connection race, send the token, read the offset, stream the file from
// there, wait for the downloader to close, report SendUploadSpeed.
func (c *Client) serveUpload(p *peerConn, idx *shareIndex, e *shareEntry) (int64, error) {
	f, err := idx.open(e)
	if err != nil {
		c.sendPeerFallback(p, &slsk.UploadDenied{Filename: e.virtual, Reason: slsk.ReasonFileReadError})
		return 0, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	size := st.Size()

	token := c.nextToken()
	u := &upload{user: p.user, resp: make(chan *slsk.TransferResponse, 1)}
	c.mu.Lock()
	c.uploads[token] = u
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		delete(c.uploads, token)
		c.mu.Unlock()
	}()

	ctx, cancel := c.peerContext(c.opts.TransferTimeout)
	defer cancel()
	req := &slsk.TransferRequest{Direction: slsk.TransferUpload, Token: token, Filename: e.virtual, Size: uint64(size)}
	if err := c.sendPeerFallback(p, req); err != nil {
		return 0, err
	}
	select {
	case r := <-u.resp:
		if !r.Allowed {
			return 0, &DeniedError{Reason: r.Reason}
		}
	case <-ctx.Done():
		return 0, fmt.Errorf("slskclient: no TransferResponse from %s: %w", p.user, ctx.Err())
	}

	cancel()
	ctx, cancel = c.peerContext(c.opts.PeerConnectTimeout)
	defer cancel()
	conn, err := c.connect(ctx, p.user, slsk.ConnTypeFile)
	if err != nil {
		c.sendPeerFallback(p, &slsk.UploadFailed{Filename: e.virtual})
		return 0, err
	}
	defer c.untrackConn(conn)
	conn.SetWriteDeadline(time.Now().Add(c.opts.WriteTimeout))
	if _, err := conn.Write(slsk.AppendFileToken(nil, token)); err != nil {
		c.sendPeerFallback(p, &slsk.UploadFailed{Filename: e.virtual})
		return 0, err
	}
	conn.SetReadDeadline(time.Now().Add(c.opts.TransferTimeout))
	off, err := slsk.ReadFileOffset(conn)
	if err != nil || off > uint64(size) {
		c.sendPeerFallback(p, &slsk.UploadFailed{Filename: e.virtual})
		if err == nil {
			err = fmt.Errorf("slskclient: offset %d past the size %d", off, size)
		}
		return 0, err
	}
	if _, err := f.Seek(int64(off), io.SeekStart); err != nil {
		return 0, err
	}

	start := time.Now()
	sent, err := c.stream(conn, f, size-int64(off))
	if err != nil {
		c.sendPeerFallback(p, &slsk.UploadFailed{Filename: e.virtual})
		return sent, err
	}
	// The downloader closes first (spec §3.4 step 7): wait for its EOF so
	// we never cut the tail of the file short.
	conn.SetReadDeadline(time.Now().Add(c.opts.IdleTimeout))
	io.Copy(io.Discard, io.LimitReader(conn, 1<<16))
	elapsed := time.Since(start).Seconds()
	if elapsed <= 0 {
		elapsed = 1e-3
	}
	speed := float64(sent) / elapsed
	if speed > float64(^uint32(0)) {
		speed = float64(^uint32(0))
	}
	c.send(&slsk.SendUploadSpeed{Speed: uint32(speed)}) // spec §3.4 step 8
	return sent, nil
}

// stream copies n bytes of the file to the F socket, with a write deadline
// per chunk so a stalled downloader fails the upload.
func (c *Client) stream(conn io.Writer, f io.Reader, n int64) (int64, error) {
	type deadliner interface{ SetWriteDeadline(time.Time) error }
	buf := make([]byte, 64<<10)
	var sent int64
	for sent < n {
		k, err := f.Read(buf[:min(int64(len(buf)), n-sent)])
		if k > 0 {
			if d, ok := conn.(deadliner); ok {
				d.SetWriteDeadline(time.Now().Add(c.opts.IdleTimeout))
			}
			w, werr := conn.Write(buf[:k])
			sent += int64(w)
			if werr != nil {
				return sent, werr
			}
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				return sent, fmt.Errorf("slskclient: file shrank: %w", io.ErrUnexpectedEOF)
			}
			return sent, err
		}
	}
	return sent, nil
}

// onTransferResponse routes the downloader's answer to our TransferRequest
// (spec §3.4 step 3).
func (c *Client) onTransferResponse(p *peerConn, m *slsk.TransferResponse) {
	c.mu.Lock()
	u := c.uploads[m.Token]
	c.mu.Unlock()
	if u == nil || u.user != p.user {
		return
	}
	select {
	case u.resp <- m:
	default:
	}
}

// sendPeerFallback sends on p, the socket the request came on, and falls
// back to the registered (or a new) P connection if p has died.
func (c *Client) sendPeerFallback(p *peerConn, m slsk.PeerMessage) error {
	if err := p.send(m); err == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(c.ctx, c.opts.PeerConnectTimeout)
	defer cancel()
	return c.sendPeer(ctx, p.user, m)
}
