package slskclient

import (
	"context"
	"errors"
	"time"

	"github.com/revival-net/revival/slsk"
)

// The upload queue (spec §3.4, uploader side). A QueueUpload becomes a
// job; jobs wait per user, and users are served round-robin (the user
// served least recently goes first, a newcomer before everyone already
// served), so one user with a hundred files does not make everyone else
// wait behind them. A free slot is offered (TransferRequest) to the user
// whose turn it is; the slot is taken only once the downloader allowed
// the transfer. An offer unanswered after offerPatience stops holding the
// slot back and the next user is offered it, so a peer that never answers
// delays others by offerPatience, not TransferTimeout. Limits apply per
// user (files and bytes) as well as in total.

const (
	// maxUploadOffers bounds the TransferRequests waiting for their
	// TransferResponse at once (one per user at most), answered promptly
	// or not: it is above the default slot count so that a few silent
	// peers cannot stall the queue.
	maxUploadOffers = 8
	// offerPatience is how long an offer may hold back a free slot.
	// Downloaders answer TransferRequest at once on the P socket they
	// queued on (spec §3.4 step 3); one that has not answered by then may
	// still be allowed later, and then waits for a slot.
	offerPatience = 5 * time.Second
	// defaultUserQueueBytes is how many bytes one user may have queued or
	// in transfer; further requests are denied "Too many megabytes"
	// (spec §3.3). Nicotine+ has a per-user limit of the same kind.
	defaultUserQueueBytes = 10 << 30
	// maxRecentUsers bounds how many users without jobs the queue
	// remembers the last turn of.
	maxRecentUsers = 1024
)

// errPeerGone ends the waiting uploads of a user whose last P connection
// closed.
var errPeerGone = errors.New("slskclient: the downloader disconnected")

// jobState is where an upload job is. Transitions happen under Client.mu.
type jobState int

const (
	jobHeld    jobState = iota // accepted; the "Queued" answer is being sent
	jobWaiting                 // in its user's waiting list
	jobOffered                 // TransferRequest sent, no answer yet (stale after offerPatience)
	jobAllowed                 // the downloader allowed it; waiting for a slot
	jobRunning                 // holds an upload slot
	jobDone                    // finished or dropped
)

// uploadJob is one file one user asked for, from its QueueUpload (or
// legacy TransferRequest) to its UploadFinished event.
type uploadJob struct {
	key queueKey
	p   *peerConn // the socket the request came on
	idx *shareIndex
	e   *shareEntry

	// Guarded by Client.mu.
	state   jobState
	stale   bool            // offered longer than offerPatience ago
	ctx     context.Context // set when offered; cancelled when dropped
	cancel  context.CancelFunc
	slot    chan struct{} // closed when a waiting jobAllowed gets its slot
	dropErr error         // why the job was dropped, if it was
	// again is set when the same file was queued again while this job was
	// allowed or running: the downloader's earlier request is being (or
	// was just) served, so the new one gets a fresh offer once this job
	// ends instead of being swallowed as a duplicate.
	again bool
}

// userUploads is one user's jobs.
type userUploads struct {
	jobs     map[*uploadJob]struct{} // all of them, in any state but done
	waiting  []*uploadJob            // jobWaiting, in request order
	bytes    int64                   // the sizes of jobs
	offering bool                    // one of jobs is jobOffered

	// The round-robin order: by lastServed (0 = never), then arrived.
	lastServed, arrived uint64
}

// before reports whether u's turn comes before v's.
func (u *userUploads) before(v *userUploads) bool {
	if u.lastServed != v.lastServed {
		return u.lastServed < v.lastServed
	}
	return u.arrived < v.arrived
}

// uploadQueue is the state of the queue, guarded by Client.mu.
type uploadQueue struct {
	files    map[queueKey]*uploadJob
	users    map[string]*userUploads
	recent   map[string]uint64 // lastServed of users with no job left
	seq      uint64            // numbers arrivals and turns
	offers   int               // jobs in jobOffered
	fresh    int               // of those, the ones not stale: they hold a free slot back
	running  int               // slots held (jobRunning)
	slotWait []*uploadJob

	userFiles int           // per-user limit on files, MaxQueuedUploads/2
	userBytes int64         // per-user limit on bytes, defaultUserQueueBytes
	patience  time.Duration // offerPatience, at most TransferTimeout
}

