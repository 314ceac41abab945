package cloud

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/kasir/pos/app"
)

// sweepOrders and sweepOverdue shape the sweep benchmark's shop: 100,000
// orders with their history, a fifth of them New, of which the 1,000
// oldest are past their accept deadline at sweepNow.
const (
	sweepOrders  = 100_000
	sweepOverdue = 1_000
)

var sweepT0 = time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)

// sweepNow is when exactly sweepOverdue New orders are due: order i is
// created at sweepT0+i s, every fifth is New and due 24 h after creation.
var sweepNow = sweepT0.Add(24*time.Hour + time.Duration(5*sweepOverdue-1)*time.Second)

var (
	sweepOnce sync.Once
	sweepFile string
	sweepShop string
	sweepErr  error
)

// sweepFixture builds the shop's cloud.db once per test process and returns
// the closed file and the shop id; each run sweeps a fresh copy of it.
func sweepFixture(b *testing.B) (string, string) {
	sweepOnce.Do(func() {
		dir, err := os.MkdirTemp("", "pos-cloud-sweep-")
		if err != nil {
			sweepErr = err
			return
		}
		st, err := OpenBolt(dir)
		if err != nil {
			sweepErr = err
			return
		}
		defer st.Close()
		shop, err := AddShop(st, "Toko", sweepT0)
		if err != nil {
			sweepErr = err
			return
		}
		sweepShop = shop.ID
		for start := 0; start < sweepOrders; start += 10_000 {
			err := st.Update(shop.ID, func(tx ShopTx) error {
				for i := start; i < start+10_000; i++ {
					o := sweepOrder(i)
					if err := tx.PutOrder(o); err != nil {
						return err
					}
					// Every order came in through a channel and holds that in
					// its history, beside which the sweep writes its reject.
					placed := app.Event{Version: 1, At: o.CreatedAt, Actor: app.ChannelActor(string(o.Channel)), Action: app.ActionPlace, To: o.Status}
					if err := tx.AppendEvent(o.ID, placed); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				sweepErr = err
				return
			}
		}
		sweepFile = filepath.Join(dir, "cloud.db")
	})
	if sweepErr != nil {
		b.Fatal(sweepErr)
	}
	return sweepFile, sweepShop
}

// sweepOrder is order i of the benchmark shop, a marketplace order of two lines.
func sweepOrder(i int) *app.Order {
	st := []app.Status{app.StatusNew, app.StatusReadyToShip, app.StatusInDelivery, app.StatusCompleted, app.StatusCancelled}[i%5]
	created := sweepT0.Add(time.Duration(i) * time.Second)
	// A shop's order numbers rise and, over 100,000 orders, have as many digits.
	ext := fmt.Sprint(100_000 + i)
	o := &app.Order{ID: app.ChannelOrderID(app.ChannelWooCommerce, ext), Channel: app.ChannelWooCommerce, ExternalID: ext, Number: "WC-" + ext,
		Status: st, Currency: app.IDR, Total: 135000, CreatedAt: created, UpdatedAt: created, Version: 1,
		PaymentMethod: app.PayMarketplace, PaymentStatus: app.PaymentUnpaid,
		Buyer: app.Buyer{Name: fmt.Sprint("Pembeli ", i), Phone: "0812345678", Address: app.Address{Street: "Jl. Braga 5", City: "Bandung", PostalCode: "40111"}},
		Lines: []app.Line{{SKU: "SKU-1", Name: "Kaos polos hitam", Qty: 2, UnitPrice: 50000}, {SKU: "SKU-2", Name: "Topi", Qty: 1, UnitPrice: 35000}}}
	if st == app.StatusNew {
		o.AcceptBy = created.Add(24 * time.Hour)
	}
	return o
}

// BenchmarkAutoRejectSweep times the sweep the product runs: the cloud,
// the authority for deadlines, reads its deadline index up to now and
// auto-rejects the due orders through the apply-and-log path, on its bbolt
// store of 100,000 orders of which 1,000 are overdue. Target ≤ 50 ms.
func BenchmarkAutoRejectSweep(b *testing.B) {
	src, shop := sweepFixture(b)
	var total, cpu time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		dir := b.TempDir()
		if err := copySynced(src, filepath.Join(dir, "cloud.db")); err != nil {
			b.Fatal(err)
		}
		st, err := OpenBolt(dir)
		if err != nil {
			b.Fatal(err)
		}
		srv := NewServer(st, Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: func() time.Time { return sweepNow }})
		// A running cloud sweeps from a steady heap, not amid the fixture's garbage.
		runtime.GC()
		b.StartTimer()
		start, cpu0 := time.Now(), processCPU()
		n, err := srv.SweepOverdue(sweepNow)
		total += time.Since(start)
		cpu += processCPU() - cpu0
		b.StopTimer()
		if err != nil || n != sweepOverdue {
			b.Fatalf("rejected %d, %v", n, err)
		}
		// The deadline index holds no due order any more.
		var due []string
		if due, err = st.DueForAutoReject(shop, sweepNow, 10); err != nil || len(due) != 0 {
			b.Fatalf("still due after the sweep: %v, %v", due, err)
		}
		st.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms/sweep-100k-1k-overdue")
	// The CPU the sweep used: on a machine shared with other builds the
	// wall time above waits for a core, this does not.
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/sweep")
	b.ReportMetric(0, "ns/op")
}

// copySynced copies a file and syncs the copy, so the sweep's first commit
// does not pay for flushing the copied file to disk. The kernel copies it
// (copy_file_range): read into the heap, the file's 400 MB would leave the
// runtime returning memory to the OS during the timed sweep.
func copySynced(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	f, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, src); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// processCPU is the CPU time this process has used, user and system.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// removeSweepFixture deletes the fixture once every test has run.
func removeSweepFixture() {
	if sweepFile != "" {
		os.RemoveAll(filepath.Dir(sweepFile))
	}
}
