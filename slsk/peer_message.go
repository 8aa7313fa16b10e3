package slsk

import (
	"fmt"

	"github.com/revival-net/revival/internal/wire"
)

// Size limits for peer sockets (spec §1.2). A reader refuses a length
// prefix above the limit before allocating anything.
const (
	// MaxPeerFrame bounds one P or D frame. Share lists, search results and
	// folder contents are zlib streams that can be large; Nicotine+ allows
	// 16 MiB for search results and folder contents.
	MaxPeerFrame = 16 << 20

	// MaxInitFrame bounds the first frame on a peer socket (PeerInit or
	// PierceFireWall), as Nicotine+ does: it only carries a username.
	MaxInitFrame = 16 << 10

	// MaxInflated bounds what one zlib payload may expand to, so a small
	// compressed frame cannot become a decompression bomb. It is the
	// share list's cap; search answers and folder contents have smaller
	// ones (DefaultZlibLimit).
	MaxInflated = 64 << 20
)

// PeerMessage is a message on a P connection (u32 code, spec §3.3).
type PeerMessage interface {
	Payload
	PeerCode() PeerCode
}

// DistribMessage is a message on a D connection (u8 code, spec §4.1).
type DistribMessage interface {
	Payload
	DistribCode() DistribCode
}

// InitMessage is the first message on a peer socket (u8 code, spec §3.1).
type InitMessage interface {
	Payload
	InitCode() InitCode
}

// AppendPeerFrame appends m framed as on a P connection: u32 length (code +
// payload), u32 code, payload.
func AppendPeerFrame(dst []byte, m PeerMessage) []byte {
	b := wire.NewBuilder(dst)
	off := b.Reserve32()
	b.Uint32(uint32(m.PeerCode()))
	m.Encode(b)
	b.Patch32(off, uint32(b.Len()-off-4))
	return b.Bytes()
}

// AppendDistribFrame appends m framed as on a D connection: u32 length
// (code + payload), u8 code, payload.
func AppendDistribFrame(dst []byte, m DistribMessage) []byte {
	b := wire.NewBuilder(dst)
	off := b.Reserve32()
	b.Uint8(uint8(m.DistribCode()))
	m.Encode(b)
	b.Patch32(off, uint32(b.Len()-off-4))
	return b.Bytes()
}

// AppendInitFrame appends m framed as the first message on a peer socket:
// u32 length (code + payload), u8 code, payload.
func AppendInitFrame(dst []byte, m InitMessage) []byte {
	b := wire.NewBuilder(dst)
	off := b.Reserve32()
	b.Uint8(uint8(m.InitCode()))
	m.Encode(b)
	b.Patch32(off, uint32(b.Len()-off-4))
	return b.Bytes()
}

// SplitPeerFrame splits a P frame body (after the length) into code and
// payload, for callers that log or skip unknown codes.
func SplitPeerFrame(body []byte) (PeerCode, []byte, error) {
	if len(body) < 4 {
		return 0, nil, fmt.Errorf("slsk: %d-byte peer frame has no code: %w", len(body), wire.ErrShort)
	}
	code := PeerCode(uint32(body[0]) | uint32(body[1])<<8 | uint32(body[2])<<16 | uint32(body[3])<<24)
	return code, body[4:], nil
}

// SplitDistribFrame splits a D frame body (after the length) into code and
// payload. A parent forwards DistribSearch payloads to its children
// unchanged (spec §4.3), so the raw payload is useful on its own.
func SplitDistribFrame(body []byte) (DistribCode, []byte, error) {
	if len(body) < 1 {
		return 0, nil, fmt.Errorf("slsk: empty distributed frame: %w", wire.ErrShort)
	}
	return DistribCode(body[0]), body[1:], nil
}

// SplitInitFrame splits a peer-init frame body (after the length) into code
// and payload.
func SplitInitFrame(body []byte) (InitCode, []byte, error) {
	if len(body) < 1 {
		return 0, nil, fmt.Errorf("slsk: empty peer-init frame: %w", wire.ErrShort)
	}
	return InitCode(body[0]), body[1:], nil
}

// DecodePeer decodes a P frame body (code + payload). Unknown codes give an
// error wrapping ErrUnknownCode; callers skip those frames, as clients do.
func DecodePeer(body []byte) (PeerMessage, error) {
	return decodePeer(body, decodeWith[PeerMessage])
}

// decodePeer splits body, makes the message its code names and decodes the
// payload into it with decode.
func decodePeer(body []byte, decode func(PeerMessage, []byte) (PeerMessage, error)) (PeerMessage, error) {
	code, payload, err := SplitPeerFrame(body)
	if err != nil {
		return nil, err
	}
	f, ok := peerMessages[code]
	if !ok {
		return nil, fmt.Errorf("%w: peer message %d", ErrUnknownCode, code)
	}
	m, err := decode(f(), payload)
	if err != nil {
		return nil, fmt.Errorf("slsk: peer %v: %w", code, err)
	}
	return m, nil
}

// DecodeDistrib decodes a D frame body (code + payload). Unknown codes give
// an error wrapping ErrUnknownCode.
func DecodeDistrib(body []byte) (DistribMessage, error) {
	code, payload, err := SplitDistribFrame(body)
	if err != nil {
		return nil, err
	}
	f, ok := distribMessages[code]
	if !ok {
		return nil, fmt.Errorf("%w: distributed message %d", ErrUnknownCode, code)
	}
	m, err := decodeWith(f(), payload)
	if err != nil {
		return nil, fmt.Errorf("slsk: %v: %w", code, err)
	}
	return m, nil
}

// DecodeInit decodes a peer-init frame body (code + payload). Unknown codes
// give an error wrapping ErrUnknownCode; the socket should then be closed,
// since nothing else can be read on it.
func DecodeInit(body []byte) (InitMessage, error) {
	code, payload, err := SplitInitFrame(body)
	if err != nil {
		return nil, err
	}
	f, ok := initMessages[code]
	if !ok {
		return nil, fmt.Errorf("%w: peer-init message %d", ErrUnknownCode, code)
	}
	m, err := decodeWith(f(), payload)
	if err != nil {
		return nil, fmt.Errorf("slsk: %v: %w", code, err)
	}
	return m, nil
}

// peerMessages, distribMessages and initMessages map each code to a
// constructor. Peer connections are symmetric, so one map per connection
// kind serves both directions.
var (
	peerMessages    = map[PeerCode]func() PeerMessage{}
	distribMessages = map[DistribCode]func() DistribMessage{}
	initMessages    = map[InitCode]func() InitMessage{}
)

func registerPeer(f func() PeerMessage)       { peerMessages[f().PeerCode()] = f }
func registerDistrib(f func() DistribMessage) { distribMessages[f().DistribCode()] = f }
func registerInit(f func() InitMessage)       { initMessages[f().InitCode()] = f }
