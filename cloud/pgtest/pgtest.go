// Package pgtest starts a throwaway PostgreSQL for tests of any package
// that keeps data in the cloud's PostgreSQL backend.
package pgtest

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"testing"
)

// Bin is where Debian's PostgreSQL 15 keeps its programs.
const Bin = "/usr/lib/postgresql/15/bin"

// Start runs a throwaway PostgreSQL 15 on a free loopback port and returns
// its DSN. PostgreSQL refuses to run as root, so as root it runs as the
// postgres user. It skips when the binaries are absent, except under
// CI=true, where a missing PostgreSQL fails: CI must not pass by skipping.
func Start(t testing.TB) string {
	t.Helper()
	missing := t.Skipf
	if os.Getenv("CI") == "true" {
		missing = t.Fatalf
	}
	if _, err := os.Stat(filepath.Join(Bin, "initdb")); err != nil {
		missing("PostgreSQL 15 is not installed (%s/initdb missing): apt-get install postgresql-15 to run the PostgreSQL tests", Bin)
	}
	dir, err := os.MkdirTemp("", "pos-pg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	var wrap []string
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			missing("running as root and there is no postgres user to run PostgreSQL as: %v", err)
		}
		if out, err := exec.Command("chown", "-R", u.Uid+":"+u.Gid, dir).CombinedOutput(); err != nil {
			t.Fatalf("chown: %v %s", err, out)
		}
		wrap = []string{"runuser", "-u", "postgres", "--"}
	}
	run := func(name string, args ...string) {
		t.Helper()
		argv := append(append(append([]string{}, wrap...), filepath.Join(Bin, name)), args...)
		cmd := exec.Command(argv[0], argv[1:]...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", name, err, out)
		}
	}
	data := filepath.Join(dir, "data")
	run("initdb", "-D", data, "-A", "trust", "-U", "pos", "--no-sync")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	run("pg_ctl", "-D", data, "-l", filepath.Join(dir, "log"), "-w", "-o",
		fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off", port, dir), "start")
	t.Cleanup(func() { run("pg_ctl", "-D", data, "-m", "immediate", "stop") })
	return fmt.Sprintf("postgres://pos@127.0.0.1:%d/postgres?sslmode=disable", port)
}
