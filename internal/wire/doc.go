// Package wire holds the byte-level helpers every Revival codec shares:
// a little-endian Reader with a sticky error, an append-style Builder,
// a length-prefixed frame reader that checks sizes before allocating,
// legacy-text decoding (UTF-8 first, then Windows-1252 as clients of the
// era did) and zlib helpers with decompression caps.
//
// It never touches the network: codecs in slsk/, msnp/ and wpn/ build on
// it, and servers and clients build on the codecs.
package wire
