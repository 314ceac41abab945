package lazada_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
	"github.com/kasir/pos/channel/lazada"
	"github.com/kasir/pos/channel/lazada/lazadatest"
)

const (
	appKey    = "123456"
	appSecret = "s3cr3t-app"
	seller    = "1234567"
)

func adapter() *lazada.Adapter {
	a := lazada.New()
	a.Caller.FirstRetry, a.Caller.MaxWait = time.Millisecond, 2*time.Second
	return a
}

func fake(t testing.TB) (*lazadatest.Server, map[string]string) {
	s := lazadatest.New(appKey, appSecret, seller)
	t.Cleanup(s.Close)
	access, refresh := s.Tokens()
	return s, map[string]string{"app_key": appKey, "app_secret": appSecret, "seller_id": seller,
		"api_base": s.Base(), "auth_base": s.Base(), "access_token": access, "refresh_token": refresh}
}

// twoItems is an order of two pieces: two items, as Lazada lists one per piece.
func twoItems() lazadatest.Order {
	return lazadatest.Order{ID: 260422900198363, Buyer: "Budi Santoso", Phone: "081234567890", Street: "Jl. Melawai 10",
		Province: "DKI Jakarta", City: "Jakarta Selatan", District: "Kebayoran Baru", PostCode: "12160",
		ShippingFee: 9000, PaymentMethod: "MIXEDCARD",
		Items: []*lazadatest.Item{
			{OrderItemID: 260422900298363, Name: "Kaos Polos", SKU: "SKU-001", Variation: "Hitam, L", ItemPrice: 75000,
				PromisedShippingTime: "2026-12-02 23:59:59 +0700"},
			{OrderItemID: 260422900298364, Name: "Topi", SKU: "SKU-002", ItemPrice: 50000},
		}}
}

func order(id string, lines ...string) *app.Order {
	o := &app.Order{ID: "o1", Number: id, Channel: app.ChannelLazada, ExternalID: id}
	for _, l := range lines {
		o.Lines = append(o.Lines, app.Line{Name: "x", Qty: 1, ExternalID: l})
	}
	return o
}

// The worked example of "Signature algorithm", step 5: GetOrder with App
// Secret "helloworld" (https://open.lazada.com/apps/doc/doc?nodeId=10451&docId=108069).
func TestSignMatchesTheDocsExample(t *testing.T) {
	p := url.Values{"access_token": {"test"}, "app_key": {"123456"}, "order_id": {"1234"},
		"sign_method": {"sha256"}, "timestamp": {"1517820392000"}}
	const want = "4190D32361CFB9581350222F345CB77F3B19F0E31D162316848A2C1FFD5FAB4A"
	if got := lazada.Sign("helloworld", "/order/get", p); got != want {
		t.Fatalf("sign %s, the docs say %s", got, want)
	}
	if got := lazadatest.Sign("helloworld", "/order/get", p); got != want {
		t.Fatalf("the fake signs %s, the docs say %s", got, want)
	}
}

func TestDetailsFillTheOrder(t *testing.T) {
	s, f := fake(t)
	s.AddOrder(twoItems())
	a := adapter()
	raw, err := a.Details(context.Background(), f, "260422900198363")
	if err != nil {
		t.Fatal(err)
	}
	o, code, err := a.ParseDetails(raw)
	if err != nil {
		t.Fatal(err)
	}
	if code != "pending" || o.Buyer.Name != "Budi Santoso" || o.Buyer.Phone != "081234567890" ||
		o.Buyer.Address.City != "Jakarta Selatan" || o.Buyer.Address.Province != "DKI Jakarta" || o.Buyer.Address.PostalCode != "12160" {
		t.Fatalf("code %s buyer %+v", code, o.Buyer)
	}
	if len(o.Lines) != 2 || o.Lines[0].SKU != "SKU-001" || o.Lines[0].Name != "Kaos Polos (Hitam, L)" || o.Lines[0].UnitPrice != 75000 ||
		o.Lines[0].ExternalID != "260422900298363" || o.Lines[1].SKU != "SKU-002" {
		t.Fatalf("lines %+v", o.Lines)
	}
	if o.ShippingFee != 9000 || o.Total != 134000 || o.PaymentMethod != app.PayMarketplace || o.Paid != 134000 {
		t.Fatalf("amounts fee %d total %d paid %d %s", o.ShippingFee, o.Total, o.Paid, o.PaymentMethod)
	}
	if want := time.Date(2026, 12, 2, 16, 59, 59, 0, time.UTC); !o.ShipBy.Equal(want) || o.ChannelUpdatedAt.IsZero() {
		t.Fatalf("ship by %v, updated %v", o.ShipBy, o.ChannelUpdatedAt)
	}
	if s.Calls("/order/get") != 1 || s.Calls("/order/items/get") != 1 {
		t.Fatal("GetOrder and GetOrderItems once each")
	}
}

