package tokopedia_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
	"github.com/kasir/pos/channel/tokopedia"
	"github.com/kasir/pos/channel/tokopedia/tokotest"
)

func adapter() *tokopedia.Adapter {
	a := tokopedia.New()
	a.Caller.FirstRetry, a.Caller.MaxWait = time.Millisecond, 2*time.Second
	return a
}

func fields(s *tokotest.Server) map[string]string {
	return map[string]string{"fs_id": "13000", "shop_id": "479573", "client_id": "cid", "client_secret": "csecret",
		"webhook_secret": "wh", "api_base": s.URL, "auth_base": s.URL}
}

func order(id string) *app.Order {
	return &app.Order{ID: "o1", Number: "INV/1", Channel: app.ChannelTokopedia, ExternalID: id,
		Lines: []app.Line{{SKU: "SKU-001", Qty: 1, ExternalID: "15157523"}}}
}

func TestTokopediaAckThenPickup(t *testing.T) {
	s := tokotest.New("13000", "479573", "cid", "csecret")
	defer s.Close()
	s.AddOrder(166295305, 220)
	a, f, ctx := adapter(), fields(s), context.Background()
	if err := a.Push(ctx, f, channel.Decision{Step: app.StepAccept, Order: order("166295305")}); err != nil {
		t.Fatal(err)
	}
	if err := a.Push(ctx, f, channel.Decision{Step: app.StepShip, Order: order("166295305")}); err != nil {
		t.Fatal(err)
	}
	if s.Status(166295305) != 450 || s.Calls("POST /token") != 1 {
		t.Fatalf("status %d, %d tokens", s.Status(166295305), s.Calls("POST /token"))
	}
	// A retold accept reads back and is not sent again.
	if err := a.Push(ctx, f, channel.Decision{Step: app.StepAccept, Order: order("166295305"), Retold: true}); err != nil {
		t.Fatal(err)
	}
	if s.Writes("ack") != 1 {
		t.Fatalf("%d acks", s.Writes("ack"))
	}
}

func TestTokopediaNackReasonCodes(t *testing.T) {
	s := tokotest.New("13000", "479573", "cid", "csecret")
	defer s.Close()
	s.AddOrder(1, 220)
	s.AddOrder(2, 220)
	a, f, ctx := adapter(), fields(s), context.Background()
	o1 := order("1")
	o1.CancelReason = app.CancelOutOfStock
	o2 := order("2")
	o2.CancelReason, o2.CancelNote = app.CancelBySeller, "closing early today"
	for _, o := range []*app.Order{o1, o2} {
		if err := a.Push(ctx, f, channel.Decision{Step: app.StepReject, Order: o}); err != nil {
			t.Fatal(err)
		}
	}
	if r := s.Reasons(); len(r) != 2 || r[0] != tokopedia.ReasonOutOfStock || r[1] != tokopedia.ReasonOther {
		t.Fatalf("reasons %v", r)
	}
}

func TestTokopediaRefusalInWords(t *testing.T) {
	s := tokotest.New("13000", "479573", "cid", "csecret")
	defer s.Close()
	s.AddOrder(5, 700)
	err := adapter().Push(context.Background(), fields(s), channel.Decision{Step: app.StepAccept, Order: order("5")})
	r, ok := channel.IsRefusal(err)
	if !ok || !strings.Contains(r.Message, "order status 700 cannot be changed") {
		t.Fatalf("got %v", err)
	}
}

func TestTokopediaWrongSecretRefused(t *testing.T) {
	s := tokotest.New("13000", "479573", "cid", "csecret")
	defer s.Close()
	s.AddOrder(5, 220)
	f := fields(s)
	f["client_secret"] = "nope"
	err := adapter().Push(context.Background(), f, channel.Decision{Step: app.StepAccept, Order: order("5")})
	if r, ok := channel.IsRefusal(err); !ok || r.Message != "client authentication failed" {
		t.Fatalf("got %v", err)
	}
	if s.Writes("ack") != 0 {
		t.Fatal("acked without a token")
	}
}

