package tiktok_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
	"github.com/kasir/pos/channel/tiktok"
	"github.com/kasir/pos/channel/tiktok/tiktoktest"
)

const (
	appKey    = "6a6appkey"
	appSecret = "4ebsecret"
	shopID    = "7494049642642441621"
	cipher    = "ROW_cipher"
	orderID   = "576486316948490001"
	packageID = "1153132168123859123"
)

func adapter() *tiktok.Adapter {
	a := tiktok.New()
	a.Caller.FirstRetry, a.Caller.MaxWait = time.Millisecond, 2*time.Second
	return a
}

func server(t testing.TB) (*tiktoktest.Server, map[string]string) {
	s := tiktoktest.New(appKey, appSecret, shopID, cipher)
	t.Cleanup(s.Close)
	access, refresh := s.Issue()
	return s, map[string]string{"app_key": appKey, "app_secret": appSecret, "shop_id": shopID, "shop_cipher": cipher,
		"api_base": s.URL, "auth_base": s.URL, "access_token": access, "refresh_token": refresh}
}

// addOrder is a paid order of two units of SKU-001 and one of SKU-002,
// in the shape of Get Order Detail's sample.
func addOrder(s *tiktoktest.Server, id, status string) {
	item := func(lid, sku, seller string, price string) map[string]any {
		return map[string]any{"id": lid, "sku_id": sku, "product_id": "1729582718312380123", "product_name": "Kaos Polos",
			"sku_name": "Hitam, L", "seller_sku": seller, "original_price": price, "sale_price": price, "display_status": "TO_SHIP"}
	}
	s.AddOrder(id, status, packageID, []map[string]any{
		item("1", "2729382476852921560", "SKU-001", "75000"), item("2", "2729382476852921560", "SKU-001", "75000"),
		item("3", "2729382476852921561", "SKU-002", "20000"),
	}, map[string]any{
		"create_time": 1764500000, "rts_sla_time": 1764600000, "buyer_email": "v2b2V5@chat.seller.tiktok.com", "buyer_message": "Tolong cepat",
		"payment": map[string]any{"currency": "IDR", "sub_total": "160000", "shipping_fee": "9000", "seller_discount": "10000",
			"platform_discount": "0", "total_amount": "169000", "tax": "0"},
		"recipient_address": map[string]any{"name": "Budi", "phone_number": "(+62)812***678", "full_address": "Jl. Sudirman 1, Jakarta",
			"address_detail": "Jl. Sudirman 1", "postal_code": "12190", "region_code": "ID",
			"district_info": []map[string]any{{"address_level_name": "Country", "address_name": "Indonesia", "address_level": "L0"},
				{"address_level_name": "Province", "address_name": "DKI Jakarta", "address_level": "L1"},
				{"address_level_name": "City", "address_name": "Jakarta Selatan", "address_level": "L2"},
				{"address_level_name": "District", "address_name": "Setiabudi", "address_level": "L3"}}},
	})
}

func tikOrder(id string) *app.Order {
	return &app.Order{ID: "o1", Number: id, Channel: app.ChannelTikTok, ExternalID: id, ChannelStatus: "AWAITING_SHIPMENT", Version: 3}
}

func TestDetailsFillTheOrder(t *testing.T) {
	s, f := server(t)
	addOrder(s, orderID, "AWAITING_SHIPMENT")
	a := adapter()
	raw, err := a.Details(context.Background(), f, orderID)
	if err != nil {
		t.Fatal(err)
	}
	o, code, err := a.ParseDetails(raw)
	if err != nil {
		t.Fatal(err)
	}
	if code != "AWAITING_SHIPMENT" || len(o.Lines) != 2 || o.Lines[0].Qty != 2 || o.Lines[0].SKU != "SKU-001" || o.Lines[1].Qty != 1 {
		t.Fatalf("code %s lines %+v", code, o.Lines)
	}
	if o.Total != 169000 || o.ShippingFee != 9000 || o.Discount != 10000 || o.Paid != 169000 {
		t.Fatalf("total %d shipping %d discount %d paid %d", o.Total, o.ShippingFee, o.Discount, o.Paid)
	}
	if o.Buyer.Name != "Budi" || o.Buyer.Address.City != "Jakarta Selatan" || o.Buyer.Address.Province != "DKI Jakarta" || o.Note != "Tolong cepat" {
		t.Fatalf("buyer %+v note %q", o.Buyer, o.Note)
	}
	if o.ChannelUpdatedAt.IsZero() || o.Buyer.Email == "" || !o.ShipBy.Equal(time.Unix(1764600000, 0)) {
		t.Fatalf("update time %v, email %q", o.ChannelUpdatedAt, o.Buyer.Email)
	}
	o.Channel, o.ExternalID = app.ChannelTikTok, orderID
	if err := o.Validate(); err != nil {
		t.Fatalf("the parsed order breaks app's rules: %v", err)
	}
	if s.Calls("GET /order/202309/orders") != 1 {
		t.Fatalf("%d detail calls", s.Calls("GET /order/202309/orders"))
	}
}

