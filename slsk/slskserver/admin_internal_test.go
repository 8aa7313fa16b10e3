package slskserver

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// roominfo shows at most maxListed names per list, like every admin
// listing, however many users are in a room or members it has.
func TestRoomInfoIsCapped(t *testing.T) {
	r := newRoom("big", time.Time{})
	r.private, r.owner = true, "olga"
	var names []string
	for i := range maxListed + 2 {
		name := fmt.Sprintf("u%04d", i)
		names = append(names, name)
		r.joined = append(r.joined, &session{name: name})
		r.members[name] = struct{}{}
	}
	r.operators["u0000"] = struct{}{}
	s := &Server{rooms: map[string]*room{"big": r}}

	shown := append(names[:maxListed:maxListed], "… and 2 more")
	want := []string{
		"big",
		"Private room of olga",
		"Members (502): " + strings.Join(shown, ", "),
		"Operators (1): u0000",
		"Users (502):",
	}
	for _, n := range shown {
		want = append(want, "    "+n)
	}
	want = append(want, "Tickers (0):")
	got := strings.Split(s.cmdRoomInfo(nil, "big"), "\n")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("roominfo (-want +got):\n%s", diff)
	}
}
