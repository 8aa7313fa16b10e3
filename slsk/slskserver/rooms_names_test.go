package slskserver_test

import (
	"strings"
	"testing"

	"github.com/revival-net/revival/slsk"
	"github.com/revival-net/revival/slsk/slsktest"
)

// Private-room notices quote the user name the client sent through
// logx.Peer: it need not be a registered name, so it may hold escape
// bytes or be 60 KB long (issue 5, finding 11).
func TestPrivateRoomNoticesEscapeNames(t *testing.T) {
	h := slsktest.Start(t)
	olga := createClub(t, h)
	olga.Send(&slsk.AddRoomMember{Room: "club", Username: "x\x1b[2J"})
	expectMsgs(t, olga, notice(`user x\x1b[2J is not logged in.`))
	olga.Send(&slsk.AddRoomMember{Room: "club", Username: strings.Repeat("y", 60000)})
	expectMsgs(t, olga, notice("user "+strings.Repeat("y", 64)+"…(+59936 bytes) is not logged in."))
	olga.Send(&slsk.AddRoomOperator{Room: "club", Username: "op\r\n"})
	expectMsgs(t, olga, notice(`user op\r\n is not logged in.`))
}
