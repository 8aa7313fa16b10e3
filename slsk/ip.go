package slsk

import (
	"net/netip"

	"github.com/revival-net/revival/internal/wire"
)

// IP addresses travel as a little-endian uint32 of the address's numeric
// value, so 127.0.0.1 is sent as 01 00 00 7f (spec §1.1). These helpers keep
// that trap in one place.

// ReadIP reads an IPv4 address in Soulseek order.
func ReadIP(r *wire.Reader) netip.Addr {
	v := r.Uint32()
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

// WriteIP writes an IPv4 address in Soulseek order. Anything that is not
// IPv4 (including the zero Addr) is sent as 0.0.0.0, which clients read as
// "offline or unknown".
func WriteIP(b *wire.Builder, a netip.Addr) {
	a = a.Unmap()
	if !a.Is4() {
		b.Uint32(0)
		return
	}
	v := a.As4()
	b.Uint32(uint32(v[0])<<24 | uint32(v[1])<<16 | uint32(v[2])<<8 | uint32(v[3]))
}