func TestCashOnDeliveryIsNotPaidYet(t *testing.T) {
	s, f := fake(t)
	o := twoItems()
	o.PaymentMethod = "COD"
	s.AddOrder(o)
	raw, err := adapter().Details(context.Background(), f, "260422900198363")
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := lazada.ParseDetails(raw)
	if err != nil || got.PaymentMethod != app.PayCOD || got.PaymentStatus != app.PaymentUnpaid || got.Paid != 0 {
		t.Fatalf("%+v %v", got, err)
	}
}

func TestOrderStatusIsItsLeastAdvancedLiveLine(t *testing.T) {
	for want, sts := range map[string][]string{
		"pending":       {"canceled", "pending"},
		"packed":        {"ready_to_ship", "packed"},
		"canceled":      {"canceled", "canceled"},
		"ready_to_ship": {"ready_to_ship"},
	} {
		var items []lazada.Item
		for _, st := range sts {
			items = append(items, lazada.Item{Status: st})
		}
		if got := lazada.OrderStatus(items); got != want {
			t.Errorf("%v: %s, want %s", sts, got, want)
		}
	}
}

func TestPackThenReadyToShipThenAirwayBill(t *testing.T) {
	s, f := fake(t)
	s.AddOrder(twoItems())
	a, ctx := adapter(), context.Background()
	o := order("260422900198363")
	if err := a.Push(ctx, f, channel.Decision{Step: app.StepAccept, Order: o}); err != nil {
		t.Fatal(err)
	}
	// Retold: the items read back packed, so nothing is packed twice.
	if err := a.Push(ctx, f, channel.Decision{Step: app.StepAccept, Order: o, Retold: true}); err != nil {
		t.Fatal(err)
	}
	if s.Writes("pack") != 2 || s.Calls("/order/fulfill/pack") != 1 {
		t.Fatalf("%d items packed in %d calls", s.Writes("pack"), s.Calls("/order/fulfill/pack"))
	}
	if err := a.Push(ctx, f, channel.Decision{Step: app.StepShip, Order: o}); err != nil {
		t.Fatal(err)
	}
	if err := a.Push(ctx, f, channel.Decision{Step: app.StepShip, Order: o, Retold: true}); err != nil {
		t.Fatal(err)
	}
	for _, it := range s.Items(260422900198363) {
		if it.Status != "ready_to_ship" || it.TrackingCode == "" {
			t.Fatalf("item %+v", it)
		}
	}
	if s.Writes("rts") != 1 {
		t.Fatalf("%d ready-to-ship calls", s.Writes("rts"))
	}
	// The tracking number Lazada assigned comes back with the details.
	raw, err := a.Details(ctx, f, "260422900198363")
	if err != nil {
		t.Fatal(err)
	}
	d, code, err := lazada.ParseDetails(raw)
	if err != nil || code != "ready_to_ship" || d.Shipment.TrackingID != "LXID00000001" || d.Shipment.Courier != "LEX ID" {
		t.Fatalf("%s %+v %v", code, d.Shipment, err)
	}
	doc, mt, err := a.AirwayBill(ctx, f, o)
	if err != nil || mt != "application/pdf" || !bytes.HasPrefix(doc, []byte("%PDF")) {
		t.Fatalf("%q %s %v", doc, mt, err)
	}
}

func TestShipBeforePackIsRefusedInWords(t *testing.T) {
	s, f := fake(t)
	s.AddOrder(twoItems())
	err := adapter().Push(context.Background(), f, channel.Decision{Step: app.StepShip, Order: order("260422900198363")})
	if r, ok := channel.IsRefusal(err); !ok || !strings.Contains(r.Message, "create the package first") {
		t.Fatalf("got %v", err)
	}
}

