package wpn

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/netip"
)

// NodeEntry is one primary in a peer cache's list and in the primary's
// 0x03A1 packet (wpn.md §2.6, PARENTNODEINFO) [C].
type NodeEntry struct {
	IP            netip.Addr // IPv4; network byte order on the wire
	UDPPort       uint16
	TCPPort       uint16
	FreePrimary   uint8  // free primary-link slots
	FreeSecondary uint8  // free secondary slots; clients pick the most
	Reserved      uint16 // 0 in cache lists; a 0/1/2 marker of unknown meaning in 0x03A1 [D]
}

// NodeEntrySize is the size of a NodeEntry on the wire.
const NodeEntrySize = 12

// AppendNodeEntry appends e's 12 bytes. A non-IPv4 address is written as
// 0.0.0.0, which no client will dial.
func AppendNodeEntry(b []byte, e NodeEntry) []byte {
	var ip [4]byte
	if e.IP.Is4() {
		ip = e.IP.As4()
	}
	b = append(b, ip[:]...)
	b = binary.LittleEndian.AppendUint16(b, e.UDPPort)
	b = binary.LittleEndian.AppendUint16(b, e.TCPPort)
	b = append(b, e.FreePrimary, e.FreeSecondary)
	return binary.LittleEndian.AppendUint16(b, e.Reserved)
}

// ParseNodeEntry reads 12 bytes (len(b) must be at least NodeEntrySize).
func ParseNodeEntry(b []byte) NodeEntry {
	return NodeEntry{
		IP:            netip.AddrFrom4([4]byte(b[0:4])),
		UDPPort:       binary.LittleEndian.Uint16(b[4:]),
		TCPPort:       binary.LittleEndian.Uint16(b[6:]),
		FreePrimary:   b[8],
		FreeSecondary: b[9],
		Reserved:      binary.LittleEndian.Uint16(b[10:]),
	}
}

// Sizes of the peer cache's answer (wpn.md §5.1): the 0x38 byte, a 0x54
// key block, then the FrontCode list of a 12-byte header and ten entries.
const (
	FrontCodeEntries = 10
	FrontCodeSize    = NodeEntrySize * (1 + FrontCodeEntries) // 132
	CacheMarker      = 0x38
	CacheReplySize   = 1 + KeyBlockSize + FrontCodeSize // 149
)

// fcAdds marks the FrontCode columns combined by addition; the others use
// XOR (wpn.md §2.6).
var fcAdds = [NodeEntrySize]bool{0: true, 1: true, 3: true, 7: true, 9: true, 10: true}

// nushiFC00 is FC[0][0x00] in Nushi's copy of the table (RoboMX, RoboServ,
// WPCC), where ours has 0xCA. Lists that decode differently under the two
// are never sent (wpn.md §2.6).
const nushiFC00 = 0xC7

// DecryptFrontCode decodes a 132-byte FrontCode list into its ten entries.
func DecryptFrontCode(list [FrontCodeSize]byte) [FrontCodeEntries]NodeEntry {
	return decryptFrontCode(list, false)
}

func decryptFrontCode(list [FrontCodeSize]byte, nushi bool) [FrontCodeEntries]NodeEntry {
	var k [NodeEntrySize]byte
	copy(k[:], list[:NodeEntrySize])
	var out [FrontCodeEntries]NodeEntry
	var p [NodeEntrySize]byte
	for i := range FrontCodeEntries {
		c := list[NodeEntrySize*(i+1):][:NodeEntrySize]
		for j := range NodeEntrySize {
			if fcAdds[j] {
				p[j] = c[j] - k[j]
			} else {
				p[j] = c[j] ^ k[j]
			}
			k[j] = fc[j][c[j]]
			if nushi && j == 0 && c[j] == 0 {
				k[j] = nushiFC00
			}
		}
		out[i] = ParseNodeEntry(p[:])
	}
	return out
}

