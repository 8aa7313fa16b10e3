package slskclient

import (
	"context"

	"github.com/revival-net/revival/slsk"
)

// Browse asks user for their whole share list (spec §3.3 codes 4 and 5).
func (c *Client) Browse(ctx context.Context, user string) (*slsk.SharedFileListResponse, error) {
	m, err := c.peerRoundTrip(ctx, user, &slsk.SharedFileListRequest{}, peerKey(slsk.PeerCodeSharedFileListResponse, user))
	if err != nil {
		return nil, err
	}
	return m.(*slsk.SharedFileListResponse), nil
}

// GetUserInfo asks user for their description and upload state (spec
// §3.3 codes 15 and 16).
func (c *Client) GetUserInfo(ctx context.Context, user string) (*slsk.UserInfoResponse, error) {
	m, err := c.peerRoundTrip(ctx, user, &slsk.UserInfoRequest{}, peerKey(slsk.PeerCodeUserInfoResponse, user))
	if err != nil {
		return nil, err
	}
	return m.(*slsk.UserInfoResponse), nil
}

// FolderContents asks user for the files of one folder (spec §3.3 codes
// 36 and 37).
func (c *Client) FolderContents(ctx context.Context, user, folder string) (*slsk.FolderContentsResponse, error) {
	req := &slsk.FolderContentsRequest{Token: c.nextToken(), Folder: folder}
	m, err := c.peerRoundTrip(ctx, user, req, peerKey(slsk.PeerCodeFolderContentsResponse, user))
	if err != nil {
		return nil, err
	}
	return m.(*slsk.FolderContentsResponse), nil
}

// peerRoundTrip sends req to user over P and waits for the reply named k.
func (c *Client) peerRoundTrip(ctx context.Context, user string, req slsk.PeerMessage, k waitKey) (any, error) {
	ch, cancel := c.await(k)
	defer cancel()
	if err := c.sendPeer(ctx, user, req); err != nil {
		return nil, err
	}
	return c.wait(ctx, ch)
}

// shareList builds our SharedFileListResponse: every folder, with its
// files by base name (spec §3.3 code 5).
func (c *Client) shareList() *slsk.SharedFileListResponse {
	idx := c.share.Load()
	dirs := make([]slsk.Dir, len(idx.dirs))
	for i, d := range idx.dirs {
		dirs[i] = dirEntry(d)
	}
	return &slsk.SharedFileListResponse{Dirs: dirs}
}

// folderContents answers FolderContentsRequest with the folder itself, or
// no folders when it is not shared.
func (c *Client) folderContents(token uint32, folder string) *slsk.FolderContentsResponse {
	resp := &slsk.FolderContentsResponse{Token: token, Folder: folder}
	for _, d := range c.share.Load().dirs {
		if d.virtual == folder {
			resp.Dirs = []slsk.Dir{dirEntry(d)}
			break
		}
	}
	return resp
}

func dirEntry(d shareDir) slsk.Dir {
	files := make([]slsk.File, len(d.files))
	for j, e := range d.files {
		files[j] = slsk.File{Code: 1, Name: e.name, Size: uint64(e.size)}
	}
	return slsk.Dir{Name: d.virtual, Files: files}
}