func TestCancelWithLazadasReasons(t *testing.T) {
	s, f := fake(t)
	first := twoItems()
	second := twoItems()
	second.ID = 300
	for _, it := range second.Items {
		it.OrderItemID += 1000
	}
	s.AddOrder(first)
	s.AddOrder(second)
	a, ctx := adapter(), context.Background()
	o1 := order("260422900198363")
	o1.CancelReason = app.CancelOutOfStock
	o2 := order("300")
	o2.CancelReason, o2.CancelNote = app.CancelBySeller, "closing early today"
	for _, o := range []*app.Order{o1, o2} {
		if err := a.Push(ctx, f, channel.Decision{Step: app.StepReject, Order: o, Reason: o.CancelNote}); err != nil {
			t.Fatal(err)
		}
	}
	if r := s.Reasons(); len(r) != 2 || r[0] != "10000021" || r[1] != "10000019" {
		t.Fatalf("reasons %v", r)
	}
	// Retold: every item reads back cancelled, so nothing is sent again.
	if err := a.Push(ctx, f, channel.Decision{Step: app.StepCancel, Order: o1, Retold: true}); err != nil {
		t.Fatal(err)
	}
	if s.Writes("cancel") != 4 || s.Calls("/order/reverse/cancel/create") != 2 {
		t.Fatalf("%d items in %d cancels", s.Writes("cancel"), s.Calls("/order/reverse/cancel/create"))
	}
}

func TestCancelLeavesCancelledItemsAlone(t *testing.T) {
	s, f := fake(t)
	s.AddOrder(twoItems())
	s.SetItemStatus(260422900198363, 260422900298364, "canceled")
	if err := adapter().Push(context.Background(), f, channel.Decision{Step: app.StepCancel, Order: order("260422900198363")}); err != nil {
		t.Fatal(err)
	}
	if s.Writes("cancel") != 1 {
		t.Fatalf("%d items cancelled", s.Writes("cancel"))
	}
}

func TestWrongCredentialsAreRefused(t *testing.T) {
	s, f := fake(t)
	s.AddOrder(twoItems())
	for field, code := range map[string]string{"app_secret": "IncompleteSignature", "app_key": "InvalidAppKey"} {
		bad := map[string]string{}
		for k, v := range f {
			bad[k] = v
		}
		bad[field] = "wrong"
		_, err := adapter().Details(context.Background(), bad, "260422900198363")
		r, ok := channel.IsRefusal(err)
		if !ok || !strings.Contains(r.Body, code) {
			t.Errorf("wrong %s: %v", field, err)
		}
	}
	bad := map[string]string{}
	for k, v := range f {
		bad[k] = v
	}
	bad["access_token"], bad["refresh_token"] = "nope", "nope"
	_, err := adapter().Details(context.Background(), bad, "260422900198363")
	if r, ok := channel.IsRefusal(err); !ok || !strings.Contains(r.Body, "IllegalRefreshToken") {
		t.Fatalf("a token nobody issued: %v", err)
	}
	if s.Writes("pack") != 0 {
		t.Fatal("wrote with wrong credentials")
	}
}

func TestExpiredTokenIsRefreshedOnceAndKept(t *testing.T) {
	s, f := fake(t)
	s.AddOrder(twoItems())
	a, ctx := adapter(), context.Background()
	var kept []channel.Tokens
	a.OnRenew(func(_ map[string]string, t channel.Tokens) { kept = append(kept, t) })
	s.Expire()
	if _, err := a.Details(ctx, f, "260422900198363"); err != nil {
		t.Fatal(err)
	}
	if s.Calls("/auth/token/refresh") != 1 || len(kept) != 1 || kept[0].Access == f["access_token"] || kept[0].AccessExpires.IsZero() {
		t.Fatalf("%d refreshes, kept %+v", s.Calls("/auth/token/refresh"), kept)
	}
	// The renewed token serves the next calls on the same account fields.
	if _, err := a.Details(ctx, f, "260422900198363"); err != nil || s.Calls("/auth/token/refresh") != 1 {
		t.Fatalf("%v, %d refreshes", err, s.Calls("/auth/token/refresh"))
	}
}

