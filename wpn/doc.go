// Package wpn is the codec of the WinMX Peer Network (WPN): key blocks, the
// per-direction TCP stream cipher, the UDP datagram scrambler, the FrontCode
// node list of peer caches, frames and packets. It does no networking.
//
// The protocol is specified in ../shared/protocols/wpn.md, cited as
// "wpn.md §N"; its confidence tags ([C] confirmed, [D] documented, [G]
// guessed) are repeated where a guessed fact decides behaviour.
//
// None of the four obfuscation layers is cryptography: they exist so that
// real WinMX clients understand us, not to protect anything.
package wpn
