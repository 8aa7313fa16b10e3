//go:build unix

package netconn

import (
	"math"
	"syscall"
)

// DescriptorLimit returns the soft RLIMIT_NOFILE, or 0 when it cannot be
// read. Since Go 1.19 the runtime raises the soft limit to the hard one at
// start, so this is read after that and is what the process really has.
func DescriptorLimit() int {
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
		return 0
	}
	if uint64(rl.Cur) > math.MaxInt32 { // RLIM_INFINITY or absurd: treat as unknown
		return 0
	}
	return int(rl.Cur)
}
