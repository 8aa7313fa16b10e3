package sqlstore

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/revival-net/revival/internal/store"
)

// These tests run a second process on the same SQLite file, the way
// `revival user add` runs while `revival serve` holds the database. The
// child is this test binary re-executed with helperEnv set; it runs
// TestHelperProcess, which does what helperEnv names and reports on
// stdout.

const (
	helperEnv  = "SQLSTORE_TEST_HELPER" // "write N" or "add-and-wait"
	helperPath = "SQLSTORE_TEST_PATH"
)

// TestHelperProcess is not a test: it is the child's entry point.
func TestHelperProcess(t *testing.T) {
	mode := os.Getenv(helperEnv)
	if mode == "" {
		t.Skip("helper process entry point")
	}
	ctx := context.Background()
	s, err := Open(ctx, DriverSQLite, os.Getenv(helperPath), nil)
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	if mode == "add-and-wait" {
		id, err := s.Messages().Add(ctx, store.Message{Network: "slsk", From: "child", To: "alice", Text: "survives kill -9"})
		if err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		// The id is the acknowledgement; the parent kills us right after
		// reading it, without Close.
		fmt.Println(id)
		time.Sleep(time.Hour)
		os.Exit(1)
	}
	var n int
	if _, err := fmt.Sscanf(mode, "write %d", &n); err == nil {
		if err := writeMany(ctx, s, "child", n); err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		s.Close()
		fmt.Println("done")
		os.Exit(0)
	}
	fmt.Println("error: unknown mode", mode)
	os.Exit(1)
}

// writeMany does n rounds of single-statement writes and a transaction,
// so both kinds meet the other process's lock.
func writeMany(ctx context.Context, s *Store, who string, n int) error {
	if err := s.Users().Create(ctx, store.User{Name: who}); err != nil {
		return err
	}
	for i := range n {
		if _, err := s.Messages().Add(ctx, store.Message{Network: "slsk", From: who, To: "alice", Text: strconv.Itoa(i)}); err != nil {
			return err
		}
		if err := s.Settings().Set(ctx, who, "n", strconv.Itoa(i)); err != nil {
			return err
		}
		room := store.Room{Network: "slsk", Name: who, Private: true, Owner: who, Members: []string{"m" + strconv.Itoa(i)}}
		if err := s.Rooms().Put(ctx, room); err != nil {
			return err
		}
	}
	return nil
}

func helperCmd(t *testing.T, path, mode string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), helperEnv+"="+mode, helperPath+"="+path)
	cmd.Stderr = os.Stderr
	return cmd
}

// TestTwoProcessesWrite: WAL + busy_timeout + BEGIN IMMEDIATE let two
// processes write the same file at once without SQLITE_BUSY errors.
func TestTwoProcessesWrite(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "shared.db")
	s, err := Open(ctx, DriverSQLite, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	const n = 200
	cmd := helperCmd(t, path, fmt.Sprintf("write %d", n))
	var out []byte
	var childErr error
	var wg sync.WaitGroup
	wg.Go(func() { out, childErr = cmd.Output() })
	if err := writeMany(ctx, s, "parent", n); err != nil {
		t.Errorf("parent: %v", err)
	}
	wg.Wait()
	if childErr != nil || string(out) != "done\n" {
		t.Fatalf("child: %v, output %q", childErr, out)
	}
	checkBothWrote(t, s, n)
}

// TestTwoStoresOneFile is the same inside one process: two *Store (two
// writer connections) on one file, writing concurrently.
func TestTwoStoresOneFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "shared.db")
	var stores [2]*Store
	for i := range stores {
		s, err := Open(ctx, DriverSQLite, path, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		stores[i] = s
	}
	const n = 100
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, who := range []string{"parent", "child"} {
		wg.Go(func() { errs[i] = writeMany(ctx, stores[i], who, n) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range stores {
		checkBothWrote(t, s, n)
	}
}

// checkBothWrote verifies that s sees every write of both writers.
func checkBothWrote(t *testing.T, s *Store, n int) {
	t.Helper()
	ctx := context.Background()
	got, err := s.Messages().CountPending(ctx, "slsk", "alice")
	if err != nil || got != 2*n {
		t.Errorf("CountPending = %d, %v; want %d", got, err, 2*n)
	}
	for _, who := range []string{"parent", "child"} {
		if _, err := s.Users().Get(ctx, who); err != nil {
			t.Errorf("user %s: %v", who, err)
		}
		v, err := s.Settings().Get(ctx, who, "n")
		if err != nil || v != strconv.Itoa(n-1) {
			t.Errorf("%s's setting = %q, %v; want %d", who, v, err, n-1)
		}
		r, err := s.Rooms().Get(ctx, "slsk", who)
		if err != nil || len(r.Members) != 1 || r.Members[0] != "m"+strconv.Itoa(n-1) {
			t.Errorf("%s's room = %+v, %v", who, r, err)
		}
	}
}

// TestKillAfterAdd: "a kill -9 loses nothing that was acknowledged"
// (store.Store). The child adds a message, prints its id and is killed
// without closing the database; the message must be there.
func TestKillAfterAdd(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "kill.db")
	cmd := helperCmd(t, path, "add-and-wait")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	cmd.Process.Kill() // SIGKILL
	cmd.Wait()
	if err != nil {
		t.Fatalf("reading the child's id: %v", err)
	}
	id, err := strconv.ParseInt(line[:len(line)-1], 10, 64)
	if err != nil {
		t.Fatalf("child said %q", line)
	}

	s, err := Open(ctx, DriverSQLite, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.Messages().Pending(ctx, "slsk", "alice", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].ID != id || got[0].Text != "survives kill -9" {
		t.Errorf("after kill -9: pending = %+v, want message %d", got, id)
	}
}
