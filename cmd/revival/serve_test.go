package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/revival-net/revival/internal/wire"
	"github.com/revival-net/revival/slsk"
	"github.com/revival-net/revival/slsk/slsktest"
	"github.com/revival-net/revival/wpn"
	"github.com/revival-net/revival/wpn/wpnconn"
)

var listenRE = regexp.MustCompile(`msg=listening network=(\w+) addr=(\S+)`)

// waitListening reads log lines until every named network logged its
// address ("one line per listener with the address").
func waitListening(t *testing.T, r io.Reader, networks ...string) map[string]string {
	t.Helper()
	addrs := map[string]string{}
	found := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			if m := listenRE.FindStringSubmatch(sc.Text()); m != nil {
				addrs[m[1]] = m[2]
				if hasAll(addrs, networks) {
					close(found)
					io.Copy(io.Discard, r)
					return
				}
			}
		}
	}()
	select {
	case <-found:
	case <-time.After(30 * time.Second):
		t.Fatal("server did not log its listeners")
	}
	return addrs
}

func hasAll(addrs map[string]string, networks []string) bool {
	for _, n := range networks {
		if addrs[n] == "" {
			return false
		}
	}
	return true
}

// wpnLogin logs a WinMX secondary in (wpn.md §3.2) and checks that the
// primary answers 0x0460 first.
func wpnLogin(t *testing.T, addr, base string) {
	t.Helper()
	s, err := wpnconn.Dial(t.Context(), addr, wpn.KeySecondaryClient)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Send(&wpn.Login{BaseName: base, LineType: wpn.LineDSL, TransferPort: 6699}); err != nil {
		t.Fatal(err)
	}
	_ = s.Conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	typ, _, err := s.Frames(0).Next()
	if err != nil || wpn.Type(typ) != wpn.TypeLoginAck {
		t.Fatalf("wpn login: type 0x%04X, %v", typ, err)
	}
}

// slskLogin logs in over a raw connection and returns it with a frame
// reader, skipping the post-login messages.
func slskLogin(t *testing.T, addr, name, password string) (net.Conn, *wire.FrameReader) {
	t.Helper()
	nc, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nc.Close() })
	nc.SetDeadline(time.Now().Add(20 * time.Second))
	if _, err := nc.Write(slsk.AppendServerFrame(nil, slsktest.LoginMessage(name, password))); err != nil {
		t.Fatal(err)
	}
	fr := wire.NewFrameReader(nc, 1<<20)
	for first := true; ; first = false {
		body, err := fr.Next()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		m, err := slsk.DecodeServerReply(body)
		if err != nil {
			continue
		}
		if lr, ok := m.(*slsk.LoginReply); first && (!ok || !lr.Success) {
			t.Fatalf("%s: login failed: %#v", name, m)
		}
		if m.ServerCode() == slsk.CodeExcludedSearchPhrases {
			return nc, fr
		}
	}
}

func TestServeUserCommandsAndShutdown(t *testing.T) {
	dir := t.TempDir()
	var out strings.Builder
	if code := run(t.Context(), []string{"user", "add", "alice", "--password", "s3cret", "--data", dir}, &out, &out); code != 0 {
		t.Fatalf("user add: exit %d: %s", code, out.String())
	}
	if code := run(t.Context(), []string{"user", "add", "alice", "--password", "x", "--data", dir}, &out, &out); code == 0 {
		t.Fatal("adding an existing user succeeded")
	}

	ctx, cancel := context.WithCancel(t.Context())
	pr, pw := io.Pipe()
	done := make(chan int)
	go func() {
		done <- run(ctx, []string{"serve", "--data", dir, "--slsk", "127.0.0.1:0", "--wpn", "127.0.0.1:0", "--wpn-cache", "127.0.0.1:0", "--admin", "127.0.0.1:0"}, io.Discard, pw)
	}()
	addrs := waitListening(t, pr, "soulseek", "wpn", "admin")

	alice, aliceFrames := slskLogin(t, addrs["soulseek"], "alice", "s3cret")
	wpnLogin(t, addrs["wpn"], "Gumdrop609")
	for _, path := range []string{"/healthz", "/metrics"} {
		resp, err := http.Get("http://" + addrs["admin"] + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", path, resp.StatusCode, body)
		}
		if path == "/metrics" && !strings.Contains(string(body), `revival_logins_total{proto="slsk",result="ok"} 1`) {
			t.Fatalf("metrics do not count the login:\n%s", body)
		}
	}

	// The CLI works while serve runs, and a ban reaches the running server.
	out.Reset()
	if code := run(t.Context(), []string{"user", "ban", "alice", "--data", dir, "--reason", "test"}, &out, &out); code != 0 {
		t.Fatalf("user ban: exit %d: %s", code, out.String())
	}
	alice.SetDeadline(time.Now().Add(20 * time.Second))
	for {
		if _, err := aliceFrames.Next(); err != nil {
			if errors.Is(err, os.ErrDeadlineExceeded) {
				t.Fatal("the running server did not disconnect the user banned from the CLI")
			}
			break
		}
	}
	out.Reset()
	if code := run(t.Context(), []string{"user", "list", "--data", dir}, &out, &out); code != 0 || !strings.Contains(out.String(), "forever") {
		t.Fatalf("user list: exit %d: %s", code, out.String())
	}

	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("serve exited %d", code)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not shut down")
	}
}

