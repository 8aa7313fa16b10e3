package netconn

import (
	"bytes"
	"io"
	"sync"
	"testing"
	"time"
)

// runningXOR is a toy stream cipher: byte i of the stream is XORed with
// i mod 251, so any byte sealed out of order or twice shows.
type runningXOR struct{ n int }

func (x *runningXOR) Seal(dst, src []byte) []byte {
	for _, b := range src {
		dst = append(dst, b^byte(x.n%251))
		x.n++
	}
	return dst
}

// The handshake queued before SetSealer goes out in the clear; everything
// after it, queued by many goroutines at once and shared between them as
// a broadcast is, goes through the sealer exactly once and in queue order.
func TestSealerSealsInQueueOrder(t *testing.T) {
	const senders, frames = 8, 200
	frame := bytes.Repeat([]byte("abcdefgh"), 16) // shared by every sender, never changed
	_, addr, _ := start(t, Options{Handle: func(c *Conn) {
		_ = c.Send([]byte("HELLO"))
		c.SetSealer(&runningXOR{})
		var wg sync.WaitGroup
		for range senders {
			wg.Go(func() {
				for range frames {
					_ = c.Send(frame)
				}
			})
		}
		wg.Wait()
		c.CloseAfterFlush("done")
	}})
	c := dial(t, addr)
	_ = c.nc.SetReadDeadline(time.Now().Add(timeout))
	got, err := io.ReadAll(c.r)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(got, []byte("HELLO")) {
		t.Fatalf("stream starts %q, want the plain HELLO", got[:min(len(got), 5)])
	}
	sealed := got[5:]
	if want := senders * frames * len(frame); len(sealed) != want {
		t.Fatalf("read %d sealed bytes, want %d", len(sealed), want)
	}
	plain := (&runningXOR{}).Seal(nil, sealed) // XOR is its own inverse
	if want := bytes.Repeat(frame, senders*frames); !bytes.Equal(plain, want) {
		t.Fatal("sealed stream does not open to the frames sent")
	}
	if !bytes.Equal(frame, bytes.Repeat([]byte("abcdefgh"), 16)) {
		t.Fatal("the shared frame was modified")
	}
}

// Frames already queued when the sealer is set stay in the clear, even if
// the writer has not sent them yet.
func TestSealerLeavesEarlierFramesPlain(t *testing.T) {
	_, addr, _ := start(t, Options{Handle: func(c *Conn) {
		for range 50 {
			_ = c.Send([]byte("plain"))
		}
		c.SetSealer(&runningXOR{})
		_ = c.Send([]byte("sealed"))
		c.CloseAfterFlush("done")
	}})
	c := dial(t, addr)
	_ = c.nc.SetReadDeadline(time.Now().Add(timeout))
	got, err := io.ReadAll(c.r)
	if err != nil {
		t.Fatal(err)
	}
	want := append(bytes.Repeat([]byte("plain"), 50), (&runningXOR{}).Seal(nil, []byte("sealed"))...)
	if !bytes.Equal(got, want) {
		t.Fatalf("got %q,\nwant %q", got, want)
	}
}

// A second sealer would garble the stream; it is a programming error.
func TestSetSealerTwicePanics(t *testing.T) {
	c := &Conn{}
	c.SetSealer(&runningXOR{})
	defer func() {
		if recover() == nil {
			t.Fatal("second SetSealer did not panic")
		}
	}()
	c.SetSealer(&runningXOR{})
}
