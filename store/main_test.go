package store

import (
	"fmt"
	"os"
	"testing"
	"time"
)

// Child-process roles: the test binary re-executes itself with one of these
// set, to hold or race for the file lock, or to be killed mid-write.
const (
	envOpenDir  = "STORE_TEST_OPEN_DIR"
	envCrashDir = "STORE_TEST_CRASH_DIR"
)

func TestMain(m *testing.M) {
	if dir := os.Getenv(envOpenDir); dir != "" {
		childOpen(dir)
		return
	}
	if dir := os.Getenv(envCrashDir); dir != "" {
		childCrash(dir)
		return
	}
	code := m.Run()
	cleanupBenchFixture()
	os.Exit(code)
}

// childOpen tries to open dir and prints the outcome and how long it took.
func childOpen(dir string) {
	start := time.Now()
	db, err := Open(dir)
	if err == nil {
		db.Close()
		fmt.Printf("opened\n")
		os.Exit(0)
	}
	fmt.Printf("%d\n%s\n", time.Since(start).Milliseconds(), err)
	os.Exit(0)
}

// childCrash inserts batches of crashBatch orders until it is killed,
// printing each committed batch.
func childCrash(dir string) {
	db, err := Open(dir)
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	base := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	for b := 0; ; b++ {
		orders := fakeOrders(int64(b), crashBatch, base)
		for i, o := range orders {
			o.ID = fmt.Sprintf("crash-%05d-%04d", b, i)
			o.ExternalID = o.ID
		}
		if err := db.InsertOrders(orders); err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		fmt.Printf("batch %d\n", b)
	}
}

const crashBatch = 250

// openTest opens a store in a fresh temp dir and closes it after the test.
func openTest(t testing.TB) *DB {
	t.Helper()
	db, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func mustConsistent(t testing.TB, db *DB) {
	t.Helper()
	if err := db.CheckConsistency(); err != nil {
		t.Fatal(err)
	}
}
