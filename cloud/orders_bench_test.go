package cloud

import (
	"fmt"
	"os"
	"runtime"
	"slices"
	"sync"
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

// searchQueries are the back office's searches over the benchmark shop, by
// what is typed: an order number, a buyer, a SKU and a product name (the
// last two match every order, so their total counts 100,000), one with a
// status tab open.
var searchQueries = []struct {
	kind string
	f    app.Filter
	min  int // fewest matches
}{
	{"number", app.Filter{Text: "WC-54321", Limit: 50}, 1},
	{"buyer", app.Filter{Text: "pembeli 4242", Limit: 50}, 11},
	{"sku", app.Filter{Text: "SKU-2", Limit: 50}, benchOrders},
	{"name", app.Filter{Text: "kaos", Limit: 50}, benchOrders},
	{"name", app.Filter{Text: "kaos hitam", Limit: 50, Statuses: []app.Status{app.StatusNew}}, benchOrders / 5},
}

// searchPages times the first page of each search, and reports p99 over
// all of them and for each kind.
func searchPages(b *testing.B, st Backend, shop string) {
	lats := map[string][]time.Duration{}
	runtime.GC()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for k := range 200 {
			q := searchQueries[k%len(searchQueries)]
			start := time.Now()
			page, err := st.FindOrders(shop, q.f)
			d := time.Since(start)
			lats[q.kind] = append(lats[q.kind], d)
			lats[""] = append(lats[""], d)
			if err != nil || len(page.Orders) != min(q.min, 50) || page.Total < q.min {
				b.Fatalf("%q: %d orders of %d, %v", q.f.Text, len(page.Orders), page.Total, err)
			}
		}
	}
	b.StopTimer()
	for kind, l := range lats {
		slices.Sort(l)
		unit := "ms/p99"
		if kind != "" {
			unit += "_" + kind
		} else {
			b.ReportMetric(float64(l[len(l)/2].Microseconds())/1000, "ms/p50")
		}
		b.ReportMetric(float64(l[len(l)*99/100].Microseconds())/1000, unit)
	}
}

// BenchmarkOrdersSearchBolt is `pos-cloud orders list --q` over 100,000
// orders of one shop in bbolt.
func BenchmarkOrdersSearchBolt(b *testing.B) {
	st, shop := boltBenchShop(b)
	searchPages(b, st, shop)
}

// boltBench is the benchmark shop's orders in bbolt, loaded once per test
// process: `make bench` runs each benchmark five times, and the searches and
// lists over it only read it.
var boltBench struct {
	mu   sync.Mutex
	st   Backend
	shop string
}

// boltBenchShop is the store holding the benchmark shop's orders, and the shop.
func boltBenchShop(b *testing.B) (Backend, string) {
	boltBench.mu.Lock()
	defer boltBench.mu.Unlock()
	if boltBench.st != nil {
		return boltBench.st, boltBench.shop
	}
	dir, err := os.MkdirTemp("", "pos-cloud-bench-")
	if err != nil {
		b.Fatal(err)
	}
	AtExit(func() { os.RemoveAll(dir) })
	st, err := OpenBolt(dir)
	if err != nil {
		b.Fatal(err)
	}
	AtExit(func() { st.Close() })
	shop, err := AddShop(st, "Toko", time.Now())
	if err != nil {
		b.Fatal(err)
	}
	loadBench(b, st, shop.ID)
	boltBench.st, boltBench.shop = st, shop.ID
	return st, shop.ID
}

// loadBench puts the benchmark shop's orders, 10,000 a transaction.
func loadBench(b *testing.B, st Backend, shop string) {
	t0 := time.Now().Add(-benchOrders * time.Second)
	for start := 0; start < benchOrders; start += 10_000 {
		err := st.Update(shop, func(tx ShopTx) error {
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
}

// BenchmarkOrdersListBolt is `pos-cloud orders list`'s first page over
// 100,000 orders of one shop in bbolt.
func BenchmarkOrdersListBolt(b *testing.B) {
	st, shop := boltBenchShop(b)
	firstPages(b, st, shop)
}
