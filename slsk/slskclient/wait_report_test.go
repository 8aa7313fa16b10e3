package slskclient

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/revival-net/revival/slsk"
)

// TestWaitReportSkipsStaleReport plays a server that pushes a report about
// alice just before it answers our request (the push for her previous
// SharedFoldersFiles or SetStatus, spec §2.1): GetUserStats and
// GetUserStatus would take it for the answer, WaitUserStats and
// WaitUserStatus wait for the value asked for.
func TestWaitReportSkipsStaleReport(t *testing.T) {
	tests := []struct {
		name         string
		isRequest    func(slsk.ServerMessage) bool
		stale, fresh slsk.ServerMessage
		wait         func(*Client) (any, error)
	}{
		{
			name:      "stats",
			isRequest: func(m slsk.ServerMessage) bool { _, ok := m.(*slsk.GetUserStats); return ok },
			stale:     &slsk.GetUserStatsReply{Username: "alice", Stats: slsk.UserStats{Files: 3, Dirs: 3}},
			fresh:     &slsk.GetUserStatsReply{Username: "alice", Stats: slsk.UserStats{Files: 4, Dirs: 4}},
			wait: func(c *Client) (any, error) {
				return c.WaitUserStats(testCtx(t), "alice", func(r *slsk.GetUserStatsReply) bool { return r.Stats.Files == 4 })
			},
		},
		{
			name:      "status",
			isRequest: func(m slsk.ServerMessage) bool { _, ok := m.(*slsk.GetUserStatus); return ok },
			stale:     &slsk.GetUserStatusReply{Username: "alice", Status: slsk.StatusOnline},
			fresh:     &slsk.GetUserStatusReply{Username: "alice", Status: slsk.StatusAway},
			wait: func(c *Client) (any, error) {
				return c.WaitUserStatus(testCtx(t), "alice", func(r *slsk.GetUserStatusReply) bool { return r.Status == slsk.StatusAway })
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := startFakeServer(t)
			c, err := Dial(testCtx(t), f.addr, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			conn := f.accepted()
			type result struct {
				m   any
				err error
			}
			done := make(chan result, 1)
			go func() {
				m, err := tc.wait(c)
				done <- result{m, err}
			}()
			f.next(tc.isRequest)
			f.send(conn, tc.stale, tc.fresh)
			select {
			case r := <-done:
				if r.err != nil {
					t.Fatal(r.err)
				}
				if diff := cmp.Diff(tc.fresh, r.m); diff != "" {
					t.Errorf("report (-want +got):\n%s", diff)
				}
			case <-time.After(testTimeout):
				t.Fatal("no report accepted")
			}
		})
	}
}

// TestSubscriberKeepsNewest: a subscriber that falls behind loses the
// oldest reports, never the newest (the current state).
func TestSubscriberKeepsNewest(t *testing.T) {
	c := newTestPeer(t, "me", Options{})
	k := serverKey(slsk.CodeGetUserStats, "alice")
	ch, cancel := c.subscribe(k)
	defer cancel()
	const n = reportBuffer + 5
	for i := range n {
		c.deliver(k, i)
	}
	var got []int
	for len(ch) > 0 {
		got = append(got, (<-ch).(int))
	}
	if len(got) != reportBuffer || got[0] != n-reportBuffer || got[len(got)-1] != n-1 {
		t.Errorf("subscriber kept %v, want %d..%d", got, n-reportBuffer, n-1)
	}
	cancel()
	if c.deliver(k, 0) {
		t.Error("a cancelled subscriber still receives")
	}
}