func TestFaultsAreRetriedAndNothingDoubles(t *testing.T) {
	s, f := fake(t)
	s.AddOrder(twoItems())
	s.AddSKU(lazadatest.SKU{ItemID: 6718170187, SkuID: 12761620980, SellerSku: "SKU-001", Name: "Kaos Polos", Price: 75000, Quantity: 20})
	a, ctx := adapter(), context.Background()
	s.Fail("1", http.StatusInternalServerError, http.StatusServiceUnavailable, http.StatusTooManyRequests)
	s.Expire()
	if err := a.Push(ctx, f, channel.Decision{Step: app.StepAccept, Order: order("260422900198363")}); err != nil {
		t.Fatal(err)
	}
	if s.Writes("pack") != 2 || s.Calls("/order/fulfill/pack") != 1 || s.Calls("/auth/token/refresh") != 1 {
		t.Fatalf("packed %d in %d calls, %d refreshes", s.Writes("pack"), s.Calls("/order/fulfill/pack"), s.Calls("/auth/token/refresh"))
	}
	if err := a.Stock(ctx, f, channel.Listing{SKU: "SKU-001", Qty: 7}); err != nil || s.Stock("SKU-001") != 7 {
		t.Fatalf("%v, stock %d", err, s.Stock("SKU-001"))
	}
	// A platform down for longer than one round is Unavailable, for the follower to try later.
	s.Fail("0", 500, 500, 500, 500)
	err := a.Stock(ctx, f, channel.Listing{SKU: "SKU-001", Qty: 6})
	var u *channel.Unavailable
	if !errors.As(err, &u) || s.Stock("SKU-001") != 7 {
		t.Fatalf("got %v, stock %d", err, s.Stock("SKU-001"))
	}
	if err := a.Stock(ctx, f, channel.Listing{SKU: "SKU-001", Qty: 6}); err != nil || s.Stock("SKU-001") != 6 {
		t.Fatalf("%v, stock %d", err, s.Stock("SKU-001"))
	}
}

func TestStockOfASKULazadaDoesNotListIsNoError(t *testing.T) {
	s, f := fake(t)
	if err := adapter().Stock(context.Background(), f, channel.Listing{SKU: "ELSEWHERE", Qty: 3}); err != nil || s.Writes("stock") != 0 {
		t.Fatalf("%v", err)
	}
}

func TestListingsAndUpdatedOrders(t *testing.T) {
	s, f := fake(t)
	for i := range 60 {
		s.AddSKU(lazadatest.SKU{ItemID: int64(1000 + i), SkuID: int64(2000 + i), SellerSku: "SKU-" + string(rune('A'+i%26)) + string(rune('a'+i/26)), Name: "P", Price: 1000, Quantity: i})
	}
	a, ctx := adapter(), context.Background()
	ls, err := a.Listings(ctx, f)
	if err != nil || len(ls) != 60 || ls[59].Qty != 59 || ls[0].Price != 1000 || ls[0].URL == "" {
		t.Fatalf("%d listings, %v", len(ls), err)
	}
	old := twoItems()
	old.ID, old.Updated = 1, time.Now().Add(-48*time.Hour)
	s.AddOrder(old)
	s.AddOrder(twoItems())
	ids, err := a.Updated(ctx, f, time.Now().Add(-24*time.Hour), time.Now().Add(time.Minute))
	if err != nil || len(ids) != 1 || ids[0] != "260422900198363" {
		t.Fatalf("%v %v", ids, err)
	}
}

