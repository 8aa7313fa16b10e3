// Package slskserver is the Soulseek server: the central server that
// Nicotine+, slskd, SoulseekQt and aioslsk log in to. It authenticates
// through the shared hub, keeps who is online, rooms, watch lists and the
// distributed search tree in memory, persists what must survive a restart
// (accounts, offline private messages, private rooms, tickers, statistics)
// through the store, and brokers peer connections. Peers transfer files
// directly; the server never sees file data.
//
// Concurrency (docs/architecture.md): one reader goroutine per connection
// decodes and handles messages in order; shared state lives behind
// Server.mu; every outgoing message goes through the connection's bounded
// write queue, drained by a writer goroutine that exists only while the
// queue is non-empty, so idle connections cost one goroutine.
package slskserver
