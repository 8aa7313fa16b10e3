package slskserver

import "sync"

// noPending remembers users who had no offline messages at their last
// login, so their next login skips the store query (it runs on every
// login). Every stored message clears its recipient (added, called by
// deliver after Messages.Add), and a login's empty answer is only
// remembered if no message was stored anywhere while it was being read,
// so a message is never skipped: either the query saw it, or added ran
// after the query and removed the mark.
type noPending struct {
	mu    sync.Mutex
	adds  uint64 // messages stored so far
	names map[string]struct{}
}

// maxNoPending bounds the set; past it the set is emptied, which costs
// one query per user.
const maxNoPending = 200000

func newNoPending() *noPending { return &noPending{names: map[string]struct{}{}} }

// known reports whether name is known to have no pending messages, and
// returns the generation to pass to empty after a query.
func (p *noPending) known(name string) (bool, uint64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	_, ok := p.names[name]
	return ok, p.adds
}

// empty records that a query started at generation gen found nothing.
func (p *noPending) empty(name string, gen uint64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.adds != gen {
		return
	}
	if len(p.names) >= maxNoPending {
		clear(p.names)
	}
	p.names[name] = struct{}{}
}

// added records that a message for name was stored.
func (p *noPending) added(name string) {
	p.mu.Lock()
	p.adds++
	delete(p.names, name)
	p.mu.Unlock()
}
