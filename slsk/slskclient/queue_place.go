package slskclient

import (
	"context"

	"github.com/revival-net/revival/slsk"
)

// QueuePlace is an uploader telling us where our download of Path waits in
// its queue (PlaceInQueueResponse, spec §3.3 code 44), in answer to
// PlaceInQueue or on its own. Place counts from 1; 0 means the upload is
// starting (our own uploader answers 0 once it has offered the file). It
// is reported only while a Download of Path from User is waiting for its
// F connection.
type QueuePlace struct {
	User  string
	Path  string
	Place uint32
}

func (QueuePlace) event() {}

// PlaceInQueue asks user where our queued download of path stands
// (PlaceInQueueRequest, spec §3.3 code 51). The answer, if the uploader
// gives one, arrives as a QueuePlace event; uploaders do not answer for
// files they have not queued.
func (c *Client) PlaceInQueue(ctx context.Context, user, path string) error {
	return c.sendPeer(ctx, user, &slsk.PlaceInQueueRequest{Filename: path})
}

// onPlaceInQueue reports an uploader's PlaceInQueueResponse if it is about
// a download we are waiting for from that user; others are ignored, so a
// peer cannot fill Events with them.
func (c *Client) onPlaceInQueue(user string, m *slsk.PlaceInQueueResponse) {
	c.mu.Lock()
	waiting := false
	for d := range c.downloads {
		if d.user == user && d.path == m.Filename && !d.claimed {
			waiting = true
			break
		}
	}
	c.mu.Unlock()
	if waiting {
		c.events.push(QueuePlace{User: user, Path: m.Filename, Place: m.Place})
	}
}

// placeInQueue is where user's upload of path stands (PlaceInQueueResponse,
// spec §3.3 code 44): 0 once it is offered or running, else its 1-based
// turn in the round-robin order the queue will serve it in. ok is false
// for a file user has not queued.
func (c *Client) placeInQueue(user, path string) (place uint32, ok bool) {
	q := &c.up
	c.mu.Lock()
	defer c.mu.Unlock()
	j := q.files[queueKey{user, path}]
	if j == nil {
		return 0, false
	}
	if j.state != jobHeld && j.state != jobWaiting {
		return 0, true
	}
	u := q.users[user]
	i := len(u.waiting) // a held job will join at the end
	for k, w := range u.waiting {
		if w == j {
			i = k
			break
		}
	}
	// Each round serves every user with a job left once, in turn order:
	// before j come i jobs of its own user, min(n, i) of each other user
	// with n waiting, and one more from each user whose turn comes before
	// ours and who still has a job in round i.
	ahead := i
	for name, v := range q.users {
		if name == user {
			continue
		}
		n := len(v.waiting)
		ahead += min(n, i)
		if v.before(u) && n > i {
			ahead++
		}
	}
	return uint32(ahead + 1), true
}
