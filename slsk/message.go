package slsk

import (
	"errors"
	"fmt"

	"github.com/revival-net/revival/internal/wire"
)

// MaxServerFrame is the largest client-to-server message the server accepts
// (spec §1.2 recommends about 64 KiB; Soulfind uses 8 KiB).
const MaxServerFrame = 64 << 10

// ErrUnknownCode reports a code this codec has no message for. Receivers
// ignore such messages rather than disconnect (spec §2: clients do too).
var ErrUnknownCode = errors.New("slsk: unknown message code")

// Payload is what every message does: write its fields after the code and
// read them back. Decode reports errors through r (sticky), so it reads
// top to bottom like the spec's tables; trailing bytes are ignored.
type Payload interface {
	Encode(b *wire.Builder)
	Decode(r *wire.Reader)
}

// ServerMessage is a message on the client↔server connection (u32 code).
type ServerMessage interface {
	Payload
	ServerCode() ServerCode
}

// AppendServerFrame appends m framed as on the server connection:
// u32 length (code + payload), u32 code, payload.
func AppendServerFrame(dst []byte, m ServerMessage) []byte {
	b := wire.NewBuilder(dst)
	off := b.Reserve32()
	b.Uint32(uint32(m.ServerCode()))
	m.Encode(b)
	b.Patch32(off, uint32(b.Len()-off-4))
	return b.Bytes()
}

// decodeWith runs a fresh message from factory over payload.
func decodeWith[M Payload](m M, payload []byte) (M, error) {
	r := wire.NewReader(payload)
	m.Decode(r)
	if err := r.Err(); err != nil {
		var zero M
		return zero, err
	}
	return m, nil
}

// SplitServerFrame splits a frame body (after the length) into code and
// payload.
func SplitServerFrame(body []byte) (ServerCode, []byte, error) {
	if len(body) < 4 {
		return 0, nil, fmt.Errorf("slsk: %d-byte frame has no code: %w", len(body), wire.ErrShort)
	}
	code := ServerCode(uint32(body[0]) | uint32(body[1])<<8 | uint32(body[2])<<16 | uint32(body[3])<<24)
	return code, body[4:], nil
}

// DecodeServerRequest decodes a client-to-server frame body (code +
// payload), as the server reads it.
func DecodeServerRequest(body []byte) (ServerMessage, error) {
	code, payload, err := SplitServerFrame(body)
	if err != nil {
		return nil, err
	}
	f, ok := serverRequests[code]
	if !ok {
		return nil, fmt.Errorf("%w: server request %d", ErrUnknownCode, code)
	}
	m, err := decodeWith(f(), payload)
	if err != nil {
		return nil, fmt.Errorf("slsk: %v: %w", code, err)
	}
	return m, nil
}

// DecodeServerReply decodes a server-to-client frame body (code + payload),
// as a client reads it.
func DecodeServerReply(body []byte) (ServerMessage, error) {
	code, payload, err := SplitServerFrame(body)
	if err != nil {
		return nil, err
	}
	f, ok := serverReplies[code]
	if !ok {
		return nil, fmt.Errorf("%w: server reply %d", ErrUnknownCode, code)
	}
	m, err := decodeWith(f(), payload)
	if err != nil {
		return nil, fmt.Errorf("slsk: %v: %w", code, err)
	}
	return m, nil
}

// serverRequests and serverReplies map each code to a constructor for the
// struct that reads it, per direction. Each family file registers its
// messages in an init function with registerRequest/registerReply.
var (
	serverRequests = map[ServerCode]func() ServerMessage{}
	serverReplies  = map[ServerCode]func() ServerMessage{}
)

func registerRequest(f func() ServerMessage) { serverRequests[f().ServerCode()] = f }
func registerReply(f func() ServerMessage)   { serverReplies[f().ServerCode()] = f }

// registerBoth registers one struct for both directions, for codes whose
// payload is the same each way.
func registerBoth(f func() ServerMessage) { registerRequest(f); registerReply(f) }
