package slskclient

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/revival-net/revival/internal/wire"
	"github.com/revival-net/revival/slsk"
)

// maxInflating bounds the zlib peer messages (share lists, folder
// contents, search answers; spec §3.3) one client inflates and decodes at
// once. Each may cost its type's slsk.ZlibLimit (a share list up to 64 MiB
// inflated and twice that decoded), and any number of sockets may deliver
// one at the same moment; further messages wait on their reader goroutine
// for a slot.
const maxInflating = 2

// PeerStats counts what the client did with responses from peers; see
// Client.PeerStats.
type PeerStats struct {
	// Unsolicited is how many responses answered no request of ours (a
	// share list, folder contents or user info nobody asked for, an answer
	// to a search that is not running or that has what it may keep from
	// that user, a transfer answer for no transfer) and were dropped
	// without being decoded. Most were not even read into memory: the
	// frame header says what they are.
	Unsolicited int64
	// Refused is how many answers to our requests were refused at their
	// type's cap (inflated size, entries or decoded bytes).
	Refused int64
	// Inflated is how many zlib messages were inflated.
	Inflated int64
}

// PeerStats returns the counts since the client started: how many
// unsolicited responses it dropped, how many answers it refused as too
// large, how many zlib messages it inflated.
func (c *Client) PeerStats() PeerStats {
	return PeerStats{
		Unsolicited: c.peerIn.unsolicited.Load(),
		Refused:     c.peerIn.refused.Load(),
		Inflated:    c.peerIn.inflated.Load(),
	}
}

// peerInbound is the client's guard on what peers send it: the inflation
// slots and the counts of PeerStats. Its zero value is ready.
type peerInbound struct {
	once  sync.Once
	slots chan struct{}

	unsolicited, refused, inflated atomic.Int64

	// Tests only, set before any peer connects: limit replaces the
	// slsk defaults; waiting runs when a message waits for a slot,
	// entered when it has one.
	limit            func(slsk.PeerCode) slsk.ZlibLimit
	waiting, entered func()
}

// acquire takes an inflation slot, waiting for one unless the client
// shuts down first (then it reports false).
func (in *peerInbound) acquire(closing <-chan struct{}) bool {
	in.once.Do(func() { in.slots = make(chan struct{}, maxInflating) })
	select {
	case in.slots <- struct{}{}:
	default:
		if in.waiting != nil {
			in.waiting()
		}
		select {
		case in.slots <- struct{}{}:
		case <-closing:
			return false
		}
	}
	if in.entered != nil {
		in.entered()
	}
	return true
}

func (in *peerInbound) release() { <-in.slots }

// zlibLimit returns the cap for a zlib message of code; ok is false for
// other codes.
func (in *peerInbound) zlibLimit(code slsk.PeerCode) (slsk.ZlibLimit, bool) {
	lim, ok := slsk.DefaultZlibLimit(code)
	if ok && in.limit != nil {
		lim = in.limit(code)
	}
	return lim, ok
}

// frameLimit is the largest frame body of code worth reading.
func (in *peerInbound) frameLimit(code slsk.PeerCode) uint32 {
	if lim, ok := in.zlibLimit(code); ok {
		return lim.FrameLimit()
	}
	return slsk.MaxPeerFrame
}

