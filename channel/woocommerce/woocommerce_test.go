package woocommerce_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
	"github.com/kasir/pos/channel/woocommerce"
	"github.com/kasir/pos/channel/woocommerce/wootest"
)

func adapter() *woocommerce.Adapter {
	a := woocommerce.New()
	a.Caller.FirstRetry, a.Caller.MaxWait = time.Millisecond, 2*time.Second
	return a
}

func fields(s *wootest.Store) map[string]string {
	return map[string]string{"store_url": s.URL, "consumer_key": "ck_test", "consumer_secret": "cs_test", "webhook_secret": "whsec"}
}

func order(id string) *app.Order {
	return &app.Order{ID: "o1", Number: "WC-" + id, Channel: app.ChannelWooCommerce, ExternalID: id, Total: 159000,
		Shipment: app.Shipment{Courier: "JNE", TrackingID: "JNE123"}}
}

func TestWooCompleteNoteRefund(t *testing.T) {
	s := wootest.New("ck_test", "cs_test")
	defer s.Close()
	s.AddOrder(77, "processing")
	a, f, ctx := adapter(), fields(s), context.Background()
	for _, step := range []app.ChannelStep{app.StepAccept, app.StepShip, app.StepTracking, app.StepComplete} {
		if err := a.Push(ctx, f, channel.Decision{Step: step, Order: order("77")}); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	o := s.Order(77)
	if o.Status != "completed" || len(o.Notes) != 1 || !o.Notes[0].CustomerNote || !strings.Contains(o.Notes[0].Note, "JNE123") {
		t.Fatalf("store has %+v", o)
	}
	for range 2 {
		if err := a.Push(ctx, f, channel.Decision{Step: app.StepReturn, Order: order("77"), Retold: true}); err != nil {
			t.Fatal(err)
		}
	}
	if o := s.Order(77); len(o.Refunds) != 1 || o.Refunds[0].Amount != "159000" || o.Refunds[0].APIRefund {
		t.Fatalf("refunds %+v", o.Refunds)
	}
}

func TestWooWrongKeyIsRefused(t *testing.T) {
	s := wootest.New("ck_test", "cs_test")
	defer s.Close()
	s.AddOrder(77, "processing")
	f := fields(s)
	f["consumer_secret"] = "cs_wrong"
	err := adapter().Push(context.Background(), f, channel.Decision{Step: app.StepComplete, Order: order("77")})
	r, ok := channel.IsRefusal(err)
	if !ok || r.Status != 401 || r.Message != "Sorry, you cannot list resources." {
		t.Fatalf("got %v", err)
	}
	if s.Order(77).Status != "processing" {
		t.Fatal("a refused call changed the store")
	}
}

func TestWooFaultsLoseNothingDoubleNothing(t *testing.T) {
	s := wootest.New("ck_test", "cs_test")
	defer s.Close()
	s.AddOrder(77, "processing")
	s.Fail("1", http.StatusInternalServerError, http.StatusBadGateway, http.StatusTooManyRequests)
	if err := adapter().Push(context.Background(), fields(s), channel.Decision{Step: app.StepShip, Order: order("77")}); err != nil {
		t.Fatal(err)
	}
	if o := s.Order(77); len(o.Notes) != 1 {
		t.Fatalf("notes %+v", o.Notes)
	}
}

func TestWooStockBySKU(t *testing.T) {
	s := wootest.New("ck_test", "cs_test")
	defer s.Close()
	s.AddProduct(10, 0, "KAOS-M", 3)
	s.AddProduct(11, 9, "KAOS-L", 3)
	a, f := adapter(), fields(s)
	for _, l := range []channel.Listing{{SKU: "KAOS-M", Qty: 8}, {SKU: "KAOS-L", Qty: 2}, {SKU: "NOT-ONLINE", Qty: 1}} {
		if err := a.Stock(context.Background(), f, l); err != nil {
			t.Fatal(err)
		}
	}
	if s.Stock(10) != 8 || s.Stock(11) != 2 {
		t.Fatalf("stock %d %d", s.Stock(10), s.Stock(11))
	}
}

func TestWooVerify(t *testing.T) {
	body := []byte(`{"id":77}`)
	sig := channel.SignBase64("whsec", body)
	a := adapter()
	if !a.Verify("whsec", sig, body) || a.Verify("whsec", sig, []byte(`{"id":78}`)) || a.Verify("other", sig, body) {
		t.Fatal("verify")
	}
}

// BenchmarkWooOutboundCalls measures authenticated order updates to a local store.
func BenchmarkWooOutboundCalls(b *testing.B) {
	s := wootest.New("ck_test", "cs_test")
	defer s.Close()
	s.AddOrder(77, "processing")
	a, f := adapter(), fields(s)
	// 1,000 calls per iteration, so `make bench`'s single iteration measures a rate.
	const calls = 1000
	start := time.Now()
	for range b.N {
		for range calls {
			if err := a.Push(context.Background(), f, channel.Decision{Step: app.StepComplete, Order: order("77")}); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.N*calls)/time.Since(start).Seconds(), "calls/s")
}