func TestShipPickupThenTrackingAndLabel(t *testing.T) {
	s, f := server(t)
	addOrder(s, orderID, "AWAITING_SHIPMENT")
	a, ctx := adapter(), context.Background()
	o := tikOrder(orderID)
	slot := s.Slots()[1]
	o.Shipment = app.Shipment{Method: app.ShipPickup, PickupFrom: time.Unix(slot[0], 0), PickupTo: time.Unix(slot[1], 0)}
	if !a.Hears(app.StepShip, o) || a.Hears(app.StepAccept, o) || a.Hears(app.StepTracking, o) {
		t.Fatal("hears the wrong steps")
	}
	if err := a.Push(ctx, f, channel.Decision{Step: app.StepShip, Order: o}); err != nil {
		t.Fatal(err)
	}
	st, method, tracking := s.Package(packageID)
	if st != "PROCESSING" || method != "PICKUP" || s.Status(orderID) != "AWAITING_COLLECTION" {
		t.Fatalf("package %s %s, order %s", st, method, s.Status(orderID))
	}
	var body struct {
		Slot struct {
			StartTime int64 `json:"start_time"`
			EndTime   int64 `json:"end_time"`
		} `json:"pickup_slot"`
	}
	if err := json.Unmarshal(s.Bodies("ship")[0], &body); err != nil {
		t.Fatal(err)
	}
	if body.Slot.StartTime != slot[0] {
		t.Fatalf("slot %+v, want the chosen %v", body.Slot, slot)
	}
	// A retold ship reads the package back and is not sent again.
	if err := a.Push(ctx, f, channel.Decision{Step: app.StepShip, Order: o, Retold: true}); err != nil {
		t.Fatal(err)
	}
	if s.Writes("ship") != 1 {
		t.Fatalf("%d ships", s.Writes("ship"))
	}
	// The details now carry the package's courier and tracking number.
	raw, err := a.Details(ctx, f, orderID)
	if err != nil {
		t.Fatal(err)
	}
	d, code, err := tiktok.ParseOrder(raw)
	if err != nil || code != "AWAITING_COLLECTION" || d.Shipment.TrackingID != tracking || d.Shipment.Courier != "J&T Express" {
		t.Fatalf("%s %+v %v", code, d.Shipment, err)
	}
	if s.Calls("GET /fulfillment/202309/packages/"+packageID) < 2 {
		t.Fatal("tracking did not come from Get Package Detail")
	}
	doc, mt, err := a.AirwayBill(ctx, f, o)
	if err != nil || mt != "application/pdf" || string(doc) != string(tiktoktest.Label(packageID)) {
		t.Fatalf("%q %s %v", doc, mt, err)
	}
}

func TestShipDropOff(t *testing.T) {
	s, f := server(t)
	addOrder(s, orderID, "AWAITING_SHIPMENT")
	o := tikOrder(orderID)
	o.Shipment.Method = app.ShipDropoff
	if err := adapter().Push(context.Background(), f, channel.Decision{Step: app.StepShip, Order: o}); err != nil {
		t.Fatal(err)
	}
	if _, method, _ := s.Package(packageID); method != "DROP_OFF" || s.Calls("GET /fulfillment/202309/packages/"+packageID+"/handover_time_slots") != 0 {
		t.Fatalf("handover %s", method)
	}
	// The shop's own courier needs TikTok's provider id: not told.
	o.Shipment.Method = app.ShipManual
	if adapter().Hears(app.StepShip, o) {
		t.Fatal("manual shipping is told")
	}
}

