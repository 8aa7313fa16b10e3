package slskclient

import (
	"context"
	"runtime"
	"sync"
	"weak"

	"github.com/revival-net/revival/internal/wire"
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
// 36 and 37). The answer echoes the request's token, and only the answer
// with our token counts, so concurrent calls for different folders of
// one user each get their own folder.
func (c *Client) FolderContents(ctx context.Context, user, folder string) (*slsk.FolderContentsResponse, error) {
	req := &slsk.FolderContentsRequest{Token: c.nextToken(), Folder: folder}
	m, err := c.peerRoundTrip(ctx, user, req, peerTokenKey(slsk.PeerCodeFolderContentsResponse, user, req.Token))
	if err != nil {
		return nil, err
	}
	return m.(*slsk.FolderContentsResponse), nil
}

// peerRoundTrip sends req to user over P and waits for the reply named k.
// A reply refused as malformed or over its cap (decodePeer) arrives as
// an error.
func (c *Client) peerRoundTrip(ctx context.Context, user string, req slsk.PeerMessage, k waitKey) (any, error) {
	ch, cancel := c.await(k)
	defer cancel()
	if err := c.sendPeer(ctx, user, req); err != nil {
		return nil, err
	}
	m, err := c.wait(ctx, ch)
	if err == nil {
		if e, ok := m.(error); ok {
			return nil, e
		}
	}
	return m, err
}

// shareList returns our SharedFileListResponse (spec §3.3 code 5): every
// folder, with its files by base name. Building and compressing it costs
// milliseconds for a large share and runs on a peer's reader goroutine,
// and any peer may ask for it as often as it likes, so it is encoded once
// per share index (an index is immutable; Rescan swaps in a new one) and
// the same bytes are sent to every asker.
func (c *Client) shareList() slsk.PeerMessage {
	idx := c.share.Load()
	return &encodedMessage{code: slsk.PeerCodeSharedFileListResponse, payload: shareListPayload(idx)}
}

// encodedMessage is a peer message whose payload is already encoded. It
// only goes out (p.send encodes it by copying the payload); incoming
// messages are decoded into their own types by slsk.DecodePeer, so its
// Decode is never called and reads nothing.
type encodedMessage struct {
	code    slsk.PeerCode
	payload []byte // shared between senders: never modified
}

func (m *encodedMessage) PeerCode() slsk.PeerCode { return m.code }
func (m *encodedMessage) Encode(b *wire.Builder)  { b.Raw(m.payload) }
func (m *encodedMessage) Decode(*wire.Reader)     {}

// shareListCache holds the encoded share list of each live share index,
// keyed weakly so that an index dropped by Rescan (or by a closed Client)
// takes its entry with it.
var shareListCache sync.Map // weak.Pointer[shareIndex] -> *shareListEntry

type shareListEntry struct {
	once    sync.Once
	payload []byte
}

// shareListPayload returns the encoded SharedFileListResponse payload of
// idx, building it on first use. Concurrent first askers wait for one
// build.
func shareListPayload(idx *shareIndex) []byte {
	key := weak.Make(idx)
	v, ok := shareListCache.Load(key)
	if !ok {
		var loaded bool
		v, loaded = shareListCache.LoadOrStore(key, &shareListEntry{})
		if !loaded {
			runtime.AddCleanup(idx, func(k weak.Pointer[shareIndex]) { shareListCache.Delete(k) }, key)
		}
	}
	e := v.(*shareListEntry)
	e.once.Do(func() {
		dirs := make([]slsk.Dir, len(idx.dirs))
		for i, d := range idx.dirs {
			dirs[i] = dirEntry(d)
		}
		b := wire.NewBuilder(nil)
		(&slsk.SharedFileListResponse{Dirs: dirs}).Encode(b)
		e.payload = b.Bytes()
	})
	return e.payload
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
