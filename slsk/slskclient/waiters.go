package slskclient

import (
	"context"
	"slices"

	"github.com/revival-net/revival/slsk"
)

// waitKey names an expected reply: a server or peer code and the user,
// room or token it is about ("" when the code alone identifies it). A
// tagged key also carries the token of the request, for replies that echo
// it (FolderContentsResponse, spec §3.3 code 37), so that concurrent
// requests to one user each get their own answer.
type waitKey struct {
	peer   bool
	code   uint32
	key    string
	tagged bool
	token  uint32
}

func serverKey(code slsk.ServerCode, key string) waitKey {
	return waitKey{code: uint32(code), key: key}
}

func peerKey(code slsk.PeerCode, user string) waitKey {
	return waitKey{peer: true, code: uint32(code), key: user}
}

// peerTokenKey names the reply from user to the request tagged token.
// The user stays in the key: a reply only counts when it comes from the
// peer we asked, whatever token another peer guesses.
func peerTokenKey(code slsk.PeerCode, user string, token uint32) waitKey {
	return waitKey{peer: true, code: uint32(code), key: user, tagged: true, token: token}
}

// replyKey narrows k to the request m answers when m echoes its request's
// token. Handlers deliver by code and user alone (peer_handle.go); the
// narrowing here means they need not know which replies carry tokens.
func replyKey(k waitKey, m any) waitKey {
	if fc, ok := m.(*slsk.FolderContentsResponse); ok && k.peer && !k.tagged {
		k.tagged, k.token = true, fc.Token
	}
	return k
}

// await registers a one-shot waiter for k. Register before sending the
// request, so a fast reply cannot slip past. cancel removes the waiter if
// no reply came.
func (c *Client) await(k waitKey) (ch chan any, cancel func()) {
	ch = make(chan any, 1)
	c.mu.Lock()
	c.waiters[k] = append(c.waiters[k], ch)
	c.mu.Unlock()
	return ch, func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		ws := c.waiters[k]
		for i, w := range ws {
			if w == ch {
				ws = append(ws[:i:i], ws[i+1:]...)
				break
			}
		}
		if len(ws) == 0 {
			delete(c.waiters, k)
		} else {
			c.waiters[k] = ws
		}
	}
}

// subscribe registers a subscriber (in Client.reports) that sees every
// message delivered for k until cancel, not only the first (waitReport).
// Its channel keeps the newest reportBuffer messages: when the subscriber
// falls behind, the oldest is dropped, never the newest, which is the
// current state.
func (c *Client) subscribe(k waitKey) (ch chan any, cancel func()) {
	ch = make(chan any, reportBuffer)
	c.mu.Lock()
	if c.reports == nil {
		c.reports = map[waitKey][]chan any{}
	}
	c.reports[k] = append(c.reports[k], ch)
	c.mu.Unlock()
	return ch, func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		ws := slices.DeleteFunc(c.reports[k], func(w chan any) bool { return w == ch })
		if len(ws) == 0 {
			delete(c.reports, k)
		} else {
			c.reports[k] = ws
		}
	}
}

// reportBuffer is how many undelivered reports a subscriber keeps.
const reportBuffer = 16

// deliver hands m to every waiter for k (narrowed by replyKey) and every
// subscriber, and reports whether there was one. Waiters that share a key
// asked the same question (two Browse calls to one user), so one answer
// serves them all; replies to token-tagged requests go only to the
// request with that token. It never blocks: each waiter channel has room
// for its one reply, and a full subscriber loses its oldest message.
func (c *Client) deliver(k waitKey, m any) bool {
	k = replyKey(k, m)
	c.mu.Lock()
	ws := c.waiters[k]
	delete(c.waiters, k)
	subs := slices.Clone(c.reports[k])
	c.mu.Unlock()
	for _, w := range ws {
		w <- m
	}
	for _, s := range subs {
		for sent := false; !sent; {
			select {
			case s <- m:
				sent = true
			default:
				select { // full: drop the oldest
				case <-s:
				default:
				}
			}
		}
	}
	return len(ws)+len(subs) > 0
}

// roundTrip sends req to the server and waits for the reply named k.
func (c *Client) roundTrip(ctx context.Context, req slsk.ServerMessage, k waitKey) (any, error) {
	ch, cancel := c.await(k)
	defer cancel()
	if err := c.send(req); err != nil {
		return nil, err
	}
	return c.wait(ctx, ch)
}

// wait waits for a registered reply, ctx, or the end of the client.
func (c *Client) wait(ctx context.Context, ch chan any) (any, error) {
	select {
	case m := <-ch:
		return m, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-c.closing:
		return nil, c.failure()
	}
}

// failure returns why the client ended, never nil once it has.
func (c *Client) failure() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err == nil {
		return ErrClosed
	}
	return c.err
}
