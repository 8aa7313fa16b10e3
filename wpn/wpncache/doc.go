// Package wpncache is a WinMX peer cache (wpn.md §5): the bootstrap
// server WinMX clients ask for primaries on TCP 7950–7952. On accept it
// sends, unasked and in one write, 149 bytes: 0x38, a 0x54 key block and a
// FrontCode list of up to ten primaries with free secondary slots (this
// process's own and those it has learnt of), then closes.
//
// How real caches learned primaries was never published (wpn.md §5.3);
// here the primary mesh tells the cache (Learn), entries expire unless
// refreshed, and an optional probe drops primaries that stop answering.
// Fetch is the client side, for secondaries and tests.
package wpncache
