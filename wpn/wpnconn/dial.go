package wpnconn

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"net"
	"sync"
	"time"

	"github.com/revival-net/revival/wpn"
)

// Session is the initiator's side of an established WPN link: a
// secondary's link to its primary, a chat client's link to a room host,
// or a primary's link to another primary. Send and Write may be called
// from any goroutine; one goroutine reads.
type Session struct {
	Conn net.Conn
	// Responder is the ID the other side answered with.
	Responder wpn.KeyID

	in *wpn.Cipher

	wmu  sync.Mutex
	out  *wpn.Cipher
	wbuf []byte
	// WriteTimeout bounds each write (default 30 s).
	WriteTimeout time.Duration
}

// Dial connects to addr, waits for 0x31, sends a fresh key block of the
// initiator role id (KeySecondaryClient, KeyChatClient or
// KeyPrimaryClient) and validates the answer (unmasked, then with the KM
// mask, wpn.md §2.3). The whole handshake is bounded by ctx and by
// HandshakeTimeout.
func Dial(ctx context.Context, addr string, id wpn.KeyID) (*Session, error) {
	var d net.Dialer
	ctx, cancel := context.WithTimeout(ctx, HandshakeTimeout)
	defer cancel()
	nc, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	s, err := Handshake(ctx, nc, id)
	if err != nil {
		_ = nc.Close()
		return nil, err
	}
	return s, nil
}

// Handshake runs the initiator's side of the key exchange on an open
// connection (Dial does it after connecting).
func Handshake(ctx context.Context, nc net.Conn, id wpn.KeyID) (*Session, error) {
	want, ok := id.Responder()
	if !ok {
		return nil, fmt.Errorf("wpn: %v is not an initiator role", id)
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = nc.SetDeadline(dl)
	}
	stop := context.AfterFunc(ctx, func() { _ = nc.SetDeadline(time.Unix(1, 0)) })
	defer stop()

	var hello [1]byte
	if _, err := io.ReadFull(nc, hello[:]); err != nil {
		return nil, fmt.Errorf("wpn: waiting for 0x31: %w", err)
	}
	if hello[0] != Hello {
		return nil, fmt.Errorf("wpn: responder opened with 0x%02X, not 0x31", hello[0])
	}
	mine, err := wpn.NewKeyBlock(id, rand.Reader)
	if err != nil {
		return nil, err
	}
	if _, err := nc.Write(mine[:]); err != nil {
		return nil, err
	}
	var theirs wpn.KeyBlock
	if _, err := io.ReadFull(nc, theirs[:]); err != nil {
		return nil, fmt.Errorf("wpn: waiting for the key block: %w", err)
	}
	got, _, err := wpn.ReadKeyBlock(theirs)
	if err != nil {
		return nil, err
	}
	if got != want {
		return nil, fmt.Errorf("wpn: responder answered %v, want %v", got, want)
	}
	toResponder, toInitiator, err := wpn.SessionKeys(theirs)
	if err != nil {
		return nil, err
	}
	_ = nc.SetDeadline(time.Time{})
	return &Session{Conn: nc, Responder: got, in: wpn.NewCipher(toInitiator), out: wpn.NewCipher(toResponder)}, nil
}

// Frames returns a reader of the responder's frames (type, length,
// payload) of at most maxPayload bytes. Use it or Stream, not both.
func (s *Session) Frames(maxPayload int) *wpn.FrameReader {
	return wpn.NewFrameReader(s.Conn, s.in, maxPayload)
}

// Stream returns the decrypted byte stream from the responder, for links
// with their own framing (the primary mesh).
func (s *Session) Stream() io.Reader { return &cipherReader{r: s.Conn, c: s.in} }

// Send writes p as one encrypted frame.
func (s *Session) Send(p wpn.Packet) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	s.wbuf = wpn.AppendPacket(s.wbuf[:0], p)
	return s.writeLocked()
}

// SendFrame writes one encrypted frame of any type.
func (s *Session) SendFrame(typ uint16, payload []byte) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	s.wbuf = wpn.AppendFrame(s.wbuf[:0], typ, payload)
	return s.writeLocked()
}

// Write encrypts and writes raw bytes (frames of another framing).
func (s *Session) Write(b []byte) (int, error) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	s.wbuf = append(s.wbuf[:0], b...)
	if err := s.writeLocked(); err != nil {
		return 0, err
	}
	return len(b), nil
}

func (s *Session) writeLocked() error {
	s.out.Encrypt(s.wbuf, s.wbuf)
	t := s.WriteTimeout
	if t <= 0 {
		t = 30 * time.Second
	}
	_ = s.Conn.SetWriteDeadline(time.Now().Add(t))
	_, err := s.Conn.Write(s.wbuf)
	if cap(s.wbuf) > 64<<10 {
		s.wbuf = nil
	}
	return err
}

// Close closes the connection.
func (s *Session) Close() error { return s.Conn.Close() }

// cipherReader decrypts what it reads.
type cipherReader struct {
	r io.Reader
	c *wpn.Cipher
}

func (r *cipherReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	r.c.Decrypt(p[:n], p[:n])
	return n, err
}

// NewCipherReader returns a reader that decrypts r with c (a responder
// reading a mesh link's own framing).
func NewCipherReader(r io.Reader, c *wpn.Cipher) io.Reader { return &cipherReader{r: r, c: c} }
