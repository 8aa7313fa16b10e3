package main

import (
	"fmt"
	"net"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/revival-net/revival/wpn"
	"github.com/revival-net/revival/wpn/wpntest"
)

// freeUDPPort returns a UDP port nothing listens on now. The primaries
// below do not bind theirs yet, but their handles must differ: a handle is
// the primary's IP and UDP port (wpn.md §1.4).
func freeUDPPort(t *testing.T) int {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	return pc.LocalAddr().(*net.UDPAddr).Port
}

// Three `revival serve` processes linked in a line A–B–C (--wpn-peers)
// are one WinMX network: a secondary on A finds a file shared on C, two
// hops away, and their private messages and receipts cross the mesh.
func TestThreeServeProcessesOneWPN(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs three servers")
	}
	bin := filepath.Join(t.TempDir(), "revival")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	start := func(peer string) string {
		args := []string{"serve", "--data", t.TempDir(), "--slsk", "off", "--wpn", "127.0.0.1:0",
			"--wpn-udp", fmt.Sprintf("127.0.0.1:%d", freeUDPPort(t)), "--wpn-cache", "off", "--admin", "off",
			"--wpn-public-ip", "127.0.0.1"}
		if peer != "" {
			args = append(args, "--wpn-peers", peer)
		}
		cmd := exec.Command(bin, args...)
		stderr, _ := cmd.StderrPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
		return waitListening(t, stderr, "wpn")["wpn"]
	}
	a := start("")
	b := start(a)
	c := start(b)

	alice := (&wpntest.Harness{T: t, Addr: a}).Login("alice123")
	carol := (&wpntest.Harness{T: t, Addr: c}).Login("carol123")
	if alice.Handle == carol.Handle {
		t.Fatalf("A and C have the same handle %s", alice.Handle)
	}
	carol.Send(&wpn.ShareFolder{Folder: `C:\Music`, Files: []wpn.SharedFile{{Name: "Mesh Song.mp3", Size: 4242}}})

	// The links come up in the background: ask A for carol until the mesh
	// has a route to C (each try is a round trip; the pause keeps alice
	// under the primary's whois rate).
	deadline := time.Now().Add(30 * time.Second)
	for {
		alice.Send(&wpn.Whois{Target: carol.Target()})
		p := alice.Next()
		if r, ok := p.(*wpn.WhoisReply); ok && r.Files == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no route from A to carol on C after 30 s (last answer %T %+v)", p, p)
		}
		time.Sleep(250 * time.Millisecond)
	}

	alice.Send(&wpn.Search{SearchID: 1, Query: "mesh song"})
	hit := wpntest.Expect[*wpn.SearchHit](alice)
	if hit.UserName != carol.FullName || hit.Handle().String() != carol.Handle || !strings.HasSuffix(hit.Path, "Mesh Song.mp3") {
		t.Fatalf("hit %+v", hit)
	}

	alice.Send(&wpn.PrivateMessage{Target: carol.Target(), Text: "hello across two hops"})
	in := wpntest.Expect[*wpn.IncomingPM](carol)
	if in.Name != alice.FullName || in.Handle != alice.Handle || in.Text != "hello across two hops" {
		t.Fatalf("carol got %+v", in)
	}
	carol.Send(&wpn.PMReceipt{Target: in.Target, ID: in.ID, Status: wpn.PMSent})
	for {
		if st, ok := alice.Next().(*wpn.PMStatus); ok {
			if st.Status != wpn.PMSent || st.Name != carol.FullName {
				t.Fatalf("status %+v", st)
			}
			break
		}
	}
}
