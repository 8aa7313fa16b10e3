package wpnserver

import (
	"net/netip"

	"github.com/revival-net/revival/wpn"
)

// Origin is the secondary a forwarded request comes from, as another
// primary needs it: its full name and its handle (this primary's).
type Origin struct {
	Handle wpn.Handle
	Name   string
	// Addr and Port are the requester's transfer address (its TCP peer
	// address and 0x03E9 port), needed when an upload is pushed to it.
	Addr netip.Addr
	Port uint16
}

// Mesh carries requests to users of other primaries and searches across
// them (the primary↔primary protocol, docs/wpn-mesh.md). Answers come
// back through reply, from any goroutine, and are passed to the
// requesting secondary as they are (0x138A/0x138B, 0x13ED, 0x1BBC/0x1BC6/
// 0x1BD0, 0x1FC2/0x1FA4, 0x177A).
type Mesh interface {
	// Forward sends req (whois, PM, browse or download request) towards
	// the primary with handle `to`. It reports false when no route is
	// known, and the server answers with the failure packet itself.
	Forward(to wpn.Handle, req wpn.Packet, from Origin, reply func(wpn.Packet)) bool
	// Search floods a term or hash search; hits arrive through reply
	// until stop is called (0x1775 or the searcher leaving).
	Search(req wpn.Packet, from Origin, reply func(*wpn.SearchHit)) (stop func())
}
