package app_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	stdsync "sync"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/store"
)

// fixture writes n orders straight into a store: statuses cycle, creation
// times spread over 90 days, and the first `overdue` New orders are past
// their accept deadline. A store of the same shape is built once per test
// process and copied: `make bench` runs each benchmark five times.
func fixture(b testing.TB, n, overdue int) (*app.Service, *store.DB, time.Time) {
	b.Helper()
	return copiedStore(b, fmt.Sprintf("orders-%d-%d", n, overdue), func(db *store.DB) { fillOrders(b, db, n, overdue) })
}

// copiedStore opens a copy of the store that fill wrote, built once per
// test process under key, so what a run changes does not reach the next.
func copiedStore(b testing.TB, key string, fill func(*store.DB)) (*app.Service, *store.DB, time.Time) {
	b.Helper()
	src := fixtureFile(b, key, fill)
	dir := b.TempDir()
	if err := copyFile(src, filepath.Join(dir, store.FileName)); err != nil {
		b.Fatal(err)
	}
	db, err := store.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	svc := app.NewService(db, app.DefaultPolicy(), app.WithClock(func() time.Time { return t0 }))
	return svc, db, t0
}

var (
	fixtureMu    stdsync.Mutex
	fixtureFiles = map[string]string{}
)

// fixtureFile builds the store named key once, with the test catalogue and
// what fill writes, and returns its closed file.
func fixtureFile(b testing.TB, key string, fill func(*store.DB)) string {
	fixtureMu.Lock()
	defer fixtureMu.Unlock()
	if f, ok := fixtureFiles[key]; ok {
		return f
	}
	dir, err := os.MkdirTemp("", "pos-app-bench-")
	if err != nil {
		b.Fatal(err)
	}
	_, db, _ := newServiceIn(b, dir)
	fill(db)
	if err := db.Close(); err != nil {
		b.Fatal(err)
	}
	f := filepath.Join(dir, store.FileName)
	fixtureFiles[key] = f
	return f
}

// fillOrders writes n orders: statuses cycle, creation times spread over
// 90 days, and the first `overdue` New orders are past their accept deadline.
func fillOrders(b testing.TB, db *store.DB, n, overdue int) {
	orders := make([]*app.Order, 0, n)
	late := 0
	for i := 0; i < n; i++ {
		created := t0.Add(-time.Duration(i%(90*24)) * time.Hour)
		o := &app.Order{ID: fmt.Sprintf("o%07d", i), Channel: app.Channels[i%7], ExternalID: fmt.Sprintf("X%07d", i), Number: fmt.Sprintf("N-%07d", i),
			Currency: app.IDR, Status: app.Statuses[i%len(app.Statuses)], CreatedAt: created, UpdatedAt: created, Version: 1,
			Buyer:         app.Buyer{Name: fmt.Sprintf("Pembeli %d", i), Phone: fmt.Sprintf("0812%07d", i)},
			Lines:         []app.Line{{SKU: fmt.Sprintf("SKU-%03d", i%20+1), Name: "Produk", Qty: 1 + i%3, UnitPrice: 10000, Linked: true}},
			PaymentStatus: app.PaymentUnpaid, Total: 30000}
		if o.Status == app.StatusNew {
			o.AcceptBy = t0.Add(time.Duration(1+i%48) * time.Hour)
			if late < overdue {
				o.AcceptBy = t0.Add(-time.Minute)
				late++
			}
		}
		orders = append(orders, o)
	}
	if err := db.InsertOrders(orders); err != nil {
		b.Fatal(err)
	}
}

func copyFile(from, to string) error {
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, data, 0o600)
}

// BenchmarkBulkAccept100 accepts 100 New orders with stock allocation; each
// chunk commits (fsync) before the next starts, so the figure is durable.
func BenchmarkBulkAccept100(b *testing.B) {
	var total time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		svc, _, _ := newService(b)
		ids := placeNew(b, svc, 100)
		b.StartTimer()
		start := time.Now()
		out, err := svc.Bulk(context.Background(), ids, app.Command{Action: app.ActionAccept}, owner, nil)
		total += time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		for _, o := range out {
			if !o.Done {
				b.Fatal(o.Error)
			}
		}
	}
	b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms/bulk-accept-100")
}

// BenchmarkExportCSV90Days exports 90 days of a 100,000-order store.
func BenchmarkExportCSV90Days(b *testing.B) {
	svc, _, now := fixture(b, 100_000, 0)
	b.ResetTimer()
	rows := 0
	start := time.Now()
	for i := 0; i < b.N; i++ {
		n, err := svc.ExportCSV(io.Discard, now.AddDate(0, 0, -91), now.Add(time.Hour))
		if err != nil {
			b.Fatal(err)
		}
		rows += n
	}
	b.ReportMetric(float64(rows)/time.Since(start).Seconds(), "rows/s")
}

func TestMain(m *testing.M) {
	code := m.Run()
	for _, f := range fixtureFiles {
		os.RemoveAll(filepath.Dir(f))
	}
	os.Exit(code)
}
