package cloud

import "sync"

// atExit is what TestMain runs once every test and benchmark is done.
var atExit struct {
	mu  sync.Mutex
	fns []func()
}

// AtExit runs f when the test process ends, the last added first: a
// benchmark's fixture built once serves every -count run, and is removed then.
func AtExit(f func()) {
	atExit.mu.Lock()
	defer atExit.mu.Unlock()
	atExit.fns = append(atExit.fns, f)
}

// runAtExit runs what AtExit was given.
func runAtExit() {
	atExit.mu.Lock()
	fns := atExit.fns
	atExit.fns = nil
	atExit.mu.Unlock()
	for i := len(fns) - 1; i >= 0; i-- {
		fns[i]()
	}
}
