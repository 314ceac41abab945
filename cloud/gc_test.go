package cloud

import (
	"runtime/debug"
	"testing"
)

// bin/pos-cloud collects garbage at GCPercent unless its operator chose
// otherwise with GOGC.
func TestTuneGCLeavesTheOperatorsChoice(t *testing.T) {
	was := debug.SetGCPercent(100)
	defer debug.SetGCPercent(was)

	t.Setenv("GOGC", "")
	TuneGC()
	if got := debug.SetGCPercent(100); got != GCPercent {
		t.Errorf("with no GOGC the collector runs at %d, want %d", got, GCPercent)
	}
	t.Setenv("GOGC", "150")
	TuneGC()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("with GOGC set, TuneGC changed the collector's target to %d", got)
	}
}
