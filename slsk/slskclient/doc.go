// Package slskclient is a Soulseek client library for scripts, tests and
// the `revival slsk` command: log in to a server, chat, watch users,
// search, browse, download, and share a local folder (answering searches
// and serving uploads) the way Nicotine+ does.
//
// The protocol is specified in ../shared/protocols/soulseek.md, cited as
// "spec §N"; the message structs come from the codec package slsk.
//
// # Lifecycle
//
// Dial connects to the server and starts the peer listener; Login logs in
// and then announces the client as Nicotine+ does (spec §1.4). Close ends
// everything. A Client is safe for use by several goroutines.
//
//	c, err := slskclient.Dial(ctx, "127.0.0.1:2242", slskclient.Options{ShareDir: dir})
//	...
//	defer c.Close()
//	if _, err := c.Login(ctx, "alice", "secret"); err != nil { ... }
//	results, _ := c.SearchAll(ctx, "artist song") // ctx bounds the wait
//	_, err = c.Download(ctx, results[0].User, results[0].Files[0].Name, w, nil)
//
// # Goroutines and backpressure
//
// One goroutine reads the server connection and one writes it, draining a
// queue bounded in bytes (Options.MaxSendQueue): when the server stops
// reading long enough to fill it, the client disconnects instead of
// growing without bound. Requests that have an answer (GetUserStatus,
// JoinRoom, GetPeerAddress, ...) register a waiter keyed by the code and
// the user or room before sending, so concurrent callers each get their
// reply; ctx bounds every wait. Status and stats replies carry no request
// id and the server also pushes them unasked (spec §2.1), so the answer
// to GetUserStatus or GetUserStats may be a report sent just before the
// server read the request; WaitUserStatus and WaitUserStats wait instead
// for a report that matches what the caller expects (wait_report.go).
//
// Everything else the server or a peer sends unasked is delivered on
// Events as a typed Event. The channel is bounded (Options.EventBuffer):
// when it is full the oldest event other than a PrivateMessage is dropped
// and DroppedEvents counts it, so a slow or absent consumer never stalls
// the reader; private messages are acknowledged to the server only once
// queued, so none is lost. Search results
// have their own per-search buffer (see Search).
//
// Every peer socket has its own reader goroutine; work that may wait on
// the network (connecting to a searcher, serving an upload) runs in
// goroutines bounded by semaphores, never on a reader.
//
// # Peer connections
//
// Outgoing peer connections use the race of spec §3.2: ConnectToPeer and
// GetPeerAddress go to the server, the client dials directly, and a
// PierceFireWall arriving on the listener for the same token is the
// indirect path; the first that works wins. One P connection per peer is
// used for sending (either side may have opened it). A P socket that lost
// a race is not closed but kept as a reader until it idles out
// (Options.IdleTimeout): in the two-Nicotine+ capture the peer sent its
// QueueUpload on the socket that lost, so closing it could drop a message.
//
// # Sharing
//
// Options.ShareDir is indexed into backslash virtual paths under
// Options.ShareName. Requests are looked up in that index only; a peer's
// path is never turned into a file-system path, and files are opened
// through os.Root, so nothing outside the folder can be served, even via
// symlinks. The client answers searches delivered as FileSearch (code
// 26), as EmbeddedMessage (code 93, we are a branch root), and the
// obsolete peer FileSearchRequest; it serves uploads with the modern flow
// and also accepts the legacy direction-0 TransferRequest (spec §3.4).
//
// # Distributed search network
//
// The client takes part in the distributed tree as real clients do (spec
// §4.2): it starts as a branch root answering the searches the server
// embeds in code 93, adopts a parent from PossibleParents (trying all
// candidates at once over D connections and reporting HaveNoParent(0),
// BranchRoot and BranchLevel), answers the searches its parent passes
// down, and becomes a root again when the parent goes. A search for a
// parent ends when one is adopted, so an offer after losing that parent
// starts the next one at once. With Options.MaxChildren > 0 it also
// accepts children and passes every search to them unchanged; a child
// may hold the D sockets of two attempts at once (four), and a further
// one from the same host replaces its oldest. Tree reports the current
// state; Options.DisableDistributed keeps the client a plain root.
package slskclient
