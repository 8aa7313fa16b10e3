package wpnmesh

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/netip"

	"github.com/revival-net/revival/internal/wire"
	"github.com/revival-net/revival/wpn"
)

// Message kinds: payload byte 0 (docs/wpn-mesh.md "Messages"). 0x4E is
// WinMX's room-list query (wpn.md §4.2) and 0x47 reuses the number of the
// UDP room answer (§4.3); the rest are Revival's.
const (
	kindAnnounce  byte = 'A' // a primary and its free slots; flooded
	kindCancel    byte = 'C' // stop relaying hits of a search
	kindGone      byte = 'D' // a primary is no longer reachable through the sender
	kindForward   byte = 'F' // a whois, PM, browse or download request for a user of another primary
	kindRooms     byte = 0x47
	kindHit       byte = 'H' // one 0x177A search hit, back along the search's path
	kindRoomQuery byte = wpn.RoomQueryMarker
	kindReply     byte = 'R' // an answer to a forwarded request, back along its path
	kindSearch    byte = 'S' // a term or hash search; flooded
)

// version is header byte 14 of every frame Revival sends [G]: WinMX's
// meaning of bytes 12–14 is unknown (wpn.md §4.2).
const version = 1

// header is a frame's 17-byte header (wpn.PrimaryHeader) as the mesh uses
// it: bytes 12 and 13 carry the remaining hops (TTL) and the hops taken.
// For replies, hits and cancels the origin and query id are the request's,
// which identifies the request along its path.
type header struct {
	origin  wpn.Handle // the primary that originated the request
	tcpPort uint16
	qid     uint32
	ttl     uint8
	hops    uint8
}

func (h header) key() qkey {
	return qkey{ip: h.origin.IP.As4(), port: h.origin.UDPPort, qid: h.qid}
}

// qkey identifies a request across the mesh.
type qkey struct {
	ip   [4]byte
	port uint16
	qid  uint32
}

// message is one decoded frame body; which fields are set depends on the
// kind.
type message struct {
	kind byte

	node    wpn.NodeEntry // announce
	version uint8         // announce: the sender's mesh version
	seq     uint32        // announce, gone: the node's announcement sequence

	// handle is the unreachable primary (gone), the target's primary
	// (forward) or the answering primary (rooms).
	handle wpn.Handle

	// The requester of a forward (its handle is the header's origin).
	name string
	addr netip.Addr
	port uint16

	packet wpn.Packet // search, hit, forward, reply
	rooms  []wpn.RoomListEntry
}

// maxBody is the largest frame payload: the u16 at header bytes 15–16.
const maxBody = 0xFFFF

var errTooLarge = errors.New("wpnmesh: message larger than a frame")

// appendFrame appends the header and body of m.
func appendFrame(b []byte, h header, m *message) ([]byte, error) {
	body := appendBody(nil, m)
	if len(body) > maxBody {
		return b, errTooLarge
	}
	return appendRaw(b, h, body), nil
}

// encode is appendFrame into a new slice.
func encode(h header, m *message) ([]byte, error) { return appendFrame(nil, h, m) }

func appendBody(b []byte, m *message) []byte {
	b = append(b, m.kind)
	switch m.kind {
	case kindAnnounce:
		b = wpn.AppendNodeEntry(append(b, m.version), m.node)
		b = binary.LittleEndian.AppendUint32(b, m.seq)
	case kindGone:
		b = binary.LittleEndian.AppendUint32(appendHandle(b, m.handle), m.seq)
	case kindForward:
		b = appendHandle(b, m.handle)
		b = appendStr(b, m.name)
		b = appendIP4(b, m.addr)
		b = binary.LittleEndian.AppendUint16(b, m.port)
		b = wpn.AppendPacket(b, m.packet)
	case kindSearch, kindHit, kindReply:
		b = wpn.AppendPacket(b, m.packet)
	case kindRooms:
		b = appendHandle(b, m.handle)
		b = binary.LittleEndian.AppendUint16(b, uint16(len(m.rooms)))
		for i := range m.rooms {
			b = m.rooms[i].AppendPayload(b)
		}
	}
	return b
}

var errMalformed = errors.New("wpnmesh: malformed message")

// minRoomEntry is the smallest 0x238E payload: two u32 and two empty
// strings.
const minRoomEntry = 10

// decodeBody decodes a frame payload. Packets inside are checked against
// what the kind may carry, so a peer cannot hand a secondary a packet no
// primary would send it (a 0x0460, say).
func decodeBody(body []byte) (*message, error) {
	if len(body) == 0 {
		return nil, fmt.Errorf("%w: empty payload", errMalformed)
	}
	m := &message{kind: body[0]}
	r := wire.NewReader(body[1:])
	switch m.kind {
	case kindAnnounce:
		m.version = r.Uint8()
		if b := r.Bytes(wpn.NodeEntrySize); b != nil {
			m.node = wpn.ParseNodeEntry(b)
		}
		m.seq = r.Uint32()
	case kindGone:
		m.handle = readHandle(r)
		m.seq = r.Uint32()
	case kindForward:
		m.handle = readHandle(r)
		m.name = wpn.DecodeText(r.CString())
		m.addr = readIP4(r)
		m.port = r.Uint16()
		m.packet = readPacket(r)
	case kindSearch, kindHit, kindReply:
		m.packet = readPacket(r)
	case kindRooms:
		m.handle = readHandle(r)
		n := int(r.Uint16())
		if n*minRoomEntry > r.Len() {
			return nil, fmt.Errorf("%w: %d rooms in %d bytes", errMalformed, n, r.Len())
		}
		m.rooms = make([]wpn.RoomListEntry, 0, n)
		for range n {
			e := wpn.RoomListEntry{Users: r.Uint32(), Limit: r.Uint32()}
			e.Name = wpn.DecodeText(r.CString())
			e.Topic = wpn.DecodeText(r.CString())
			m.rooms = append(m.rooms, e)
		}
	case kindCancel, kindRoomQuery:
		// The header says everything; WinMX's 0x4E query may carry
		// bytes after the marker that nobody has decoded (wpn.md §4.2).
		r.Rest()
	default:
		return m, nil // unknown kinds are for newer versions: ignored
	}
	if err := r.Err(); err != nil {
		return nil, fmt.Errorf("%w: kind 0x%02X: %v", errMalformed, m.kind, err)
	}
	if !r.Empty() {
		return nil, fmt.Errorf("%w: kind 0x%02X: %d bytes left over", errMalformed, m.kind, r.Len())
	}
	if !packetFits(m) {
		return nil, fmt.Errorf("%w: kind 0x%02X cannot carry %T", errMalformed, m.kind, m.packet)
	}
	return m, nil
}

