package wpnconn

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/revival-net/revival/internal/netconn"
	"github.com/revival-net/revival/wpn"
)

// Hello is the byte a WPN responder sends as soon as it accepts a
// connection (ASCII "1", wpn.md §1.2).
const Hello = 0x31

// HandshakeTimeout bounds the time from accept to a complete key block
// (nuggit uses 10 s; WinMX clients give up after about 5 s without 0x31).
const HandshakeTimeout = 10 * time.Second

// Opening is what an initiator sent after the responder's 0x31.
type Opening struct {
	// Transfer is "GET" or "SEND" when the connection is a direct file
	// transfer (wpn.md §3.12); it is then not encrypted and Block is zero.
	Transfer string
	// ID is the initiator's role: KeyPrimaryClient, KeySecondaryClient
	// or KeyChatClient.
	ID wpn.KeyID
	// Block is the initiator's key block as received.
	Block wpn.KeyBlock
}

// ErrBadOpening reports an initiator that sent neither a transfer request
// nor a valid initiator key block.
var ErrBadOpening = errors.New("wpn: bad opening (not a key block, GET or SEND)")

// Greet queues 0x31 on c and reads the initiator's first bytes (within
// HandshakeTimeout): a transfer request or a key block. The read deadline
// it sets stays until the caller sets another.
func Greet(c *netconn.Conn) (Opening, error) {
	if err := c.Send([]byte{Hello}); err != nil {
		return Opening{}, err
	}
	_ = c.SetReadDeadline(time.Now().Add(HandshakeTimeout))
	return ReadOpening(c)
}

// ReadOpening reads what an initiator sends after 0x31 from r. A real
// key block never starts with "GET" or "SEND" by design of the dispatch
// in every known responder (nuggit): the three bytes decide first.
func ReadOpening(r io.Reader) (Opening, error) {
	var b wpn.KeyBlock
	if _, err := io.ReadFull(r, b[:3]); err != nil {
		return Opening{}, err
	}
	if bytes.Equal(b[:3], []byte("GET")) {
		return Opening{Transfer: "GET"}, nil
	}
	if _, err := io.ReadFull(r, b[3:4]); err != nil {
		return Opening{}, err
	}
	if bytes.Equal(b[:4], []byte("SEND")) {
		return Opening{Transfer: "SEND"}, nil
	}
	if _, err := io.ReadFull(r, b[4:]); err != nil {
		return Opening{}, err
	}
	id, _, err := wpn.ReadKeyBlock(b)
	if err != nil {
		return Opening{}, ErrBadOpening
	}
	if _, ok := id.Responder(); !ok {
		return Opening{}, fmt.Errorf("%w: key block %v is not an initiator's", ErrBadOpening, id)
	}
	return Opening{ID: id, Block: b}, nil
}

// Respond answers an initiator's key block on c: it queues a fresh
// responder block (0x51, 0x53 or 0x58) in the clear, then makes every
// frame queued afterwards go out encrypted, and returns a frame reader
// that decrypts the initiator's frames of at most maxPayload bytes. The
// reader starts each frame's deadline (netconn's FrameStarted).
func Respond(c *netconn.Conn, in Opening, maxPayload int) (*wpn.FrameReader, error) {
	dec, err := RespondStream(c, in)
	if err != nil {
		return nil, err
	}
	fr := wpn.NewFrameReader(c, dec, maxPayload)
	fr.OnStart = c.FrameStarted
	return fr, nil
}

// RespondStream is Respond for links with framing of their own (the
// primary mesh): it returns the cipher that decrypts what the initiator
// sends from here on.
func RespondStream(c *netconn.Conn, in Opening) (*wpn.Cipher, error) {
	id, ok := in.ID.Responder()
	if !ok {
		return nil, ErrBadOpening
	}
	blk, err := wpn.NewKeyBlock(id, rand.Reader)
	if err != nil {
		return nil, err
	}
	toResponder, toInitiator, err := wpn.SessionKeys(blk)
	if err != nil {
		return nil, err // cannot happen: we just made the block
	}
	if err := c.Send(blk[:]); err != nil {
		return nil, err
	}
	c.SetSealer(&Sealer{C: wpn.NewCipher(toInitiator)})
	return wpn.NewCipher(toResponder), nil
}

// Sealer encrypts a connection's outgoing bytes with its stream cipher
// (netconn.Sealer): the netconn writer calls it in queue order, so frames
// shared between the recipients of a broadcast are encrypted per
// recipient without copying them first.
type Sealer struct{ C *wpn.Cipher }

// Seal appends src encrypted to dst.
func (s *Sealer) Seal(dst, src []byte) []byte {
	n := len(dst)
	dst = append(dst, src...)
	s.C.Encrypt(dst[n:], dst[n:])
	return dst
}
