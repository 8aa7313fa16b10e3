package netconn

// Sealer transforms a connection's outgoing bytes in wire order: WinMX
// WPN's per-direction stream cipher (wpn.md §2.4) is one. Frames are
// queued once and shared between the recipients of a broadcast, so they
// cannot be encrypted in place by the sender; the connection's writer
// goroutine seals each batch into a buffer of its own instead, which also
// keeps the cipher's work off the goroutine that fans a message out.
type Sealer interface {
	// Seal appends the sealed form of src to dst and returns it. It is
	// called by one goroutine at a time, in the order frames were queued,
	// and must not keep src.
	Seal(dst, src []byte) []byte
}

// maxKeptSealBuf is the largest sealed-batch buffer a connection keeps
// between batches; a larger one (after a burst) is dropped for the
// garbage collector, so idle connections hold little.
const maxKeptSealBuf = 64 << 10

// SetSealer makes every frame queued after this call go through s on its
// way out; frames queued before it (a handshake answered in the clear)
// are written as they are. A connection has at most one sealer: a second
// call panics, since switching ciphers mid-stream would garble it.
func (c *Conn) SetSealer(s Sealer) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if c.sealer != nil {
		panic("netconn: SetSealer called twice")
	}
	c.sealer = s
	c.plain = len(c.queue)
}

// seal returns batch with frames from index plain on sealed into the
// writer's buffer, as one slice after the plain ones.
func (c *Conn) seal(s Sealer, batch [][]byte, plain int) [][]byte {
	if plain >= len(batch) {
		return batch
	}
	if cap(c.sealBuf) > maxKeptSealBuf {
		c.sealBuf = nil
	}
	buf := c.sealBuf[:0]
	for _, f := range batch[plain:] {
		buf = s.Seal(buf, f)
	}
	c.sealBuf = buf
	return append(batch[:plain:plain], buf)
}
