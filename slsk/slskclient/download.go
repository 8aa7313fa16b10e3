package slskclient

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/revival-net/revival/slsk"
)

// DeniedError is a download the uploader refused, with its reason
// (UploadDenied or a refused TransferResponse, spec §3.3), for example
// slsk.ReasonFileNotShared.
type DeniedError struct{ Reason string }

// Error describes the refusal with the uploader's reason.
func (e *DeniedError) Error() string { return "slskclient: transfer denied: " + e.Reason }

// errUploadFailed reports the uploader's UploadFailed (spec §3.4).
var errUploadFailed = errors.New("slskclient: the uploader reported UploadFailed")

// ErrBadSize reports a download refused because of the size the uploader
// announced (spec §3.4 step 3): 2^63 bytes or more, above
// Options.MaxDownloadSize, or not the size the search result said.
var ErrBadSize = errors.New("slskclient: the uploader announced an unacceptable size")

// download is one Download in progress, from QueueUpload to the end of
// the F connection (spec §3.4, downloader side). Fields after path are
// guarded by Client.mu.
type download struct {
	user, path string
	offset     int64
	want       uint64 // the size the search result said, if sized
	sized      bool

	offered bool   // the uploader's TransferRequest was accepted
	claimed bool   // the F connection arrived
	token   uint32 // the uploader's transfer token
	size    int64

	fconn  chan net.Conn // capacity 1: the F socket, token already read
	failed chan error    // capacity 1

	// afterClaim, set by tests only, runs in serveFileConn once the F
	// socket is handed over and c.mu released: the moment the Download
	// may be giving up.
	afterClaim func()
}

// Download fetches path (a virtual path from a search result or Browse)
// from user and writes it to w. progress, if not nil, is called after
// each chunk with the bytes held so far and the file size; it runs on the
// caller's goroutine. Download waits as long as ctx allows: the uploader
// may queue us. It returns the bytes written to w.
func (c *Client) Download(ctx context.Context, user, path string, w io.Writer, progress func(done, total int64)) (int64, error) {
	return c.DownloadAt(ctx, user, path, 0, w, progress)
}

// DownloadAt resumes a download: offset bytes are already held, so the
// uploader is asked to start there (the u64 offset on the F connection,
// spec §3.4 step 5) and only the rest is written to w.
func (c *Client) DownloadAt(ctx context.Context, user, path string, offset int64, w io.Writer, progress func(done, total int64)) (int64, error) {
	return c.downloadAt(ctx, &download{user: user, path: path, offset: offset}, w, progress)
}

// DownloadSizedAt is DownloadAt for a file whose size is known from the
// search result or share list that named it: an uploader offering any
// other size is refused and the download fails with ErrBadSize.
func (c *Client) DownloadSizedAt(ctx context.Context, user, path string, size uint64, offset int64, w io.Writer, progress func(done, total int64)) (int64, error) {
	return c.downloadAt(ctx, &download{user: user, path: path, offset: offset, want: size, sized: true}, w, progress)
}

// downloadAt runs the download d describes (user, path, offset and the
// expected size if known).
func (c *Client) downloadAt(ctx context.Context, d *download, w io.Writer, progress func(done, total int64)) (int64, error) {
	user, path, offset := d.user, d.path, d.offset
	if offset < 0 {
		return 0, fmt.Errorf("slskclient: negative offset %d", offset)
	}
	d.fconn, d.failed = make(chan net.Conn, 1), make(chan error, 1)
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return 0, c.failure()
	}
	c.downloads[d] = struct{}{}
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		delete(c.downloads, d)
		c.mu.Unlock()
		select { // an F socket that arrived as we gave up
		case conn := <-d.fconn:
			c.untrackConn(conn)
		default:
		}
	}()

	if err := c.sendPeer(ctx, user, &slsk.QueueUpload{Filename: path}); err != nil {
		return 0, err
	}
	var conn net.Conn
	select {
	case conn = <-d.fconn:
	case err := <-d.failed:
		return 0, err
	case <-ctx.Done():
		return 0, ctx.Err()
	case <-c.closing:
		return 0, c.failure()
	}
	// The downloader closes the F socket when it has everything (spec
	// §3.4 step 7).
	defer c.untrackConn(conn)
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()

	c.mu.Lock()
	size := d.size
	c.mu.Unlock()
	conn.SetWriteDeadline(time.Now().Add(c.opts.WriteTimeout))
	if _, err := conn.Write(slsk.AppendFileOffset(nil, uint64(offset))); err != nil {
		if ctx.Err() != nil { // the AfterFunc above closed conn
			return 0, ctx.Err()
		}
		return 0, fmt.Errorf("slskclient: sending offset: %w", err)
	}
	if progress != nil {
		progress(offset, size)
	}
	n, err := c.receive(conn, w, size-offset, func(n int64) {
		if progress != nil {
			progress(offset+n, size)
		}
	})
	if err != nil && ctx.Err() != nil {
		err = ctx.Err()
	}
	return n, err
}

