package serverproc

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// RSS returns the resident set size of process pid in bytes, from the
// VmRSS line of /proc/<pid>/status (Linux only).
func RSS(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	return parseVmRSS(b)
}

// errNoVmRSS reports a status file without a usable VmRSS line (a kernel
// thread, or a zombie that released its memory).
var errNoVmRSS = errors.New("serverproc: no VmRSS in /proc status")

// parseVmRSS reads "VmRSS:   12345 kB" out of a /proc/<pid>/status file.
func parseVmRSS(status []byte) (int64, error) {
	sc := bufio.NewScanner(bytes.NewReader(status))
	for sc.Scan() {
		rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:")
		if !ok {
			continue
		}
		f := strings.Fields(rest)
		if len(f) != 2 || f[1] != "kB" {
			return 0, fmt.Errorf("%w: %q", errNoVmRSS, sc.Text())
		}
		kb, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil || kb < 0 {
			return 0, fmt.Errorf("%w: %q", errNoVmRSS, sc.Text())
		}
		return kb << 10, nil
	}
	return 0, errNoVmRSS
}
