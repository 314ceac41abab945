package printer_test

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/kasir/pos/printer"
)

// BenchmarkQueueThroughput: labels through the durable queue on the
// terminal's real store (three fsynced writes per label: queued, sending,
// sent) to a local test printer, each confirmed by DLE EOT (target ≥ 200 labels/s).
func BenchmarkQueueThroughput(b *testing.B) {
	f := newPrinter(b)
	p := preset(b, "label-4in")
	data := labelBytes(b, p, "JP1234567890")
	db := openStore(b, b.TempDir())
	defer db.Close()
	var printed atomic.Int64
	q := printer.NewQueue(db.PrintJobs(), printer.QueueOptions{OnPrinted: func(printer.Job) { printed.Add(1) }})
	if err := q.Start(); err != nil {
		b.Fatal(err)
	}
	defer q.Close()
	start := time.Now()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := q.Enqueue(printer.Job{Kind: printer.KindLabel, PrinterURL: f.URL(), Data: data}); err != nil {
			b.Fatal(err)
		}
	}
	for printed.Load() < int64(b.N) {
		time.Sleep(time.Millisecond)
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "labels/s")
	b.ReportMetric(float64(len(data)), "bytes/label")
	if n := f.Count(); n != b.N {
		b.Fatalf("the printer got %d labels for %d jobs", n, b.N)
	}
}
