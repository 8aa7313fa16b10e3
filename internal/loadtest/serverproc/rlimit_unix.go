//go:build unix

package serverproc

import (
	"fmt"
	"syscall"
)

// RaiseNoFile raises this process's soft limit on open files to the hard
// limit, and reports the new soft limit; an error if it stays below need.
// Children inherit it, so one call covers the bench and its server, each
// of which holds one descriptor per simulated client.
func RaiseNoFile(need uint64) (uint64, error) {
	var l syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
		return 0, err
	}
	if l.Cur < l.Max {
		l.Cur = l.Max
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
			return 0, err
		}
	}
	if l.Cur < need {
		return l.Cur, fmt.Errorf("open-file limit is %d, the run needs about %d (raise `ulimit -n`)", l.Cur, need)
	}
	return l.Cur, nil
}