func TestAuthorizeAndExchange(t *testing.T) {
	s, f := fake(t)
	a, ctx := adapter(), context.Background()
	u, err := a.AuthorizeURL(f, "https://cloud.example.id/v1/oauth/lazada/callback", "st4te")
	if err != nil || !strings.HasPrefix(u, s.URL+"/oauth/authorize?") || !strings.Contains(u, "client_id="+appKey) ||
		!strings.Contains(u, "state=st4te") || !strings.Contains(u, "redirect_uri=https%3A%2F%2Fcloud.example.id") {
		t.Fatalf("%s %v", u, err)
	}
	s.Code("0_100012_abc")
	tok, err := a.Exchange(ctx, f, "0_100012_abc", nil)
	if err != nil || tok.Access == "" || tok.Refresh == "" || tok.Fields["seller_id"] != seller || tok.AccessExpires.IsZero() {
		t.Fatalf("%+v %v", tok, err)
	}
	if _, err := a.Exchange(ctx, f, "0_100012_abc", nil); err == nil {
		t.Fatal("a code is taken once")
	}
	other := map[string]string{}
	for k, v := range f {
		other[k] = v
	}
	other["seller_id"] = "999"
	s.Code("c2")
	if _, err := a.Exchange(ctx, other, "c2", nil); app.ErrorCode(err) != app.EInvalid {
		t.Fatalf("another seller's tokens: %v", err)
	}
	ref, err := a.Refresh(ctx, f)
	if err != nil || ref.Access == "" || ref.Access == tok.Access {
		t.Fatalf("%+v %v", ref, err)
	}
}

func push(t *testing.T, body string, sig string) *http.Request {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "/v1/channels/lazada/push", strings.NewReader(body))
	r.Header.Set("Authorization", sig)
	r.Header.Set("Content-Type", "application/json")
	return r
}

func TestPushIsVerifiedRoutedAndParsed(t *testing.T) {
	body := `{"seller_id":"1234567","message_type":0,"timestamp":1603766859530,"site":"lazada_id",` +
		`"data":{"order_status":"pending","trade_order_id":"260422900198363","trade_order_line_id":"260422900298363","status_update_time":1603698638}}`
	f := map[string]string{"app_key": appKey, "app_secret": appSecret}
	sig := lazada.PushSignature(appKey, appSecret, []byte(body))
	h := lazada.Hook{}
	if !h.Verify(f, push(t, body, strings.ToUpper(sig)), []byte(body)) {
		t.Fatal("the signature in upper case")
	}
	for name, bad := range map[string]map[string]string{
		"secret": {"app_key": appKey, "app_secret": "x"}, "key": {"app_key": "x", "app_secret": appSecret}, "none": {},
	} {
		if h.Verify(bad, push(t, body, sig), []byte(body)) {
			t.Errorf("verified with the wrong %s", name)
		}
	}
	if h.Verify(f, push(t, body, sig), []byte(body+" ")) {
		t.Fatal("a changed body verified")
	}
	shop, err := h.PushShop(nil, []byte(body))
	if err != nil || shop != seller || h.ShopField() != "seller_id" {
		t.Fatalf("%s %v", shop, err)
	}
	in, err := h.Parse(nil, []byte(body))
	if err != nil || len(in.Orders) != 1 {
		t.Fatal(err)
	}
	got := in.Orders[0]
	if got.ExternalID != "260422900198363" || got.ChannelStatus != "pending" || got.Line == nil || got.Line.ExternalID != "260422900298363" ||
		in.Delivery == "" || !got.UpdatedAt.Equal(time.Unix(1603698638, 0)) {
		t.Fatalf("%+v", got)
	}
	ign, err := h.Parse(nil, []byte(`{"seller_id":"1","message_type":10,"data":{}}`))
	if err != nil || ign.Ignore == "" {
		t.Fatalf("%+v %v", ign, err)
	}
	for raw, field := range map[string]string{
		`{"seller_id":"1","message_type":0,"data":{"order_status":"pending"}}`:                    "data.trade_order_id",
		`{"seller_id":"1","message_type":0,"data":{"trade_order_id":"1","order_status":"weird"}}`: "data.order_status",
		`{"seller_id":"1","message_type":0,"data":{"trade_order_id":"1"}}`:                        "data.order_status",
		`{"message_type":0}`: "seller_id",
	} {
		_, err := h.Parse(nil, []byte(raw))
		if field == "seller_id" {
			_, err = h.PushShop(nil, []byte(raw))
		}
		var ae *app.Error
		if !errors.As(err, &ae) || string(ae.Field) != field {
			t.Errorf("%s: %v, want an error naming %s", raw, err, field)
		}
	}
}

