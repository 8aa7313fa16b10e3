package slskload

import (
	"bufio"
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/revival-net/revival/internal/wire"
	"github.com/revival-net/revival/slsk"
)

// Client-side buffer sizes. A simulated client must be light, since 10,000
// of them share the machine with the server: the bufio buffer batches the
// small frames of a fan-out burst into one read, and frames larger than it
// (a 1,000-member JoinRoom reply) are read straight into their own slice.
const (
	readBufSize = 512
	maxFrame    = 4 << 20 // the largest server frame a client accepts
)

// Login versions sent by every simulated client: Nicotine+ 3.4's (spec §1.3).
const (
	loginMajor = 160
	loginMinor = 3
)

// waitPort is the listening port the clients announce with SetWaitPort.
// Nothing listens there: peers never connect to simulated clients.
const waitPort = 2234

// loginFrames returns Login followed by SetWaitPort, in one buffer: real
// clients pipeline them without waiting for the reply (spec §1.4).
func loginFrames(name, password string) []byte {
	sum := md5.Sum([]byte(name + password))
	b := slsk.AppendServerFrame(nil, &slsk.Login{
		Username: name, Password: password, Major: loginMajor, Hash: hex.EncodeToString(sum[:]), Minor: loginMinor,
	})
	return slsk.AppendServerFrame(b, &slsk.SetWaitPort{Port: waitPort})
}

// LoginError is a login the server refused with a LoginReply failure
// (spec §1.3), as opposed to a network error.
type LoginError struct {
	User, Reason, Detail string
}

func (e *LoginError) Error() string {
	if e.Detail != "" {
		return fmt.Sprintf("login %s refused: %s (%s)", e.User, e.Reason, e.Detail)
	}
	return fmt.Sprintf("login %s refused: %s", e.User, e.Reason)
}

// dialLogin connects to addr and logs in as name: it sends Login and
// SetWaitPort, then reads until the LoginReply. On success the connection
// is positioned just after the reply, so the caller's reader sees the
// post-login messages (spec §1.5) next.
func dialLogin(ctx context.Context, addr, name, password string, timeout time.Duration) (net.Conn, *wire.FrameReader, error) {
	d := net.Dialer{Timeout: timeout}
	nc, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, nil, err
	}
	fr, err := login(nc, name, password, timeout)
	if err != nil {
		_ = nc.Close()
		return nil, nil, err
	}
	return nc, fr, nil
}

func login(nc net.Conn, name, password string, timeout time.Duration) (*wire.FrameReader, error) {
	_ = nc.SetDeadline(time.Now().Add(timeout))
	if _, err := nc.Write(loginFrames(name, password)); err != nil {
		return nil, fmt.Errorf("login %s: %w", name, err)
	}
	fr := wire.NewFrameReader(bufio.NewReaderSize(nc, readBufSize), maxFrame)
	for {
		body, err := fr.Next()
		if err != nil {
			return nil, fmt.Errorf("login %s: %w", name, err)
		}
		code, payload, err := slsk.SplitServerFrame(body)
		if err != nil {
			return nil, fmt.Errorf("login %s: %w", name, err)
		}
		if code != slsk.CodeLogin {
			continue // nothing should precede the reply; tolerate it anyway
		}
		var lr slsk.LoginReply
		r := wire.NewReader(payload)
		lr.Decode(r)
		if err := r.Err(); err != nil {
			return nil, fmt.Errorf("login %s: bad reply: %w", name, err)
		}
		if !lr.Success {
			return nil, &LoginError{User: name, Reason: lr.Reason, Detail: lr.Detail}
		}
		_ = nc.SetDeadline(time.Time{})
		return fr, nil
	}
}

// errNotConnected is returned by send on a client whose login failed.
var errNotConnected = errors.New("slskload: client not connected")

// send writes one message. Each phase writes to a client from one
// goroutine at a time, so writes need no lock; the reader goroutine never
// writes.
func (c *client) send(m slsk.ServerMessage, timeout time.Duration) error {
	if c == nil || c.nc == nil {
		return errNotConnected
	}
	_ = c.nc.SetWriteDeadline(time.Now().Add(timeout))
	_, err := c.nc.Write(slsk.AppendServerFrame(nil, m))
	return err
}
