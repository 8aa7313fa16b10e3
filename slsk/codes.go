package slsk

import "strconv"

// ServerCode is the u32 code of a client↔server message (spec §2).
type ServerCode uint32

// Server message codes, named as in spec §2.
const (
	CodeLogin                   ServerCode = 1
	CodeSetWaitPort             ServerCode = 2
	CodeGetPeerAddress          ServerCode = 3
	CodeWatchUser               ServerCode = 5
	CodeUnwatchUser             ServerCode = 6
	CodeGetUserStatus           ServerCode = 7
	CodeIgnoreUser              ServerCode = 11
	CodeUnignoreUser            ServerCode = 12
	CodeSayChatroom             ServerCode = 13
	CodeJoinRoom                ServerCode = 14
	CodeLeaveRoom               ServerCode = 15
	CodeUserJoinedRoom          ServerCode = 16
	CodeUserLeftRoom            ServerCode = 17
	CodeConnectToPeer           ServerCode = 18
	CodeMessageUser             ServerCode = 22
	CodeMessageAcked            ServerCode = 23
	CodeFileSearchRoom          ServerCode = 25
	CodeFileSearch              ServerCode = 26
	CodeSetStatus               ServerCode = 28
	CodeServerPing              ServerCode = 32
	CodeSendConnectToken        ServerCode = 33
	CodeSendDownloadSpeed       ServerCode = 34
	CodeSharedFoldersFiles      ServerCode = 35
	CodeGetUserStats            ServerCode = 36
	CodeUploadSlotsFull         ServerCode = 40
	CodeRelogged                ServerCode = 41
	CodeUserSearch              ServerCode = 42
	CodeSimilarRecommendations  ServerCode = 50
	CodeAddThingILike           ServerCode = 51
	CodeRemoveThingILike        ServerCode = 52
	CodeRecommendations         ServerCode = 54
	CodeMyRecommendations       ServerCode = 55
	CodeGlobalRecommendations   ServerCode = 56
	CodeUserInterests           ServerCode = 57
	CodeAdminCommand            ServerCode = 58
	CodePlaceInLineRequest      ServerCode = 59
	CodePlaceInLineResponse     ServerCode = 60
	CodeRoomAdded               ServerCode = 62
	CodeRoomRemoved             ServerCode = 63
	CodeRoomList                ServerCode = 64
	CodeExactFileSearch         ServerCode = 65
	CodeAdminMessage            ServerCode = 66
	CodeGlobalUserList          ServerCode = 67
	CodeTunneledMessage         ServerCode = 68
	CodePrivilegedUsers         ServerCode = 69
	CodeHaveNoParent            ServerCode = 71
	CodeParentIP                ServerCode = 73
	CodeParentMinSpeed          ServerCode = 83
	CodeParentSpeedRatio        ServerCode = 84
	CodeParentInactivityTimeout ServerCode = 86
	CodeSearchInactivityTimeout ServerCode = 87
	CodeMinParentsInCache       ServerCode = 88
	CodeDistribPingInterval     ServerCode = 90
	CodeAddToPrivileged         ServerCode = 91
	CodeCheckPrivileges         ServerCode = 92
	CodeEmbeddedMessage         ServerCode = 93
	CodeAcceptChildren          ServerCode = 100
	CodePossibleParents         ServerCode = 102
	CodeWishlistSearch          ServerCode = 103
	CodeWishlistInterval        ServerCode = 104
	CodeSimilarUsers            ServerCode = 110
	CodeItemRecommendations     ServerCode = 111
	CodeItemSimilarUsers        ServerCode = 112
	CodeRoomTickers             ServerCode = 113
	CodeRoomTickerAdded         ServerCode = 114
	CodeRoomTickerRemoved       ServerCode = 115
	CodeSetRoomTicker           ServerCode = 116
	CodeAddThingIHate           ServerCode = 117
	CodeRemoveThingIHate        ServerCode = 118
	CodeRoomSearch              ServerCode = 120
	CodeSendUploadSpeed         ServerCode = 121
	CodeUserPrivileged          ServerCode = 122
	CodeGivePrivileges          ServerCode = 123
	CodeNotifyPrivileges        ServerCode = 124
	CodeAckNotifyPrivileges     ServerCode = 125
	CodeBranchLevel             ServerCode = 126
	CodeBranchRoot              ServerCode = 127
	CodeChildDepth              ServerCode = 129
	CodeResetDistributed        ServerCode = 130
	CodeRoomMembers             ServerCode = 133
	CodeAddRoomMember           ServerCode = 134
	CodeRemoveRoomMember        ServerCode = 135
	CodeCancelRoomMembership    ServerCode = 136
	CodeCancelRoomOwnership     ServerCode = 137
	CodeRoomSomething           ServerCode = 138
	CodeRoomMembershipGranted   ServerCode = 139
	CodeRoomMembershipRevoked   ServerCode = 140
	CodeEnableRoomInvitations   ServerCode = 141
	CodeChangePassword          ServerCode = 142
	CodeAddRoomOperator         ServerCode = 143
	CodeRemoveRoomOperator      ServerCode = 144
	CodeRoomOperatorshipGranted ServerCode = 145
	CodeRoomOperatorshipRevoked ServerCode = 146
	CodeCancelRoomOperatorship  ServerCode = 147
	CodeRoomOperators           ServerCode = 148
	CodeMessageUsers            ServerCode = 149
	CodeJoinGlobalRoom          ServerCode = 150
	CodeLeaveGlobalRoom         ServerCode = 151
	CodeGlobalRoomMessage       ServerCode = 152
	CodeRelatedSearch           ServerCode = 153
	CodeExcludedSearchPhrases   ServerCode = 160
	CodeCantConnectToPeer       ServerCode = 1001
	CodeCantCreateRoom          ServerCode = 1003
)

