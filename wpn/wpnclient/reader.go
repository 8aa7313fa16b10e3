package wpnclient

import "github.com/revival-net/revival/wpn"

// read handles everything the primary sends, in order.
func (c *Client) read(fr *wpn.FrameReader) {
	var err error
	defer func() {
		c.mu.Lock()
		c.err = err
		c.mu.Unlock()
		close(c.done)
	}()
	for {
		var p wpn.Packet
		p, err = next(fr)
		if err != nil {
			return
		}
		c.handle1(p)
	}
}

func (c *Client) handle1(p wpn.Packet) {
	switch p := p.(type) {
	case *wpn.NodeList:
		_ = c.s.Send(&wpn.Status{Status: c.opts.Status}) // the keep-alive answer (wpn.md §3.2 step 9)
	case *wpn.WhoisReply:
		c.answerWhois(p.Name, p)
	case *wpn.WhoisFailed:
		c.answerWhois(p.Name, p)
	case *wpn.PMStatus:
		c.mu.Lock()
		q := c.pmStatus[key(p.Name)]
		if len(q) > 0 {
			q[0] <- p.Status
			c.pmStatus[key(p.Name)] = q[1:]
			if len(q) == 1 {
				delete(c.pmStatus, key(p.Name))
			}
		}
		c.mu.Unlock()
	case *wpn.IncomingPM:
		status := c.opts.AutoReply
		if status == "" {
			status = wpn.PMSent
		}
		_ = c.s.Send(&wpn.PMReceipt{Target: p.Target, ID: p.ID, Status: status})
		select {
		case c.pms <- PM{From: p.Target, Text: p.Text}:
		default:
		}
	case *wpn.SearchHit:
		c.mu.Lock()
		if ch := c.searches[p.SearchID]; ch != nil {
			select {
			case ch <- p:
			default: // a reader that does not keep up loses hits, not the connection
			}
		}
		c.mu.Unlock()
	case *wpn.BrowseEntry:
		c.mu.Lock()
		if b := c.browses[key(p.Name)]; b != nil {
			b.entries = append(b.entries, *p)
		}
		c.mu.Unlock()
	case *wpn.BrowseDone:
		c.endBrowse(p.Name, nil)
	case *wpn.BrowseError:
		c.endBrowse(p.Name, ErrNotFound)
	case *wpn.RoomListEntry:
		c.mu.Lock()
		if c.rooms != nil {
			*c.rooms = append(*c.rooms, *p)
		}
		c.mu.Unlock()
	}
}

func (c *Client) answerWhois(name string, p wpn.Packet) {
	c.mu.Lock()
	q := c.whois[key(name)]
	var f func(wpn.Packet)
	if len(q) > 0 {
		f = q[0]
		c.whois[key(name)] = q[1:]
		if len(q) == 1 {
			delete(c.whois, key(name))
		}
	}
	c.mu.Unlock()
	if f != nil {
		f(p)
	}
}

func (c *Client) endBrowse(name string, err error) {
	c.mu.Lock()
	b := c.browses[key(name)]
	c.mu.Unlock()
	if b != nil {
		select {
		case b.done <- err:
		default:
		}
	}
}