func TestSellerCancelWithTikToksReason(t *testing.T) {
	s, f := server(t)
	addOrder(s, "1", "AWAITING_SHIPMENT")
	addOrder(s, "2", "UNPAID")
	a, ctx := adapter(), context.Background()
	o1 := tikOrder("1")
	o1.CancelReason = app.CancelOutOfStock
	o2 := tikOrder("2")
	o2.ChannelStatus, o2.CancelReason = "UNPAID", app.CancelBySeller
	for _, o := range []*app.Order{o1, o2} {
		if err := a.Push(ctx, f, channel.Decision{Step: app.StepReject, Order: o}); err != nil {
			t.Fatal(err)
		}
	}
	b := s.Bodies("cancel")
	if len(b) != 2 || !strings.Contains(string(b[0]), `"seller_cancel_reason_out_of_stock"`) || !strings.Contains(string(b[1]), `"seller_cancel_unpaid_reason_out_of_stock"`) {
		t.Fatalf("bodies %s", b)
	}
	// Retold after it went through: read back, not sent again.
	if err := a.Push(ctx, f, channel.Decision{Step: app.StepCancel, Order: o1, Retold: true}); err != nil {
		t.Fatal(err)
	}
	if s.Writes("cancel") != 2 || s.Status("1") != "CANCELLED" {
		t.Fatalf("%d cancels", s.Writes("cancel"))
	}
	// A refusal reads in TikTok's words.
	addOrder(s, "3", "IN_TRANSIT")
	err := a.Push(ctx, f, channel.Decision{Step: app.StepCancel, Order: tikOrder("3")})
	if r, ok := channel.IsRefusal(err); !ok || !strings.Contains(r.Message, "already been cancelled") || !strings.Contains(r.Message, "25001011") {
		t.Fatalf("got %v", err)
	}
}

func TestBuyerCancelRequestApprovedOrDeclined(t *testing.T) {
	s, f := server(t)
	addOrder(s, "1", "AWAITING_SHIPMENT")
	addOrder(s, "2", "AWAITING_SHIPMENT")
	s.RequestCancel("c1", "1")
	s.RequestCancel("c2", "2")
	a, ctx := adapter(), context.Background()
	o1 := tikOrder("1")
	o1.CancelReason = app.CancelBuyerRequest
	if err := a.Push(ctx, f, channel.Decision{Step: app.StepCancel, Order: o1}); err != nil {
		t.Fatal(err)
	}
	if st, _ := s.Cancellation("c1"); st != "CANCELLATION_REQUEST_COMPLETE" || s.Status("1") != "CANCELLED" || s.Writes("cancel") != 0 {
		t.Fatalf("c1 %s, order %s, %d seller cancels", st, s.Status("1"), s.Writes("cancel"))
	}
	if err := a.Push(ctx, f, channel.Decision{Step: app.StepDeclineCancel, Order: tikOrder("2"), Reason: "sudah dikemas"}); err != nil {
		t.Fatal(err)
	}
	if st, _ := s.Cancellation("c2"); st != "CANCELLATION_REQUEST_CANCEL" || !strings.Contains(string(s.Bodies("reject")[0]), "sudah dikemas") {
		t.Fatalf("c2 %s", st)
	}
	// Declined again (retold): nothing pending, nothing sent.
	if err := a.Push(ctx, f, channel.Decision{Step: app.StepDeclineCancel, Order: tikOrder("2"), Retold: true}); err != nil {
		t.Fatal(err)
	}
	if s.Writes("reject") != 1 {
		t.Fatalf("%d rejects", s.Writes("reject"))
	}
}

