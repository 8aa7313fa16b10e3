// Package wpnserver is a WinMX WPN primary node: it serves secondaries
// (wpn.md §3: login, status, shares, searches, browse, whois, private
// messages, the chat room list and transfer brokering) on one TCP port
// that also takes chat clients and primary links, dispatched on the key
// block the initiator sends after 0x31 (wpn.md §1.2).
//
// Unlike a WinMX primary, which carried ten to nineteen secondaries, one
// Revival primary serves thousands: shares live in an inverted index
// (package shareindex), and every per-user lookup goes through one seam,
// the directory (directory.go), which a multi-node implementation can
// replace. Requests for users of other primaries go to Options.Mesh; with
// none, they fail the way WinMX reports an unreachable user.
package wpnserver
