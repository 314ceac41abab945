package client_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/cloud"
	"github.com/kasir/pos/cloud/bolt"
	"github.com/kasir/pos/cloud/web"
	"github.com/kasir/pos/sync/client"
	"github.com/kasir/pos/sync/wire"
)

// BenchmarkCourierWebhookToTerminal measures a Biteship order.status push
// (courier assigned) until the shipment's new state is in a terminal's store.
func BenchmarkCourierWebhookToTerminal(b *testing.B) {
	dir := b.TempDir()
	st, err := bolt.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	acc, err := cloud.OpenAccounts(st, bytes.Repeat([]byte{9}, 32))
	if err != nil {
		b.Fatal(err)
	}
	srv := cloud.NewServer(st, cloud.Options{Logger: quietLog(), Accounts: acc})
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = web.Serve(ctx, srv, "127.0.0.1:0", "", "", func(a string) { ready <- a })
	}()
	defer func() { cancel(); <-done; st.Close() }()
	url := "http://" + <-ready
	shop, err := cloud.AddShop(st, "Toko Kopi", time.Now())
	if err != nil {
		b.Fatal(err)
	}
	if _, err := acc.Set(shop.ID, app.AccountBiteship, []byte(`{"api_key":"k","webhook_header":"X-Hook","webhook_secret":"s3cret","origin_postal_code":"12440","contact_phone":"081211112222"}`), time.Now()); err != nil {
		b.Fatal(err)
	}
	term, tok, err := cloud.AddTerminal(st, shop.ID, "tablet", time.Now())
	if err != nil {
		b.Fatal(err)
	}
	tm := newTerminal(b, url, term.ID, tok)
	arrived := make(chan *app.Order, 4096)
	tm.stop()
	tm.startWith(func(c *client.Client) {
		c.OnChanges = func(items []wire.Change) {
			for _, it := range items {
				if it.Order != nil {
					arrived <- it.Order
				}
			}
		}
	})
	waitFor(b, 10*time.Second, "online", func() bool { return tm.client.State().Status == client.Online })
	owner := app.Actor{Staff: "Ayu", Role: app.RoleOwner}
	n := 0
	// booked places an order booked with Biteship under provider order id pid.
	booked := func(pid string) string {
		n++
		o := &app.Order{Channel: app.ChannelStore, Status: app.StatusReadyToShip, Number: fmt.Sprintf("W-%d", n), Currency: app.IDR,
			Buyer: app.Buyer{Name: "Rina", Phone: "081234567890", Address: app.Address{Street: "Jl. Melati 3", City: "Bandung", PostalCode: "40115"}},
			Lines: []app.Line{{SKU: "K", Name: "Kopi", Qty: 1, UnitPrice: 85000}}, Total: 85000, PaymentMethod: app.PayTransfer}
		res, err := srv.Execute(shop.ID, app.Command{Action: app.ActionPlace, Args: app.Args{Order: o}}, owner, time.Now())
		if err != nil {
			b.Fatal(err)
		}
		id := res.Order.ID
		for _, cmd := range []app.Command{
			{Action: app.ActionArrangeDropoff, OrderID: id, Args: app.Args{Provider: app.ProviderBiteship, Rate: &app.ShipmentRate{Courier: "jne", Service: "reg", Price: 9000}}},
			{Action: app.ActionRecordBooking, OrderID: id, Args: app.Args{Booking: &app.BookingRecord{Provider: app.ProviderBiteship, Reference: o.Number, State: app.BookingBooked, OrderID: pid}}},
		} {
			if _, err := srv.Execute(shop.ID, cmd, owner, time.Now()); err != nil {
				b.Fatal(err)
			}
		}
		return id
	}
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for k := 0; k < latencySamples; k++ {
			b.StopTimer()
			pid := fmt.Sprintf("bs%d-%d", i, k)
			id := booked(pid)
			b.StartTimer()
			body, _ := json.Marshal(map[string]string{"event": "order.status", "order_id": pid, "status": "allocated", "courier_waybill_id": "JNE" + fmt.Sprint(100000+k)})
			start := time.Now()
			req, _ := http.NewRequest(http.MethodPost, url+"/v1/couriers/biteship/push", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-Hook", "s3cret")
			resp, err := http.DefaultClient.Do(req)
			if err != nil || resp.StatusCode != 200 {
				b.Fatalf("push: %v %v", err, resp)
			}
			resp.Body.Close()
			for o := <-arrived; o.ID != id || o.Shipment.State != app.ShipmentAssigned; o = <-arrived {
			}
			lat = append(lat, time.Since(start))
		}
	}
	b.StopTimer()
	b.ReportMetric(ms(percentile(lat, 0.50)), "p50-ms")
	b.ReportMetric(ms(percentile(lat, 0.99)), "p99-ms")
}
