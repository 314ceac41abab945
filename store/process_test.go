package store

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/kasir/pos/app"
)

// child re-executes the test binary in one of TestMain's child roles.
func child(t *testing.T, env string, dir string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), env+"="+dir)
	return cmd
}

func TestLockErrorNamesHolder(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out, err := child(t, envOpenDir, dir).CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	lines := strings.SplitN(strings.TrimSpace(string(out)), "\n", 2)
	if len(lines) != 2 {
		t.Fatalf("child opened a locked file: %s", out)
	}
	ms, _ := strconv.Atoi(lines[0])
	msg := lines[1]
	if ms > 2500 {
		t.Errorf("the lock error took %d ms", ms)
	}
	wantPID := fmt.Sprintf("pid %d", os.Getpid())
	for _, w := range []string{"data directory " + db.Dir() + " is in use by ", wantPID, "since ", "stop it or use --data"} {
		if !strings.Contains(msg, w) {
			t.Errorf("lock error %q does not say %q", msg, w)
		}
	}
	// Once the holder closes, the next process gets in.
	db.Close()
	out, _ = child(t, envOpenDir, dir).CombinedOutput()
	if strings.TrimSpace(string(out)) != "opened" {
		t.Fatalf("after close the child got: %s", out)
	}
}

func TestStalePIDFileIgnored(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(dir+"/"+PIDFileName, []byte("999999\nghost\n2020-01-01T00:00:00Z\n"), 0o600)
	db, err := Open(dir)
	if err != nil {
		t.Fatalf("a stale pid file blocked open: %v", err)
	}
	defer db.Close()
	h, ok := readPIDFile(dir)
	if !ok || h.PID != os.Getpid() {
		t.Fatalf("pid file not rewritten: %+v", h)
	}
}

func TestCrashMidBatch(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns a child process")
	}
	dir := t.TempDir()
	cmd := child(t, envCrashDir, dir)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stdout)
	batches := 0
	for batches < 4 && lines.Scan() {
		if strings.HasPrefix(lines.Text(), "error") {
			t.Fatal(lines.Text())
		}
		batches++
	}
	// Land the kill somewhere inside the next batch's transaction.
	time.Sleep(time.Duration(time.Now().UnixNano()%15) * time.Millisecond)
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()

	db, err := Open(dir)
	if err != nil {
		t.Fatalf("reopen after SIGKILL: %v", err)
	}
	defer db.Close()
	mustConsistent(t, db)
	p, err := db.FindOrders(app.Filter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if p.Total%crashBatch != 0 || p.Total < batches*crashBatch {
		t.Fatalf("%d orders after the crash: not whole batches of %d (saw %d batches commit)", p.Total, crashBatch, batches)
	}
	t.Logf("%d orders (%d batches) survived the kill", p.Total, p.Total/crashBatch)
}
