package wpnchat

import "sync"

// Sender queues a frame for one connection without blocking
// (netconn.Conn). The frame must not be modified afterwards: the same
// slice goes to every recipient of a broadcast, and each connection's
// writer encrypts its own copy (wpnconn.Sealer).
type Sender interface {
	Send(frame []byte) error
}

// Recipient is a member as the fanout sees it. Old and Op change only
// with the room locked (see Fanout).
type Recipient struct {
	Conn Sender
	Old  bool // speaks the 3.31 protocol (no 0x13ED at join)
	Op   bool // sees real IP addresses (0x0075)
}

// Message is one broadcast, encoded once per audience.
type Message struct {
	New   []byte // for 3.53 members
	Old   []byte // for 3.31 members; nil: they get nothing
	OpNew []byte // for 3.53 operators instead of New; nil: New
}

// Fanout carries every broadcast of the host to a room's members: it is
// the seam where a multi-node implementation (a message bus between
// nodes, each delivering to its own members) replaces the in-process one.
// The host calls it with the room locked, so one room's broadcasts reach
// every member in one order; implementations must not block.
type Fanout interface {
	// Add makes r a recipient of room's broadcasts.
	Add(room string, r *Recipient)
	// Remove stops them; removing an unknown recipient does nothing.
	Remove(room string, r *Recipient)
	// Broadcast delivers m to every recipient of room.
	Broadcast(room string, m Message)
}

// LocalFanout is the in-process Fanout: a recipient list per room.
type LocalFanout struct {
	mu    sync.Mutex // leaf lock
	rooms map[string]*recipients
}

type recipients struct {
	list  []*Recipient
	index map[*Recipient]int
}

// NewLocalFanout returns an empty in-process fanout.
func NewLocalFanout() *LocalFanout { return &LocalFanout{rooms: map[string]*recipients{}} }

// Add implements Fanout.
func (f *LocalFanout) Add(room string, r *Recipient) {
	f.mu.Lock()
	defer f.mu.Unlock()
	rs := f.rooms[room]
	if rs == nil {
		rs = &recipients{index: map[*Recipient]int{}}
		f.rooms[room] = rs
	}
	if _, ok := rs.index[r]; ok {
		return
	}
	rs.index[r] = len(rs.list)
	rs.list = append(rs.list, r)
}

// Remove implements Fanout: the last recipient takes the removed one's
// slot, so removal is O(1) and the list stays dense for Broadcast.
func (f *LocalFanout) Remove(room string, r *Recipient) {
	f.mu.Lock()
	defer f.mu.Unlock()
	rs := f.rooms[room]
	if rs == nil {
		return
	}
	i, ok := rs.index[r]
	if !ok {
		return
	}
	last := len(rs.list) - 1
	rs.list[i] = rs.list[last]
	rs.index[rs.list[i]] = i
	rs.list[last] = nil
	rs.list = rs.list[:last]
	delete(rs.index, r)
	if len(rs.list) == 0 {
		delete(f.rooms, room)
	}
}

// Broadcast implements Fanout. Send only queues, so the loop costs a lock
// and an append per member; a member whose queue is full is disconnected
// by netconn (slow consumer), never waited for.
func (f *LocalFanout) Broadcast(room string, m Message) {
	f.mu.Lock()
	rs := f.rooms[room]
	var list []*Recipient
	if rs != nil {
		list = rs.list
	}
	for _, r := range list {
		frame := m.New
		switch {
		case r.Old:
			frame = m.Old
		case r.Op && m.OpNew != nil:
			frame = m.OpNew
		}
		if frame != nil {
			_ = r.Conn.Send(frame)
		}
	}
	f.mu.Unlock()
}

// Count returns the recipients of room.
func (f *LocalFanout) Count(room string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	if rs := f.rooms[room]; rs != nil {
		return len(rs.list)
	}
	return 0
}
