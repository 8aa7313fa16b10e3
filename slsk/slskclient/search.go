package slskclient

import (
	"context"
	"sync"
	"time"
	"unsafe"

	"github.com/revival-net/revival/slsk"
)

// SearchResult is one peer's answer to a search (spec §3.3 code 9): the
// matching files, with virtual backslash paths to pass to Download.
//
// User is the name of the peer connection the answer came on (its PeerInit
// name, or the user we connected to), not the name written in the
// response body, which a peer may set to anyone. Each user's first answer
// to a search is kept, later ones are dropped.
type SearchResult struct {
	User  string
	Token uint32
	Files []slsk.File
	// PrivateFiles are files the peer shares with its buddies only
	// (Nicotine+ "buddy shares", the optional last list of code 9). They
	// are listed apart because the peer refuses them to anyone not on its
	// buddy list.
	PrivateFiles []slsk.File
	SlotFree     bool
	AvgSpeed     uint32
	QueueLength  uint32
}

// Bounds on what one search keeps. A response is a zlib frame that the
// codec inflates and decodes within the search answer's slsk.ZlibLimit
// (4 MiB, 50,000 entries; peer_inbound.go), which still decodes to far
// more than a search should keep, so the decoded files are checked here:
// each response keeps at most maxResponseFiles files and maxResponseBytes
// of them (fileCost), and the whole search at most Options.MaxSearchFiles
// files and maxSearchBytes.
// Nicotine+ sends at most a few hundred results per response.
const (
	maxResponseFiles = 2000
	maxResponseBytes = 4 << 20
	maxSearchBytes   = 32 << 20
)

// fileCost is the memory a kept file entry costs: the struct, its strings
// and its attributes.
func fileCost(f *slsk.File) int {
	return int(unsafe.Sizeof(*f)) + len(f.Name) + len(f.Extension) + len(f.Attributes)*int(unsafe.Sizeof(slsk.FileAttribute{}))
}

// fileBudget is what is left to keep of one response.
type fileBudget struct {
	files, bytes int
	used         int // bytes taken so far
}

// take returns the longest prefix of in that fits the budget and charges
// it. A truncated prefix is copied, so the decoded array is not retained.
func (b *fileBudget) take(in []slsk.File) []slsk.File {
	n := 0
	for n < len(in) && b.files > 0 {
		cost := fileCost(&in[n])
		if cost > b.bytes {
			break
		}
		b.files--
		b.bytes -= cost
		b.used += cost
		n++
	}
	switch {
	case n == 0:
		return nil
	case n < len(in):
		out := make([]slsk.File, n)
		copy(out, in)
		return out
	}
	return in
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
	seen    map[string]struct{} // users whose answer was kept
	files   int                 // files kept so far
	bytes   int                 // their fileCost
}

// Results returns the channel of results. It holds Options.SearchBuffer
// results for a slow reader; later ones are dropped (see Dropped). It is
// closed when the search's ctx ends or the client shuts down.
func (s *Search) Results() <-chan SearchResult { return s.out }

// Dropped returns how many answers were not delivered: because Results
// was full, because the user had answered already, or because the search
// had kept Options.MaxSearchFiles files (or maxSearchBytes) already.
func (s *Search) Dropped() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dropped
}

// add delivers user's answer m, trimmed to what the search may still keep.
func (s *Search) add(user string, m *slsk.FileSearchResponse) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	if _, dup := s.seen[user]; dup {
		s.dropped++
		return
	}
	b := fileBudget{
		files: min(maxResponseFiles, s.c.opts.MaxSearchFiles-s.files),
		bytes: min(maxResponseBytes, maxSearchBytes-s.bytes),
	}
	files := b.take(m.Files)
	private := b.take(m.PrivateFiles)
	if len(files)+len(private) == 0 {
		s.dropped++
		return
	}
	r := SearchResult{User: user, Token: m.Token, Files: files, PrivateFiles: private, SlotFree: m.SlotFree, AvgSpeed: m.AvgSpeed, QueueLength: m.QueueLength}
	select {
	case s.out <- r:
		// Only kept answers are remembered, so seen grows no faster
		// than the files budget.
		if s.seen == nil {
			s.seen = map[string]struct{}{}
		}
		s.seen[user] = struct{}{}
		s.files += len(files) + len(private)
		s.bytes += b.used
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
// returns every result received, at most Options.MaxSearchFiles files in
// all. Ending by ctx is the normal case and is not an error; a client
// that shut down meanwhile is.
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

// onSearchResponse routes a FileSearchResponse that arrived on a P
// connection from user (the connection's name, see SearchResult.User).
func (c *Client) onSearchResponse(user string, m *slsk.FileSearchResponse) {
	if user == "" {
		return
	}
	c.mu.Lock()
	s := c.searches[m.Token]
	c.mu.Unlock()
	if s == nil {
		return // unknown or finished search
	}
	s.add(user, m)
}

// answerSearch answers someone's search from our share index (spec §2
// code 26, §4.2): every query word must occur in the path, '-' words must
// not, nor may any of the server's excluded phrases. Matches go to the
// searcher over a P connection. It is called on reader goroutines (server,
// distributed parent), so the matching itself runs in a goroutine: at most
// cap(searchSem) searches are matched or answered at once and further
// ones are dropped meanwhile.
func (c *Client) answerSearch(searcher string, token uint32, query string) {
	if searcher == "" || searcher == c.Username() {
		return
	}
	c.answerAsync(searcher, token, query, func(ctx context.Context, resp *slsk.FileSearchResponse) error {
		return c.sendPeer(ctx, searcher, resp)
	})
}

// answerDirectSearch answers the obsolete direct search (spec §3.3 code
// 8) on the P connection it came on, bounded like answerSearch.
func (c *Client) answerDirectSearch(p *peerConn, token uint32, query string) {
	c.answerAsync(p.user, token, query, func(_ context.Context, resp *slsk.FileSearchResponse) error {
		return p.send(resp)
	})
}

// answerAsync matches query in a goroutine bounded by searchSem and, if
// anything matched, sends our response with send and reports
// SearchAnswered. Queries that cannot match anything (see parseQuery) cost
// no goroutine.
func (c *Client) answerAsync(searcher string, token uint32, query string, send func(context.Context, *slsk.FileSearchResponse) error) {
	q := parseQuery(query)
	if len(q.include) == 0 {
		return
	}
	select {
	case c.searchSem <- struct{}{}:
	default:
		c.log.Debug("slsk: too many searches in flight; dropping", "from", searcher)
		return
	}
	ok := c.spawn(func() {
		defer func() { <-c.searchSem }()
		c.mu.Lock()
		excluded := c.excluded
		c.mu.Unlock()
		files := c.matchQuery(q, excluded)
		if len(files) == 0 {
			return
		}
		ctx, cancel := c.peerContext(c.opts.PeerConnectTimeout)
		defer cancel()
		if err := send(ctx, c.searchResponse(token, files)); err != nil {
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
	return c.matchQuery(parseQuery(query), excluded)
}

// matchQuery returns the file entries matching q, at most
// Options.MaxSearchResults.
func (c *Client) matchQuery(q searchQuery, excluded []string) []slsk.File {
	entries := c.share.Load().search(q, excluded, c.opts.MaxSearchResults)
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