// receive copies want bytes from the F socket to w; a read that stalls
// for IdleTimeout fails the transfer.
func (c *Client) receive(conn net.Conn, w io.Writer, want int64, progress func(int64)) (int64, error) {
	buf := make([]byte, 64<<10)
	var n int64
	for n < want {
		conn.SetReadDeadline(time.Now().Add(c.opts.IdleTimeout))
		k, err := conn.Read(buf[:min(int64(len(buf)), want-n)])
		if k > 0 {
			if _, werr := w.Write(buf[:k]); werr != nil {
				return n, werr
			}
			n += int64(k)
			progress(n)
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return n, fmt.Errorf("slskclient: receiving file: %w", err)
		}
	}
	return n, nil
}

// onUploadOffer answers the uploader's TransferRequest (direction 1, spec
// §3.4 step 3): allowed if we are waiting for that file from that user
// and its size is acceptable (checkSize), "Cancelled" otherwise; a
// download offered a bad size fails. An uploader may offer the same file
// again before its F connection came (it gave up waiting for our
// TransferResponse, or restarted the upload): until the F connection is
// claimed the new offer replaces the old one, token and size, and a late
// F connection with the old token is refused.
func (c *Client) onUploadOffer(p *peerConn, m *slsk.TransferRequest) {
	c.mu.Lock()
	d := c.offerTarget(p.user, m.Filename)
	var bad error
	if d != nil {
		if bad = d.checkSize(m.Size, c.opts.MaxDownloadSize); bad == nil {
			d.offered, d.token, d.size = true, m.Token, int64(m.Size)
		}
	}
	c.mu.Unlock()
	if d == nil || bad != nil {
		p.send(&slsk.TransferResponse{Token: m.Token, Reason: slsk.ReasonCancelled})
		if bad != nil {
			d.fail(bad)
		}
		return
	}
	if d.offset > int64(m.Size) {
		p.send(&slsk.TransferResponse{Token: m.Token, Reason: slsk.ReasonCancelled})
		d.fail(fmt.Errorf("slskclient: resume offset %d is past the file's size %d", d.offset, m.Size))
		return
	}
	if err := p.send(&slsk.TransferResponse{Token: m.Token, Allowed: true}); err != nil {
		d.fail(err)
	}
}

// checkSize refuses an offered size of 2^63 bytes or more (it would
// overflow the int64 sizes and offsets of a download, so a 2^63-byte offer
// would "finish" at once with nothing written), one above max, and one
// that is not the size the search result said.
func (d *download) checkSize(size uint64, max int64) error {
	switch {
	case size >= 1<<63:
		return fmt.Errorf("%w: %d bytes", ErrBadSize, size)
	case int64(size) > max:
		return fmt.Errorf("%w: %d bytes, above the %d-byte limit", ErrBadSize, size, max)
	case d.sized && size != d.want:
		return fmt.Errorf("%w: %d bytes, but the search result said %d", ErrBadSize, size, d.want)
	}
	return nil
}

// offerTarget picks the download an offer of path from user is for: one
// not offered yet if there is one (two Download calls for one file each
// get an offer), else one offered but not yet claimed. Caller holds c.mu.
func (c *Client) offerTarget(user, path string) *download {
	var again *download
	for dl := range c.downloads {
		if dl.user != user || dl.path != path || dl.claimed {
			continue
		}
		if !dl.offered {
			return dl
		}
		again = dl
	}
	return again
}

func (d *download) fail(err error) {
	select {
	case d.failed <- err:
	default:
	}
}

// failDownload fails the download of path from user after UploadFailed or
// UploadDenied (spec §3.3 codes 46 and 50).
func (c *Client) failDownload(user, path string, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for d := range c.downloads {
		if d.user == user && d.path == path && !d.claimed {
			d.fail(err)
		}
	}
}

// serveFileConn handles an F socket on the downloader side (spec §3.4
// steps 4-5): the uploader sends its transfer token first, which names the
// download; the socket then goes to that Download call. user is who opened
// the socket (PeerInit) or whom we pierced to; it must match the download.
func (c *Client) serveFileConn(conn net.Conn, user string) {
	conn.SetReadDeadline(time.Now().Add(c.opts.TransferTimeout))
	token, err := slsk.ReadFileToken(conn)
	if err != nil {
		c.untrackConn(conn)
		return
	}
	conn.SetReadDeadline(time.Time{})
	var d *download
	var hook func()
	c.mu.Lock()
	for dl := range c.downloads {
		if dl.offered && !dl.claimed && dl.token == token && dl.user == user {
			d = dl
			d.claimed = true
			// Hand the socket over before releasing c.mu: DownloadAt
			// removes d under c.mu and then drains fconn, so the socket
			// is either taken by the Download or drained and closed by
			// it, never left behind. Capacity 1 and claimed once: the
			// send never blocks.
			d.fconn <- conn
			hook = d.afterClaim
			break
		}
	}
	c.mu.Unlock()
	if d == nil {
		c.log.Debug("slsk: F connection for no download", "user", user, "token", token)
		c.untrackConn(conn)
		return
	}
	if hook != nil {
		hook()
	}
}
