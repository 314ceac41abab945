package store

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// The pid file says who holds the data file. bbolt's flock is the lock
// itself: it dies with the process, so a stale pid file never blocks anyone,
// and it is only rewritten by the process that holds the lock.

// PIDFileName is the name of the file that records the holder of the data file.
const PIDFileName = "pos.pid"

// holder is what the pid file records.
type holder struct {
	PID     int
	Program string
	Since   time.Time
}

// writePIDFile records this process as the holder, atomically, so a reader
// never sees half a file.
func writePIDFile(dir string) error {
	h := holder{PID: os.Getpid(), Program: filepath.Base(os.Args[0]), Since: time.Now()}
	body := fmt.Sprintf("%d\n%s\n%s\n", h.PID, h.Program, h.Since.Format(time.RFC3339))
	tmp := filepath.Join(dir, PIDFileName+".tmp")
	if err := os.WriteFile(tmp, []byte(body), 0o600); err != nil {
		return fmt.Errorf("store: writing %s: %w", tmp, err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, PIDFileName)); err != nil {
		return fmt.Errorf("store: writing %s: %w", filepath.Join(dir, PIDFileName), err)
	}
	return nil
}

// removePIDFile removes the pid file if it still names this process.
func removePIDFile(dir string) {
	path := filepath.Join(dir, PIDFileName)
	if h, ok := readPIDFile(dir); ok && h.PID == os.Getpid() {
		_ = os.Remove(path)
	}
}

// readPIDFile reads the holder; ok is false when the file is missing or garbled.
func readPIDFile(dir string) (holder, bool) {
	b, err := os.ReadFile(filepath.Join(dir, PIDFileName))
	if err != nil {
		return holder{}, false
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) < 3 {
		return holder{}, false
	}
	pid, err := strconv.Atoi(strings.TrimSpace(lines[0]))
	if err != nil {
		return holder{}, false
	}
	since, err := time.Parse(time.RFC3339, strings.TrimSpace(lines[2]))
	if err != nil {
		return holder{}, false
	}
	return holder{PID: pid, Program: strings.TrimSpace(lines[1]), Since: since}, true
}

// inUseError tells staff which program holds the data directory and what to do.
func inUseError(dir string) error {
	h, ok := readPIDFile(dir)
	if !ok {
		return fmt.Errorf("data directory %s is in use by another process; stop it or use --data", dir)
	}
	since := h.Since.Local()
	when := since.Format("15:04")
	if y, m, d := since.Date(); y != time.Now().Year() || m != time.Now().Month() || d != time.Now().Day() {
		when = since.Format("2006-01-02 15:04")
	}
	return fmt.Errorf("data directory %s is in use by %s (pid %d, since %s); stop it or use --data", dir, h.Program, h.PID, when)
}