// wantPeer decides from a frame's code alone, before its payload is read,
// whether a message from user is worth reading: requests always are (we
// answer them); a response only when a request of ours could be waiting
// for it. response reports whether code is a response, so that dropping
// it counts as unsolicited; codes we do not act on are skipped uncounted.
func (c *Client) wantPeer(user string, code slsk.PeerCode) (want, response bool) {
	switch code {
	case slsk.PeerCodeSharedFileListRequest, slsk.PeerCodeFileSearchRequest,
		slsk.PeerCodeUserInfoRequest, slsk.PeerCodeFolderContentsRequest,
		slsk.PeerCodeTransferRequest, slsk.PeerCodeQueueUpload,
		slsk.PeerCodePlaceInQueueRequest:
		return true, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	switch code {
	case slsk.PeerCodeSharedFileListResponse, slsk.PeerCodeUserInfoResponse:
		return len(c.waiters[peerKey(code, user)]) > 0, true
	case slsk.PeerCodeFolderContentsResponse:
		for k := range c.waiters {
			if k.peer && k.code == uint32(code) && k.key == user {
				return true, true
			}
		}
		return false, true
	case slsk.PeerCodeFileSearchResponse:
		return len(c.searches) > 0, true
	case slsk.PeerCodeTransferResponse:
		for _, u := range c.uploads {
			if u.user == user {
				return true, true
			}
		}
		return false, true
	case slsk.PeerCodePlaceInQueueResponse, slsk.PeerCodeUploadFailed, slsk.PeerCodeUploadDenied:
		for d := range c.downloads {
			if d.user == user {
				return true, true
			}
		}
		return false, true
	}
	return false, false
}

// decodePeer decodes a P frame body (code and payload) from p that
// wantPeer let through. Zlib answers are checked once more against the
// token they echo, which only their first inflated bytes hold, and are
// then inflated within their type's limit and an inflation slot. A nil
// message with a nil error is an answer dropped as unsolicited. An answer
// to our request that is refused is also delivered to that request as
// an error, so the caller learns why rather than waiting for its ctx.
func (c *Client) decodePeer(p *peerConn, code slsk.PeerCode, body []byte) (slsk.PeerMessage, error) {
	lim, isZlib := c.peerIn.zlibLimit(code)
	if !isZlib {
		m, err := slsk.DecodePeer(body)
		if err != nil && code == slsk.PeerCodeUserInfoResponse {
			c.deliver(peerKey(code, p.user), peerError(code, err))
		}
		return m, err
	}
	var key waitKey
	var search *Search
	payload := body[4:]
	switch code {
	case slsk.PeerCodeSharedFileListResponse:
		key = peerKey(code, p.user)
	case slsk.PeerCodeFolderContentsResponse:
		token, err := slsk.PeekFolderContentsToken(payload)
		if err != nil {
			return nil, err
		}
		key = peerTokenKey(code, p.user, token)
		c.mu.Lock()
		asked := len(c.waiters[key]) > 0
		c.mu.Unlock()
		if !asked {
			c.peerIn.unsolicited.Add(1)
			return nil, nil
		}
	case slsk.PeerCodeFileSearchResponse:
		_, token, err := slsk.PeekFileSearchToken(payload)
		if err != nil {
			return nil, err
		}
		c.mu.Lock()
		search = c.searches[token]
		c.mu.Unlock()
		if search == nil || !search.admits(p.user) {
			c.peerIn.unsolicited.Add(1)
			return nil, nil
		}
	}
	if !c.peerIn.acquire(c.closing) {
		return nil, c.failure()
	}
	c.peerIn.inflated.Add(1)
	m, err := slsk.DecodePeerLimited(body, lim)
	c.peerIn.release()
	if err != nil {
		if errors.Is(err, wire.ErrInflateTooLarge) || errors.Is(err, slsk.ErrTooManyEntries) {
			c.peerIn.refused.Add(1)
		}
		if search != nil {
			search.refuse()
		} else {
			c.deliver(key, peerError(code, err))
		}
		return nil, err
	}
	return m, nil
}

// peerError is what a request learns when its answer was refused.
func peerError(code slsk.PeerCode, err error) error {
	return fmt.Errorf("slskclient: the peer's %v was refused: %w", code, err)
}

// admits reports whether an answer from user could still be kept (the
// search runs, user has not answered, there is room in Results and in
// the files budget), so an answer that could not is dropped before it is
// inflated. It counts such an answer in Dropped.
func (s *Search) admits(user string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	_, seen := s.seen[user]
	if seen || len(s.out) == cap(s.out) || s.files >= s.c.opts.MaxSearchFiles || s.bytes >= maxSearchBytes {
		s.dropped++
		return false
	}
	return true
}

// refuse counts an answer refused at its cap in Dropped.
func (s *Search) refuse() {
	s.mu.Lock()
	s.dropped++
	s.mu.Unlock()
}
