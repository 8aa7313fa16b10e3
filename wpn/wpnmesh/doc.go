// Package wpnmesh links Revival WPN primaries into one network: a user of
// any primary finds files, whoises, messages, browses and downloads from
// users of every other (wpn.md §1.3, "network side").
//
// WinMX's own primary↔primary protocol was never published (wpn.md §4);
// this is Revival's, documented in docs/wpn-mesh.md. It keeps the known
// shapes: links are WPN sessions opened with a 0x50 key block (§4.1),
// every frame starts with the 17-byte header of §4.2 (origin IP and UDP
// port, query id, payload length at bytes 15–16), and a payload starting
// with 0x4E is a chat-room-list query, so third-party room listers that
// connect to a Revival primary still hear it.
//
// The mesh plugs into wpnserver through its seams: it is the server's
// Mesh (requests for other primaries' users, searches), its LinkHandler
// (incoming 0x50 links), its RoomSource (rooms of every primary) and the
// source of its 0x03A1 node lists (Nodes).
package wpnmesh
