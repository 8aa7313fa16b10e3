package slskclient

import (
	"context"
	"sync"
	"time"

	"github.com/revival-net/revival/slsk"
)

// SearchResult is one peer's answer to a search (spec §3.3 code 9): the
// matching files, with virtual backslash paths to pass to Download.
type SearchResult struct {
	User        string
	Token       uint32
	Files       []slsk.File
	SlotFree    bool
	AvgSpeed    uint32
	QueueLength uint32
}

// Search is a running search. Results come from other peers over P
// connections, not from the server, so there is no end marker: the search
// lasts until the ctx given to Search ends, and then Results is closed.
type Search struct {
	c     *Client
	Token uint32
	Query string

	mu      sync.Mutex
	closed  bool
	out     chan SearchResult
	dropped int
	stop    func()
}

// Results returns the channel of results. It holds Options.SearchBuffer
// results for a slow reader; later ones are dropped (see Dropped). It is
// closed when the search's ctx ends or the client shuts down.
func (s *Search) Results() <-chan SearchResult { return s.out }

// Dropped returns how many results were dropped because Results was full.
func (s *Search) Dropped() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dropped
}

func (s *Search) add(r SearchResult) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	select {
	case s.out <- r:
	default:
		s.dropped++
	}
}

func (s *Search) close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	close(s.out)
	stop := s.stop
	s.mu.Unlock()
	if stop != nil {
		stop()
	}
	s.c.mu.Lock()
	delete(s.c.searches, s.Token)
	s.c.mu.Unlock()
}

// Search starts a global search (spec §2 code 26). The server passes it
// to other users, whose clients answer us directly.
func (c *Client) Search(ctx context.Context, query string) (*Search, error) {
	return c.startSearch(ctx, query, func(token uint32) slsk.ServerMessage {
		return &slsk.FileSearch{Token: token, Query: query}
	})
}

// UserSearch searches one user's files (spec §2 code 42).
func (c *Client) UserSearch(ctx context.Context, user, query string) (*Search, error) {
	return c.startSearch(ctx, query, func(token uint32) slsk.ServerMessage {
		return &slsk.UserSearch{Username: user, Token: token, Query: query}
	})
}

// RoomSearch searches the files of a room's members (spec §2 code 120).
func (c *Client) RoomSearch(ctx context.Context, room, query string) (*Search, error) {
	return c.startSearch(ctx, query, func(token uint32) slsk.ServerMessage {
		return &slsk.RoomSearch{Room: room, Token: token, Query: query}
	})
}

// SearchAll runs a global search until ctx ends (give it a deadline) and
// returns every result received. Ending by ctx is the normal case and is
// not an error; a client that shut down meanwhile is.
func (c *Client) SearchAll(ctx context.Context, query string) ([]SearchResult, error) {
	s, err := c.Search(ctx, query)
	if err != nil {
		return nil, err
	}
	var out []SearchResult
	for r := range s.Results() {
		out = append(out, r)
	}
	select {
	case <-c.closing:
		return out, c.failure()
	default:
		return out, nil
	}
}

func (c *Client) startSearch(ctx context.Context, query string, req func(uint32) slsk.ServerMessage) (*Search, error) {
	if !c.isLoggedIn() {
		return nil, ErrNotLoggedIn
	}
	s := &Search{c: c, Token: c.nextToken(), Query: query, out: make(chan SearchResult, c.opts.SearchBuffer)}
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil, c.failure()
	}
	c.searches[s.Token] = s
	c.mu.Unlock()
	if err := c.send(req(s.Token)); err != nil {
		s.close()
		return nil, err
	}
	// The search ends with its ctx or with the client, whichever is first.
	stop1 := context.AfterFunc(ctx, s.close)
	stop2 := context.AfterFunc(c.ctx, s.close)
	s.mu.Lock()
	s.stop = func() { stop1(); stop2() }
	closed := s.closed
	s.mu.Unlock()
	if closed {
		stop1()
		stop2()
	}
	return s, nil
}

// onSearchResponse routes a FileSearchResponse that arrived from user.
func (c *Client) onSearchResponse(user string, m *slsk.FileSearchResponse) {
	c.mu.Lock()
	s := c.searches[m.Token]
	c.mu.Unlock()
	if s == nil {
		return // unknown or finished search
	}
	name := m.Username
	if name == "" {
		name = user
	}
	files := append(m.Files, m.PrivateFiles...)
	s.add(SearchResult{User: name, Token: m.Token, Files: files, SlotFree: m.SlotFree, AvgSpeed: m.AvgSpeed, QueueLength: m.QueueLength})
}

// answerSearch answers someone's search from our share index (spec §2
// code 26, §4.2): every query word must occur in the path, '-' words must
// not, nor may any of the server's excluded phrases. Matches go to the
// searcher over a P connection, in a goroutine; at most cap(searchSem)
// answers are in flight and further searches are dropped meanwhile.
func (c *Client) answerSearch(searcher string, token uint32, query string) {
	c.mu.Lock()
	self, excluded := c.user, c.excluded
	c.mu.Unlock()
	if searcher == "" || searcher == self {
		return
	}
	files := c.matchFiles(query, excluded)
	if len(files) == 0 {
		return
	}
	select {
	case c.searchSem <- struct{}{}:
	default:
		c.log.Debug("slsk: too many search answers in flight; dropping", "from", searcher)
		return
	}
	ok := c.spawn(func() {
		defer func() { <-c.searchSem }()
		ctx, cancel := c.peerContext(c.opts.PeerConnectTimeout)
		defer cancel()
		resp := c.searchResponse(token, files)
		if err := c.sendPeer(ctx, searcher, resp); err != nil {
			c.log.Debug("slsk: cannot answer search", "to", searcher, "err", err)
			return
		}
		c.events.push(SearchAnswered{User: searcher, Query: query, Files: len(files)})
	})
	if !ok {
		<-c.searchSem
	}
}

// matchFiles returns the file entries matching query.
func (c *Client) matchFiles(query string, excluded []string) []slsk.File {
	entries := c.share.Load().search(parseQuery(query), excluded, c.opts.MaxSearchResults)
	files := make([]slsk.File, len(entries))
	for i, e := range entries {
		// Nicotine+ sends an empty extension in results (spec §3.3).
		files[i] = slsk.File{Code: 1, Name: e.virtual, Size: uint64(e.size)}
	}
	return files
}

// searchResponse builds our FileSearchResponse (spec §3.3 code 9).
func (c *Client) searchResponse(token uint32, files []slsk.File) *slsk.FileSearchResponse {
	return &slsk.FileSearchResponse{
		Username:    c.Username(),
		Token:       token,
		Files:       files,
		SlotFree:    c.slotFree(),
		QueueLength: uint32(c.queued.Load()),
	}
}

// peerContext returns a context for background peer work that ends after
// d or when the client shuts down.
func (c *Client) peerContext(d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(c.ctx, d)
}
