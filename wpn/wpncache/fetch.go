package wpncache

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/revival-net/revival/wpn"
)

// FetchTimeout bounds a fetch when ctx has no earlier deadline (clients
// wait about five seconds, wpn.md §5.1).
const FetchTimeout = 5 * time.Second

// Fetch asks the peer cache at addr for primaries, as WinMX does: it sends
// nothing, reads the 149-byte answer, checks the 0x38 marker and the 0x54
// key block, and decodes the list. Empty entries are left out; the order
// is the cache's.
func Fetch(ctx context.Context, addr string) ([]wpn.NodeEntry, error) {
	ctx, cancel := context.WithTimeout(ctx, FetchTimeout)
	defer cancel()
	var d net.Dialer
	nc, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	defer nc.Close()
	dl, _ := ctx.Deadline()
	_ = nc.SetDeadline(dl)
	var buf [wpn.CacheReplySize]byte
	if _, err := io.ReadFull(nc, buf[:]); err != nil {
		return nil, fmt.Errorf("wpn cache %s: %w", addr, err)
	}
	list, err := wpn.ParseCacheReply(buf[:])
	if err != nil {
		return nil, fmt.Errorf("wpn cache %s: %w", addr, err)
	}
	var out []wpn.NodeEntry
	for _, e := range list {
		if e.IP.Is4() && !e.IP.IsUnspecified() && e.TCPPort != 0 {
			out = append(out, e)
		}
	}
	return out, nil
}

// FetchAny tries each cache in turn (WinMX tries 7950, 7951, 7952) and
// returns the first list it gets; the errors of all when none answers.
func FetchAny(ctx context.Context, addrs []string) ([]wpn.NodeEntry, error) {
	var errs []error
	for _, a := range addrs {
		list, err := Fetch(ctx, a)
		if err == nil {
			return list, nil
		}
		errs = append(errs, err)
		if ctx.Err() != nil {
			break
		}
	}
	if len(errs) == 0 {
		return nil, errors.New("wpn cache: no addresses")
	}
	return nil, errors.Join(errs...)
}
