package wpnclient

import (
	"context"
	"fmt"

	"github.com/revival-net/revival/wpn"
)

// Whois asks about a user (0x1389); 0x138B is ErrNotFound. Answers name
// their target, and the primary answers one secondary's requests in
// order, so concurrent whois of the same user are matched first-come.
func (c *Client) Whois(ctx context.Context, t wpn.Target) (*wpn.WhoisReply, error) {
	ch := make(chan wpn.Packet, 1)
	c.onWhois(t.Name, func(p wpn.Packet) { ch <- p })
	if err := c.s.Send(&wpn.Whois{Target: t}); err != nil {
		return nil, err
	}
	p, err := wait(ctx, c, ch)
	if err != nil {
		return nil, err
	}
	if r, ok := p.(*wpn.WhoisReply); ok {
		return r, nil
	}
	return nil, fmt.Errorf("%w: %s", ErrNotFound, t.Name)
}

func (c *Client) onWhois(name string, f func(wpn.Packet)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.whois[key(name)] = append(c.whois[key(name)], f)
}

// SendPM sends a private message (0x13EC) and returns the recipient's
// receipt status (0x13ED: "SENT", an ignore or away text); "User is
// Ofline" is ErrNotFound.
func (c *Client) SendPM(ctx context.Context, t wpn.Target, text string) (string, error) {
	ch := make(chan string, 1)
	c.mu.Lock()
	c.pmStatus[key(t.Name)] = append(c.pmStatus[key(t.Name)], ch)
	c.mu.Unlock()
	if err := c.s.Send(&wpn.PrivateMessage{Target: t, Text: text}); err != nil {
		return "", err
	}
	st, err := wait(ctx, c, ch)
	if err != nil {
		return "", err
	}
	if st == wpn.PMOffline {
		return st, fmt.Errorf("%w: %s", ErrNotFound, t.Name)
	}
	return st, nil
}

// browse collects one browse answer.
type browse struct {
	entries []wpn.BrowseEntry
	done    chan error
}

// Browse lists a user's shared files (0x1B59 → 0x1BBC… 0x1BC6; 0x1BD0 is
// ErrNotFound). One browse per user at a time.
func (c *Client) Browse(ctx context.Context, t wpn.Target) ([]wpn.BrowseEntry, error) {
	b := &browse{done: make(chan error, 1)}
	c.mu.Lock()
	if c.browses[key(t.Name)] != nil {
		c.mu.Unlock()
		return nil, fmt.Errorf("wpnclient: a browse of %s is already running", t.Name)
	}
	c.browses[key(t.Name)] = b
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		delete(c.browses, key(t.Name))
		c.mu.Unlock()
	}()
	if err := c.s.Send(&wpn.Browse{Target: t}); err != nil {
		return nil, err
	}
	if err, werr := wait(ctx, c, b.done); werr != nil || err != nil {
		return nil, cmpErr(werr, err)
	}
	_ = c.s.Send(&wpn.BrowseEnd{Target: t}) // as RoboMX does after a browse
	c.mu.Lock()
	defer c.mu.Unlock()
	return b.entries, nil
}

func cmpErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// Search is a running term or hash search.
type Search struct {
	ID   uint32
	Hits <-chan *wpn.SearchHit // closed by Stop
	c    *Client
}

// Search starts a term search (0x1771). Hits arrive until Stop; there is
// no end marker in WinMX (wpn.md §3.6). minLine 0 means any line type.
func (c *Client) Search(query string, minLine, fileType uint8) (*Search, error) {
	return c.startSearch(func(id uint32) wpn.Packet {
		return &wpn.Search{SearchID: id, MinLineType: minLine, FileType: fileType, Query: query}
	})
}

// HashSearch starts a search by the 16-byte file checksum (0x1772).
func (c *Client) HashSearch(sum [wpn.HashSize16]byte) (*Search, error) {
	return c.startSearch(func(id uint32) wpn.Packet { return &wpn.HashSearch{SearchID: id, Hash: sum} })
}

func (c *Client) startSearch(mk func(id uint32) wpn.Packet) (*Search, error) {
	ch := make(chan *wpn.SearchHit, 1024)
	c.mu.Lock()
	c.nextID++
	id := c.nextID
	c.searches[id] = ch
	c.mu.Unlock()
	if err := c.s.Send(mk(id)); err != nil {
		return nil, err
	}
	return &Search{ID: id, Hits: ch, c: c}, nil
}

// Stop ends the search (0x1775) and closes Hits.
func (s *Search) Stop() {
	c := s.c
	c.mu.Lock()
	ch := c.searches[s.ID]
	delete(c.searches, s.ID)
	c.mu.Unlock()
	if ch != nil {
		close(ch)
		_ = c.s.Send(&wpn.StopSearch{SearchID: s.ID})
	}
}

// Sync returns once the primary has answered everything sent before it:
// a whois of oneself, which the primary answers after every earlier
// request of this secondary (it handles them in order). After a search,
// it means every local hit has arrived.
func (c *Client) Sync(ctx context.Context) error {
	_, err := c.Whois(ctx, c.Target())
	return err
}

// Rooms returns the chat room list (0x238D → one 0x238E per room). WinMX
// sends no end marker (wpn.md §3.10); the list ends at a Sync barrier.
func (c *Client) Rooms(ctx context.Context) ([]wpn.RoomListEntry, error) {
	list := &[]wpn.RoomListEntry{}
	c.mu.Lock()
	if c.rooms != nil {
		c.mu.Unlock()
		return nil, fmt.Errorf("wpnclient: a room list is already being read")
	}
	c.rooms = list
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		c.rooms = nil
		c.mu.Unlock()
	}()
	if err := c.s.Send(&wpn.RoomListRequest{}); err != nil {
		return nil, err
	}
	if err := c.Sync(ctx); err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return *list, nil
}
