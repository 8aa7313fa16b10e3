package netconn

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// timeout bounds every wait in these tests; they never sleep.
const timeout = 10 * time.Second

// start serves opts on 127.0.0.1:0 and returns the address and the
// registry the metrics are on. The server is shut down when the test ends.
func start(t *testing.T, opts Options) (*Server, string, *prometheus.Registry) {
	t.Helper()
	reg := prometheus.NewRegistry()
	if opts.Limits.MaxConnsPerIP == 0 {
		opts.Limits.MaxConnsPerIP = -1
	}
	opts.Proto, opts.Registerer = "test", reg
	s := New(opts)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- s.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		if err := s.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		if err := <-served; !errors.Is(err, ErrServerClosed) {
			t.Errorf("Serve returned %v, want ErrServerClosed", err)
		}
	})
	return s, ln.Addr().String(), reg
}

// client is a raw test connection with a read deadline on every read.
type client struct {
	t  *testing.T
	nc net.Conn
	r  *bufio.Reader
}

func dial(t *testing.T, addr string) *client {
	t.Helper()
	nc, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = nc.Close() })
	return &client{t: t, nc: nc, r: bufio.NewReaderSize(nc, 64<<10)}
}

func (c *client) write(b string) {
	c.t.Helper()
	_ = c.nc.SetWriteDeadline(time.Now().Add(timeout))
	if _, err := c.nc.Write([]byte(b)); err != nil {
		c.t.Fatalf("write: %v", err)
	}
}

// expect reads len(want) bytes and compares them.
func (c *client) expect(want string) {
	c.t.Helper()
	_ = c.nc.SetReadDeadline(time.Now().Add(timeout))
	got := make([]byte, len(want))
	if _, err := io.ReadFull(c.r, got); err != nil {
		c.t.Fatalf("reading %q: %v", want, err)
	}
	if string(got) != want {
		c.t.Fatalf("got %q, want %q", got, want)
	}
}

// expectUntil reads up to and including marker and returns how many bytes
// that was.
func (c *client) expectUntil(marker string) int {
	c.t.Helper()
	_ = c.nc.SetReadDeadline(time.Now().Add(timeout))
	var got []byte
	for !bytes.HasSuffix(got, []byte(marker)) {
		b, err := c.r.ReadByte()
		if err != nil {
			c.t.Fatalf("reading until %q: %v (after %d bytes)", marker, err, len(got))
		}
		got = append(got, b)
	}
	return len(got)
}

// expectClosed reads until EOF (or a reset), discarding what comes, and
// returns how many bytes came first.
func (c *client) expectClosed() int {
	c.t.Helper()
	_ = c.nc.SetReadDeadline(time.Now().Add(timeout))
	n, err := io.Copy(io.Discard, c.r)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		c.t.Fatalf("server did not close the connection (read %d bytes)", n)
	}
	return int(n)
}

// ping is a round trip through the test handler: the connection is
// accepted and served.
func (c *client) ping() {
	c.t.Helper()
	c.write("P")
	c.expect("p")
}

// echoHandler is a one-byte protocol for the tests: P answers p, L logs in
// and answers l, Q ends the handler, ! panics.
func echoHandler(c *Conn) {
	b := make([]byte, 1)
	for {
		if _, err := io.ReadFull(c, b); err != nil {
			return
		}
		switch b[0] {
		case 'P':
			_ = c.Send([]byte("p"))
		case 'L':
			c.LoggedIn()
			_ = c.Send([]byte("l"))
		case 'Q':
			return
		case '!':
			panic("test panic")
		}
	}
}

// counter returns the value of a counter on reg (0 when absent); label is
// "" or the value of its only label.
func counter(t *testing.T, reg *prometheus.Registry, name, label string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			match := label == ""
			for _, lp := range m.GetLabel() {
				if lp.GetName() != "proto" && lp.GetValue() == label {
					match = true
				}
			}
			if match {
				return m.GetCounter().GetValue()
			}
		}
	}
	return 0
}