func TestUnknownCommandAndUsage(t *testing.T) {
	var out strings.Builder
	if code := run(t.Context(), []string{"nope"}, &out, &out); code != 2 || !strings.Contains(out.String(), "unknown command") {
		t.Fatalf("exit %d: %s", code, out.String())
	}
	out.Reset()
	if code := run(t.Context(), []string{"user", "add", "--data", t.TempDir(), "bob"}, &out, &out); code != 2 || !strings.Contains(out.String(), "--password") {
		t.Fatalf("exit %d: %s", code, out.String())
	}
}

// "loses nothing it has acknowledged (accounts, offline messages, settings)
// when it is killed": a private message stored for an offline user is
// delivered after the server is killed with SIGKILL and started again.
func TestKilledServerLosesNothingAcknowledged(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "revival")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	dir := t.TempDir()
	start := func() (*exec.Cmd, string) {
		cmd := exec.Command(bin, "serve", "--data", dir, "--slsk", "127.0.0.1:0", "--wpn", "off", "--wpn-cache", "off", "--admin", "off", "--bcrypt-cost", "4")
		stderr, _ := cmd.StderrPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
		return cmd, waitListening(t, stderr, "soulseek")["soulseek"]
	}
	cmd, addr := start()
	bob, _ := slskLogin(t, addr, "bob", "pw")
	bob.Close()
	alice, fr := slskLogin(t, addr, "alice", "pw")
	alice.Write(slsk.AppendServerFrame(nil, &slsk.MessageUser{Username: "bob", Message: "survives kill -9"}))
	// Barrier: once the ping echo arrives, the PM was handled (stored).
	alice.Write(slsk.AppendServerFrame(nil, &slsk.ServerPing{}))
	for {
		body, err := fr.Next()
		if err != nil {
			t.Fatal(err)
		}
		if code, _, _ := slsk.SplitServerFrame(body); code == slsk.CodeServerPing {
			break
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()

	_, addr = start()
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	nc.SetDeadline(time.Now().Add(20 * time.Second))
	nc.Write(slsk.AppendServerFrame(nil, slsktest.LoginMessage("bob", "pw")))
	fr = wire.NewFrameReader(nc, 1<<20)
	for {
		body, err := fr.Next()
		if err != nil {
			t.Fatalf("bob never got the stored message: %v", err)
		}
		m, _ := slsk.DecodeServerReply(body)
		if pm, ok := m.(*slsk.MessageUserReply); ok {
			if pm.Username != "alice" || pm.Message != "survives kill -9" {
				t.Fatalf("got %#v", pm)
			}
			return
		}
		if m != nil && m.ServerCode() == slsk.CodeExcludedSearchPhrases {
			t.Fatal("login finished without the stored message")
		}
	}
}

// `revival serve --store postgres` runs the same server over PostgreSQL:
// accounts and private messages survive a restart there too. It runs when
// REVIVAL_TEST_POSTGRES holds a DSN (.ci/run starts a throwaway cluster).
func TestServeOnPostgres(t *testing.T) {
	dsn := os.Getenv("REVIVAL_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("REVIVAL_TEST_POSTGRES is not set")
	}
	suffix := fmt.Sprint(time.Now().UnixNano())
	alice, bob := "alice"+suffix, "bob"+suffix
	start := func() (addr string, stop func()) {
		ctx, cancel := context.WithCancel(t.Context())
		pr, pw := io.Pipe()
		done := make(chan int)
		go func() {
			done <- run(ctx, []string{"serve", "--store", "postgres", "--store-dsn", dsn, "--data", t.TempDir(),
				"--slsk", "127.0.0.1:0", "--wpn", "off", "--wpn-cache", "off", "--admin", "off", "--bcrypt-cost", "4"}, io.Discard, pw)
		}()
		addr = waitListening(t, pr, "soulseek")["soulseek"]
		return addr, func() {
			cancel()
			if code := <-done; code != 0 {
				t.Errorf("serve exited %d", code)
			}
		}
	}
	addr, stop := start()
	b, _ := slskLogin(t, addr, bob, "pw")
	b.Close()
	a, _ := slskLogin(t, addr, alice, "pw")
	a.Write(slsk.AppendServerFrame(nil, &slsk.MessageUser{Username: bob, Message: "stored in postgres"}))
	a.Write(slsk.AppendServerFrame(nil, &slsk.ServerPing{}))
	a.SetReadDeadline(time.Now().Add(10 * time.Second))
	io.ReadFull(a, make([]byte, 1)) // anything back: the ping, so the PM was handled
	stop()

	addr, stop = start()
	defer stop()
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	nc.SetDeadline(time.Now().Add(20 * time.Second))
	nc.Write(slsk.AppendServerFrame(nil, slsktest.LoginMessage(bob, "pw")))
	fr := wire.NewFrameReader(nc, 1<<20)
	for {
		body, err := fr.Next()
		if err != nil {
			t.Fatalf("%s never got the stored message: %v", bob, err)
		}
		m, _ := slsk.DecodeServerReply(body)
		if lr, ok := m.(*slsk.LoginReply); ok && !lr.Success {
			t.Fatalf("login after restart refused: %s", lr.Reason)
		}
		if pm, ok := m.(*slsk.MessageUserReply); ok && pm.Message == "stored in postgres" {
			return
		}
	}
}