func TestParseDetailsNamesTheField(t *testing.T) {
	for raw, field := range map[string]string{
		`{"order":{},"items":[]}`:                                                    "order.order_id",
		`{"order":{"order_id":1},"items":[]}`:                                        "items",
		`{"order":{"order_id":1},"items":[{"item_price":1}]}`:                        "items[0].order_item_id",
		`{"order":{"order_id":1},"items":[{"order_item_id":2,"item_price":1.5}]}`:    "items[0].item_price",
		`{"order":{"order_id":1},"items":[{"order_item_id":2,"status":"odd"}]}`:      "items[0].status",
		`{"order":{"order_id":1,"shipping_fee":"-1"},"items":[{"order_item_id":2}]}`: "order.shipping_fee",
		`[1]`: "details",
	} {
		_, _, err := lazada.ParseDetails([]byte(raw))
		var ae *app.Error
		if !errors.As(err, &ae) || string(ae.Field) != field {
			t.Errorf("%s: %v, want an error naming %s", raw, err, field)
		}
	}
}

// BenchmarkLazadaOutboundCalls measures signed stock updates to a local
// fake that checks every signature and token.
func BenchmarkLazadaOutboundCalls(b *testing.B) {
	s, f := fake(b)
	s.AddSKU(lazadatest.SKU{ItemID: 6718170187, SkuID: 12761620980, SellerSku: "SKU-001", Name: "Kaos", Price: 75000, Quantity: 1})
	a := adapter()
	// 1,000 calls per iteration, so `make bench`'s single iteration measures
	// a rate; the first call also finds the SKU's ids, as a cold cloud's would.
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

func TestCheckNamesTheRefusedField(t *testing.T) {
	s, f := fake(t)
	a, ctx := adapter(), context.Background()
	if err := a.Check(ctx, f); err != nil {
		t.Fatalf("good credentials: %v", err)
	}
	for field, bad := range map[string]map[string]string{
		"app_secret":    {"app_secret": "wrong"},
		"app_key":       {"app_key": "wrong"},
		"refresh_token": {"access_token": "nope", "refresh_token": "nope"},
		"seller_id":     {"seller_id": "999"},
	} {
		g := map[string]string{}
		for k, v := range f {
			g[k] = v
		}
		for k, v := range bad {
			g[k] = v
		}
		err := a.Check(ctx, g)
		var ae *app.Error
		if !errors.As(err, &ae) || string(ae.Field) != field {
			t.Errorf("wrong %s: %v", field, err)
		}
	}
	// Not yet authorized: nothing to try with.
	g := map[string]string{}
	for k, v := range f {
		g[k] = v
	}
	delete(g, "access_token")
	if err := a.Check(ctx, g); err != nil || s.Calls("/seller/get") != 5 {
		t.Fatalf("%v, %d calls", err, s.Calls("/seller/get"))
	}
}

// The reverse order push of the "Webhook API Reverse Order Notifications"
// page, with the buyer's cancel request's status: it opens the request;
// a return's status is acknowledged only.
func TestReversePushOpensTheBuyersCancelRequest(t *testing.T) {
	body := `{"seller_id":"12345","message_type":10,"data":{"reverse_order_id":658960600102006,"reverse_status":"CANCEL_INIT",` +
		`"trade_order_id":416557324702006,"extraParams":{},"trade_order_line_id":416557324802006,"buyer_id":100112802006,` +
		`"seller_id":1000143772,"reverse_order_line_id":663790000102006,"status_update_time":1626767698},"timestamp":1627889609,"site":"lazada_sg"}`
	in, err := lazada.Hook{}.Parse(nil, []byte(body))
	if err != nil || len(in.Orders) != 1 {
		t.Fatalf("%+v %v", in, err)
	}
	got := in.Orders[0]
	if !got.CancelRequested || got.ExternalID != "416557324702006" || got.ChannelStatus != "" || !got.UpdatedAt.Equal(time.Unix(1626767698, 0)) ||
		in.Delivery != "lazada:reverse:658960600102006:663790000102006:CANCEL_INIT" {
		t.Fatalf("parsed %+v, delivery %s", got, in.Delivery)
	}
	in, err = lazada.Hook{}.Parse(nil, []byte(strings.Replace(body, "CANCEL_INIT", "RTM_INIT", 1)))
	if err != nil || in.Ignore == "" || len(in.Orders) != 0 {
		t.Fatalf("a return: %+v %v", in, err)
	}
	h := lazada.Hook{}
	if _, err := h.Parse(nil, []byte(strings.Replace(body, "416557324702006,", `"",`, 1))); app.ErrorCode(err) != app.EInvalid {
		t.Fatalf("a bad trade order id: %v", err)
	}
}

// Declining with no request pending at Lazada (declined already, or
// withdrawn) tells nothing; with one pending, the refusal carries a reason
// from Lazada's list, and a retold decline finds none pending.
func TestDeclineCancelRequestOnce(t *testing.T) {
	s, f := fake(t)
	s.AddOrder(twoItems())
	a := adapter()
	ctx := context.Background()
	o := order("260422900198363")
	if err := a.Push(ctx, f, channel.Decision{Step: app.StepDeclineCancel, Order: o}); err != nil {
		t.Fatal(err)
	}
	if s.Calls("/order/reverse/cancel/seller/decide") != 0 {
		t.Fatal("decided a request nobody made")
	}
	s.AddCancelRequest(77, 78, 260422900198363, 260422900298364)
	for _, retold := range []bool{false, true} {
		if err := a.Push(ctx, f, channel.Decision{Step: app.StepDeclineCancel, Order: o, Retold: retold}); err != nil {
			t.Fatal(err)
		}
	}
	if r := s.CancelRequest(77); r.Status != "REQUEST_REJECT" || r.Reason != "1000031" || s.Writes("decline") != 1 {
		t.Fatalf("request %+v, %d declines", r, s.Writes("decline"))
	}
}

// Calls in flight that all find the access token expired renew it once
// (channel.Renewals): the others use the new pair, and the account's
// keeper hears it once. The cloud's own refresh before expiry then renews
// again, and calls on the old account fields use that newest pair.
func TestConcurrentExpiredCallsRenewOnce(t *testing.T) {
	s, f := fake(t)
	s.AddOrder(twoItems())
	a, ctx := adapter(), context.Background()
	var mu sync.Mutex
	var kept []channel.Tokens
	a.OnRenew(func(_ map[string]string, t channel.Tokens) { mu.Lock(); kept = append(kept, t); mu.Unlock() })
	s.Expire()
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := a.Details(ctx, f, "260422900198363")
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := s.Calls("/auth/token/refresh"); n != 1 || len(kept) != 1 {
		t.Fatalf("%d refreshes, %d kept", n, len(kept))
	}
	next, err := a.Refresh(ctx, f)
	if err != nil || next.Access == kept[0].Access || s.Calls("/auth/token/refresh") != 2 {
		t.Fatalf("refresh before expiry: %+v %v, %d refreshes", next, err, s.Calls("/auth/token/refresh"))
	}
	s.Expire()
	if _, err := a.Details(ctx, f, "260422900198363"); err != nil || s.Calls("/auth/token/refresh") != 3 {
		t.Fatalf("%v, %d refreshes", err, s.Calls("/auth/token/refresh"))
	}
}

// Approving a buyer's request that names one of two items agrees at Lazada
// (which cancels that item) and cancels the other as the seller's, since
// the register cancelled the whole order; a retold approval finds no
// request pending and nothing live, and sends nothing.
func TestApproveCancelRequestThenTheRest(t *testing.T) {
	s, f := fake(t)
	s.AddOrder(twoItems())
	s.AddCancelRequest(77, 78, 260422900198363, 260422900298363)
	a, ctx := adapter(), context.Background()
	o := order("260422900198363")
	o.CancelReason = app.CancelBuyerRequest
	for _, retold := range []bool{false, true} {
		if err := a.Push(ctx, f, channel.Decision{Step: app.StepCancel, Order: o, Retold: retold}); err != nil {
			t.Fatal(err)
		}
	}
	if r := s.CancelRequest(77); r.Status != "CANCEL_SUCCESS" || s.Writes("approve") != 1 {
		t.Fatalf("request %+v, %d approvals", r, s.Writes("approve"))
	}
	items := s.Items(260422900198363)
	if s.Writes("cancel") != 1 || items[0].Status != "canceled" || items[1].Status != "canceled" || items[1].Reason != "10000019" {
		t.Fatalf("%d seller cancels, items %+v", s.Writes("cancel"), items)
	}
}
