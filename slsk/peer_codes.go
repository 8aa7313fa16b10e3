package slsk

// PeerCode is the u32 code of a message on a P connection (spec §3.3).
// Both directions use the same payloads, so there is one registry.
type PeerCode uint32

// Peer message codes, named as in spec §3.3. Only the codes clients still
// send are listed, plus the obsolete FileSearchRequest (8) that old clients
// may send over P.
const (
	PeerCodeSharedFileListRequest   PeerCode = 4
	PeerCodeSharedFileListResponse  PeerCode = 5
	PeerCodeFileSearchRequest       PeerCode = 8
	PeerCodeFileSearchResponse      PeerCode = 9
	PeerCodeUserInfoRequest         PeerCode = 15
	PeerCodeUserInfoResponse        PeerCode = 16
	PeerCodeFolderContentsRequest   PeerCode = 36
	PeerCodeFolderContentsResponse  PeerCode = 37
	PeerCodeTransferRequest         PeerCode = 40
	PeerCodeTransferResponse        PeerCode = 41
	PeerCodeQueueUpload             PeerCode = 43
	PeerCodePlaceInQueueResponse    PeerCode = 44
	PeerCodeUploadFailed            PeerCode = 46
	PeerCodeUploadDenied            PeerCode = 50
	PeerCodePlaceInQueueRequest     PeerCode = 51
	PeerCodeUploadQueueNotification PeerCode = 52
)

var peerCodeNames = map[PeerCode]string{
	PeerCodeSharedFileListRequest:   "SharedFileListRequest",
	PeerCodeSharedFileListResponse:  "SharedFileListResponse",
	PeerCodeFileSearchRequest:       "FileSearchRequest",
	PeerCodeFileSearchResponse:      "FileSearchResponse",
	PeerCodeUserInfoRequest:         "UserInfoRequest",
	PeerCodeUserInfoResponse:        "UserInfoResponse",
	PeerCodeFolderContentsRequest:   "FolderContentsRequest",
	PeerCodeFolderContentsResponse:  "FolderContentsResponse",
	PeerCodeTransferRequest:         "TransferRequest",
	PeerCodeTransferResponse:        "TransferResponse",
	PeerCodeQueueUpload:             "QueueUpload",
	PeerCodePlaceInQueueResponse:    "PlaceInQueueResponse",
	PeerCodeUploadFailed:            "UploadFailed",
	PeerCodeUploadDenied:            "UploadDenied",
	PeerCodePlaceInQueueRequest:     "PlaceInQueueRequest",
	PeerCodeUploadQueueNotification: "UploadQueueNotification",
}

// String returns the spec's name for c, or its number (see ServerCode.String).
func (c PeerCode) String() string { return codeName(peerCodeNames, c) }

// Label returns the spec's name for c, or "unknown": safe as a metric label,
// because a peer can send any of 2^32 codes.
func (c PeerCode) Label() string { return codeLabel(peerCodeNames, c) }

// DistribCode is the u8 code of a message on a D connection (spec §4.1).
type DistribCode uint8

// Distributed message codes, named as in spec §4.1.
const (
	DistribCodePing            DistribCode = 0
	DistribCodeSearch          DistribCode = 3
	DistribCodeBranchLevel     DistribCode = 4
	DistribCodeBranchRoot      DistribCode = 5
	DistribCodeChildDepth      DistribCode = 7
	DistribCodeEmbeddedMessage DistribCode = 93
)

var distribCodeNames = map[DistribCode]string{
	DistribCodePing:            "DistribPing",
	DistribCodeSearch:          "DistribSearch",
	DistribCodeBranchLevel:     "DistribBranchLevel",
	DistribCodeBranchRoot:      "DistribBranchRoot",
	DistribCodeChildDepth:      "DistribChildDepth",
	DistribCodeEmbeddedMessage: "DistribEmbeddedMessage",
}

// String returns the spec's name for c, or its number.
func (c DistribCode) String() string { return codeName(distribCodeNames, c) }

// Label returns the spec's name for c, or "unknown": safe as a metric label.
func (c DistribCode) Label() string { return codeLabel(distribCodeNames, c) }

// InitCode is the u8 code of the first message on a new peer socket
// (spec §3.1), which says what the socket is for.
type InitCode uint8

// Peer-init codes (spec §3.1).
const (
	InitCodePierceFirewall InitCode = 0
	InitCodePeerInit       InitCode = 1
)

var initCodeNames = map[InitCode]string{
	InitCodePierceFirewall: "PierceFireWall",
	InitCodePeerInit:       "PeerInit",
}

// String returns the spec's name for c, or its number.
func (c InitCode) String() string { return codeName(initCodeNames, c) }

// Label returns the spec's name for c, or "unknown": safe as a metric label.
func (c InitCode) Label() string { return codeLabel(initCodeNames, c) }
