package slskclient

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"net/netip"

	"github.com/revival-net/revival/slsk"
)

// LoginInfo is what the server says when it accepts a login (spec §1.3).
type LoginInfo struct {
	Greeting  string     // the message of the day
	IP        netip.Addr // our address as the server sees it
	Supporter bool       // has ever held privileges
}

// LoginError is a refused login. Reason is the server's code, such as
// slsk.ReasonInvalidPass; Detail explains INVALIDUSERNAME (spec §1.3).
type LoginError struct {
	Reason string
	Detail string
}

// Error describes the refusal with the server's reason code.
func (e *LoginError) Error() string {
	if e.Detail != "" {
		return fmt.Sprintf("slskclient: login refused: %s (%s)", e.Reason, e.Detail)
	}
	return "slskclient: login refused: " + e.Reason
}

// errLoggedIn refuses a second Login on one connection.
var errLoggedIn = errors.New("slskclient: already logged in")

// Login logs in as user and, on success, announces the client the way
// Nicotine+ does (spec §1.4): SetWaitPort goes out right after Login
// without waiting for the reply, then HaveNoParent(1), BranchRoot(self),
// BranchLevel(0), AcceptChildren, SharedFoldersFiles, CheckPrivileges
// and SetStatus(online). The client thus starts as a distributed branch
// root: it answers the searches the server embeds in code 93 until it
// adopts a parent the server offers, and reports AcceptChildren(1) only
// when Options.MaxChildren allows children (spec §4.2, distrib.go).
// Unknown users are registered by the server.
//
// A failed Login (refused, ctx ended, connection lost) ends the client
// and Username reports "" again: Close it and Dial again to retry. A
// server answers only the first Login of a connection (ours ignores a
// later one, a banned user gets no answer at all, spec §1.3), so a retry
// on the same connection would wait forever, and once ctx has ended
// before the reply, whether the server logged us in is unknown. A refused
// login returns a *LoginError.
func (c *Client) Login(ctx context.Context, user, password string) (*LoginInfo, error) {
	c.mu.Lock()
	if c.loggedIn || c.user != "" {
		c.mu.Unlock()
		return nil, errLoggedIn
	}
	c.user = user
	c.mu.Unlock()

	r, err := c.login(ctx, user, password)
	if err != nil {
		c.mu.Lock()
		c.user = ""
		c.mu.Unlock()
		c.shutdown(fmt.Errorf("slskclient: login failed: %w", err))
		return nil, err
	}
	c.mu.Lock()
	c.loggedIn = true
	c.mu.Unlock()

	idx := c.share.Load()
	err = c.sendAll(
		&slsk.HaveNoParent{NoParent: true},
		&slsk.BranchRoot{Root: user},
		&slsk.BranchLevel{Level: 0},
		&slsk.AcceptChildren{Accept: c.distLogin(user)}, // distrib.go
		&slsk.SharedFoldersFiles{Dirs: uint32(idx.dirCount()), Files: uint32(idx.files)},
		&slsk.CheckPrivileges{},
		&slsk.SetStatus{Status: slsk.StatusOnline},
	)
	if err != nil {
		return nil, err
	}
	return &LoginInfo{Greeting: r.Greeting, IP: r.IP, Supporter: r.Supporter}, nil
}

// login sends Login and SetWaitPort and waits for the server's answer,
// turning a refusal into a *LoginError.
func (c *Client) login(ctx context.Context, user, password string) (*slsk.LoginReply, error) {
	ch, cancel := c.await(serverKey(slsk.CodeLogin, ""))
	defer cancel()
	sum := md5.Sum([]byte(user + password))
	err := c.sendAll(
		&slsk.Login{Username: user, Password: password, Major: c.opts.Major, Hash: hex.EncodeToString(sum[:]), Minor: c.opts.Minor},
		&slsk.SetWaitPort{Port: c.listenPort()},
	)
	if err != nil {
		return nil, err
	}
	m, err := c.wait(ctx, ch)
	if err != nil {
		return nil, err
	}
	r := m.(*slsk.LoginReply)
	if !r.Success {
		return nil, &LoginError{Reason: r.Reason, Detail: r.Detail}
	}
	return r, nil
}

// sendAll queues messages in order and stops at the first error.
func (c *Client) sendAll(ms ...slsk.ServerMessage) error {
	for _, m := range ms {
		if err := c.send(m); err != nil {
			return err
		}
	}
	return nil
}

// Send queues any client-to-server message, for the codes this package has
// no call for (tickers, interests, private rooms, ...). Replies arrive as
// Unhandled events.
func (c *Client) Send(m slsk.ServerMessage) error { return c.send(m) }

// Rescan indexes Options.ShareDir again and reports the new counts to the
// server with SharedFoldersFiles (spec §2 code 35).
func (c *Client) Rescan() error {
	if c.opts.ShareDir == "" {
		return nil
	}
	idx, err := indexShare(c.opts.ShareDir, c.opts.ShareName, c.opts.MaxSharedFiles)
	if err != nil {
		return err
	}
	idx.warnIfEmpty(c.log, c.opts.ShareDir)
	c.share.Store(idx)
	if !c.isLoggedIn() {
		return nil
	}
	return c.send(&slsk.SharedFoldersFiles{Dirs: uint32(idx.dirCount()), Files: uint32(idx.files)})
}

func (c *Client) isLoggedIn() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.loggedIn
}

// SharedCounts returns the folders and files we share.
func (c *Client) SharedCounts() (dirs, files int) {
	idx := c.share.Load()
	return idx.dirCount(), idx.files
}
