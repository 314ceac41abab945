package cloud

import (
	"fmt"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/kasir/pos/app"
)

const benchOrders = 100_000

// benchOrder is a realistic order of the benchmark shop; a fifth are still New.
func benchOrder(i int, t0 time.Time) *app.Order {
	st := []app.Status{app.StatusNew, app.StatusReadyToShip, app.StatusInDelivery, app.StatusCompleted, app.StatusCancelled}[i%5]
	o := &app.Order{ID: fmt.Sprint("woocommerce:", i), Channel: app.ChannelWooCommerce, ExternalID: fmt.Sprint(i), Number: fmt.Sprint("WC-", i),
		Status: st, Currency: app.IDR, Total: 135000, CreatedAt: t0.Add(time.Duration(i) * time.Second), UpdatedAt: t0, Version: 1,
		Buyer: app.Buyer{Name: fmt.Sprint("Pembeli ", i), Phone: "0812345678", Address: app.Address{Street: "Jl. Braga 5", City: "Bandung", PostalCode: "40111"}},
		Lines: []app.Line{{SKU: "SKU-1", Name: "Kaos polos hitam", Qty: 2, UnitPrice: 50000}, {SKU: "SKU-2", Name: "Topi", Qty: 1, UnitPrice: 35000}}}
	if st == app.StatusNew {
		o.AcceptBy = o.CreatedAt.Add(24 * time.Hour)
	}
	return o
}

// firstPages times the first page of the list, unfiltered and by status, and reports p99.
func firstPages(b *testing.B, st Backend, shop string) {
	var lats []time.Duration
	filters := []app.Filter{{Limit: 50}, {Limit: 50, Statuses: []app.Status{app.StatusNew}}}
	runtime.GC() // the load's garbage is not the list's
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for k := range 200 {
			start := time.Now()
			page, err := st.FindOrders(shop, filters[k%2])
			lats = append(lats, time.Since(start))
			if err != nil || len(page.Orders) != 50 || page.Total < benchOrders/5 {
				b.Fatalf("page: %d orders of %d, %v", len(page.Orders), page.Total, err)
			}
		}
	}
	b.StopTimer()
	slices.Sort(lats)
	b.ReportMetric(float64(lats[len(lats)*99/100].Microseconds())/1000, "ms/p99")
	b.ReportMetric(float64(lats[len(lats)/2].Microseconds())/1000, "ms/p50")
}

// BenchmarkOrdersListBolt is `pos-cloud orders list`'s first page over
// 100,000 orders of one shop in bbolt.
func BenchmarkOrdersListBolt(b *testing.B) {
	st, err := OpenBolt(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	shop, _ := AddShop(st, "Toko", time.Now())
	t0 := time.Now().Add(-benchOrders * time.Second)
	for start := 0; start < benchOrders; start += 10_000 {
		err := st.Update(shop.ID, func(tx ShopTx) error {
			for i := start; i < start+10_000; i++ {
				if err := tx.PutOrder(benchOrder(i, t0)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	firstPages(b, st, shop.ID)
}