func TestStockAndListings(t *testing.T) {
	s, f := server(t)
	s.AddProduct("p1", "Kaos Polos", "sku1", "SKU-001", "wh1", "75000", 3)
	s.AddProduct("p2", "Topi", "sku2", "SKU-777", "wh1", "50000", 1)
	a, ctx := adapter(), context.Background()
	if err := a.Stock(ctx, f, channel.Listing{SKU: "SKU-001", Qty: 12}); err != nil {
		t.Fatal(err)
	}
	if s.Stock("sku1") != 12 || s.Stock("sku2") != 1 {
		t.Fatalf("stock %d %d", s.Stock("sku1"), s.Stock("sku2"))
	}
	if err := a.Stock(ctx, f, channel.Listing{SKU: "SKU-001", Qty: -4}); err != nil || s.Stock("sku1") != 0 {
		t.Fatalf("negative stock: %v %d", err, s.Stock("sku1"))
	}
	ls, err := a.Listings(ctx, f)
	if err != nil || len(ls) != 2 || ls[1].SKU != "SKU-777" || ls[1].Price != 50000 || ls[1].ID != "sku2" || ls[1].Name != "Topi" {
		t.Fatalf("%+v %v", ls, err)
	}
}

func TestUpdatedListsByUpdateTime(t *testing.T) {
	s, f := server(t)
	for _, id := range []string{"11", "12", "13"} {
		addOrder(s, id, "AWAITING_SHIPMENT")
	}
	now := time.Now()
	ids, err := adapter().Updated(context.Background(), f, now.Add(-time.Hour), now.Add(time.Minute))
	if err != nil || strings.Join(ids, ",") != "11,12,13" {
		t.Fatalf("%v %v", ids, err)
	}
	ids, err = adapter().Updated(context.Background(), f, now.Add(-2*time.Hour), now.Add(-time.Hour))
	if err != nil || len(ids) != 0 {
		t.Fatalf("%v %v", ids, err)
	}
}

func TestAuthorizationExchangeAndRefresh(t *testing.T) {
	s, f := server(t)
	s.AuthCode("TTP_code")
	a, ctx := adapter(), context.Background()
	fresh := map[string]string{"app_key": appKey, "app_secret": appSecret, "api_base": s.URL, "auth_base": s.URL}
	tok, err := a.Exchange(ctx, fresh, "TTP_code", nil)
	if err != nil {
		t.Fatal(err)
	}
	if tok.Access == "" || tok.Refresh == "" || tok.Fields["shop_cipher"] != cipher || tok.Fields["shop_id"] != shopID || tok.AccessExpires.Before(time.Now()) {
		t.Fatalf("%+v", tok)
	}
	// A code is used once.
	if _, err := a.Exchange(ctx, fresh, "TTP_code", nil); err == nil {
		t.Fatal("a used code was taken again")
	}
	f["refresh_token"] = tok.Refresh
	r, err := a.Refresh(ctx, f)
	if err != nil || r.Access == "" || r.Access == tok.Access {
		t.Fatalf("%+v %v", r, err)
	}
	u, err := a.AuthorizeURL(map[string]string{"service_id": "7431458374265161478"}, "", "st8")
	if err != nil || u != "https://services.tiktokshop.com/open/authorize?service_id=7431458374265161478&state=st8" {
		t.Fatalf("%s %v", u, err)
	}
	if _, err := a.AuthorizeURL(map[string]string{}, "", "x"); err == nil {
		t.Fatal("no service_id accepted")
	}
}

func TestExpiredTokenIsRenewedOnceAndKept(t *testing.T) {
	s, f := server(t)
	addOrder(s, orderID, "AWAITING_SHIPMENT")
	a, ctx := adapter(), context.Background()
	var mu sync.Mutex
	var heard []channel.Tokens
	a.OnTokens = func(_ map[string]string, tok channel.Tokens) { mu.Lock(); heard = append(heard, tok); mu.Unlock() }
	s.Expire()
	var wg sync.WaitGroup
	for range 5 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := a.Details(ctx, f, orderID); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if s.Calls("GET /api/v2/token/refresh") != 1 || len(heard) != 1 {
		t.Fatalf("%d refreshes, %d heard", s.Calls("GET /api/v2/token/refresh"), len(heard))
	}
	// The renewed pair is used until the account holds a newer one.
	if _, err := a.Details(ctx, f, orderID); err != nil || s.Calls("GET /api/v2/token/refresh") != 1 {
		t.Fatalf("%v, %d refreshes", err, s.Calls("GET /api/v2/token/refresh"))
	}
	// An account that says its token is about to expire renews before calling.
	f2 := map[string]string{}
	for k, v := range f {
		f2[k] = v
	}
	f2["access_token"], f2["refresh_token"] = heard[0].Access, heard[0].Refresh
	f2["expires_at"] = time.Now().Add(30 * time.Second).Format(time.RFC3339)
	if _, err := a.Details(ctx, f2, orderID); err != nil || s.Calls("GET /api/v2/token/refresh") != 2 {
		t.Fatalf("%v, %d refreshes", err, s.Calls("GET /api/v2/token/refresh"))
	}
}

