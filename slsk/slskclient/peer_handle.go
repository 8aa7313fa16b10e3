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
		// Obsolete direct search (spec §3.3 code 8): answer on this socket.
		c.mu.Lock()
		excluded := c.excluded
		c.mu.Unlock()
		if files := c.matchFiles(m.Query, excluded); len(files) > 0 {
			p.send(c.searchResponse(m.Token, files))
		}
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
		p.send(&slsk.PlaceInQueueResponse{Filename: m.Filename, Place: uint32(c.queued.Load())})
	case *slsk.UploadFailed:
		c.failDownload(p.user, m.Filename, errUploadFailed)
	case *slsk.UploadDenied:
		c.failDownload(p.user, m.Filename, &DeniedError{Reason: m.Reason})
	}
}

// slotFree reports whether an upload could start now.
func (c *Client) slotFree() bool { return len(c.uploadSlots) < cap(c.uploadSlots) }
