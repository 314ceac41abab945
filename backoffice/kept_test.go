package backoffice_test

import (
	"os"
	"sync"
	"testing"
)

// atExit is what TestMain runs once every test and benchmark is done.
var atExit struct {
	mu  sync.Mutex
	fns []func()
}

// keptTB is a benchmark's testing.TB whose cleanups and temporary
// directories last until the test process ends: a fixture built in one run
// serves every -count run (`make bench` runs each benchmark five times).
type keptTB struct{ testing.TB }

// Cleanup runs f when the test process ends, the last added first.
func (k keptTB) Cleanup(f func()) {
	atExit.mu.Lock()
	defer atExit.mu.Unlock()
	atExit.fns = append(atExit.fns, f)
}

// TempDir is a new directory removed when the test process ends.
func (k keptTB) TempDir() string {
	dir, err := os.MkdirTemp("", "pos-backoffice-bench-")
	if err != nil {
		k.Fatal(err)
	}
	k.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

func TestMain(m *testing.M) {
	code := m.Run()
	atExit.mu.Lock()
	fns := atExit.fns
	atExit.mu.Unlock()
	for i := len(fns) - 1; i >= 0; i-- {
		fns[i]()
	}
	os.Exit(code)
}