// newUploadQueue returns an empty queue for opts (defaults already set).
func newUploadQueue(opts Options) uploadQueue {
	return uploadQueue{
		files:     map[queueKey]*uploadJob{},
		users:     map[string]*userUploads{},
		recent:    map[string]uint64{},
		userFiles: max(1, opts.MaxQueuedUploads/2),
		userBytes: defaultUserQueueBytes,
		patience:  min(offerPatience, opts.TransferTimeout),
	}
}

// queueKey names a queued or running upload, to ignore duplicate
// QueueUpload messages for it.
type queueKey struct{ user, path string }

// queueUpload queues path for p's user and returns "" or the refusal
// reason (spec §3.3: "File not shared.", "Too many files", "Too many
// megabytes"). accepted, if not nil, runs once the upload is accepted and
// before it can be offered, so its answer precedes our TransferRequest.
func (c *Client) queueUpload(p *peerConn, path string, accepted func()) string {
	idx := c.share.Load()
	e, ok := idx.lookup(path)
	if !ok {
		return slsk.ReasonFileNotShared
	}
	key := queueKey{p.user, path}
	q := &c.up
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return slsk.ReasonPendingShutdown
	}
	if old, dup := q.files[key]; dup {
		if old.state == jobAllowed || old.state == jobRunning {
			old.again = true
		}
		c.mu.Unlock()
		if accepted != nil {
			accepted()
		}
		return "" // already queued (or re-queued when the running job ends)
	}
	u := q.users[p.user]
	switch {
	case len(q.files) >= c.opts.MaxQueuedUploads+c.opts.UploadSlots:
		c.mu.Unlock()
		return slsk.ReasonTooManyFiles
	case u != nil && len(u.jobs) >= q.userFiles:
		c.mu.Unlock()
		return slsk.ReasonTooManyFiles
	case e.size > q.userBytes || (u != nil && u.bytes > q.userBytes-e.size):
		c.mu.Unlock()
		return slsk.ReasonTooManyMegabytes
	}
	if u == nil {
		q.seq++
		u = &userUploads{jobs: map[*uploadJob]struct{}{}, arrived: q.seq, lastServed: q.recent[p.user]}
		q.users[p.user] = u
		delete(q.recent, p.user)
	}
	j := &uploadJob{key: key, p: p, idx: idx, e: e, state: jobHeld}
	u.jobs[j] = struct{}{}
	u.bytes += e.size
	q.files[key] = j
	c.queued.Add(1)
	c.mu.Unlock()

	if accepted != nil {
		accepted()
	}
	c.mu.Lock()
	if j.state == jobHeld { // not dropped meanwhile
		j.state = jobWaiting
		u.waiting = append(u.waiting, j)
	}
	c.mu.Unlock()
	c.pumpUploads()
	return ""
}

// pumpUploads offers waiting jobs while there is room: a free slot (not
// promised to an allowed job nor held back by a fresh offer) and fewer
// than maxUploadOffers offers out.
func (c *Client) pumpUploads() {
	for {
		c.mu.Lock()
		j := c.nextOfferLocked()
		c.mu.Unlock()
		if j == nil {
			return
		}
		if !c.spawn(func() { c.runUpload(j) }) {
			c.finishUpload(j)
			return
		}
	}
}

// nextOfferLocked picks the next job to offer: the head job of the user
// whose turn it is, skipping users with an offer out, and marks it
// offered.
func (c *Client) nextOfferLocked() *uploadJob {
	q := &c.up
	if c.closed || q.offers >= maxUploadOffers || q.running+len(q.slotWait)+q.fresh >= c.opts.UploadSlots {
		return nil
	}
	var u *userUploads
	for _, v := range q.users {
		if !v.offering && len(v.waiting) > 0 && (u == nil || v.before(u)) {
			u = v
		}
	}
	if u == nil {
		return nil
	}
	j := u.waiting[0]
	u.waiting[0] = nil
	u.waiting = u.waiting[1:]
	u.offering = true
	q.seq++
	u.lastServed = q.seq
	q.offers++
	q.fresh++
	j.state = jobOffered
	j.ctx, j.cancel = context.WithCancel(c.ctx)
	return j
}

