package backoffice_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/backoffice"
	"github.com/kasir/pos/cloud"
)

const benchOrders = 100_000

// benchOrder is one of the benchmark shop's orders over the last 90 days;
// a fifth of them are New and a fifth were completed.
func benchOrder(i int, t0 time.Time) *app.Order {
	st := []app.Status{app.StatusNew, app.StatusReadyToShip, app.StatusInDelivery, app.StatusCompleted, app.StatusCancelled}[i%5]
	created := t0.Add(time.Duration(i) * 90 * 24 * time.Hour / benchOrders)
	o := &app.Order{ID: fmt.Sprint("woocommerce:", i), Channel: app.ChannelWooCommerce, ExternalID: fmt.Sprint(i), Number: fmt.Sprint("WC-", i),
		Status: st, Currency: app.IDR, Total: 150000, ShippingFee: 15000, CreatedAt: created, UpdatedAt: created, Version: 1,
		Buyer: app.Buyer{Name: fmt.Sprint("Pembeli ", i), Phone: "0812345678", Address: app.Address{Street: "Jl. Braga 5", City: "Bandung", PostalCode: "40111"}},
		Lines: []app.Line{{SKU: "SKU-1", Name: "Kaos polos hitam", Qty: 2, UnitPrice: 50000, UnitCost: 30000}, {SKU: "SKU-2", Name: "Topi", Qty: 1, UnitPrice: 35000, UnitCost: 15000}}}
	if st == app.StatusNew {
		o.AcceptBy = time.Now().Add(24 * time.Hour)
	}
	if st == app.StatusCompleted {
		o.CompletedAt = created.Add(48 * time.Hour)
	}
	return o
}

