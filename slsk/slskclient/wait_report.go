package slskclient

import (
	"context"

	"github.com/revival-net/revival/slsk"
)

// A server both answers GetUserStatus and GetUserStats and pushes the same
// replies unasked: a user's status to its watchers and room co-members,
// its stats to those and to the user itself (spec §2.1, §1.5). Replies
// carry no request id, so GetUserStats takes the first report about the
// user that arrives after the request went out, and that may be one the
// server sent before it read the request: after Rescan, the push for the
// previous SharedFoldersFiles can answer the next GetUserStats. No
// matching rule can tell such a report from the answer (both come on the
// one connection, with the same code and name), so a caller that waits
// for a change says what it waits for, and these calls wait until the
// server reports it: a stale report does not match, and the answer to the
// request (sent after the server read it) or a later push does.

// WaitUserStats asks for user's statistics (spec §2 code 36) and returns
// the first report, the answer or a later push, that ok accepts. Use it to
// wait for a change the server is about to learn, such as our own counts
// after Rescan. If the server never reports an accepted value, it waits
// until ctx ends.
func (c *Client) WaitUserStats(ctx context.Context, user string, ok func(*slsk.GetUserStatsReply) bool) (*slsk.GetUserStatsReply, error) {
	m, err := c.waitReport(ctx, &slsk.GetUserStats{Username: user}, serverKey(slsk.CodeGetUserStats, user),
		func(m any) bool { return ok(m.(*slsk.GetUserStatsReply)) })
	if err != nil {
		return nil, err
	}
	return m.(*slsk.GetUserStatsReply), nil
}

// WaitUserStatus asks for user's status (spec §2 code 7) and returns the
// first report, the answer or a later push, that ok accepts; see
// WaitUserStats.
func (c *Client) WaitUserStatus(ctx context.Context, user string, ok func(*slsk.GetUserStatusReply) bool) (*slsk.GetUserStatusReply, error) {
	m, err := c.waitReport(ctx, &slsk.GetUserStatus{Username: user}, serverKey(slsk.CodeGetUserStatus, user),
		func(m any) bool { return ok(m.(*slsk.GetUserStatusReply)) })
	if err != nil {
		return nil, err
	}
	return m.(*slsk.GetUserStatusReply), nil
}

// waitReport sends req and returns the first message delivered for k that
// ok accepts. It subscribes before sending, so no report after the request
// is missed.
func (c *Client) waitReport(ctx context.Context, req slsk.ServerMessage, k waitKey, ok func(any) bool) (any, error) {
	ch, cancel := c.subscribe(k)
	defer cancel()
	if err := c.send(req); err != nil {
		return nil, err
	}
	for {
		m, err := c.wait(ctx, ch)
		if err != nil {
			return nil, err
		}
		if ok(m) {
			return m, nil
		}
	}
}
