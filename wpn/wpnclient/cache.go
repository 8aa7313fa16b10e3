package wpnclient

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"time"

	"github.com/revival-net/revival/wpn"
)

// DialCache finds a primary as WinMX does (wpn.md §3.2 step 1, §5.1): it
// asks each peer cache in turn for its list (sending nothing, reading the
// 149-byte answer), then tries the primaries in order of most free
// secondary slots, ties to fewest free primary slots, skipping full ones,
// until one logs it in.
func DialCache(ctx context.Context, caches []string, opts Options) (*Client, error) {
	var errs []error
	for _, cache := range caches {
		nodes, err := fetchCache(ctx, cache)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		slices.SortStableFunc(nodes, func(a, b wpn.NodeEntry) int {
			if c := cmp.Compare(b.FreeSecondary, a.FreeSecondary); c != 0 {
				return c
			}
			return cmp.Compare(a.FreePrimary, b.FreePrimary)
		})
		for _, n := range nodes {
			if n.FreeSecondary == 0 || !n.IP.Is4() || n.IP.IsUnspecified() || n.TCPPort == 0 {
				continue
			}
			c, err := Dial(ctx, fmt.Sprintf("%s:%d", n.IP, n.TCPPort), opts)
			if err == nil {
				return c, nil
			}
			errs = append(errs, err)
		}
	}
	if len(errs) == 0 {
		return nil, errors.New("wpnclient: the peer caches listed no primary with free slots")
	}
	return nil, errors.Join(errs...)
}

// fetchCache reads one peer cache's list (5 s at most, as clients wait).
func fetchCache(ctx context.Context, addr string) ([]wpn.NodeEntry, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	var d net.Dialer
	nc, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	defer nc.Close()
	dl, _ := ctx.Deadline()
	_ = nc.SetDeadline(dl)
	var b [wpn.CacheReplySize]byte
	if _, err := io.ReadFull(nc, b[:]); err != nil {
		return nil, fmt.Errorf("wpn cache %s: %w", addr, err)
	}
	list, err := wpn.ParseCacheReply(b[:])
	if err != nil {
		return nil, fmt.Errorf("wpn cache %s: %w", addr, err)
	}
	return list[:], nil
}
