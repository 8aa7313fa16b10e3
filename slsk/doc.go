// Package slsk is the Soulseek wire codec: message structs for the
// client↔server, peer-init, peer (P), distributed (D) and file (F)
// connections, their codes, and framing. It does no networking, so the
// server (slsk/slskserver), the client library (slsk/slskclient) and the
// load tool share one definition of every byte.
//
// Reference: ../shared/protocols/soulseek.md (cited as "spec §N"); the
// captures in ../shared/protocols/captures/soulseek give the golden bytes
// in the tests. All integers are little-endian, including IPv4 addresses,
// whose bytes are therefore reversed from dotted order (spec §1.1).
//
// Naming: a struct carries the message's name from the spec. When the two
// directions of one code carry different payloads, the client-to-server
// form has the bare name (GetUserStatus) and the server-to-client form adds
// Reply (GetUserStatusReply), even when the server pushes it unasked.
package slsk
