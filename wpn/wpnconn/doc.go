// Package wpnconn is the part of a WinMX WPN connection that every WPN
// server and client shares above the socket: the 0x31 opening, the key
// exchange that tells a secondary from a primary link or a chat client
// (wpn.md §1.2), and the two directions' stream ciphers.
//
// Servers accept with Greet (read what the initiator sent after 0x31) and
// Respond (answer its key block; outgoing frames are then encrypted by the
// netconn writer through a Sealer). Clients, mesh links and the peer
// cache's liveness probe use Dial. The codec itself lives in package wpn
// and does no networking; this package is where bytes meet sockets.
package wpnconn
