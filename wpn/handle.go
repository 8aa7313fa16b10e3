package wpn

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// Handle is a WinMX address: the IP and UDP port of a user's primary
// (wpn.md §1.4). Every PM, whois, browse and transfer request names its
// target by handle; incoming ones name the sender's.
type Handle struct {
	IP      netip.Addr // the primary's IPv4 address
	UDPPort uint16     // the primary's UDP port
}

// handlePrefix starts every handle; parsers skip its six bytes without
// looking, because RoboMX writes "Winmx " (wpn.md §1.4).
const handlePrefix = "WinMX "

// leDword returns the IP as WinMX prints it: the four address bytes read
// as a little-endian DWORD (127.0.0.1 → 0x0100007F).
func leDword(ip netip.Addr) uint32 {
	if !ip.Is4() {
		return 0
	}
	a := ip.As4()
	return binary.LittleEndian.Uint32(a[:])
}

func fromLEDword(v uint32) netip.Addr {
	var a [4]byte
	binary.LittleEndian.PutUint32(a[:], v)
	return netip.AddrFrom4(a)
}

// String formats the handle as real captures show it: "WinMX " and twelve
// lower-case hex digits.
func (h Handle) String() string {
	return fmt.Sprintf("%s%08x%04x", handlePrefix, leDword(h.IP), h.UDPPort)
}

// ParseHandle reads a handle: any six bytes, then twelve hex digits in
// either case (RoboMX emits upper case).
func ParseHandle(s string) (Handle, error) {
	if len(s) < len(handlePrefix)+12 {
		return Handle{}, fmt.Errorf("wpn: handle %q too short", s)
	}
	hex := s[len(handlePrefix) : len(handlePrefix)+12]
	ip, err1 := strconv.ParseUint(hex[:8], 16, 32)
	port, err2 := strconv.ParseUint(hex[8:], 16, 16)
	if err1 != nil || err2 != nil {
		return Handle{}, fmt.Errorf("wpn: handle %q is not hex", s)
	}
	return Handle{IP: fromLEDword(uint32(ip)), UDPPort: uint16(port)}, nil
}

// RoomAddr is where a chat room is hosted, taken from its name.
type RoomAddr struct {
	Base string     // the name without the suffix
	IP   netip.Addr // the host's IPv4 address
	Port uint16     // the host's TCP port
}

// RoomName formats "<base>_<8 hex IP as LE DWORD><4 hex port>" in upper
// case (wpn.md §1.4).
func (a RoomAddr) RoomName() string {
	return fmt.Sprintf("%s_%08X%04X", a.Base, leDword(a.IP), a.Port)
}

// ParseRoomName splits a full room name into base and address: the last
// twelve characters after an underscore, in either case.
func ParseRoomName(name string) (RoomAddr, error) {
	i := strings.LastIndexByte(name, '_')
	if i < 0 || len(name)-i-1 != 12 {
		return RoomAddr{}, fmt.Errorf("wpn: room name %q has no _IIIIIIIIPPPP suffix", name)
	}
	hex := name[i+1:]
	ip, err1 := strconv.ParseUint(hex[:8], 16, 32)
	port, err2 := strconv.ParseUint(hex[8:], 16, 16)
	if err1 != nil || err2 != nil {
		return RoomAddr{}, fmt.Errorf("wpn: room name %q has a suffix that is not hex", name)
	}
	return RoomAddr{Base: name[:i], IP: fromLEDword(uint32(ip)), Port: uint16(port)}, nil
}

// FullName is a secondary's name as others see it: the base name and the
// primary's client id as "_%05d" (wpn.md §1.4).
func FullName(base string, clientID uint16) string {
	return fmt.Sprintf("%s_%05d", base, clientID)
}
