package interop

import (
	"context"
	"encoding/json"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/revival-net/revival/slsk"
	"github.com/revival-net/revival/slsk/slskclient"
	"github.com/revival-net/revival/slsk/slsktest"
)

// slskClientVersion is the version package.json pins; pm.js reads
// slsk-client's lib/ internals (its framer and Message class), so another
// version must fail loudly rather than misbehave.
const slskClientVersion = "1.1.0"

// TestSlskClientNPMPrivateMessage logs the third-party npm client
// slsk-client in to our server and exchanges a private message with our own
// client library: slsk-client speaks Login 160/17, sends SetWaitPort before
// the reply and HaveNoParent as a u32 (spec §1.3–§1.4), and the server must
// accept all of it and relay code 22 both ways (spec §2).
//
// slsk-client has no chat API, so pm.js sends and reads code 22 itself on
// slsk-client's server socket; everything else is slsk-client's own code.
func TestSlskClientNPMPrivateMessage(t *testing.T) {
	node := requireSlskClient(t)
	h := slsktest.Start(t)
	host, port, err := net.SplitHostPort(h.Addr)
	if err != nil {
		t.Fatalf("server address %q: %v", h.Addr, err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	alice, err := slskclient.Dial(ctx, h.Addr, slskclient.Options{})
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { _ = alice.Close() })
	if _, err := alice.Login(ctx, "alice", slsktest.Password("alice")); err != nil {
		t.Fatalf("alice login: %v", err)
	}

	tests := []struct {
		name     string
		nodeUser string
		text     string
	}{
		{"ascii", "jsuser", "hello from revival"},
		{"utf8", "jsuser2", "grüße ☃ 日本語"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(ctx, 40*time.Second)
			defer cancel()
			p := startPM(ctx, t, node, pmArgs{
				host: host, port: port,
				user: tc.nodeUser, pass: slsktest.Password(tc.nodeUser), peer: "alice",
				incomingPort: freePort(t),
			})
			p.expectLine(ctx, t, "READY")

			// The server registers a session before it sends the Login
			// reply, so by READY the node user must be online.
			st, err := alice.GetUserStatus(ctx, tc.nodeUser)
			if err != nil {
				t.Fatalf("GetUserStatus(%s): %v", tc.nodeUser, err)
			}
			wantStatus := &slsk.GetUserStatusReply{Username: tc.nodeUser, Status: slsk.StatusOnline}
			if diff := cmp.Diff(wantStatus, st); diff != "" {
				t.Fatalf("status of the slsk-client user (-want +got):\n%s", diff)
			}

			if err := alice.SendPrivateMessage(tc.nodeUser, tc.text); err != nil {
				t.Fatalf("SendPrivateMessage: %v", err)
			}
			p.expectLine(ctx, t, "GOT "+tc.text)

			got := waitPrivateMessage(ctx, t, alice, tc.nodeUser, p)
			want := slskclient.PrivateMessage{User: tc.nodeUser, Text: "pong: " + tc.text, New: true}
			ignore := cmpopts.IgnoreFields(slskclient.PrivateMessage{}, "ID", "Time")
			if diff := cmp.Diff(want, got, ignore); diff != "" {
				t.Fatalf("reply from slsk-client (-want +got):\n%s", diff)
			}

			p.expectLine(ctx, t, "SENT")
			p.expectExit(t)
		})
	}
}

// requireSlskClient returns the path of node, or skips the test when node
// or the npm package is missing. With CI=true it fails instead: CI installs
// both (.ci/run), so a skip there would hide a broken install.
func requireSlskClient(t *testing.T) string {
	t.Helper()
	const hint = "run `npm ci --prefix tests/interop` (needs Node.js) to enable this test"
	missing := func(format string, args ...any) {
		t.Helper()
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true but "+format+"; CI must install it: "+hint, args...)
		}
		t.Skipf(format+"; "+hint, args...)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		missing("node is not on PATH (%v)", err)
	}
	manifest := filepath.Join("node_modules", "slsk-client", "package.json")
	b, err := os.ReadFile(manifest)
	if err != nil {
		missing("slsk-client is not installed (%v)", err)
	}
	var pkg struct{ Version string }
	if err := json.Unmarshal(b, &pkg); err != nil {
		t.Fatalf("%s: %v", manifest, err)
	}
	if pkg.Version != slskClientVersion {
		t.Fatalf("%s: version %q, package.json pins %q: run `npm ci --prefix tests/interop`", manifest, pkg.Version, slskClientVersion)
	}
	return node
}

// freePort returns a loopback port that was free a moment ago, for
// slsk-client's peer listener: it has no way to listen on port 0, and it
// treats 0 as "use the default 2234". (It binds 0.0.0.0, which slsk-client
// does not let us change; nothing connects to it in this test, and if the
// port is taken meanwhile slsk-client only logs the error.)
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	defer ln.Close()
	return strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
}

// waitPrivateMessage returns the next private message from user, skipping
// other events (status changes and the like).
func waitPrivateMessage(ctx context.Context, t *testing.T, c *slskclient.Client, user string, p *pmProcess) slskclient.PrivateMessage {
	t.Helper()
	for {
		select {
		case ev, ok := <-c.Events():
			if !ok {
				t.Fatalf("our client shut down while waiting for %s's reply: %v", user, c.Err())
			}
			switch e := ev.(type) {
			case slskclient.PrivateMessage:
				if e.User == user {
					return e
				}
				t.Logf("ignoring a private message from %s: %q", e.User, e.Text)
			case slskclient.Disconnected:
				t.Fatalf("our client was disconnected while waiting for %s's reply: %v", user, e.Err)
			}
		case <-ctx.Done():
			t.Fatalf("no private message from %s: %v; pm.js stderr:\n%s", user, ctx.Err(), p.stderr)
		}
	}
}
