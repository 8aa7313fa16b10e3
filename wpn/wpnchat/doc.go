// Package wpnchat hosts WinMX chat rooms (wpn.md §6): the room side of
// the chat protocol for WinMX 3.31 and 3.53 clients and their successors,
// with ranks, operator commands, room passwords and Revival accounts.
//
// The host has no listener of its own. WinMX serves everything on one TCP
// port (wpn.md §1.2), so the primary's listener greets each connection
// (wpnconn.Greet) and hands those that open with a chat client's key
// block (0x57) to Host.ServeChat; Handler does the same for tests and for
// a chat-only listener.
//
// Rooms exist only when an operator adds them (revival wpn room add): they
// live in the store (store.WPNRooms) and are loaded by New; members live
// in memory. Every broadcast goes through one Fanout, so a multi-node
// implementation can replace the in-process one. docs/wpn-chat.md
// describes the behaviour and the choices made where the protocol
// documents nothing ([G]).
//
// Locks: Host.mu guards the room table; each room's mu guards its members
// and state, and is held while a broadcast is queued so that every member
// sees a room's events in one order. Lock order: Host.mu is never held
// while taking a room's mu. Queueing a frame (netconn.Conn.Send) never
// blocks, so slow members cost the others nothing.
package wpnchat