// acquireSlot is called once the downloader allowed j (spec §3.4 step 3):
// it ends j's offer and takes an upload slot, waiting for one if the
// offers that ran at once were allowed faster than slots freed up.
func (c *Client) acquireSlot(j *uploadJob) error {
	q := &c.up
	c.mu.Lock()
	c.endOfferLocked(j)
	if q.running < c.opts.UploadSlots && len(q.slotWait) == 0 {
		q.running++
		j.state = jobRunning
		c.queued.Add(-1)
		c.mu.Unlock()
		return nil
	}
	j.state = jobAllowed
	j.slot = make(chan struct{})
	q.slotWait = append(q.slotWait, j)
	c.mu.Unlock()
	c.pumpUploads() // our offer ended: another user's may start

	select {
	case <-j.slot:
		return nil
	case <-j.ctx.Done():
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if j.state != jobRunning { // still waiting: leave the line
		for i, w := range q.slotWait {
			if w == j {
				q.slotWait = append(q.slotWait[:i:i], q.slotWait[i+1:]...)
				break
			}
		}
	}
	// A slot handed over just now is released by finishUpload.
	return j.ctx.Err()
}

// endOfferLocked marks j's offer as answered.
func (c *Client) endOfferLocked(j *uploadJob) {
	if j.state == jobOffered {
		c.up.offers--
		if !j.stale {
			c.up.fresh--
		}
		c.up.users[j.key.user].offering = false
	}
}

// staleOffer is called when j's offer has waited offerPatience: it stops
// holding a slot back, and the next user is offered one.
func (c *Client) staleOffer(j *uploadJob) {
	c.mu.Lock()
	if j.state == jobOffered && !j.stale {
		j.stale = true
		c.up.fresh--
	}
	c.mu.Unlock()
	c.pumpUploads()
}

// releaseSlotLocked frees a slot, or hands it to the first allowed job
// waiting for one.
func (c *Client) releaseSlotLocked() {
	q := &c.up
	if len(q.slotWait) > 0 {
		j := q.slotWait[0]
		q.slotWait[0] = nil
		q.slotWait = q.slotWait[1:]
		j.state = jobRunning
		c.queued.Add(-1)
		close(j.slot)
		return
	}
	q.running--
}

// finishUpload removes a job that ended, frees what it held and offers
// the next one.
func (c *Client) finishUpload(j *uploadJob) {
	c.mu.Lock()
	c.endOfferLocked(j)
	if j.state == jobRunning {
		c.releaseSlotLocked()
	} else {
		c.queued.Add(-1)
	}
	c.forgetJobLocked(j)
	again := j.again && j.dropErr == nil
	c.mu.Unlock()
	if j.cancel != nil {
		j.cancel()
	}
	if again {
		c.queueUpload(j.p, j.key.path, nil)
	}
	c.pumpUploads()
}

// forgetJobLocked removes j from the queue's books.
func (c *Client) forgetJobLocked(j *uploadJob) {
	q := &c.up
	j.state = jobDone
	delete(q.files, j.key)
	u := q.users[j.key.user]
	delete(u.jobs, j)
	u.bytes -= j.e.size
	if len(u.jobs) > 0 {
		return
	}
	delete(q.users, j.key.user)
	if u.lastServed == 0 {
		return
	}
	// Remember the user's turn, so that queueing again right after being
	// served does not jump ahead of users still waiting.
	for name := range q.recent {
		if len(q.recent) < maxRecentUsers {
			break
		}
		delete(q.recent, name) // forgetting one only favours it a little
	}
	q.recent[j.key.user] = u.lastServed
}

// dropUploads ends user's uploads that have not started: waiting jobs go
// at once, offered and allowed ones are cancelled (their goroutines end
// them). Running transfers go on over their F connection. Each dropped
// job is reported as an UploadFinished with err.
func (c *Client) dropUploads(user string, err error) {
	c.mu.Lock()
	u := c.up.users[user]
	if u == nil {
		c.mu.Unlock()
		return
	}
	var gone []*uploadJob
	for j := range u.jobs {
		switch j.state {
		case jobHeld, jobWaiting:
			gone = append(gone, j)
		case jobOffered, jobAllowed:
			j.dropErr = err
			j.cancel()
		}
	}
	u.waiting = nil
	for _, j := range gone {
		c.queued.Add(-1)
		c.forgetJobLocked(j)
	}
	c.mu.Unlock()
	for _, j := range gone {
		c.events.push(UploadFinished{User: user, Path: j.e.virtual, Err: err})
	}
	c.pumpUploads()
}

// slotFree reports whether an upload could start now (UserInfoResponse,
// FileSearchResponse: spec §3.3 codes 9 and 16).
func (c *Client) slotFree() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.up.running+len(c.up.slotWait) < c.opts.UploadSlots
}
