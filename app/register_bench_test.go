package app_test

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/store"
)

// BenchmarkReport90Days builds the profit report for 90 days over 100,000
// transactions: in-store sales (some refunded) and online orders completed
// in the range, every one counted.
func BenchmarkReport90Days(b *testing.B) {
	_, db, now := copiedStore(b, "report-90d-100k", func(db *store.DB) { fillReport(b, db) })
	runtime.GC()
	rng := app.LastDays(90, now, app.DefaultPolicy().Zone())
	b.ResetTimer()
	var total time.Duration
	for i := 0; i < b.N; i++ {
		start := time.Now()
		rep, err := app.ReportFrom(db, rng, app.IDR)
		total += time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		if rep.Total.Orders != 100_000 {
			b.Fatalf("report counted %d of 100000", rep.Total.Orders)
		}
	}
	b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms/report-90d-100k")
}

// fillReport writes the report's 100,000 transactions of the last 90 days.
func fillReport(b testing.TB, db *store.DB) {
	now := t0
	orders := make([]*app.Order, 0, 100_000)
	for i := 0; i < 100_000; i++ {
		at := now.Add(-time.Duration(i%(89*24)) * time.Hour)
		o := &app.Order{ID: fmt.Sprintf("r%07d", i), Number: fmt.Sprintf("N-%07d", i), Currency: app.IDR, Status: app.StatusCompleted,
			CreatedAt: at, UpdatedAt: at, Version: 1, PaymentStatus: app.PaymentPaid, Total: 30000,
			Lines: []app.Line{{SKU: fmt.Sprintf("SKU-%03d", i%20+1), Name: "Produk", Qty: 3, UnitPrice: 10000, UnitCost: 6000, Linked: true}}}
		if i%2 == 0 {
			o.Channel = app.ChannelInStore
			o.Sale = &app.SaleInfo{ShiftID: "S1"}
			o.Payments = []app.Payment{{Method: app.PayCash, Amount: 30000}}
			if i%50 == 0 {
				o.Refunds = []app.Refund{{At: at, Amount: 10000, Method: app.PayCash, Lines: []app.RefundLine{{Line: 1, Qty: 1, Amount: 10000, Cost: 6000}}}}
			}
		} else {
			o.Channel = app.Channels[i%6]
			o.ExternalID = fmt.Sprintf("X%07d", i)
			o.CompletedAt = at
		}
		orders = append(orders, o)
	}
	if err := db.InsertOrders(orders); err != nil {
		b.Fatal(err)
	}
}

var _ app.ReportSource = (*store.DB)(nil)
