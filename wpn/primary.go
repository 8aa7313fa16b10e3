package wpn

import (
	"encoding/binary"
	"fmt"
	"net/netip"

	"github.com/revival-net/revival/internal/wire"
)

// The primary↔primary link (wpn.md §4) is only partly public. What is
// known, and what Revival keeps so that existing room listers (RoboServ)
// still work: frames on a primary link start with a 17-byte header whose
// payload length is at bytes 15–16, flooded queries carry the origin's IP
// and UDP port and a query id, and a payload starting with 0x4E is a chat
// room list query answered by UDP 0x47 datagrams. Revival's own mesh
// messages (docs/wpn-mesh.md) use the same header.

// PrimaryHeaderSize is the size of a primary-link frame header.
const PrimaryHeaderSize = 17

// PrimaryHeader is the header of a primary-link frame (wpn.md §4.2).
type PrimaryHeader struct {
	OriginIP      netip.Addr // the primary that originated the message
	OriginUDPPort uint16     // where UDP answers go
	OriginTCPPort uint16     // bytes 6–7: unknown in WinMX, the origin's TCP port [G]
	QueryID       uint32     // copied into answers; floods are de-duplicated on it
	Extra         [3]byte    // bytes 12–14: unknown (TTL/hop/type) [G]; Revival's mesh defines them
	Length        uint16     // payload length, bytes 15–16 (RoboServ reads byte 15 only) [G]
}

// AppendPrimaryHeader appends h's 17 bytes.
func AppendPrimaryHeader(b []byte, h PrimaryHeader) []byte {
	b = appendIP4(b, h.OriginIP)
	b = u16(u16(b, h.OriginUDPPort), h.OriginTCPPort)
	b = append(u32(b, h.QueryID), h.Extra[:]...)
	return u16(b, h.Length)
}

// ParsePrimaryHeader reads a 17-byte header.
func ParsePrimaryHeader(b []byte) (PrimaryHeader, error) {
	if len(b) < PrimaryHeaderSize {
		return PrimaryHeader{}, fmt.Errorf("wpn: primary header of %d bytes", len(b))
	}
	return PrimaryHeader{
		OriginIP:      netip.AddrFrom4([4]byte(b[0:4])),
		OriginUDPPort: binary.LittleEndian.Uint16(b[4:]),
		OriginTCPPort: binary.LittleEndian.Uint16(b[6:]),
		QueryID:       binary.LittleEndian.Uint32(b[8:]),
		Extra:         [3]byte(b[12:15]),
		Length:        binary.LittleEndian.Uint16(b[15:]),
	}, nil
}

// RoomQueryMarker is payload byte 0 of a chat-room-list query flooded
// between primaries (wpn.md §4.2).
const RoomQueryMarker = 0x4E

// UDP datagram types between primaries (wpn.md §4.3).
const UDPRoomEntry = 0x47

// udpSeedSize is the random seed that starts every WPN datagram, so equal
// payloads scramble differently.
const udpSeedSize = 4

// UDPRoomListEntry is datagram 0x47: one hosted room, answering a 0x4E
// query. The sender's address is not in it: the receiver builds the
// listed name from the datagram's source IP and RoomPort, so rooms cannot
// claim other hosts' addresses.
type UDPRoomListEntry struct {
	QueryID      uint32
	Users, Limit uint32
	RoomPort     uint16
	BaseName     string
	Topic        string
}

// AppendUDPRoomListEntry appends the plaintext datagram (seed, type,
// fields); the caller scrambles it with EncryptUDP before sending.
func AppendUDPRoomListEntry(b []byte, seed uint32, e UDPRoomListEntry) []byte {
	b = append(u32(b, seed), UDPRoomEntry)
	b = u16(u32(u32(u32(b, e.QueryID), e.Users), e.Limit), e.RoomPort)
	return appendStr(appendStr(b, e.BaseName), e.Topic)
}

// ParseUDPDatagram reads a descrambled datagram's type and the payload
// after the seed and type byte.
func ParseUDPDatagram(d []byte) (typ byte, payload []byte, err error) {
	if len(d) < udpSeedSize+1 {
		return 0, nil, fmt.Errorf("wpn: %d-byte datagram", len(d))
	}
	return d[udpSeedSize], d[udpSeedSize+1:], nil
}

// ParseUDPRoomListEntry decodes the payload of a 0x47 datagram.
func ParseUDPRoomListEntry(payload []byte) (UDPRoomListEntry, error) {
	r := wire.NewReader(payload)
	e := UDPRoomListEntry{QueryID: r.Uint32(), Users: r.Uint32(), Limit: r.Uint32(), RoomPort: r.Uint16()}
	e.BaseName = readStr(r)
	e.Topic = readStr(r)
	if err := r.Err(); err != nil {
		return UDPRoomListEntry{}, fmt.Errorf("%w: UDP 0x47: %v", ErrMalformed, err)
	}
	return e, nil
}
