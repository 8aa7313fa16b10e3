// Package shareindex is the index a WinMX primary keeps of its
// secondaries' shared files, so that it can answer keyword searches
// (0x1771), hash searches (0x1772) and browses (0x1B59) without asking the
// secondaries (wpn.md §3.5-§3.7, §3.13). It is a pure in-memory data
// structure: no networking, no protocol state.
//
// # Matching
//
// The spec only says "match query words against shared paths
// (case-insensitive)" (wpn.md §3.13) [G]. We match whole words, all of
// them (AND), anywhere in the full path, folder names included, so that
// "beatles help" finds C:\Music\Beatles\Help.mp3. A word is a run of
// letters and digits; spaces and punctuation separate words, so "AC/DC"
// is "ac" + "dc" on both sides and still matches. Words are folded:
// upper and lower case are one, and the accented letters and ligatures of
// Windows-1252 fold to plain ASCII ("Beyoncé" = "BEYONCÉ" = "beyonce",
// "Œuvre" = "oeuvre"), which is what a user with a plain keyboard
// expects. Prefixes and substrings do not match ("beat" does not find
// "Beatles"): that keeps every query word a single posting-list lookup,
// and file sharers search by whole words. A leading drive letter ("C:")
// is not a word. Words are cut at 64 bytes, a path contributes at most
// its first 64 distinct words and a query at most 16.
//
// # File types
//
// See FileType for the extension lists behind codes 1 (software), 2
// (audio) and 3 (video) [G].
//
// # Structure and cost
//
// Files live in fixed chunks of slots addressed by uint32 ids (freed ids
// are reused). Each distinct word is interned once with a posting list of
// file ids; each file keeps its sorted word ids. A search looks up each
// query word, walks the shortest posting list and checks every candidate
// for the other words by binary search in its word ids, so its cost is
// bounded by the rarest word's list (and by Limit). A hash search follows
// a chain through the files with the same 16-byte checksum. A file is
// found by (owner, path) through one map of 64-bit keys, not a map per
// owner; each owner keeps its files in a linked list in share order.
//
// Removal does not scan posting lists: removed files stay in them marked
// dead until half a list is dead, when it is compacted.
//
// # Concurrency
//
// An Index is safe for concurrent use. Searches, hash searches, browses
// and counts share a read lock and never block each other; adds and
// removes take the write lock at most 512 files at a time, so a large
// AddFolder, RemoveFolder or RemoveOwner lets searches run in between.
// The one longer hold is the compaction of a huge posting list, once per
// half a list's length of removals: about 11 ms for a word in a million
// paths on a loaded 2-core machine (BenchmarkCompactLargest).
//
// Memory is about 360 bytes per shared file at a million files
// (BenchmarkMemoryPerFile): the slot (112 bytes), the path string, the
// file's word ids, its postings (about 11 words a path), the path map and
// the hash map. Slots are never returned to the heap, only reused.
package shareindex
