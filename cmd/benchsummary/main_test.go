package main

import (
	"bytes"
	"strings"
	"testing"
)

const sample = `goos: linux
pkg: github.com/kasir/pos/store
BenchmarkInsertOrders-2   	       1	7259865268 ns/op	     14855 orders/s
BenchmarkSearch-2         	       1	         7.688 buyer-p99-ms	         0 ns/op
BenchmarkInsertOrders-2   	       1	7000000000 ns/op	     30000 orders/s
BenchmarkSearch-2         	       1	         9.5 buyer-p99-ms	         0 ns/op
BenchmarkInsertOrders-2   	       1	7100000000 ns/op	     20000 orders/s
BenchmarkSearch-2         	       1	         3.25 buyer-p99-ms	         0 ns/op
BenchmarkInsertOrders-2   	       1	7100000000 ns/op	     25000 orders/s
PASS
pkg: github.com/kasir/pos/app
BenchmarkSearch-2   	       1	         1 ms/x
`

func TestSummary(t *testing.T) {
	all, failed, err := read(strings.NewReader(sample), nil)
	if err != nil || failed {
		t.Fatal(err, failed)
	}
	var out bytes.Buffer
	write(&out, all)
	got := out.String()
	for _, want := range []string{
		"store  InsertOrders  orders/s  22500  14855  30000     4",
		"store  Search  buyer-p99-ms  7.69  3.25  9.50     3",
		"app  Search  ms/x  1.00  1.00  1.00     1",
	} {
		if !strings.Contains(strings.Join(strings.Fields(got), "  "), strings.Join(strings.Fields(want), "  ")) {
			t.Errorf("summary lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "ns/op  0") {
		t.Errorf("a metric zero in every run is printed:\n%s", got)
	}
}

func TestFailureSeen(t *testing.T) {
	_, failed, _ := read(strings.NewReader(sample+"--- FAIL: BenchmarkX\nFAIL\tgithub.com/kasir/pos/sync\t3.1s\n"), nil)
	if !failed {
		t.Fatal("a failed package was not reported")
	}
}
