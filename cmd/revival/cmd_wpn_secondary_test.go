package main

import (
	"strings"
	"testing"

	"github.com/revival-net/revival/wpn"
	"github.com/revival-net/revival/wpn/wpntest"
)

// revival wpn search, whois, browse and pm against our primary, with a
// raw secondary sharing files and answering PMs.
func TestWPNSecondaryCommands(t *testing.T) {
	h := wpntest.Start(t)
	carol := h.Login("carol123")
	carol.Send(&wpn.ShareFolder{Folder: `C:\Music`, Files: []wpn.SharedFile{{Name: "Cli Song.mp3", Size: 77}}})
	carol.Send(&wpn.Whois{Target: carol.Target()})
	wpntest.Expect[*wpn.WhoisReply](carol)

	cli := func(args ...string) string {
		t.Helper()
		var out, errb strings.Builder
		args = append(args, "--server", h.Addr, "--wait", "1s")
		if code := run(t.Context(), append([]string{"wpn"}, args...), &out, &errb); code != 0 {
			t.Fatalf("revival wpn %v: exit %d: %s", args, code, errb.String())
		}
		return out.String()
	}
	if got := cli("search", "cli song"); !strings.Contains(got, carol.FullName+"\t77\tC:\\Music\\Cli Song.mp3") {
		t.Fatalf("search printed %q", got)
	}
	if got := cli("whois", carol.FullName); !strings.Contains(got, "1 files") {
		t.Fatalf("whois printed %q", got)
	}
	if got := cli("browse", carol.FullName); !strings.Contains(got, "77\tC:\\Music\\Cli Song.mp3") {
		t.Fatalf("browse printed %q", got)
	}

	// carol answers the PM's receipt from another goroutine while the
	// command waits for it.
	done := make(chan string, 1)
	go func() {
		var out strings.Builder
		if code := run(t.Context(), []string{"wpn", "pm", carol.FullName, "hello carol", "--server", h.Addr}, &out, &strings.Builder{}); code != 0 {
			out.WriteString("exit code " + string(rune('0'+code)))
		}
		done <- out.String()
	}()
	in := wpntest.Expect[*wpn.IncomingPM](carol)
	if in.Text != "hello carol" {
		t.Errorf("carol got %q", in.Text)
	}
	carol.Send(&wpn.PMReceipt{Target: in.Target, ID: in.ID, Status: "back soon"})
	if got := <-done; strings.TrimSpace(got) != "back soon" {
		t.Fatalf("pm printed %q", got)
	}

	var errb strings.Builder
	if code := run(t.Context(), []string{"wpn", "whois", "nobody000_00001", "--server", h.Addr}, &strings.Builder{}, &errb); code == 0 {
		t.Fatal("whois of nobody succeeded")
	}
}
