package wpnserver

import (
	"errors"
	"strings"
	"sync"
)

// directory is who is online on this primary: sessions by client id and
// by full name. It is the seam for "deliver to this user" and "who is
// online": handlers never reach into maps of their own, so a multi-node
// directory (presence in NATS) can take its place.
type directory struct {
	mu     sync.RWMutex
	byID   map[uint16]*session
	byName map[string]*session // by strings.ToLower(full name)
	next   uint16              // where the search for a free id starts
	max    int
}

var errFull = errors.New("wpnserver: no free secondary slot")

func newDirectory(max int) *directory {
	return &directory{byID: map[uint16]*session{}, byName: map[string]*session{}, next: 1, max: max}
}

// add gives s a free client id (unique among current secondaries, so
// full names are unique on this primary, wpn.md §3.2) and lists it.
func (d *directory) add(s *session, base string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.byID) >= d.max {
		return errFull
	}
	for {
		id := d.next
		d.next++
		if d.next == 0 {
			d.next = 1
		}
		if _, used := d.byID[id]; id != 0 && !used {
			s.setName(id, base)
			d.byID[id] = s
			d.byName[strings.ToLower(s.name)] = s
			return nil
		}
	}
}

// rename changes s's base name; the id stays (RoboMX expects the same
// 0x0460 id back after a rename).
func (d *directory) rename(s *session, base string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.byName[strings.ToLower(s.name)] == s {
		delete(d.byName, strings.ToLower(s.name))
	}
	s.setName(s.id, base)
	d.byName[strings.ToLower(s.name)] = s
}

func (d *directory) remove(s *session) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.byID[s.id] == s {
		delete(d.byID, s.id)
	}
	if d.byName[strings.ToLower(s.name)] == s {
		delete(d.byName, strings.ToLower(s.name))
	}
}

// lookup finds a secondary by full name, case-insensitively (clients
// retype names; WinMX names differ in more than case in practice).
func (d *directory) lookup(name string) *session {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.byName[strings.ToLower(name)]
}

func (d *directory) byClientID(id uint16) *session {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.byID[id]
}

func (d *directory) count() int {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return len(d.byID)
}

// each calls f for every session (under the read lock: f must not call
// back into the directory).
func (d *directory) each(f func(*session)) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	for _, s := range d.byID {
		f(s)
	}
}