// loadOrders stores benchOrders orders in the test cloud's shop.
func loadOrders(b *testing.B, tc *testCloud) time.Time {
	t0 := time.Now().Add(-90 * 24 * time.Hour)
	for start := 0; start < benchOrders; start += 10_000 {
		err := tc.store.Update(tc.shop.ID, func(tx cloud.ShopTx) error {
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
	runtime.GC()
	return t0
}

// sessionCookie signs in over HTTP and returns the session cookie.
func sessionCookie(b *testing.B, tc *testCloud, email string) *http.Cookie {
	br := newBrowser(b, tc.url)
	br.signIn(email)
	u, _ := url.Parse(tc.url + "/backoffice/")
	for _, c := range br.c.Jar.Cookies(u) {
		if c.Name == "kasir_bo" {
			return c
		}
	}
	b.Fatal("no session cookie")
	return nil
}

func p50(lats []time.Duration) float64 {
	slices.Sort(lats)
	return float64(lats[len(lats)/2].Microseconds()) / 1000
}

func p99(lats []time.Duration) float64 {
	slices.Sort(lats)
	return float64(lats[len(lats)*99/100].Microseconds()) / 1000
}

// loadOrdersPostgres stores benchOrders orders with COPY, in the shape the
// PostgreSQL backend's PutOrder writes them (row, indexed columns, counts,
// search words).
func loadOrdersPostgres(b *testing.B, tc *testCloud) time.Time {
	pool := tc.store.(interface{ Pool() *pgxpool.Pool }).Pool()
	t0 := time.Now().Add(-90 * 24 * time.Hour)
	rows := make([][]any, 0, benchOrders)
	counts := map[app.Status]int{}
	for i := range benchOrders {
		o := benchOrder(i, t0)
		data, _ := json.Marshal(o)
		var deadline any
		if o.Status == app.StatusNew {
			deadline = o.AcceptBy
		}
		rows = append(rows, []any{tc.shop.ID, o.ID, string(o.Channel), o.ExternalID, string(data), string(o.Status), o.Number, o.CreatedAt, deadline})
		counts[o.Status]++
	}
	ctx := context.Background()
	if _, err := pool.CopyFrom(ctx, pgx.Identifier{"orders"}, []string{"shop", "id", "channel", "external_id", "data", "status", "number", "created_at", "accept_by"}, pgx.CopyFromRows(rows)); err != nil {
		b.Fatal(err)
	}
	for s, n := range counts {
		if _, err := pool.Exec(ctx, `INSERT INTO order_counts (shop, status, n) VALUES ($1, $2, $3)`, tc.shop.ID, string(s), n); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := pool.Exec(ctx, `ANALYZE orders`); err != nil {
		b.Fatal(err)
	}
	// The search index's rows, as PutOrder writes them.
	if err := tc.store.(interface{ FillSearchIndex(context.Context) error }).FillSearchIndex(ctx); err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	return t0
}

// benchCloud is a running cloud holding the benchmark shop's 100,000
// orders, with an owner signed in.
type benchCloud struct {
	*testCloud
	t0     time.Time // the oldest order's day
	cookie *http.Cookie
}

// benchClouds are the loaded clouds by backend, started once per test
// process: `make bench` runs each benchmark five times, and the orders
// page and the report only read the orders.
var benchClouds struct {
	mu sync.Mutex
	m  map[string]*benchCloud
}

// loadedCloud is the cloud on backend ("bolt" or "postgres") holding the
// benchmark shop's orders.
func loadedCloud(b *testing.B, backend string) *benchCloud {
	benchClouds.mu.Lock()
	defer benchClouds.mu.Unlock()
	if bc := benchClouds.m[backend]; bc != nil {
		return bc
	}
	tc := startCloudOn(keptTB{b}, backend)
	email := tc.addOwner(b, "owner@toko.test", tc.shop.ID, backoffice.RoleOwner)
	var t0 time.Time
	if backend == "postgres" {
		t0 = loadOrdersPostgres(b, tc)
	} else {
		t0 = loadOrders(b, tc)
	}
	bc := &benchCloud{testCloud: tc, t0: t0, cookie: sessionCookie(b, tc, email)}
	if benchClouds.m == nil {
		benchClouds.m = map[string]*benchCloud{}
	}
	benchClouds.m[backend] = bc
	return bc
}

// BenchmarkOrdersPage is the server's time for the orders page (the New
// tab with every tab's count, and a search by number) over 100,000 orders in bbolt.
func BenchmarkOrdersPage(b *testing.B) {
	ordersPage(b, loadedCloud(b, "bolt"))
}

// BenchmarkOrdersPagePostgres is the same with the shop, its orders and the
// back office's sessions in PostgreSQL.
func BenchmarkOrdersPagePostgres(b *testing.B) {
	ordersPage(b, loadedCloud(b, "postgres"))
}

func ordersPage(b *testing.B, tc *benchCloud) {
	cookie := tc.cookie
	bo := backoffice.New(tc.srv, tc.owners)
	// The New tab; a search by number; a search by product, which every
	// order matches (each tab's count, the tab's page).
	paths := []string{"/backoffice/shops/" + tc.shop.ID + "/orders?tab=new", "/backoffice/shops/" + tc.shop.ID + "/orders?tab=completed&q=WC-99998",
		"/backoffice/shops/" + tc.shop.ID + "/orders?tab=new&q=kaos+polos"}
	lats := [3][]time.Duration{}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for k := range 150 {
			req := httptest.NewRequest("GET", paths[k%3], nil)
			req.AddCookie(cookie)
			rec := httptest.NewRecorder()
			start := time.Now()
			bo.ServeHTTP(rec, req)
			lats[k%3] = append(lats[k%3], time.Since(start))
			if rec.Code != 200 || !strings.Contains(rec.Body.String(), "order-link") {
				b.Fatalf("%s: %d", paths[k%3], rec.Code)
			}
		}
	}
	b.StopTimer()
	b.ReportMetric(p99(lats[0]), "ms/p99")
	b.ReportMetric(p50(lats[0]), "ms/p50")
	b.ReportMetric(p99(lats[1]), "ms/p99-number")
	b.ReportMetric(p99(lats[2]), "ms/p99-product")
}

// reportRuns counts BenchmarkReport90Days's runs in this process.
var reportRuns int

// BenchmarkReport90Days is the report page for 90 days over 100,000 orders.
func BenchmarkReport90Days(b *testing.B) {
	tc := loadedCloud(b, "bolt")
	t0, cookie := tc.t0, tc.cookie
	// A new back office reads the orders for its first report, as after a
	// start; each run's webhooks are new orders, as the first run's were.
	bo := backoffice.New(tc.srv, tc.owners)
	webhooks := 800000 + 100*reportRuns
	reportRuns++
	zone := tc.shop.Policy().Zone()
	path := "/backoffice/shops/" + tc.shop.ID + "/report?period=range&from=" + t0.In(zone).Format("2006-01-02") + "&to=" + time.Now().In(zone).Format("2006-01-02")
	var lats []time.Duration
	var first time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for range 20 {
			req := httptest.NewRequest("GET", path, nil)
			req.AddCookie(cookie)
			rec := httptest.NewRecorder()
			start := time.Now()
			bo.ServeHTTP(rec, req)
			if first == 0 {
				// The first report after start reads every countable order once.
				first = time.Since(start)
			} else {
				lats = append(lats, time.Since(start))
			}
			if rec.Code != 200 || !strings.Contains(rec.Body.String(), `id="total-orders">20000<`) {
				b.Fatalf("report: %d", rec.Code)
			}
			// A webhook between reports: the next one catches up from the change log.
			postWoo(b, tc.url, tc.shop, webhooks+len(lats), 100000)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(first.Microseconds())/1000, "ms/first")
	b.ReportMetric(p99(lats), "ms/p99")
}

// BenchmarkLiveUpdate is a webhook's order reaching an open orders page:
// from the webhook's request to the page's event stream, then to the list
// fetched again with the new order in it.
func BenchmarkLiveUpdate(b *testing.B) {
	tc := startCloud(b)
	email := tc.addOwner(b, "owner@toko.test", tc.shop.ID, backoffice.RoleOwner)
	cookie := sessionCookie(b, tc, email)
	client := &http.Client{}
	req, _ := http.NewRequest("GET", tc.url+"/backoffice/shops/"+tc.shop.ID+"/events?head=0", nil)
	req.AddCookie(cookie)
	resp, err := client.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	events := make(chan struct{}, 16)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "event: change") {
				events <- struct{}{}
			}
		}
	}()
	var toEvent, toList []time.Duration
	n := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for range 50 {
			n++
			start := time.Now()
			postWoo(b, tc.url, tc.shop, 90000+n, 100000)
			select {
			case <-events:
			case <-time.After(5 * time.Second):
				b.Fatal("no event within 5 s")
			}
			toEvent = append(toEvent, time.Since(start))
			lr, _ := http.NewRequest("GET", tc.url+"/backoffice/shops/"+tc.shop.ID+"/orders?tab=new", nil)
			lr.AddCookie(cookie)
			list, err := client.Do(lr)
			if err != nil {
				b.Fatal(err)
			}
			body := new(strings.Builder)
			_, _ = bufio.NewReader(list.Body).WriteTo(body)
			list.Body.Close()
			if !strings.Contains(body.String(), fmt.Sprintf("WC-%d", 90000+n)) {
				b.Fatalf("the list fetched after the event lacks WC-%d", 90000+n)
			}
			toList = append(toList, time.Since(start))
		}
	}
	b.StopTimer()
	b.ReportMetric(p99(toEvent), "ms/p99-event")
	b.ReportMetric(p99(toList), "ms/p99")
}
