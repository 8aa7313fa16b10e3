package slskclient

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
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

// download is one Download in progress, from QueueUpload to the end of
// the F connection (spec §3.4, downloader side). Fields after path are
// guarded by Client.mu.
type download struct {
	user, path string
	offset     int64

	offered bool   // the uploader's TransferRequest was accepted
	claimed bool   // the F connection arrived
	token   uint32 // the uploader's transfer token
	size    int64

	fconn  chan net.Conn // capacity 1: the F socket, token already read
	failed chan error    // capacity 1
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
	if offset < 0 {
		return 0, fmt.Errorf("slskclient: negative offset %d", offset)
	}
	d := &download{user: user, path: path, offset: offset, fconn: make(chan net.Conn, 1), failed: make(chan error, 1)}
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
// §3.4 step 3): allowed if we are waiting for that file from that user,
// "Cancelled" otherwise.
func (c *Client) onUploadOffer(p *peerConn, m *slsk.TransferRequest) {
	var d *download
	c.mu.Lock()
	for dl := range c.downloads {
		if dl.user == p.user && dl.path == m.Filename && !dl.offered {
			d = dl
			break
		}
	}
	if d != nil {
		d.offered, d.token, d.size = true, m.Token, int64(m.Size)
	}
	c.mu.Unlock()
	if d == nil {
		p.send(&slsk.TransferResponse{Token: m.Token, Reason: slsk.ReasonCancelled})
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
	c.mu.Lock()
	for dl := range c.downloads {
		if dl.offered && !dl.claimed && dl.token == token && dl.user == user {
			d = dl
			d.claimed = true
			break
		}
	}
	c.mu.Unlock()
	if d == nil {
		c.log.Debug("slsk: F connection for no download", "user", user, "token", token)
		c.untrackConn(conn)
		return
	}
	d.fconn <- conn // capacity 1 and claimed once: never blocks
}

// DownloadFile downloads path from user into Options.DownloadDir, named
// after the last component of the virtual path. The data goes to
// "NAME.part" first and is renamed when complete; an existing .part file
// is resumed (DownloadAt). It refuses to overwrite an existing NAME. It
// returns the final file name.
func (c *Client) DownloadFile(ctx context.Context, user, path string, progress func(done, total int64)) (string, error) {
	name := localName(path)
	if name == "" {
		return "", fmt.Errorf("slskclient: no usable file name in %q", path)
	}
	if err := os.MkdirAll(c.opts.DownloadDir, 0o755); err != nil {
		return "", err
	}
	final := filepath.Join(c.opts.DownloadDir, name)
	if _, err := os.Lstat(final); err == nil {
		return "", fmt.Errorf("slskclient: %s already exists", final)
	}
	part := final + ".part"
	f, err := os.OpenFile(part, os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		return "", err
	}
	defer f.Close()
	offset, err := f.Seek(0, io.SeekEnd)
	if err != nil {
		return "", err
	}
	if _, err := c.DownloadAt(ctx, user, path, offset, f, progress); err != nil {
		return "", err
	}
	if err := f.Close(); err != nil {
		return "", err
	}
	if err := os.Rename(part, final); err != nil {
		return "", err
	}
	return final, nil
}

// localName is the last component of a virtual path, made safe as a
// local file name: no separators, no "." or "..".
func localName(virtual string) string {
	if i := strings.LastIndexAny(virtual, `\/`); i >= 0 {
		virtual = virtual[i+1:]
	}
	virtual = strings.Map(func(r rune) rune {
		if r == 0 || r == '/' || r == '\\' {
			return '_'
		}
		return r
	}, virtual)
	if virtual == "." || virtual == ".." {
		return ""
	}
	return virtual
}
