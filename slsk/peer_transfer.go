package slsk

import "github.com/revival-net/revival/internal/wire"

// TransferDirection is the first field of TransferRequest (spec §3.3).
type TransferDirection uint32

// Transfer directions, from the sender's point of view: a downloader asks
// with TransferDownload (the legacy flow of Soulseek.NET and slsk-client),
// an uploader offers a file with TransferUpload (the modern flow, §3.4).
const (
	TransferDownload TransferDirection = 0
	TransferUpload   TransferDirection = 1
)

// Transfer rejection reasons, sent in TransferResponse and UploadDenied
// (spec §3.3). Clients compare them as exact strings, dots included.
const (
	ReasonQueued              = "Queued"
	ReasonCancelled           = "Cancelled"
	ReasonComplete            = "Complete"
	ReasonFileNotShared       = "File not shared."
	ReasonFileReadError       = "File read error."
	ReasonPendingShutdown     = "Pending shutdown."
	ReasonTooManyFiles        = "Too many files"
	ReasonTooManyMegabytes    = "Too many megabytes"
	ReasonBanned              = "Banned"
	ReasonDisallowedExtension = "Disallowed extension" // Nicotine+ only
)

// TransferRequest is peer code 40 (spec §3.3, §3.4). Size is on the wire
// only when Direction is TransferUpload; otherwise it is neither sent nor
// read.
type TransferRequest struct {
	Direction TransferDirection
	Token     uint32
	Filename  string
	Size      uint64
}

func (*TransferRequest) PeerCode() PeerCode { return PeerCodeTransferRequest }

func (m *TransferRequest) Encode(b *wire.Builder) {
	b.Uint32(uint32(m.Direction))
	b.Uint32(m.Token)
	b.String(m.Filename)
	if m.Direction == TransferUpload {
		b.Uint64(m.Size)
	}
}

func (m *TransferRequest) Decode(r *wire.Reader) {
	m.Direction = TransferDirection(r.Uint32())
	m.Token = r.Uint32()
	m.Filename = r.String()
	if m.Direction == TransferUpload {
		m.Size = r.Uint64()
	}
}

// TransferResponse is peer code 41 (spec §3.3). When allowed, it carries
// the file size only if it answers a direction-0 request (HasSize says
// whether it is on the wire); when refused, it carries a reason (one of the
// Reason constants). A refusal without a reason decodes with Reason "".
type TransferResponse struct {
	Token   uint32
	Allowed bool
	Size    uint64
	HasSize bool
	Reason  string
}

func (*TransferResponse) PeerCode() PeerCode { return PeerCodeTransferResponse }

func (m *TransferResponse) Encode(b *wire.Builder) {
	b.Uint32(m.Token)
	b.Bool(m.Allowed)
	if m.Allowed {
		if m.HasSize {
			b.Uint64(m.Size)
		}
		return
	}
	b.String(m.Reason)
}

func (m *TransferResponse) Decode(r *wire.Reader) {
	m.Token = r.Uint32()
	m.Allowed = r.Bool()
	if m.Allowed {
		if !r.Empty() {
			m.Size = r.Uint64()
			m.HasSize = true
		}
		return
	}
	if !r.Empty() {
		m.Reason = r.String()
	}
}

// QueueUpload is peer code 43 (spec §3.4): the downloader asks the uploader
// to queue a file; the uploader later starts the transfer with a
// TransferRequest of direction TransferUpload.
type QueueUpload struct{ Filename string }

func (*QueueUpload) PeerCode() PeerCode       { return PeerCodeQueueUpload }
func (m *QueueUpload) Encode(b *wire.Builder) { b.String(m.Filename) }
func (m *QueueUpload) Decode(r *wire.Reader)  { m.Filename = r.String() }

// PlaceInQueueResponse is peer code 44 (spec §3.3): the uploader tells the
// downloader where a queued file stands.
type PlaceInQueueResponse struct {
	Filename string
	Place    uint32
}

func (*PlaceInQueueResponse) PeerCode() PeerCode { return PeerCodePlaceInQueueResponse }

func (m *PlaceInQueueResponse) Encode(b *wire.Builder) {
	b.String(m.Filename)
	b.Uint32(m.Place)
}

func (m *PlaceInQueueResponse) Decode(r *wire.Reader) {
	m.Filename = r.String()
	m.Place = r.Uint32()
}

// UploadFailed is peer code 46 (spec §3.4): the uploader reports that the
// F connection for a file closed early.
type UploadFailed struct{ Filename string }

func (*UploadFailed) PeerCode() PeerCode       { return PeerCodeUploadFailed }
func (m *UploadFailed) Encode(b *wire.Builder) { b.String(m.Filename) }
func (m *UploadFailed) Decode(r *wire.Reader)  { m.Filename = r.String() }

// UploadDenied is peer code 50 (spec §3.4): the uploader refuses a queued
// file, with one of the Reason constants.
type UploadDenied struct {
	Filename string
	Reason   string
}

func (*UploadDenied) PeerCode() PeerCode { return PeerCodeUploadDenied }

func (m *UploadDenied) Encode(b *wire.Builder) {
	b.String(m.Filename)
	b.String(m.Reason)
}

func (m *UploadDenied) Decode(r *wire.Reader) {
	m.Filename = r.String()
	m.Reason = r.String()
}

// PlaceInQueueRequest is peer code 51 (spec §3.3): the downloader asks for
// a queued file's position.
type PlaceInQueueRequest struct{ Filename string }

func (*PlaceInQueueRequest) PeerCode() PeerCode       { return PeerCodePlaceInQueueRequest }
func (m *PlaceInQueueRequest) Encode(b *wire.Builder) { b.String(m.Filename) }
func (m *PlaceInQueueRequest) Decode(r *wire.Reader)  { m.Filename = r.String() }

// UploadQueueNotification is peer code 52 (spec §3.3), deprecated: an empty
// message some clients send before queueing. Decoded so it can be ignored
// quietly instead of logged as unknown.
type UploadQueueNotification struct{}

func (*UploadQueueNotification) PeerCode() PeerCode   { return PeerCodeUploadQueueNotification }
func (*UploadQueueNotification) Encode(*wire.Builder) {}
func (*UploadQueueNotification) Decode(*wire.Reader)  {}

func init() {
	registerPeer(func() PeerMessage { return new(TransferRequest) })
	registerPeer(func() PeerMessage { return new(TransferResponse) })
	registerPeer(func() PeerMessage { return new(QueueUpload) })
	registerPeer(func() PeerMessage { return new(PlaceInQueueResponse) })
	registerPeer(func() PeerMessage { return new(UploadFailed) })
	registerPeer(func() PeerMessage { return new(UploadDenied) })
	registerPeer(func() PeerMessage { return new(PlaceInQueueRequest) })
	registerPeer(func() PeerMessage { return new(UploadQueueNotification) })
}
