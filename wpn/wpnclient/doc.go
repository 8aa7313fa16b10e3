// Package wpnclient is a Go WinMX client for scripters and Revival's own
// tests: a secondary (Dial: log in to a primary, whois, private messages,
// searches, browse, the chat room list) and a chat room client
// (DialChat). It speaks only the protocol (wpn.md §3, §6) through the
// codec and wpnconn, so it works against any WPN primary or room host.
package wpnclient
