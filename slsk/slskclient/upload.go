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

// onQueueUpload handles a peer's QueueUpload (spec §3.4 step 1): refuse
// paths we do not share with UploadDenied "File not shared." (the path is
// only ever a key into the share index, never a file-system path), refuse
// past the queue limits, else queue the upload (upload_queue.go).
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

// runUpload serves one offered job and reports it. The job leaves the
// queue before UploadFinished is reported, so the peer can queue the same
// file again as soon as it sees the transfer end.
func (c *Client) runUpload(j *uploadJob) {
	sent, err := c.serveUpload(j)
	c.mu.Lock()
	if err != nil && j.dropErr != nil {
		err = j.dropErr
	}
	c.mu.Unlock()
	c.finishUpload(j)
	if err != nil {
		c.log.Debug("slsk: upload failed", "user", j.key.user, "path", j.e.virtual, "err", err)
	}
	c.events.push(UploadFinished{User: j.key.user, Path: j.e.virtual, Bytes: sent, Err: err})
}

// serveUpload runs the uploader's side of spec §3.4: TransferRequest
// (direction 1), wait for TransferResponse, take an upload slot, open an
// F connection with the connection race, send the token, read the offset,
// stream the file from there, wait for the downloader to close, report
// SendUploadSpeed. A TransferRequest that cannot reach the user at all
// (it went offline) drops the user's other waiting uploads too.
func (c *Client) serveUpload(j *uploadJob) (int64, error) {
	p, idx, e := j.p, j.idx, j.e
	f, err := idx.open(e)
	if err != nil {
		c.sendPeerFallback(j.ctx, p, &slsk.UploadDenied{Filename: e.virtual, Reason: slsk.ReasonFileReadError})
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

	ctx, cancel := context.WithTimeout(j.ctx, c.opts.TransferTimeout)
	defer cancel()
	req := &slsk.TransferRequest{Direction: slsk.TransferUpload, Token: token, Filename: e.virtual, Size: uint64(size)}
	if err := c.sendPeerFallback(ctx, p, req); err != nil {
		if j.ctx.Err() == nil {
			c.dropUploads(p.user, err)
		}
		return 0, err
	}
	c.mu.Lock()
	patience := time.NewTimer(c.up.patience)
	c.mu.Unlock()
	defer patience.Stop()
	for answered := false; !answered; {
		select {
		case r := <-u.resp:
			if !r.Allowed {
				return 0, &DeniedError{Reason: r.Reason}
			}
			answered = true
		case <-patience.C:
			c.staleOffer(j) // keep waiting, without holding a slot back
		case <-ctx.Done():
			return 0, fmt.Errorf("slskclient: no TransferResponse from %s: %w", p.user, ctx.Err())
		}
	}
	cancel()
	if err := c.acquireSlot(j); err != nil {
		return 0, err
	}

	ctx, cancel = context.WithTimeout(j.ctx, c.opts.PeerConnectTimeout)
	defer cancel()
	conn, err := c.connect(ctx, p.user, slsk.ConnTypeFile)
	if err != nil {
		c.sendPeerFallback(j.ctx, p, &slsk.UploadFailed{Filename: e.virtual})
		return 0, err
	}
	defer c.untrackConn(conn)
	conn.SetWriteDeadline(time.Now().Add(c.opts.WriteTimeout))
	if _, err := conn.Write(slsk.AppendFileToken(nil, token)); err != nil {
		c.sendPeerFallback(j.ctx, p, &slsk.UploadFailed{Filename: e.virtual})
		return 0, err
	}
	conn.SetReadDeadline(time.Now().Add(c.opts.TransferTimeout))
	off, err := slsk.ReadFileOffset(conn)
	if err != nil || off > uint64(size) {
		c.sendPeerFallback(j.ctx, p, &slsk.UploadFailed{Filename: e.virtual})
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
		c.sendPeerFallback(j.ctx, p, &slsk.UploadFailed{Filename: e.virtual})
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
// back to the registered (or a new) P connection if p has died. The
// fallback is bounded by ctx and PeerConnectTimeout.
func (c *Client) sendPeerFallback(ctx context.Context, p *peerConn, m slsk.PeerMessage) error {
	if err := p.send(m); err == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, c.opts.PeerConnectTimeout)
	defer cancel()
	return c.sendPeer(ctx, p.user, m)
}
