package slsk

import (
	"github.com/revival-net/revival/internal/wire"
)

// ZlibLimit bounds what one zlib peer message (a share list, a search
// answer, folder contents; spec §3.3) may cost its receiver: the bytes its
// stream inflates to and the entries and decoded memory of its file lists.
// Each type has its own (DefaultZlibLimit): a search answer needs far less
// than a whole share list, so it cannot be made to cost as much.
type ZlibLimit struct {
	Inflated int64 // bytes the zlib stream may expand to
	Entries  int   // directories and files it may hold
	Decoded  int64 // memory those entries may take once decoded
}

// budget returns a fresh EntryBudget of l.
func (l ZlibLimit) budget() *EntryBudget {
	return &EntryBudget{Entries: l.Entries, Bytes: l.Decoded}
}

// FrameLimit is the largest frame body (code and compressed payload) a
// receiver should read for a message under l: twice l.Inflated, capped at
// MaxPeerFrame. zlib as clients use it grows incompressible data by a few
// bytes per 64 KiB, so a frame twice the cap comes from no real encoder
// and would be refused anyway; it need not be read, let alone inflated.
func (l ZlibLimit) FrameLimit() uint32 {
	return uint32(min(2*l.Inflated+1024, MaxPeerFrame))
}

// defaultZlibLimits are the caps DecodePeer applies. Share lists keep
// MaxInflated (64 MiB, about 600,000 files of typical names) and may decode
// to twice that; a folder, or the few hundred files of a search answer
// (Nicotine+ sends at most 1,500 results), need far less.
var defaultZlibLimits = map[PeerCode]ZlibLimit{
	PeerCodeSharedFileListResponse: {Inflated: MaxInflated, Entries: 1_000_000, Decoded: 2 * MaxInflated},
	PeerCodeFolderContentsResponse: {Inflated: 8 << 20, Entries: 200_000, Decoded: 16 << 20},
	PeerCodeFileSearchResponse:     {Inflated: 4 << 20, Entries: 50_000, Decoded: 8 << 20},
}

// DefaultZlibLimit returns the limit DecodePeer applies to messages of
// code; ok is false for codes that are not zlib messages.
func DefaultZlibLimit(code PeerCode) (l ZlibLimit, ok bool) {
	l, ok = defaultZlibLimits[code]
	return l, ok
}

// zlibMessage is a peer message whose payload is one zlib stream; it
// decodes under a ZlibLimit.
type zlibMessage interface {
	PeerMessage
	decodeLimited(r *wire.Reader, lim ZlibLimit)
}

// DecodePeerLimited is DecodePeer with lim in place of the default limit
// when body is a zlib message (share list, search answer, folder
// contents); other messages decode as with DecodePeer. Receivers pick lim
// per type, and may pass a smaller one than the default.
func DecodePeerLimited(body []byte, lim ZlibLimit) (PeerMessage, error) {
	return decodePeer(body, func(m PeerMessage, payload []byte) (PeerMessage, error) {
		z, ok := m.(zlibMessage)
		if !ok {
			return decodeWith(m, payload)
		}
		r := wire.NewReader(payload)
		z.decodeLimited(r, lim)
		return m, r.Err()
	})
}

// decodeDefault decodes m under the default limit of its code.
func decodeDefault(m zlibMessage, r *wire.Reader) {
	m.decodeLimited(r, defaultZlibLimits[m.PeerCode()])
}

// inflateRest inflates everything left in r (a zlib message's payload is
// the whole rest of the frame) up to max bytes and returns a reader over
// the result, or nil after recording the error in r.
func inflateRest(r *wire.Reader, max int64) *wire.Reader {
	if r.Err() != nil {
		return nil
	}
	data, err := wire.Inflate(r.Rest(), max)
	if err != nil {
		r.Fail(err)
		return nil
	}
	return wire.NewReader(data)
}

// decodeZlib runs decode over the inflated rest of r, under lim, and
// copies any error back to r, so zlib messages keep the sticky-error
// style.
func decodeZlib(r *wire.Reader, lim ZlibLimit, decode func(z *wire.Reader, b *EntryBudget)) {
	z := inflateRest(r, lim.Inflated)
	if z == nil {
		return
	}
	decode(z, lim.budget())
	if err := z.Err(); err != nil {
		r.Fail(err)
	}
}

// encodeZlib writes what encode builds as one zlib stream.
func encodeZlib(b *wire.Builder, encode func(p *wire.Builder)) {
	p := wire.NewBuilder(nil)
	encode(p)
	b.Raw(wire.Deflate(p.Bytes()))
}
