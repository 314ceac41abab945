package cloud

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"testing"
	"time"

	"github.com/kasir/pos/app"
)

// BenchmarkNoticeEmail times a status change to the e-mail accepted by a
// local SMTP server (AUTH, no TLS): accept an order through the cloud's
// apply-and-log path, and wait for the server's 250 to the message. It
// covers the follower's wake-up, the "sending" record, rendering, the SMTP
// conversation and the "sent" record.
func BenchmarkNoticeEmail(b *testing.B) {
	mb := newMailbox(b)
	mb.arrived = make(chan received, 16)
	nc := startNoticeCloud(b, b.TempDir())
	shop := noticeShop(b, nc, mb)
	const n = 200
	orders := make([]*app.Order, n)
	for i := range orders {
		orders[i] = placeStoreOrder(b, nc.srv, shop.ID, fmt.Sprintf("buyer%d@example.id", i))
	}
	// Let the follower pass the placements (page tokens) before timing.
	time.Sleep(500 * time.Millisecond)
	var lats []time.Duration
	b.ResetTimer()
	for it := 0; it < b.N; it++ {
		for _, o := range orders {
			if it > 0 {
				b.StopTimer()
				o = placeStoreOrder(b, nc.srv, shop.ID, "again@example.id")
				time.Sleep(20 * time.Millisecond)
				b.StartTimer()
			}
			start := time.Now()
			step(b, nc.srv, shop.ID, app.Command{Action: app.ActionAccept, OrderID: o.ID})
			select {
			case <-mb.arrived:
			case <-time.After(10 * time.Second):
				b.Fatal("no e-mail arrived")
			}
			lats = append(lats, time.Since(start))
		}
	}
	b.StopTimer()
	sort.Slice(lats, func(i, j int) bool { return lats[i] < lats[j] })
	b.ReportMetric(float64(lats[len(lats)*99/100].Microseconds())/1000, "ms/p99")
	b.ReportMetric(float64(lats[len(lats)/2].Microseconds())/1000, "ms/p50")
}

// BenchmarkOrderPage times serving the buyer's order page (the store
// reads, the template and the write) for an order with its history.
func BenchmarkOrderPage(b *testing.B) {
	mb := newMailbox(b)
	nc := startNoticeCloud(b, b.TempDir())
	shop := noticeShop(b, nc, mb)
	o := pagedOrder(b, nc, shop.ID, "rina@example.id")
	h := nc.srv.Handler()
	const n = 2000
	lats := make([]time.Duration, 0, n*b.N)
	b.ResetTimer()
	for it := 0; it < b.N; it++ {
		for i := 0; i < n; i++ {
			req := httptest.NewRequest(http.MethodGet, "/o/"+o.PageToken, nil)
			w := httptest.NewRecorder()
			start := time.Now()
			h.ServeHTTP(w, req)
			lats = append(lats, time.Since(start))
			if w.Code != http.StatusOK {
				b.Fatalf("page: %d", w.Code)
			}
		}
	}
	b.StopTimer()
	sort.Slice(lats, func(i, j int) bool { return lats[i] < lats[j] })
	b.ReportMetric(float64(lats[len(lats)*99/100].Microseconds())/1000, "ms/p99")
	b.ReportMetric(float64(lats[len(lats)/2].Microseconds())/1000, "ms/p50")
}
