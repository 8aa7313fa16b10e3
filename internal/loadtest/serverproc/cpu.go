package serverproc

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// userHZ is the unit of the CPU times in /proc/<pid>/stat and /proc/stat:
// USER_HZ, which Linux fixes at 100 for user space on every common
// architecture, whatever the kernel's own tick rate.
const userHZ = 100

func ticks(n uint64) time.Duration { return time.Duration(n) * time.Second / userHZ }

// errProcFormat reports a /proc file that does not look as expected.
var errProcFormat = errors.New("serverproc: unexpected /proc format")

// ProcessCPU returns the CPU time (user + system, all threads) process pid
// has used so far, from /proc/<pid>/stat (Linux only). Comparing it over a
// phase with the wall time and the other processes' share tells whether a
// latency figure was bounded by the server, the clients or the machine.
func ProcessCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	return parseProcStat(b)
}

// parseProcStat reads utime and stime (fields 14 and 15) from a
// /proc/<pid>/stat line. The command name (field 2) is in parentheses and
// may itself contain spaces and parentheses, so fields are counted from
// the last ')'.
func parseProcStat(b []byte) (time.Duration, error) {
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, fmt.Errorf("%w: no command name in stat", errProcFormat)
	}
	f := strings.Fields(string(b[i+1:]))
	// f[0] is field 3 (state), so utime (14) is f[11] and stime (15) f[12].
	if len(f) < 13 {
		return 0, fmt.Errorf("%w: %d fields after the command name", errProcFormat, len(f))
	}
	u, err1 := strconv.ParseUint(f[11], 10, 64)
	s, err2 := strconv.ParseUint(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("%w: utime %q stime %q", errProcFormat, f[11], f[12])
	}
	return ticks(u + s), nil
}

// MachineBusy returns the CPU time all processors have spent not idle
// since boot (user, nice, system, irq, softirq, steal) and the softirq
// part of it, from /proc/stat. Softirq is reported apart because on
// loopback it is mostly the TCP work of the run's own traffic, which the
// kernel does not always charge to the processes involved.
func MachineBusy() (busy, softirq time.Duration, err error) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0, err
	}
	return parseMachineStat(b)
}

func parseMachineStat(b []byte) (busy, softirq time.Duration, err error) {
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 0 || f[0] != "cpu" {
			continue
		}
		// cpu user nice system idle iowait irq softirq steal [guest guest_nice]
		if len(f) < 9 {
			return 0, 0, fmt.Errorf("%w: %q", errProcFormat, sc.Text())
		}
		var v [9]uint64
		for k := 1; k < 9; k++ {
			if v[k], err = strconv.ParseUint(f[k], 10, 64); err != nil {
				return 0, 0, fmt.Errorf("%w: %q", errProcFormat, sc.Text())
			}
		}
		return ticks(v[1] + v[2] + v[3] + v[6] + v[7] + v[8]), ticks(v[7]), nil
	}
	return 0, 0, fmt.Errorf("%w: no cpu line in /proc/stat", errProcFormat)
}
