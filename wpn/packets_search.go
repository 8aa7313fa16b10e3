package wpn

import (
	"net/netip"

	"github.com/revival-net/revival/internal/wire"
)

func init() {
	register[Search](secondaryPackets)
	register[HashSearch](secondaryPackets)
	register[StopSearch](secondaryPackets)
	register[SearchHit](secondaryPackets)
}

// File types of a search (wpn.md §3.6): 0 any [G], 1 software, 2 audio,
// 3 video [C/D].
const (
	FileAny      uint8 = 0
	FileSoftware uint8 = 1
	FileAudio    uint8 = 2
	FileVideo    uint8 = 3
)

// Search (0x1771) is a keyword search: [SearchID u32][MinLineType u8][0]
// [FileType u8][0][Query].
type Search struct {
	SearchID    uint32
	MinLineType uint8
	FileType    uint8
	Query       string
}

func (*Search) PacketType() Type { return TypeSearch }
func (p *Search) AppendPayload(b []byte) []byte {
	return appendStr(append(u32(b, p.SearchID), p.MinLineType, 0, p.FileType, 0), p.Query)
}
func (p *Search) decode(r *wire.Reader) {
	p.SearchID = r.Uint32()
	p.MinLineType = r.Uint8()
	r.Uint8()
	p.FileType = r.Uint8()
	r.Uint8()
	p.Query = readStr(r)
}

// HashSize16 is the checksum part of a hash (what hash searches carry).
const HashSize16 = 16

// HashSearch (0x1772) searches by the 16-byte checksum.
type HashSearch struct {
	SearchID    uint32
	MinLineType uint8
	FileType    uint8
	Hash        [HashSize16]byte
}

func (*HashSearch) PacketType() Type { return TypeHashSearch }
func (p *HashSearch) AppendPayload(b []byte) []byte {
	return append(append(u32(b, p.SearchID), p.MinLineType, 0, p.FileType, 0), p.Hash[:]...)
}
func (p *HashSearch) decode(r *wire.Reader) {
	p.SearchID = r.Uint32()
	p.MinLineType = r.Uint8()
	r.Uint8()
	p.FileType = r.Uint8()
	r.Uint8()
	readFixed(r, p.Hash[:])
}

// StopSearch (0x1775) stops a search.
type StopSearch struct{ SearchID uint32 }

func (*StopSearch) PacketType() Type                { return TypeStopSearch }
func (p *StopSearch) AppendPayload(b []byte) []byte { return u32(b, p.SearchID) }
func (p *StopSearch) decode(r *wire.Reader)         { p.SearchID = r.Uint32() }

// searchHitDummy are the five bytes of unknown meaning in every hit that
// MediaDefender saw; WinMXWorld says "use dummy" [D].
var searchHitDummy = [5]byte{0x4E, 0x5B, 0x04, 0x00, 0xA9}

// SearchHit (0x177A) is one result (wpn.md §3.6).
type SearchHit struct {
	SearchID       uint32
	PrimaryIP      netip.Addr // the owner's primary; with the port, the owner's handle
	PrimaryUDPPort uint16
	Path           string
	Hash           [HashSize]byte
	Size           uint32
	Media          *Media
	LineType       uint8
	PingIP         netip.Addr // meaning unclear [D]; we send the owner's address
	UserName       string
	Status         string
}

// Handle returns the owner's handle.
func (p *SearchHit) Handle() Handle { return Handle{IP: p.PrimaryIP, UDPPort: p.PrimaryUDPPort} }

func (*SearchHit) PacketType() Type { return TypeSearchHit }
func (p *SearchHit) AppendPayload(b []byte) []byte {
	b = u16(appendIP4(u32(b, p.SearchID), p.PrimaryIP), p.PrimaryUDPPort)
	b = appendStr(append(b, searchHitDummy[:]...), p.Path)
	b = appendMeta(u32(append(b, p.Hash[:]...), p.Size), p.Media)
	b = appendIP4(append(b, p.LineType), p.PingIP)
	return appendStr(appendStr(b, p.UserName), p.Status)
}
func (p *SearchHit) decode(r *wire.Reader) {
	p.SearchID = r.Uint32()
	p.PrimaryIP = readIP4(r)
	p.PrimaryUDPPort = r.Uint16()
	r.Bytes(len(searchHitDummy))
	p.Path = readStr(r)
	readFixed(r, p.Hash[:])
	p.Size = r.Uint32()
	p.Media = readMeta(r)
	p.LineType = r.Uint8()
	p.PingIP = readIP4(r)
	p.UserName = readStr(r)
	p.Status = readStr(r)
}