// packetFits reports whether m's packet is one its kind carries: the
// requests of Forward, the answers a primary sends back for them.
func packetFits(m *message) bool {
	switch m.kind {
	case kindSearch:
		switch m.packet.(type) {
		case *wpn.Search, *wpn.HashSearch:
			return true
		}
		return false
	case kindHit:
		_, ok := m.packet.(*wpn.SearchHit)
		return ok
	case kindForward:
		switch m.packet.(type) {
		case *wpn.Whois, *wpn.PrivateMessage, *wpn.Browse, *wpn.DownloadRequest:
			return true
		}
		return false
	case kindReply:
		return m.packet != nil && replyKind(m.packet.PacketType()) != 0
	}
	return true
}

func readPacket(r *wire.Reader) wpn.Packet {
	typ := r.Uint16()
	n := int(r.Uint16())
	payload := r.Bytes(n)
	if r.Err() != nil {
		return nil
	}
	p, err := wpn.DecodePacket(typ, payload)
	if err != nil {
		r.Fail(err)
		return nil
	}
	if _, unknown := p.(*wpn.Unknown); unknown {
		r.Fail(fmt.Errorf("packet type 0x%04X", typ))
		return nil
	}
	return p
}

func appendHandle(b []byte, h wpn.Handle) []byte {
	return binary.LittleEndian.AppendUint16(appendIP4(b, h.IP), h.UDPPort)
}

func readHandle(r *wire.Reader) wpn.Handle {
	return wpn.Handle{IP: readIP4(r), UDPPort: r.Uint16()}
}

func appendIP4(b []byte, ip netip.Addr) []byte {
	var a [4]byte
	if ip = ip.Unmap(); ip.Is4() {
		a = ip.As4()
	}
	return append(b, a[:]...)
}

func readIP4(r *wire.Reader) netip.Addr {
	b := r.Bytes(4)
	if b == nil {
		return netip.IPv4Unspecified()
	}
	return netip.AddrFrom4([4]byte(b))
}

func appendStr(b []byte, s string) []byte { return append(wpn.AppendText(b, s), 0) }

// frameReader reads mesh frames from a decrypted stream. The payload
// buffer grows as bytes arrive, so a header announcing 64 KiB costs
// nothing until the bytes come; it is reused between frames.
type frameReader struct {
	r       io.Reader
	hdr     [wpn.PrimaryHeaderSize]byte
	buf     []byte
	onStart func() // the first byte of a frame arrived (netconn.Conn.FrameStarted)
}

const readChunk = 4 << 10

// next returns the next frame's header and payload (aliasing the
// reader's buffer until the next call).
func (f *frameReader) next() (header, []byte, error) {
	if _, err := io.ReadFull(f.r, f.hdr[:1]); err != nil {
		return header{}, nil, err
	}
	if f.onStart != nil {
		f.onStart()
	}
	if _, err := io.ReadFull(f.r, f.hdr[1:]); err != nil {
		return header{}, nil, unexpected(err)
	}
	ph, _ := wpn.ParsePrimaryHeader(f.hdr[:])
	h := header{
		origin:  wpn.Handle{IP: ph.OriginIP, UDPPort: ph.OriginUDPPort},
		tcpPort: ph.OriginTCPPort,
		qid:     ph.QueryID,
		ttl:     ph.Extra[0],
		hops:    ph.Extra[1],
	}
	n := int(ph.Length)
	if cap(f.buf) > readChunk && n <= readChunk {
		f.buf = nil // a large frame's buffer is not kept for small ones
	}
	f.buf = f.buf[:0]
	for len(f.buf) < n {
		step := min(n-len(f.buf), max(readChunk, len(f.buf)))
		old := len(f.buf)
		f.buf = append(f.buf, make([]byte, step)...)
		if _, err := io.ReadFull(f.r, f.buf[old:]); err != nil {
			return header{}, nil, unexpected(err)
		}
	}
	return h, f.buf[:n], nil
}

// appendRaw appends a frame with header h around an encoded body (a
// relayed message: its body is passed on as it came).
func appendRaw(b []byte, h header, body []byte) []byte {
	b = wpn.AppendPrimaryHeader(b, wpn.PrimaryHeader{
		OriginIP:      h.origin.IP,
		OriginUDPPort: h.origin.UDPPort,
		OriginTCPPort: h.tcpPort,
		QueryID:       h.qid,
		Extra:         [3]byte{h.ttl, h.hops, version},
		Length:        uint16(len(body)),
	})
	return append(b, body...)
}

// stepped is the frame h, body passed on one hop further.
func stepped(h header, body []byte) []byte {
	h.ttl--
	h.hops++
	return appendRaw(make([]byte, 0, wpn.PrimaryHeaderSize+len(body)), h, body)
}

func unexpected(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}
