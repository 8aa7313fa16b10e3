package wpn

import (
	"net/netip"

	"github.com/revival-net/revival/internal/wire"
)

func init() {
	register[DownloadRequest](secondaryPackets)
	register[UploadReady](secondaryPackets)
	register[DownloadFailed](secondaryPackets)
	register[IncomingDownload](secondaryPackets)
	register[StartDownload](secondaryPackets)
	register[RoomListRequest](secondaryPackets)
	register[RoomListEntry](secondaryPackets)
}

// Download options of 0x1F41 [D].
const (
	DownloadNormal    uint8 = 0
	DownloadJoinQueue uint8 = 1
)

// DownloadRequest (0x1F41) asks the primary to broker a download of
// FileName from the target user.
type DownloadRequest struct {
	Target
	FileName string
	Option   uint8
}

func (*DownloadRequest) PacketType() Type { return TypeDownloadRequest }
func (p *DownloadRequest) AppendPayload(b []byte) []byte {
	return append(appendStr(p.Target.append(b), p.FileName), p.Option)
}
func (p *DownloadRequest) decode(r *wire.Reader) {
	p.Target.decode(r)
	p.FileName = readStr(r)
	if !r.Empty() {
		p.Option = r.Uint8()
	}
}

// UploadReady (0x1F68) is the uploader's "slot free" answer to a
// 0x1FB8, naming the requester.
type UploadReady struct {
	Target
	FileName string
}

func (*UploadReady) PacketType() Type { return TypeUploadReady }
func (p *UploadReady) AppendPayload(b []byte) []byte {
	return appendStr(p.Target.append(b), p.FileName)
}
func (p *UploadReady) decode(r *wire.Reader) { p.Target.decode(r); p.FileName = readStr(r) }

// Download failure texts as WinMX shows them [D].
const (
	DownloadTimedOut  = "Request timed out"
	DownloadNotShared = "File Not Shared"
)

// DownloadFailed (0x1FA4) tells the downloader the request failed or is
// queued ("Busy (N in queue)").
type DownloadFailed struct {
	Target
	FileName string
	Status   string
}

func (*DownloadFailed) PacketType() Type { return TypeDownloadFailed }
func (p *DownloadFailed) AppendPayload(b []byte) []byte {
	return appendStr(appendStr(p.Target.append(b), p.FileName), p.Status)
}
func (p *DownloadFailed) decode(r *wire.Reader) {
	p.Target.decode(r)
	p.FileName = readStr(r)
	p.Status = readStr(r)
}

// IncomingDownload (0x1FB8) tells an uploader that someone wants a file.
// MediaDefender reads a 32-bit option after the file name [C partial];
// we send the 0x1F41 option as a u32 and read whatever width arrives.
type IncomingDownload struct {
	Target
	FileName string
	Option   uint32
}

func (*IncomingDownload) PacketType() Type { return TypeIncomingDownload }
func (p *IncomingDownload) AppendPayload(b []byte) []byte {
	return u32(appendStr(p.Target.append(b), p.FileName), p.Option)
}
func (p *IncomingDownload) decode(r *wire.Reader) {
	p.Target.decode(r)
	p.FileName = readStr(r)
	switch {
	case r.Len() >= 4:
		p.Option = r.Uint32()
	case r.Len() >= 1:
		p.Option = uint32(r.Uint8())
	}
}

// StartDownload (0x1FC2) tells the downloader where to fetch the file.
// Its first field is poorly described [D]; we send the requester's own
// name there [G], then the uploader's handle and name, the file, and the
// uploader's address and transfer port.
type StartDownload struct {
	Requester string
	Target    // the uploader
	FileName  string
	IP        netip.Addr
	Port      uint16
}

func (*StartDownload) PacketType() Type { return TypeStartDownload }
func (p *StartDownload) AppendPayload(b []byte) []byte {
	b = appendStr(p.Target.append(appendStr(b, p.Requester)), p.FileName)
	return u16(appendIP4(b, p.IP), p.Port)
}
func (p *StartDownload) decode(r *wire.Reader) {
	p.Requester = readStr(r)
	p.Target.decode(r)
	p.FileName = readStr(r)
	p.IP = readIP4(r)
	p.Port = r.Uint16()
}

// RoomListRequest (0x238D) asks for the chat room list: WPCC sends an
// empty payload, RoboMX four zero bytes; both are accepted [C].
type RoomListRequest struct{}

func (*RoomListRequest) PacketType() Type                { return TypeRoomListRequest }
func (p *RoomListRequest) AppendPayload(b []byte) []byte { return u32(b, 0) }
func (p *RoomListRequest) decode(r *wire.Reader)         { r.Rest() }

// RoomListEntry (0x238E) is one room of the list; there is no end marker.
type RoomListEntry struct {
	Users, Limit uint32
	Name         string // with the _IIIIIIIIPPPP suffix
	Topic        string
}

func (*RoomListEntry) PacketType() Type { return TypeRoomListEntry }
func (p *RoomListEntry) AppendPayload(b []byte) []byte {
	return appendStr(appendStr(u32(u32(b, p.Users), p.Limit), p.Name), p.Topic)
}
func (p *RoomListEntry) decode(r *wire.Reader) {
	p.Users = r.Uint32()
	p.Limit = r.Uint32()
	p.Name = readStr(r)
	p.Topic = readStr(r)
}
