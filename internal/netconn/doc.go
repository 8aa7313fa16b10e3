// Package netconn is what every Revival TCP server shares below its
// protocol: the accept loop (EMFILE back-off, per-host, pre-login and total
// connection caps), the set of open connections for Shutdown and Close,
// TCP keepalive, and a Conn with a bounded write queue drained by vectored
// writes under a write deadline, slow-consumer disconnects, optional sends,
// close-after-flush, a per-connection Sealer (a stream cipher applied in
// wire order by the writer) and panic containment around the handler.
//
// It knows no framing. Soulseek is length-prefixed (internal/wire), WinMX
// WPN is an encrypted stream and MSN is line based, so the protocol's
// reader runs inside Options.Handle, reads from the Conn (an io.Reader) and
// queues whole encoded messages with Send. See docs/architecture.md,
// "Connections".
package netconn
