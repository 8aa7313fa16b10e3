package serverproc

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"time"
)

// Child is a server process started by Start.
type Child struct {
	Addr string // address it listens on, once Start returned
	cmd  *exec.Cmd
	done chan struct{} // closed when the process has exited
	err  error         // Wait's result, valid after done
}

// FreeAddr returns a 127.0.0.1 address with a port that was free a moment
// ago, for a child to listen on. Another process could take it in between;
// Start then fails clearly instead of measuring the wrong server.
func FreeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	addr := ln.Addr().String()
	return addr, ln.Close()
}

// ServeArgs are the arguments of a `revival serve` child for a load test:
// a fresh data directory, Soulseek on addr, no admin HTTP, the cheapest
// bcrypt cost (10,000 registrations would otherwise take minutes), no
// per-address connection cap and no registration ration (every client
// comes from 127.0.0.1), and warnings only.
func ServeArgs(dataDir, addr string) []string {
	return ServeArgsCost(dataDir, addr, 4)
}

// ServeArgsCost is ServeArgs with a chosen bcrypt cost, for runs that
// measure what the password hashing costs (a restart storm).
func ServeArgsCost(dataDir, addr string, bcryptCost int) []string {
	return []string{"serve", "--data", dataDir, "--slsk", addr, "--wpn", "off", "--wpn-cache", "off", "--admin", "off", "--bcrypt-cost", strconv.Itoa(bcryptCost),
		"--slsk-max-conns-per-ip", "-1", "--slsk-registrations-per-host-hour", "-1", "--slsk-registrations-per-minute", "-1",
		"--log-level", "warn"}
}

// Start runs exe with args, its output going to out, and waits until addr
// accepts TCP connections (at most ready). If the process exits first, or
// never listens, it is stopped and the error says so.
func Start(exe string, args []string, addr string, out io.Writer, ready time.Duration) (*Child, error) {
	cmd := exec.Command(exe, args...)
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = sysProcAttr()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	c := &Child{Addr: addr, cmd: cmd, done: make(chan struct{})}
	go func() {
		c.err = cmd.Wait()
		close(c.done)
	}()
	deadline := time.Now().Add(ready)
	for {
		nc, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			_ = nc.Close()
			return c, nil
		}
		select {
		case <-c.done:
			return nil, fmt.Errorf("server exited before listening on %s: %v", addr, c.err)
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			_ = c.Stop(5 * time.Second)
			return nil, fmt.Errorf("server not listening on %s after %v: %w", addr, ready, err)
		}
	}
}

// Pid returns the child's process id.
func (c *Child) Pid() int { return c.cmd.Process.Pid }

// Exited reports whether the child has ended, and how.
func (c *Child) Exited() (bool, error) {
	select {
	case <-c.done:
		return true, c.err
	default:
		return false, nil
	}
}

// Stop asks the child to shut down (SIGTERM, which `revival serve` handles
// gracefully) and waits; after timeout it is killed.
func (c *Child) Stop(timeout time.Duration) error {
	if exited, err := c.Exited(); exited {
		return exitErr(err)
	}
	if err := c.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return err
	}
	select {
	case <-c.done:
		return exitErr(c.err)
	case <-time.After(timeout):
	}
	_ = c.cmd.Process.Kill()
	<-c.done
	return fmt.Errorf("server did not stop within %v after SIGTERM; killed", timeout)
}

// exitErr drops the error of a process that ended because of our SIGTERM.
func exitErr(err error) error {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGTERM {
			return nil
		}
	}
	return err
}