func TestFaultsLoseNothingAndDoubleNothing(t *testing.T) {
	s, f := server(t)
	addOrder(s, orderID, "AWAITING_SHIPMENT")
	a, ctx := adapter(), context.Background()
	o := tikOrder(orderID)
	o.CancelReason = app.CancelOutOfStock
	s.Fail("1", http.StatusInternalServerError, http.StatusServiceUnavailable)
	s.Fail("1", http.StatusTooManyRequests)
	s.Expire()
	start := time.Now()
	if err := a.Push(ctx, f, channel.Decision{Step: app.StepCancel, Order: o}); err != nil {
		t.Fatal(err)
	}
	if s.Writes("cancel") != 1 || s.Status(orderID) != "CANCELLED" || s.Calls("GET /api/v2/token/refresh") != 1 {
		t.Fatalf("%d cancels, status %s, %d refreshes", s.Writes("cancel"), s.Status(orderID), s.Calls("GET /api/v2/token/refresh"))
	}
	if time.Since(start) < time.Second {
		t.Fatal("Retry-After was not waited out")
	}
	// Down for longer than one call's attempts: unavailable, to be retried, nothing written.
	addOrder(s, "2", "AWAITING_SHIPMENT")
	s.Fail("", 500, 500, 500, 500)
	err := a.Push(ctx, f, channel.Decision{Step: app.StepCancel, Order: tikOrder("2")})
	var u *channel.Unavailable
	if !errors.As(err, &u) || s.Writes("cancel") != 1 {
		t.Fatalf("got %v", err)
	}
}

func TestTheFakeRefusesWrongCredentials(t *testing.T) {
	for name, tc := range map[string]struct {
		field, value, want string
	}{
		"wrong secret":      {"app_secret", "nope", "106001"},
		"wrong app key":     {"app_key", "nope", "app_key"},
		"wrong cipher":      {"shop_cipher", "ROW_other", "shop_cipher"},
		"unknown token":     {"access_token", "TTP_forged", "x-tts-access-token"},
		"no access, no way": {"refresh_token", "", ""},
	} {
		t.Run(name, func(t *testing.T) {
			s, f := server(t)
			addOrder(s, orderID, "AWAITING_SHIPMENT")
			f[tc.field] = tc.value
			_, err := adapter().Details(context.Background(), f, orderID)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("a good token without a refresh token: %v", err)
				}
				return
			}
			r, ok := channel.IsRefusal(err)
			if !ok || !strings.Contains(r.Message, tc.want) {
				t.Fatalf("got %v", err)
			}
		})
	}
	_, f := server(t)
	delete(f, "shop_cipher")
	_, err := adapter().Details(context.Background(), f, orderID)
	var ae *app.Error
	if !errors.As(err, &ae) || string(ae.Field) != "shop_cipher" {
		t.Fatalf("got %v", err)
	}
}

