package slskclient

import (
	"context"
	"fmt"
	"time"

	"github.com/revival-net/revival/slsk"
)

// JoinRoom joins (or creates) a public room and returns its member list
// (spec §2 code 14). A private room we may not enter gives an error
// (CantCreateRoom, code 1003). Room-name errors come only as a private
// message from "server", so for those JoinRoom waits until ctx ends.
func (c *Client) JoinRoom(ctx context.Context, room string) (*slsk.JoinRoomReply, error) {
	m, err := c.roundTrip(ctx, &slsk.JoinRoom{Room: room}, serverKey(slsk.CodeJoinRoom, room))
	if err != nil {
		return nil, err
	}
	switch m := m.(type) {
	case *slsk.JoinRoomReply:
		return m, nil
	default:
		return nil, fmt.Errorf("slskclient: cannot join room %q: it is private", room)
	}
}

// LeaveRoom leaves a room and waits for the server's echo (spec §2 code 15).
func (c *Client) LeaveRoom(ctx context.Context, room string) error {
	_, err := c.roundTrip(ctx, &slsk.LeaveRoom{Room: room}, serverKey(slsk.CodeLeaveRoom, room))
	return err
}

// Say sends a line to a joined room (spec §2 code 13). The server echoes
// it back as a RoomMessage event.
func (c *Client) Say(room, text string) error {
	return c.send(&slsk.SayChatroom{Room: room, Message: text})
}

// RoomList asks for the list of rooms (spec §2 code 64).
func (c *Client) RoomList(ctx context.Context) (*slsk.RoomListReply, error) {
	m, err := c.roundTrip(ctx, &slsk.RoomList{}, serverKey(slsk.CodeRoomList, ""))
	if err != nil {
		return nil, err
	}
	return m.(*slsk.RoomListReply), nil
}

// SendPrivateMessage sends a private message (spec §2 code 22). The server
// keeps it for an offline user until they log in.
func (c *Client) SendPrivateMessage(user, text string) error {
	return c.send(&slsk.MessageUser{Username: user, Message: text})
}

// WatchUser asks to be told about user's status changes (StatusChanged
// events) and returns the user's current state (spec §2 code 5).
func (c *Client) WatchUser(ctx context.Context, user string) (*slsk.WatchUserReply, error) {
	m, err := c.roundTrip(ctx, &slsk.WatchUser{Username: user}, serverKey(slsk.CodeWatchUser, user))
	if err != nil {
		return nil, err
	}
	return m.(*slsk.WatchUserReply), nil
}

// UnwatchUser stops status updates about user (spec §2 code 6).
func (c *Client) UnwatchUser(user string) error {
	return c.send(&slsk.UnwatchUser{Username: user})
}

// GetUserStatus asks for user's status (spec §2 code 7). The answer is
// the first status report about user after the request: one the server
// pushed just before it read the request can take its place, so to wait
// for a change use WaitUserStatus (wait_report.go).
func (c *Client) GetUserStatus(ctx context.Context, user string) (*slsk.GetUserStatusReply, error) {
	m, err := c.roundTrip(ctx, &slsk.GetUserStatus{Username: user}, serverKey(slsk.CodeGetUserStatus, user))
	if err != nil {
		return nil, err
	}
	return m.(*slsk.GetUserStatusReply), nil
}

// GetUserStats asks for user's statistics (spec §2 code 36). The answer
// is the first stats report about user after the request: one the server
// pushed just before it read the request (after our own Rescan, say) can
// take its place, so to wait for a change use WaitUserStats
// (wait_report.go).
func (c *Client) GetUserStats(ctx context.Context, user string) (*slsk.GetUserStatsReply, error) {
	m, err := c.roundTrip(ctx, &slsk.GetUserStats{Username: user}, serverKey(slsk.CodeGetUserStats, user))
	if err != nil {
		return nil, err
	}
	return m.(*slsk.GetUserStatsReply), nil
}

// SetStatus sets our status to slsk.StatusAway or slsk.StatusOnline
// (spec §2 code 28).
func (c *Client) SetStatus(status slsk.UserStatus) error {
	return c.send(&slsk.SetStatus{Status: status})
}

// GetPeerAddress asks where user listens for peers (spec §2 code 3). An
// offline user has the zero address and port 0.
func (c *Client) GetPeerAddress(ctx context.Context, user string) (*slsk.GetPeerAddressReply, error) {
	m, err := c.roundTrip(ctx, &slsk.GetPeerAddress{Username: user}, serverKey(slsk.CodeGetPeerAddress, user))
	if err != nil {
		return nil, err
	}
	return m.(*slsk.GetPeerAddressReply), nil
}

// CheckPrivileges asks how much privileged time we have left (spec §2
// code 92).
func (c *Client) CheckPrivileges(ctx context.Context) (time.Duration, error) {
	m, err := c.roundTrip(ctx, &slsk.CheckPrivileges{}, serverKey(slsk.CodeCheckPrivileges, ""))
	if err != nil {
		return 0, err
	}
	return time.Duration(m.(*slsk.CheckPrivilegesReply).Seconds) * time.Second, nil
}
