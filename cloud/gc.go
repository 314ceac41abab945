package cloud

import (
	"os"
	"runtime/debug"
)

// GCPercent is the garbage collector's target bin/pos-cloud runs with,
// unless its operator sets GOGC. A cloud's live heap is small, a few MB,
// while its bursts are not: a sweep of a thousand rejects allocates about
// 25 MB, and at Go's default of 100 the collector ran six times within one
// sweep, its write barriers on for much of it (53 ms a sweep against 41 ms
// at 400, measured alternately). At 400 the heap may grow to five times
// what is live: a cloud holding 200 slow connections stays under 80 MB of
// RSS. A small machine caps it with GOMEMLIMIT.
const GCPercent = 400

// TuneGC sets GCPercent unless GOGC is set. bin/pos-cloud calls it first,
// and the cloud's own tests and benchmarks run under it; the terminal,
// which embeds a cloud in a tablet's memory, keeps Go's default.
func TuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(GCPercent)
	}
}
