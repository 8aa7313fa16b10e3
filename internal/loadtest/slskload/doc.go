// Package slskload is the load generator behind `revival bench slsk`. It
// drives a Soulseek server with thousands of light raw-protocol clients (one
// TCP connection and one reader goroutine each, encoded with the slsk codec
// directly) and measures what the server's load targets are about:
// returning-user logins per second (spec §1.3), chat fan-out latency in a
// large room (spec §2 codes 13 and 14), and how fast one search reaches
// every online user (spec §4.3: EmbeddedMessage 93, or FileSearch 26 in
// direct mode).
//
// Run takes a server address and Options and returns a Result; it never
// starts a server itself. Starting a child server and reading its memory
// is the command layer's job (see internal/loadtest/serverproc), which
// plugs in through Options.Memory.
package slskload