func TestTokopediaFaults(t *testing.T) {
	s := tokotest.New("13000", "479573", "cid", "csecret")
	defer s.Close()
	s.AddOrder(9, 220)
	a, f, ctx := adapter(), fields(s), context.Background()
	if err := a.Stock(ctx, f, channel.Listing{SKU: "SKU-001", Qty: 4}); err != nil {
		t.Fatal(err)
	}
	s.Fail("1", http.StatusInternalServerError, http.StatusServiceUnavailable, http.StatusTooManyRequests)
	s.Expire()
	if err := a.Push(ctx, f, channel.Decision{Step: app.StepAccept, Order: order("9")}); err != nil {
		t.Fatal(err)
	}
	if s.Writes("ack") != 1 || s.Status(9) != 400 || s.Calls("POST /token") != 2 {
		t.Fatalf("acks %d status %d tokens %d", s.Writes("ack"), s.Status(9), s.Calls("POST /token"))
	}
	if s.Stock("SKU-001") != 4 {
		t.Fatal("stock")
	}
	// A listing the owner linked (its seller SKU is not the product's) is set by its product_id.
	if err := a.Stock(ctx, f, channel.Listing{ID: "15002", SKU: "LAMA-1", Qty: 6}); err != nil {
		t.Fatal(err)
	}
	if s.ProductStock(15002) != 6 || s.Stock("LAMA-1") != -1 {
		t.Fatalf("by product_id: %d, by SKU %d", s.ProductStock(15002), s.Stock("LAMA-1"))
	}
}

func TestTokopediaDetails(t *testing.T) {
	s := tokotest.New("13000", "479573", "cid", "csecret")
	defer s.Close()
	s.AddOrder(9, 400)
	raw, err := adapter().Details(context.Background(), fields(s), "9")
	if err != nil || !strings.Contains(string(raw), `"order_status":400`) {
		t.Fatalf("%s %v", raw, err)
	}
}

// BenchmarkTokopediaOutboundCalls measures signed (bearer-token) stock
// updates to a local fake.
func BenchmarkTokopediaOutboundCalls(b *testing.B) {
	s := tokotest.New("13000", "479573", "cid", "csecret")
	defer s.Close()
	a, f := adapter(), fields(s)
	// 1,000 calls per iteration, so `make bench`'s single iteration measures a
	// rate; the first call fetches the token, as a cold cloud's would.
	const calls = 1000
	start := time.Now()
	for range b.N {
		for i := range calls {
			if err := a.Stock(context.Background(), f, channel.Listing{SKU: "SKU-001", Qty: i}); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.N*calls)/time.Since(start).Seconds(), "calls/s")
}

func TestParseOrderNamesTheField(t *testing.T) {
	for raw, field := range map[string]string{
		`{"order_status":220}`:                                                             "order_id",
		`{"order_id":1,"order_status":999}`:                                                "order_status",
		`{"order_id":1,"order_status":220,"open_amt":1.5}`:                                 "open_amt",
		`{"order_id":1,"order_status":220,"order_info":{"order_detail":[{"quantity":0}]}}`: "quantity",
		`[1]`: "data",
	} {
		_, _, err := tokopedia.ParseOrder([]byte(raw))
		var ae *app.Error
		if !errors.As(err, &ae) || !strings.HasSuffix(string(ae.Field), field) {
			t.Errorf("%s: %v, want an error naming %s", raw, err, field)
		}
	}
	o, code, err := tokopedia.ParseOrder([]byte(`{"order_id":1,"order_status":400,"invoice_number":"INV/1","item_price":150000,"order_info":{"order_detail":[{"product_id":9,"product_name":"Kaos","quantity":2,"product_price":75000,"sku":"SKU-001"}],"shipping_info":{"shipping_price":9000}}}`))
	if err != nil || code != "400" || o.Total != 159000 || len(o.Lines) != 1 || o.Lines[0].ExternalID != "9" {
		t.Fatalf("%+v %s %v", o, code, err)
	}
}
