package slskclient

import (
	"bytes"
	"encoding/hex"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/revival-net/revival/internal/wire"
	"github.com/revival-net/revival/slsk"
)

// unhex decodes a capture's hex dump, ignoring spaces and "quoted" ASCII.
func unhex(t *testing.T, s string) []byte {
	t.Helper()
	var out []byte
	for _, part := range strings.Fields(s) {
		if strings.HasPrefix(part, `"`) {
			out = append(out, strings.Trim(part, `"`)...)
			continue
		}
		b, err := hex.DecodeString(part)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b...)
	}
	return out
}

// TestLoginSequenceGolden logs in against a fake server that records every
// byte, and compares them with Nicotine+'s (spec §1.3 capture of the Login
// frame; §1.4 order).
func TestLoginSequenceGolden(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	got := make(chan []byte, 1)
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			got <- nil
			return
		}
		defer conn.Close()
		conn.SetDeadline(time.Now().Add(testTimeout))
		fr := wire.NewFrameReader(conn, 1<<16)
		var rec []byte
		for {
			body, err := fr.Next()
			if err != nil {
				break
			}
			rec = slsk.AppendServerFrame(rec, rawMessage(body))
			code, _, _ := slsk.SplitServerFrame(body)
			if code == slsk.CodeLogin {
				conn.Write(slsk.AppendServerFrame(nil, &slsk.LoginReply{Success: true, Greeting: "hi", IP: netip.MustParseAddr("127.0.0.1"), PassHash: "x"}))
			}
			if code == slsk.CodeSetStatus {
				break
			}
		}
		got <- rec
	}()

	dir := filepath.Join(t.TempDir(), "Music")
	writeTree(t, dir, map[string]string{"Artist/test_song.mp3": "x"})
	ctx := testCtx(t)
	c, err := Dial(ctx, ln.Addr().String(), Options{ShareDir: dir, ListenAddr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Login(ctx, "testuser", "testpass"); err != nil {
		t.Fatal(err)
	}
	port := wire.NewBuilder(nil)
	port.Uint32(c.listenPort())
	want := bytes.Join([][]byte{
		// Login, byte for byte as Nicotine+ 3.4 sent it.
		unhex(t, `48000000 01000000 08000000 "testuser" 08000000 "testpass" a0000000 20000000 "e6f4c2570d30ef3abe2cc30f2b80f01d" 03000000`),
		unhex(t, `08000000 02000000`), port.Bytes(), // SetWaitPort
		unhex(t, `05000000 47000000 01`),                  // HaveNoParent(1)
		unhex(t, `10000000 7f000000 08000000 "testuser"`), // BranchRoot(self)
		unhex(t, `08000000 7e000000 00000000`),            // BranchLevel(0)
		unhex(t, `05000000 64000000 00`),                  // AcceptChildren(0)
		unhex(t, `0c000000 23000000 02000000 01000000`),   // SharedFoldersFiles(2 dirs, 1 file)
		unhex(t, `04000000 5c000000`),                     // CheckPrivileges
		unhex(t, `08000000 1c000000 02000000`),            // SetStatus(online)
	}, nil)
	select {
	case rec := <-got:
		if !bytes.Equal(rec, want) {
			t.Errorf("login sequence:\n got %x\nwant %x", rec, want)
		}
	case <-ctx.Done():
		t.Fatal("fake server got nothing")
	}
}

// TestSearchResponseGolden checks our FileSearchResponse against the one
// Nicotine+ sent in the capture, after zlib (spec §3.3): same file entry
// (code 1, empty extension, no attributes), slot free, speed and queue 0.
func TestSearchResponseGolden(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "Music")
	if err := os.MkdirAll(filepath.Join(dir, "Artist"), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(dir, "Artist", "test_song.mp3"))
	if err != nil {
		t.Fatal(err)
	}
	f.Truncate(200000)
	f.Close()
	c := newTestPeer(t, "testuser", Options{ShareDir: dir})
	resp := c.searchResponse(0x0001d7c1, c.matchFiles("artist", nil))
	frame := slsk.AppendPeerFrame(nil, resp)
	inflated, err := wire.Inflate(frame[8:], 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	want := unhex(t, `08000000 "testuser" c1d70100 01000000 01 1a000000 "Music\Artist\test_song.mp3" 400d030000000000 00000000 00000000 01 00000000 00000000 00000000`)
	if !bytes.Equal(inflated, want) {
		t.Errorf("search response payload:\n got %x\nwant %x", inflated, want)
	}
}

// rawMessage re-frames a recorded body unchanged.
type rawMessage []byte

func (m rawMessage) ServerCode() slsk.ServerCode {
	code, _, _ := slsk.SplitServerFrame(m)
	return code
}
func (m rawMessage) Encode(b *wire.Builder) { b.Raw(m[4:]) }
func (m rawMessage) Decode(*wire.Reader)    {}