func TestHookVerifiesRoutesAndParses(t *testing.T) {
	s, f := server(t)
	body := []byte(`{"type":1,"tts_notification_id":"7327112393057371910","shop_id":"` + shopID + `","timestamp":1644412885,` +
		`"data":{"order_id":"` + orderID + `","order_status":"AWAITING_SHIPMENT","is_on_hold_order":false,"update_time":1644412885}}`)
	r := httptest.NewRequest(http.MethodPost, "/v1/channels/tiktok/push", nil)
	h := tiktok.Hook{}
	if shop, err := h.PushShop(r, body); err != nil || shop != shopID || h.ShopField() != "shop_id" {
		t.Fatalf("%s %v", shop, err)
	}
	r.Header.Set("Authorization", strings.ToUpper(s.Push(body)))
	if !h.Verify(f, r, body) {
		t.Fatal("TikTok's own signature refused")
	}
	f["app_secret"] = "other"
	if h.Verify(f, r, body) {
		t.Fatal("a wrong secret verified")
	}
	in, err := h.Parse(r, body)
	if err != nil || len(in.Orders) != 1 || in.Orders[0].ExternalID != orderID || in.Orders[0].ChannelStatus != "AWAITING_SHIPMENT" || in.Delivery != "7327112393057371910" ||
		!in.Orders[0].UpdatedAt.Equal(time.Unix(1644412885, 0)) || !h.StatusOnly() {
		t.Fatalf("%+v %v", in, err)
	}
	// The webhook spells a cancelled order CANCEL.
	if _, err := h.Parse(r, []byte(`{"type":1,"data":{"order_id":"5764","order_status":"CANCEL"}}`)); err != nil {
		t.Fatal(err)
	}
	// A buyer's cancellation pending the seller opens the request.
	in, err = h.Parse(r, []byte(`{"type":11,"tts_notification_id":"73271","shop_id":"1","timestamp":1644412885,"data":{"order_id":"5764",`+
		`"cancellations_role":"BUYER","cancel_status":"CANCELLATION_REQUEST_PENDING","cancel_id":"4035318504086604100","create_time":1627587600}}`))
	if err != nil || len(in.Orders) != 1 || !in.Orders[0].CancelRequested || in.Orders[0].ChannelStatus != "" || in.Delivery != "73271" {
		t.Fatalf("%+v %v", in, err)
	}
	in, err = h.Parse(r, []byte(`{"type":11,"data":{"order_id":"5764","cancellations_role":"SELLER","cancel_status":"CANCELLATION_REQUEST_SUCCESS"}}`))
	if err != nil || in.Ignore == "" || len(in.Orders) != 0 {
		t.Fatalf("%+v %v", in, err)
	}
	in, err = h.Parse(r, []byte(`{"type":4,"shop_id":"1","data":{"sc_type":"COMBINE"}}`))
	if err != nil || in.Ignore == "" {
		t.Fatalf("%+v %v", in, err)
	}
	for raw, field := range map[string]string{
		`{"type":1,"data":{"order_id":"5764 1","order_status":"AWAITING_SHIPMENT"}}`: "data.order_id",
		`{"type":1,"data":{"order_id":"5764","order_status":"LOST"}}`:                "data.order_status",
		`{"type":1,"data":{"order_id":"5764"}}`:                                      "data.order_status",
	} {
		_, err := h.Parse(r, []byte(raw))
		var ae *app.Error
		if !errors.As(err, &ae) || string(ae.Field) != field {
			t.Errorf("%s: %v, want an error naming %s", raw, err, field)
		}
	}
	if _, err := h.PushShop(r, []byte(`{"type":1}`)); err == nil {
		t.Fatal("a push without shop_id routed")
	}
}

func TestParseOrderNamesTheField(t *testing.T) {
	for raw, field := range map[string]string{
		`{"status":"AWAITING_SHIPMENT"}`: "id",
		`{"id":"1","status":"LOST"}`:     "status",
		`{"id":"1","status":"AWAITING_SHIPMENT","payment":{"currency":"IDR","total_amount":"1.5"}}`:                                    "payment.total_amount",
		`{"id":"1","status":"AWAITING_SHIPMENT","line_items":[{"sku_id":"9","original_price":"x"}]}`:                                   "line_items[0].original_price",
		`{"id":"1","status":"AWAITING_SHIPMENT","payment":{"total_amount":"100"},"line_items":[{"sku_id":"9","original_price":"10"}]}`: "payment.total_amount",
		`[1]`: "data",
	} {
		_, _, err := tiktok.ParseOrder([]byte(raw))
		var ae *app.Error
		if !errors.As(err, &ae) || string(ae.Field) != field {
			t.Errorf("%s: %v, want an error naming %s", raw, err, field)
		}
	}
}

// BenchmarkTikTokOutboundCalls measures signed calls (Get Order Detail) to a local fake.
func BenchmarkTikTokOutboundCalls(b *testing.B) {
	s, f := server(b)
	addOrder(s, orderID, "AWAITING_SHIPMENT")
	a := adapter()
	const calls = 1000
	start := time.Now()
	for range b.N {
		for range calls {
			if _, err := a.Details(context.Background(), f, orderID); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.N*calls)/time.Since(start).Seconds(), "calls/s")
}

