package wpn

import (
	"errors"
	"fmt"
	"net/netip"

	"github.com/revival-net/revival/internal/wire"
)

// Type is a frame's packet type.
type Type uint16

// Packet is a message of the secondary↔primary link (wpn.md §3.3). Every
// type there is used in one direction only, so one table decodes both.
type Packet interface {
	PacketType() Type
	// AppendPayload appends the packet's payload (no frame header).
	AppendPayload(b []byte) []byte
}

// decoder is implemented by the pointer of every packet struct.
type decoder interface {
	decode(r *wire.Reader)
}

// AppendPacket appends p as a plaintext frame.
func AppendPacket(b []byte, p Packet) []byte {
	payload := p.AppendPayload(nil)
	if len(payload) > MaxPayload {
		// Lists are cut by their builders; a single oversize field is a
		// caller bug, but the network must not see a lying header.
		payload = payload[:MaxPayload]
	}
	return AppendFrame(b, uint16(p.PacketType()), payload)
}

// Unknown is a packet whose type has no decoder (or whose payload layout
// is not public: 0x038E, 0x039D, 0x1F54). Servers ignore it (wpn.md §3.3).
type Unknown struct {
	Type    Type
	Payload []byte
}

func (p *Unknown) PacketType() Type              { return p.Type }
func (p *Unknown) AppendPayload(b []byte) []byte { return append(b, p.Payload...) }

// ErrMalformed wraps every decoding failure.
var ErrMalformed = errors.New("wpn: malformed packet")

type registry map[Type]func() Packet

func (reg registry) decode(typ uint16, payload []byte) (Packet, error) {
	mk, ok := reg[Type(typ)]
	if !ok {
		return &Unknown{Type: Type(typ), Payload: payload}, nil
	}
	p := mk()
	r := wire.NewReader(payload)
	p.(decoder).decode(r)
	if err := r.Err(); err != nil {
		return nil, fmt.Errorf("%w: type 0x%04X: %v", ErrMalformed, typ, err)
	}
	return p, nil
}

// secondaryPackets holds a constructor per known type of the
// secondary↔primary link.
var secondaryPackets = registry{}

func register[T any, P interface {
	*T
	Packet
	decoder
}](reg registry) {
	var zero T
	reg[P(&zero).PacketType()] = func() Packet { return P(new(T)) }
}

// DecodePacket decodes a secondary↔primary payload of type typ. Unknown
// types come back as *Unknown. The packet may alias payload for raw byte
// fields (hashes, ids); strings are copied.
func DecodePacket(typ uint16, payload []byte) (Packet, error) {
	return secondaryPackets.decode(typ, payload)
}

// Field helpers shared by the packet files.

func readStr(r *wire.Reader) string { return DecodeText(r.CString()) }

func appendStr(b []byte, s string) []byte { return append(AppendText(b, s), 0) }

func readIP4(r *wire.Reader) netip.Addr {
	b := r.Bytes(4)
	if b == nil {
		return netip.Addr{}
	}
	return netip.AddrFrom4([4]byte(b))
}

func appendIP4(b []byte, ip netip.Addr) []byte {
	var a [4]byte
	if ip.Is4() {
		a = ip.As4()
	}
	return append(b, a[:]...)
}

func u16(b []byte, v uint16) []byte { return append(b, byte(v), byte(v>>8)) }
func u32(b []byte, v uint32) []byte { return append(b, byte(v), byte(v>>8), byte(v>>16), byte(v>>24)) }

// readFixed reads n bytes into a copy (hashes, message ids).
func readFixed(r *wire.Reader, dst []byte) {
	copy(dst, r.Bytes(len(dst)))
}