var serverCodeNames = map[ServerCode]string{
	CodeLogin:                   "Login",
	CodeSetWaitPort:             "SetWaitPort",
	CodeGetPeerAddress:          "GetPeerAddress",
	CodeWatchUser:               "WatchUser",
	CodeUnwatchUser:             "UnwatchUser",
	CodeGetUserStatus:           "GetUserStatus",
	CodeIgnoreUser:              "IgnoreUser",
	CodeUnignoreUser:            "UnignoreUser",
	CodeSayChatroom:             "SayChatroom",
	CodeJoinRoom:                "JoinRoom",
	CodeLeaveRoom:               "LeaveRoom",
	CodeUserJoinedRoom:          "UserJoinedRoom",
	CodeUserLeftRoom:            "UserLeftRoom",
	CodeConnectToPeer:           "ConnectToPeer",
	CodeMessageUser:             "MessageUser",
	CodeMessageAcked:            "MessageAcked",
	CodeFileSearchRoom:          "FileSearchRoom",
	CodeFileSearch:              "FileSearch",
	CodeSetStatus:               "SetStatus",
	CodeServerPing:              "ServerPing",
	CodeSendConnectToken:        "SendConnectToken",
	CodeSendDownloadSpeed:       "SendDownloadSpeed",
	CodeSharedFoldersFiles:      "SharedFoldersFiles",
	CodeGetUserStats:            "GetUserStats",
	CodeUploadSlotsFull:         "UploadSlotsFull",
	CodeRelogged:                "Relogged",
	CodeUserSearch:              "UserSearch",
	CodeSimilarRecommendations:  "SimilarRecommendations",
	CodeAddThingILike:           "AddThingILike",
	CodeRemoveThingILike:        "RemoveThingILike",
	CodeRecommendations:         "Recommendations",
	CodeMyRecommendations:       "MyRecommendations",
	CodeGlobalRecommendations:   "GlobalRecommendations",
	CodeUserInterests:           "UserInterests",
	CodeAdminCommand:            "AdminCommand",
	CodePlaceInLineRequest:      "PlaceInLineRequest",
	CodePlaceInLineResponse:     "PlaceInLineResponse",
	CodeRoomAdded:               "RoomAdded",
	CodeRoomRemoved:             "RoomRemoved",
	CodeRoomList:                "RoomList",
	CodeExactFileSearch:         "ExactFileSearch",
	CodeAdminMessage:            "AdminMessage",
	CodeGlobalUserList:          "GlobalUserList",
	CodeTunneledMessage:         "TunneledMessage",
	CodePrivilegedUsers:         "PrivilegedUsers",
	CodeHaveNoParent:            "HaveNoParent",
	CodeParentIP:                "ParentIP",
	CodeParentMinSpeed:          "ParentMinSpeed",
	CodeParentSpeedRatio:        "ParentSpeedRatio",
	CodeParentInactivityTimeout: "ParentInactivityTimeout",
	CodeSearchInactivityTimeout: "SearchInactivityTimeout",
	CodeMinParentsInCache:       "MinParentsInCache",
	CodeDistribPingInterval:     "DistribPingInterval",
	CodeAddToPrivileged:         "AddToPrivileged",
	CodeCheckPrivileges:         "CheckPrivileges",
	CodeEmbeddedMessage:         "EmbeddedMessage",
	CodeAcceptChildren:          "AcceptChildren",
	CodePossibleParents:         "PossibleParents",
	CodeWishlistSearch:          "WishlistSearch",
	CodeWishlistInterval:        "WishlistInterval",
	CodeSimilarUsers:            "SimilarUsers",
	CodeItemRecommendations:     "ItemRecommendations",
	CodeItemSimilarUsers:        "ItemSimilarUsers",
	CodeRoomTickers:             "RoomTickers",
	CodeRoomTickerAdded:         "RoomTickerAdded",
	CodeRoomTickerRemoved:       "RoomTickerRemoved",
	CodeSetRoomTicker:           "SetRoomTicker",
	CodeAddThingIHate:           "AddThingIHate",
	CodeRemoveThingIHate:        "RemoveThingIHate",
	CodeRoomSearch:              "RoomSearch",
	CodeSendUploadSpeed:         "SendUploadSpeed",
	CodeUserPrivileged:          "UserPrivileged",
	CodeGivePrivileges:          "GivePrivileges",
	CodeNotifyPrivileges:        "NotifyPrivileges",
	CodeAckNotifyPrivileges:     "AckNotifyPrivileges",
	CodeBranchLevel:             "BranchLevel",
	CodeBranchRoot:              "BranchRoot",
	CodeChildDepth:              "ChildDepth",
	CodeResetDistributed:        "ResetDistributed",
	CodeRoomMembers:             "RoomMembers",
	CodeAddRoomMember:           "AddRoomMember",
	CodeRemoveRoomMember:        "RemoveRoomMember",
	CodeCancelRoomMembership:    "CancelRoomMembership",
	CodeCancelRoomOwnership:     "CancelRoomOwnership",
	CodeRoomSomething:           "RoomSomething",
	CodeRoomMembershipGranted:   "RoomMembershipGranted",
	CodeRoomMembershipRevoked:   "RoomMembershipRevoked",
	CodeEnableRoomInvitations:   "EnableRoomInvitations",
	CodeChangePassword:          "ChangePassword",
	CodeAddRoomOperator:         "AddRoomOperator",
	CodeRemoveRoomOperator:      "RemoveRoomOperator",
	CodeRoomOperatorshipGranted: "RoomOperatorshipGranted",
	CodeRoomOperatorshipRevoked: "RoomOperatorshipRevoked",
	CodeCancelRoomOperatorship:  "CancelRoomOperatorship",
	CodeRoomOperators:           "RoomOperators",
	CodeMessageUsers:            "MessageUsers",
	CodeJoinGlobalRoom:          "JoinGlobalRoom",
	CodeLeaveGlobalRoom:         "LeaveGlobalRoom",
	CodeGlobalRoomMessage:       "GlobalRoomMessage",
	CodeRelatedSearch:           "RelatedSearch",
	CodeExcludedSearchPhrases:   "ExcludedSearchPhrases",
	CodeCantConnectToPeer:       "CantConnectToPeer",
	CodeCantCreateRoom:          "CantCreateRoom",
}

// String returns the spec's name for c, or its number. Metrics use it as a
// label, so unknown codes never create unbounded label values: see Label.
func (c ServerCode) String() string { return codeName(serverCodeNames, c) }

// Label returns the spec's name for c, or "unknown": safe as a metric label.
func (c ServerCode) Label() string { return codeLabel(serverCodeNames, c) }

// codeName returns a code's spec name from names, or its number.
func codeName[C ~uint8 | ~uint32](names map[C]string, c C) string {
	if n, ok := names[c]; ok {
		return n
	}
	return strconv.FormatUint(uint64(c), 10)
}

// codeLabel returns a code's spec name, or "unknown": peers can send any
// code, so metric labels must come from the table only.
func codeLabel[C ~uint8 | ~uint32](names map[C]string, c C) string {
	if n, ok := names[c]; ok {
		return n
	}
	return "unknown"
}
