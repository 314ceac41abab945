package cloud

import (
	"context"
	"io"
)

// openTestBackend opens the real bbolt backend (cloud/bolt) for the tests of
// package cloud. Their files cannot import cloud/bolt, which imports cloud;
// the external test package can, and sets it from init (bolt_wiring_test.go),
// so every test here runs on the backend the binaries run on.
var openTestBackend BoltOpener

// SetTestBackend is how the external test package hands over cloud/bolt's opener.
func SetTestBackend(open BoltOpener) { openTestBackend = open }

// OpenBolt opens a bbolt backend in dir, for a test.
func OpenBolt(dir string) (Backend, error) {
	if openTestBackend == nil {
		panic("cloud tests: no bbolt backend wired (bolt_wiring_test.go sets it)")
	}
	return openTestBackend(dir)
}

// testWiring is the wiring of bin/pos without PostgreSQL, for the tests
// that run the command line or the embedded cloud.
func testWiring() Wiring { return Wiring{Bolt: OpenBolt} }

// Main is bin/pos-cloud over bbolt alone, for the tests that run its commands.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return testWiring().Main(ctx, args, stdout, stderr)
}
