package slskload

import (
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/revival-net/revival/internal/wire"
	"github.com/revival-net/revival/slsk"
)

// client is one simulated user with a live session. Its reader goroutine
// reads every frame the server sends, decodes only the few codes the
// measurements need and drops the rest undecoded.
type client struct {
	r    *runner
	idx  int
	name string
	nc   net.Conn
	fr   *wire.FrameReader

	// mu guards what the reader records; phases read it after their wait.
	mu        sync.Mutex
	joined    bool    // got the JoinRoom reply for the bench room
	chatLat   []int64 // per chat line: delivery latency in ns, 0 = not yet; nil for non-members
	searchAt  []int64 // per search: arrival time in ns since the run's epoch, 0 = not yet
	chatDups  int     // room lines received twice
	searchDup int     // searches received twice
	strays    int     // room lines for a non-member, or lines/searches it cannot parse
	relogged  bool    // the server sent Relogged: someone else logged in as this user
	readErr   error   // why the reader stopped, unless the run closed it
	readerEnd chan struct{}
}

// start launches the reader goroutine.
func (c *client) start() {
	c.readerEnd = make(chan struct{})
	go c.readLoop()
}

func (c *client) readLoop() {
	defer close(c.readerEnd)
	for {
		body, err := c.fr.Next()
		if err != nil {
			if !c.r.closing.Load() {
				c.mu.Lock()
				c.readErr = err
				c.mu.Unlock()
				c.r.disconnects.Add(1)
			}
			return
		}
		now := c.r.now()
		c.r.frames.Add(1)
		code, payload, err := slsk.SplitServerFrame(body)
		if err != nil {
			continue
		}
		switch code {
		case slsk.CodeSayChatroom:
			c.onChat(payload, now)
		case slsk.CodeJoinRoom:
			c.onJoin(payload)
		case slsk.CodeEmbeddedMessage:
			c.onEmbedded(payload, now)
		case slsk.CodeFileSearch:
			var m slsk.FileSearchReply
			if decode(&m, payload) {
				c.onSearch(m.Token, now)
			} else {
				c.stray()
			}
		case slsk.CodeCheckPrivileges:
			c.r.syncs.add()
		case slsk.CodeRelogged:
			c.mu.Lock()
			c.relogged = true
			c.mu.Unlock()
		}
	}
}

// decode reads a message's payload and reports whether it was well formed.
func decode(m slsk.Payload, payload []byte) bool {
	r := wire.NewReader(payload)
	m.Decode(r)
	return r.Err() == nil
}

func (c *client) stray() {
	c.mu.Lock()
	c.strays++
	c.mu.Unlock()
}

// onJoin handles a JoinRoom reply (spec §2 code 14). Only the room name
// is read: the member arrays of a 1,000-member room are not needed.
func (c *client) onJoin(payload []byte) {
	if wire.NewReader(payload).String() != c.r.opts.Room {
		return
	}
	c.mu.Lock()
	first := !c.joined
	c.joined = true
	c.mu.Unlock()
	if first {
		c.r.joins.add()
	}
}

// chatText is the text of chat line seq sent at sent (ns since the run's
// epoch); parseChat reads it back. Receivers use it to measure latency
// without any shared table.
func chatText(seq int, sent int64) string {
	return "bench " + strconv.Itoa(seq) + " " + strconv.FormatInt(sent, 10)
}

func parseChat(text string) (seq int, sent int64, ok bool) {
	f := strings.Fields(text)
	if len(f) != 3 || f[0] != "bench" {
		return 0, 0, false
	}
	seq, err1 := strconv.Atoi(f[1])
	sent, err2 := strconv.ParseInt(f[2], 10, 64)
	return seq, sent, err1 == nil && err2 == nil && seq >= 0 && sent >= 0
}

// onChat records a room line (spec §2 code 13, S→C) and its latency.
func (c *client) onChat(payload []byte, now int64) {
	var m slsk.SayChatroomReply
	if !decode(&m, payload) || m.Room != c.r.opts.Room {
		return
	}
	seq, sent, ok := parseChat(m.Message)
	c.mu.Lock()
	switch {
	case !ok || c.chatLat == nil || seq >= len(c.chatLat):
		c.strays++
		c.mu.Unlock()
		return
	case c.chatLat[seq] != 0:
		c.chatDups++
		c.mu.Unlock()
		return
	}
	c.chatLat[seq] = max(1, now-sent)
	c.mu.Unlock()
	c.r.chat.add()
}

// onEmbedded handles EmbeddedMessage (server code 93): the way a branch
// root receives a search, a DistribSearch (code 3) body (spec §4.3).
func (c *client) onEmbedded(payload []byte, now int64) {
	var em slsk.EmbeddedMessage
	if !decode(&em, payload) || em.Code != uint8(slsk.DistribCodeSearch) {
		c.stray()
		return
	}
	var ds slsk.DistribSearch
	if !decode(&ds, em.Payload) {
		c.stray()
		return
	}
	c.onSearch(ds.Token, now)
}

// onSearch records the arrival of a search by token.
func (c *client) onSearch(token uint32, now int64) {
	i := int(token - searchTokenBase)
	c.mu.Lock()
	if c.searchAt == nil || token < searchTokenBase || i >= len(c.searchAt) {
		c.strays++
		c.mu.Unlock()
		return
	}
	if c.searchAt[i] != 0 {
		c.searchDup++
		c.mu.Unlock()
		return
	}
	c.searchAt[i] = max(1, now)
	c.mu.Unlock()
	if p := c.r.search.Load(); p != nil && p.index == i && c.idx != p.searcher {
		p.add()
	}
}

// close ends the session; the reader goroutine then exits.
func (c *client) close() {
	if c.nc != nil {
		_ = c.nc.Close()
	}
}

// waitReader waits up to d for the reader goroutine to exit.
func (c *client) waitReader(d time.Duration) {
	if c.readerEnd == nil {
		return
	}
	select {
	case <-c.readerEnd:
	case <-time.After(d):
	}
}
