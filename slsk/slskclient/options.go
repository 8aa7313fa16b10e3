package slskclient

import (
	"io"
	"log/slog"
	"time"
)

// Options configure a Client. The zero value works: it shares nothing,
// listens for peers on 127.0.0.1 (loopback only; set ListenAddr to ":2234"
// or similar to be reachable from other hosts) and reports itself as
// Nicotine+ 160/3 (spec §1.3).
type Options struct {
	// ListenAddr is where the peer listener binds (spec §3.2: peers dial
	// it directly or pierce through it). Its port is announced with
	// SetWaitPort at login. Default "127.0.0.1:0".
	ListenAddr string

	// ShareDir is a local folder to share. It is indexed at Dial; peers
	// see its files under ShareName as backslash virtual paths such as
	// `Music\Album\song.mp3` (spec §3.3). Empty means share nothing.
	ShareDir string
	// ShareName is the virtual name of ShareDir; default its base name.
	ShareName string
	// MaxSharedFiles stops indexing a folder with more files; 0 = no limit.
	MaxSharedFiles int

	// DownloadDir is where DownloadFile writes; default ".".
	DownloadDir string

	// Logger receives diagnostics; nil discards them.
	Logger *slog.Logger

	// Major and Minor are the version numbers sent in Login (spec §1.3);
	// default 160 and 3, the values of Nicotine+ 3.4.
	Major, Minor uint32

	// DialTimeout bounds connecting to the server and to peers. Default 10s.
	DialTimeout time.Duration
	// PeerConnectTimeout bounds the whole connection race to a peer
	// (spec §3.2), including waiting for a PierceFireWall. Default 20s.
	PeerConnectTimeout time.Duration
	// WriteTimeout bounds each write to the server or a peer. Default 30s.
	WriteTimeout time.Duration
	// IdleTimeout closes a peer socket that has been silent this long, and
	// fails a file transfer that stalls this long. Default 2m.
	IdleTimeout time.Duration
	// TransferTimeout bounds each step of a transfer handshake when we
	// upload (waiting for TransferResponse, for the F connection, for the
	// offset). Default 60s. Downloads wait as long as their ctx allows,
	// since the uploader may queue us.
	TransferTimeout time.Duration

	// EventBuffer is how many events the Events channel holds (plus one
	// slot for the final Disconnected); when full, the oldest event other
	// than a PrivateMessage is dropped. Default 256.
	EventBuffer int
	// SearchBuffer bounds the results a Search keeps for a slow reader;
	// later responses are dropped. Default 1024.
	SearchBuffer int
	// MaxSearchFiles bounds the files one Search delivers in all (spec
	// §3.3 code 9: each answer comes from a peer and is sized by it);
	// once reached, further answers are dropped. Each answer also keeps
	// at most 2000 files. Default 20000.
	MaxSearchFiles int
	// MaxSendQueue bounds the bytes waiting to be written to the server;
	// default 4 MiB. Passing it disconnects (the server is not reading).
	MaxSendQueue int

	// MaxSearchResults caps the files we return for one search. Default 100.
	MaxSearchResults int
	// UploadSlots is how many uploads run at once; default 2.
	UploadSlots int
	// MaxQueuedUploads is how many more may wait for a slot; further
	// requests are denied with "Too many files". One user may hold at most
	// half of them and 10 GiB. Default 100.
	MaxQueuedUploads int
	// MaxPeerConns bounds the open peer sockets (P and F, both
	// directions); sockets past it are closed at once. Incoming sockets
	// are also capped at 12 per host and may not use the last tenth,
	// which stays free for our own connections. Default 1000.
	MaxPeerConns int
	// Description is returned in UserInfoResponse (spec §3.3 code 16).
	Description string

	// DisableDistributed keeps the client out of the distributed search
	// tree beyond being a branch root (spec §4): it ignores PossibleParents
	// and refuses children. By default the client takes part as real
	// clients do: it adopts a parent the server offers (spec §4.2). Servers
	// that never offer parents (the default "roots" mode of ours, Soulfind)
	// see no difference.
	DisableDistributed bool
	// MaxChildren is how many distributed children (spec §4.2) we accept
	// and pass searches to; 0, the default, accepts none and reports
	// AcceptChildren(0), as Nicotine+ does until it knows its upload speed.
	// Unlike Nicotine+ it is not derived from ParentMinSpeed and our
	// upload speed: the caller decides.
	MaxChildren int

	// MaxDownloadSize is the largest file a download accepts: an uploader
	// that announces more (the size of its TransferRequest, spec §3.4
	// step 3) is refused with "Cancelled" and the download fails with
	// ErrBadSize. Sizes of 2^63 bytes or more are always refused.
	// Default 64 GiB.
	MaxDownloadSize int64
}

func (o *Options) setDefaults() {
	if o.ListenAddr == "" {
		o.ListenAddr = "127.0.0.1:0"
	}
	if o.DownloadDir == "" {
		o.DownloadDir = "."
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if o.Major == 0 {
		o.Major = 160
	}
	if o.Minor == 0 {
		o.Minor = 3
	}
	setDur(&o.DialTimeout, 10*time.Second)
	setDur(&o.PeerConnectTimeout, 20*time.Second)
	setDur(&o.WriteTimeout, 30*time.Second)
	setDur(&o.IdleTimeout, 2*time.Minute)
	setDur(&o.TransferTimeout, 60*time.Second)
	setInt(&o.EventBuffer, 256)
	setInt(&o.SearchBuffer, 1024)
	setInt(&o.MaxSearchFiles, 20000)
	setInt(&o.MaxSendQueue, 4<<20)
	setInt(&o.MaxSearchResults, 100)
	setInt(&o.UploadSlots, 2)
	setInt(&o.MaxQueuedUploads, 100)
	setInt(&o.MaxPeerConns, 1000)
	if o.MaxDownloadSize <= 0 {
		o.MaxDownloadSize = 64 << 30
	}
}

func setDur(p *time.Duration, def time.Duration) {
	if *p <= 0 {
		*p = def
	}
}

func setInt(p *int, def int) {
	if *p <= 0 {
		*p = def
	}
}
