package interop

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"
)

// pmArgs are pm.js's options (see the comment at the top of pm.js).
type pmArgs struct {
	host, port       string // our server
	user, pass, peer string // slsk-client's login, and who it expects a message from
	incomingPort     string // slsk-client's peer listener
}

// pmProcess is one running `node pm.js`: its stdout lines arrive on lines
// (closed at EOF) and its stderr collects in stderr for failure messages.
type pmProcess struct {
	cmd    *exec.Cmd
	lines  chan string
	stderr *syncBuffer
	waited bool
}

// startPM runs pm.js under ctx, which kills it when it ends. The process is
// always reaped when the test ends.
func startPM(ctx context.Context, t *testing.T, node string, a pmArgs) *pmProcess {
	t.Helper()
	cmd := exec.CommandContext(ctx, node, "pm.js",
		"--host", a.host, "--port", a.port,
		"--user", a.user, "--pass", a.pass, "--peer", a.peer,
		"--incoming-port", a.incomingPort,
		"--timeout-ms", "20000")
	if os.Getenv("REVIVAL_TEST_LOG") != "" {
		// slsk-client's own debug output, to stderr.
		cmd.Env = append(os.Environ(), "DEBUG=slsk:*")
	}
	p := &pmProcess{cmd: cmd, lines: make(chan string, 16), stderr: new(syncBuffer)}
	cmd.Stderr = p.stderr
	cmd.WaitDelay = 5 * time.Second
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatalf("stdout pipe: %v", err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s pm.js: %v", node, err)
	}
	stop := make(chan struct{})
	go func() {
		defer close(p.lines)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			select {
			case p.lines <- sc.Text():
			case <-stop: // nobody reads any more: drain to EOF
			}
		}
	}()
	t.Cleanup(func() {
		close(stop)
		if p.waited {
			return
		}
		_ = cmd.Process.Kill()
		for range p.lines {
		}
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("pm.js stderr:\n%s", p.stderr)
		}
	})
	return p
}

// expectLine reads pm.js's next stdout line and fails unless it is want.
func (p *pmProcess) expectLine(ctx context.Context, t *testing.T, want string) {
	t.Helper()
	select {
	case got, ok := <-p.lines:
		if !ok {
			t.Fatalf("pm.js ended before printing %q; stderr:\n%s", want, p.stderr)
		}
		if got != want {
			t.Fatalf("pm.js printed %q, want %q; stderr:\n%s", got, want, p.stderr)
		}
	case <-ctx.Done():
		t.Fatalf("waiting for pm.js to print %q: %v; stderr:\n%s", want, ctx.Err(), p.stderr)
	}
}

// expectExit checks that pm.js prints nothing more and exits with status 0.
func (p *pmProcess) expectExit(t *testing.T) {
	t.Helper()
	for line := range p.lines {
		t.Errorf("pm.js printed an extra line %q", line)
	}
	p.waited = true
	if err := p.cmd.Wait(); err != nil {
		t.Fatalf("pm.js: %v; stderr:\n%s", err, p.stderr)
	}
	if os.Getenv("REVIVAL_TEST_LOG") != "" {
		t.Logf("pm.js stderr (slsk-client debug output):\n%s", p.stderr)
	}
}

// syncBuffer is a bytes.Buffer safe for exec's copying goroutine writing
// while a failing test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
