package slskclient

import (
	"github.com/revival-net/revival/slsk"
)

// handlePeer handles one message from a P connection, on its reader
// goroutine (spec §3.3). Answers go back on the same socket; anything that
// waits (an upload) runs in its own goroutine.
func (c *Client) handlePeer(p *peerConn, m slsk.PeerMessage) {
	switch m := m.(type) {
	case *slsk.SharedFileListRequest:
		p.send(c.shareList())
	case *slsk.SharedFileListResponse:
		c.deliver(peerKey(slsk.PeerCodeSharedFileListResponse, p.user), m)
	case *slsk.FileSearchResponse:
		c.onSearchResponse(p.user, m)
	case *slsk.FileSearchRequest:
		// Obsolete direct search (spec §3.3 code 8): answered on this
		// socket, matched off this reader and bounded like other searches.
		c.answerDirectSearch(p, m.Token, m.Query)
	case *slsk.UserInfoRequest:
		p.send(&slsk.UserInfoResponse{
			Description: c.opts.Description,
			QueueSize:   uint32(c.queued.Load()),
			SlotsFree:   c.slotFree(),
		})
	case *slsk.UserInfoResponse:
		c.deliver(peerKey(slsk.PeerCodeUserInfoResponse, p.user), m)
	case *slsk.FolderContentsRequest:
		p.send(c.folderContents(m.Token, m.Folder))
	case *slsk.FolderContentsResponse:
		c.deliver(peerKey(slsk.PeerCodeFolderContentsResponse, p.user), m)
	case *slsk.TransferRequest:
		if m.Direction == slsk.TransferUpload {
			c.onUploadOffer(p, m)
		} else {
			c.onLegacyDownloadRequest(p, m)
		}
	case *slsk.TransferResponse:
		c.onTransferResponse(p, m)
	case *slsk.QueueUpload:
		c.onQueueUpload(p, m.Filename)
	case *slsk.PlaceInQueueRequest:
		// Where this user's file stands; files it has not queued get no
		// answer.
		if place, ok := c.placeInQueue(p.user, m.Filename); ok {
			p.send(&slsk.PlaceInQueueResponse{Filename: m.Filename, Place: place})
		}
	case *slsk.PlaceInQueueResponse:
		c.onPlaceInQueue(p.user, m)
	case *slsk.UploadFailed:
		c.failDownload(p.user, m.Filename, errUploadFailed)
	case *slsk.UploadDenied:
		c.failDownload(p.user, m.Filename, &DeniedError{Reason: m.Reason})
	}
}
