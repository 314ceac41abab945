package printer_test

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/kasir/pos/printer"
)

// queueBatch is the labels queued per benchmark iteration, so that even
// `-benchtime 1x` (make bench) measures a stream of labels, not one.
const queueBatch = 100

// BenchmarkQueueThroughput: labels through the durable queue on the
// terminal's real store (fsynced "queued", "sending" and "sent", the last
// two sharing one write when labels follow each other) to a local test
// printer, each confirmed by DLE EOT before and after (target ≥ 200 labels/s).
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
	var busy time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		for k := 0; k < queueBatch; k++ {
			if _, err := q.Enqueue(printer.Job{Kind: printer.KindLabel, PrinterURL: f.URL(), Data: data}); err != nil {
				b.Fatal(err)
			}
		}
		for printed.Load() < int64((i+1)*queueBatch) {
			time.Sleep(time.Millisecond)
		}
		busy += time.Since(start)
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N*queueBatch)/busy.Seconds(), "labels/s")
	b.ReportMetric(float64(len(data)), "bytes/label")
	if n := f.Count(); n != b.N*queueBatch {
		b.Fatalf("the printer got %d labels for %d jobs", n, b.N*queueBatch)
	}
}