// TestCheckNamesTheRefusedField: account set's one test call names the
// field TikTok refused.
func TestCheckNamesTheRefusedField(t *testing.T) {
	for name, tc := range map[string]struct {
		field, value, want string
		expire             bool
	}{
		"good":           {"", "", "", false},
		"not authorized": {"access_token", "", "", false},
		"wrong secret":   {"app_secret", "nope", "app_secret", false},
		"wrong app key":  {"app_key", "nope", "app_key", false},
		"forged token":   {"access_token", "TTP_forged", "access_token", false},
		"another shop":   {"shop_id", "123", "shop_id", false},
		"another cipher": {"shop_cipher", "ROW_other", "shop_cipher", false},
		"spent refresh":  {"refresh_token", "TTP_spent", "refresh_token", true},
	} {
		t.Run(name, func(t *testing.T) {
			s, f := server(t)
			if tc.field != "" {
				f[tc.field] = tc.value
			}
			if tc.field == "access_token" && tc.value == "" {
				delete(f, "refresh_token")
			}
			if tc.expire {
				s.Expire()
			}
			err := adapter().Check(context.Background(), f)
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var ae *app.Error
			if !errors.As(err, &ae) || string(ae.Field) != tc.want {
				t.Fatalf("got %v, want an error naming %s", err, tc.want)
			}
		})
	}
}

// A parcel the shop sent with its own courier: Ship Package with
// self_shipment, the provider found by the courier's name among those of
// the order's delivery option; a retold one reads the package back; a
// courier TikTok does not list is refused in words naming the ones it does.
func TestShipWithTheShopsOwnCourier(t *testing.T) {
	s, f := server(t)
	addOrder(s, "1", "AWAITING_SHIPMENT")
	a, ctx := adapter(), context.Background()
	o := tikOrder("1")
	if a.Hears(app.StepTracking, o) {
		t.Fatal("heard a tracking step with no courier of the shop's")
	}
	o.Shipment = app.Shipment{Method: app.ShipManual, State: app.ShipmentPickedUp, Courier: "J&T", TrackingID: "JT0012345678"}
	if !a.Hears(app.StepTracking, o) {
		t.Fatal("the shop's own courier is not heard")
	}
	for _, retold := range []bool{false, true} {
		if err := a.Push(ctx, f, channel.Decision{Step: app.StepTracking, Order: o, Retold: retold}); err != nil {
			t.Fatal(err)
		}
	}
	st, handover, tracking := s.Package(packageID)
	if st != "PROCESSING" || handover != "SELF_SHIPMENT" || tracking != "JT0012345678" || s.Writes("ship") != 1 || s.Status("1") != "IN_TRANSIT" {
		t.Fatalf("package %s %s %s, %d ships, order %s", st, handover, tracking, s.Writes("ship"), s.Status("1"))
	}
	if b := string(s.Bodies("ship")[0]); !strings.Contains(b, `"shipping_provider_id":"6617675021119438849"`) {
		t.Fatalf("body %s", b)
	}
	addOrder(s, "2", "AWAITING_SHIPMENT")
	o2 := tikOrder("2")
	o2.Shipment = app.Shipment{Method: app.ShipManual, Courier: "Anteraja", TrackingID: "AR001"}
	err := a.Push(ctx, f, channel.Decision{Step: app.StepTracking, Order: o2})
	if r, ok := channel.IsRefusal(err); !ok || !strings.Contains(r.Message, "Anteraja") || !strings.Contains(r.Message, "JNE") {
		t.Fatalf("got %v", err)
	}
	if p, ok := tiktok.MatchProvider([]tiktok.ShippingProvider{{ID: "1", Name: "JNE"}, {ID: "2", Name: "JNE Trucking"}}, "jne"); !ok || p.ID != "1" {
		t.Fatalf("the exact name first: %+v %v", p, ok)
	}
	if _, ok := tiktok.MatchProvider([]tiktok.ShippingProvider{{ID: "1", Name: "JNE Express"}, {ID: "2", Name: "JNE Trucking"}}, "JNE"); ok {
		t.Fatal("two couriers fit, one was chosen")
	}
}
