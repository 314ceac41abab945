package cloud

import (
	"context"
	"io"
)

// The tests of package cloud run on the real bbolt backend (cloud/bolt) and
// the real HTTP face (cloud/web). Their files cannot import those packages,
// which import cloud; the external test package can, and hands them over
// from init (wiring_test.go), so every test here runs what the
// binaries run.
var (
	openTestBackend BoltOpener
	testHTTP        TestHTTP
)

// TestHTTP is cloud/web's serving functions, for the tests.
type TestHTTP struct {
	Serve          func(ctx context.Context, s *Server, addr, certFile, keyFile string, ready func(addr string)) error
	ServeAdmin     func(ctx context.Context, s *Server, dir string) error
	ServeWithAdmin ServeFunc
}

// SetTestBackend is how the external test package hands over cloud/bolt's opener.
func SetTestBackend(open BoltOpener) { openTestBackend = open }

// SetTestHTTP is how the external test package hands over cloud/web's serving functions.
func SetTestHTTP(h TestHTTP) { testHTTP = h }

// OpenBolt opens a bbolt backend in dir, for a test.
func OpenBolt(dir string) (Backend, error) {
	if openTestBackend == nil {
		panic("cloud tests: no bbolt backend wired (wiring_test.go sets it)")
	}
	return openTestBackend(dir)
}

// Serve is cloud/web.Serve on s, for a test.
func (s *Server) Serve(ctx context.Context, addr, certFile, keyFile string, ready func(addr string)) error {
	return testHTTP.Serve(ctx, s, addr, certFile, keyFile, ready)
}

// ServeAdmin is cloud/web.ServeAdmin on s, for a test.
func (s *Server) ServeAdmin(ctx context.Context, dir string) error {
	return testHTTP.ServeAdmin(ctx, s, dir)
}

// testWiring is the wiring of bin/pos without PostgreSQL, for the tests
// that run the command line.
func testWiring() Wiring {
	return Wiring{Bolt: OpenBolt, Serve: func(ctx context.Context, s *Server, dir, addr, certFile, keyFile string, ready func(addr string)) error {
		return testHTTP.ServeWithAdmin(ctx, s, dir, addr, certFile, keyFile, ready)
	}}
}

// runCommand is the command line (cloud/command.Main), which imports
// cloud; the external test package hands it over like the backend.
var runCommand func(ctx context.Context, w Wiring, args []string, stdout, stderr io.Writer) int

// SetTestCommand is how the external test package hands over cloud/command.Main.
func SetTestCommand(main func(ctx context.Context, w Wiring, args []string, stdout, stderr io.Writer) int) {
	runCommand = main
}

// Main is bin/pos-cloud over bbolt alone, for the tests that run its commands.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if runCommand == nil {
		panic("cloud tests: no command line wired (wiring_test.go sets it)")
	}
	return runCommand(ctx, testWiring(), args, stdout, stderr)
}