// EncryptFrontCode encodes ten entries under the 12-byte header (the
// forward method of wpn.md §2.6: ciphertext = plaintext combined with the
// key, then the key advances through FC on the ciphertext).
func EncryptFrontCode(header [NodeEntrySize]byte, entries [FrontCodeEntries]NodeEntry) [FrontCodeSize]byte {
	var out [FrontCodeSize]byte
	k := header
	copy(out[:], header[:])
	for i, e := range entries {
		p := AppendNodeEntry(make([]byte, 0, NodeEntrySize), e)
		c := out[NodeEntrySize*(i+1):][:NodeEntrySize]
		for j := range NodeEntrySize {
			if fcAdds[j] {
				c[j] = p[j] + k[j]
			} else {
				c[j] = p[j] ^ k[j]
			}
			k[j] = fc[j][c[j]]
		}
	}
	return out
}

// FrontCodeAmbiguous reports whether list decodes differently under the
// two FC table variants: a column-0 ciphertext byte of 0x00 in blocks 0–8
// feeds the one entry where they differ into the next block's key.
func FrontCodeAmbiguous(list [FrontCodeSize]byte) bool {
	for i := range FrontCodeEntries - 1 {
		if list[NodeEntrySize*(i+1)] == 0 {
			return true
		}
	}
	return false
}

// errNoSafeHeader is returned when no header in many tries gives a list
// both table variants decode alike; with random headers each try succeeds
// with probability about (255/256)^9, so this means a broken rand.
var errNoSafeHeader = errors.New("wpn: no FrontCode header decodes alike under both FC tables")

// NewCacheReply builds the 149 bytes a peer cache sends (wpn.md §5.1): the
// 0x38 marker, a fresh 0x54 key block and the FrontCode list of entries
// (fewer than ten are padded with zero entries, which clients skip as
// having no free slots). The header is redrawn until both FC table
// variants decode the list identically (wpn.md §2.6).
func NewCacheReply(rand io.Reader, entries []NodeEntry) ([CacheReplySize]byte, error) {
	var out [CacheReplySize]byte
	if len(entries) > FrontCodeEntries {
		return out, fmt.Errorf("wpn: %d cache entries, at most %d", len(entries), FrontCodeEntries)
	}
	var list [FrontCodeEntries]NodeEntry
	copy(list[:], entries)
	kb, err := NewKeyBlock(KeyCache, rand)
	if err != nil {
		return out, err
	}
	out[0] = CacheMarker
	copy(out[1:], kb[:])
	for range 1000 {
		var h [NodeEntrySize]byte
		if _, err := io.ReadFull(rand, h[:]); err != nil {
			return out, fmt.Errorf("wpn: FrontCode header: %w", err)
		}
		ct := EncryptFrontCode(h, list)
		if !FrontCodeAmbiguous(ct) {
			copy(out[1+KeyBlockSize:], ct[:])
			return out, nil
		}
	}
	return out, errNoSafeHeader
}

// ParseCacheReply reads a peer cache's answer as clients do: the marker
// byte, a key block whose ID must be 0x54, then the list.
func ParseCacheReply(b []byte) ([FrontCodeEntries]NodeEntry, error) {
	var zero [FrontCodeEntries]NodeEntry
	if len(b) < CacheReplySize {
		return zero, fmt.Errorf("wpn: cache reply of %d bytes, want %d", len(b), CacheReplySize)
	}
	if b[0] != CacheMarker {
		return zero, fmt.Errorf("wpn: cache reply starts with 0x%02X, want 0x%02X", b[0], CacheMarker)
	}
	id, _, err := ReadKeyBlock(KeyBlock(b[1 : 1+KeyBlockSize]))
	if err != nil {
		return zero, err
	}
	if id != KeyCache {
		return zero, fmt.Errorf("wpn: cache reply key block is %v, want %v", id, KeyCache)
	}
	return DecryptFrontCode([FrontCodeSize]byte(b[1+KeyBlockSize : CacheReplySize])), nil
}
