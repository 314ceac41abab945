package shopee_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
	"github.com/kasir/pos/channel/shopee"
	"github.com/kasir/pos/channel/shopee/shopeetest"
)

const (
	partnerID = 2001234
	shopID    = 778899
	key       = "partner-key-0123"
	pushURL   = "https://cloud.example.id/v1/channels/shopee/push"
)

func adapter() *shopee.Adapter {
	a := shopee.New()
	a.Caller.FirstRetry, a.Caller.MaxWait = time.Millisecond, 2*time.Second
	return a
}

func fake(t testing.TB) (*shopeetest.Server, map[string]string) {
	s := shopeetest.New(partnerID, shopID, key)
	t.Cleanup(s.Close)
	access, refresh := s.Issue()
	return s, map[string]string{"partner_id": "2001234", "partner_key": key, "shop_id": "778899", "push_url": pushURL,
		"api_base": s.URL, "access_token": access, "refresh_token": refresh}
}

func sampleOrder(sn, status string) shopeetest.Order {
	return shopeetest.Order{SN: sn, Status: status, Buyer: "Budi Santoso", Phone: "6281234567", Address: "Jl. Merdeka 1, Bandung",
		City: "Bandung", State: "Jawa Barat", Zipcode: "40111", Total: 159000, Shipping: 9000, ShipBy: time.Now().Add(48 * time.Hour).Truncate(time.Second),
		Items: []shopeetest.OrderItem{{ItemID: 100, ModelID: 200, Name: "Kaos Polos", ModelName: "Hitam, L", ItemSKU: "KAOS", ModelSKU: "KAOS-HTM-L", Qty: 2, Price: 75000}}}
}

func order(sn string) *app.Order {
	return &app.Order{ID: "shopee:" + sn, Number: sn, Channel: app.ChannelShopee, ExternalID: sn, ChannelStatus: "READY_TO_SHIP",
		Lines: []app.Line{{SKU: "KAOS-HTM-L", Qty: 2, ExternalID: "100:200"}}}
}

func TestDetailsFillTheOrder(t *testing.T) {
	s, f := fake(t)
	s.AddOrder(sampleOrder("2411230ABC", "READY_TO_SHIP"))
	a := adapter()
	raw, err := a.Details(context.Background(), f, "2411230ABC")
	if err != nil {
		t.Fatal(err)
	}
	o, code, err := a.ParseDetails(raw)
	if err != nil || code != "READY_TO_SHIP" {
		t.Fatalf("%v %s", err, code)
	}
	if len(o.Lines) != 1 || o.Lines[0].SKU != "KAOS-HTM-L" || o.Lines[0].UnitPrice != 75000 || o.Lines[0].Name != "Kaos Polos (Hitam, L)" {
		t.Fatalf("lines %+v", o.Lines)
	}
	if o.Buyer.Name != "Budi Santoso" || o.Buyer.Address.City != "Bandung" || o.Total != 159000 || o.ShippingFee != 9000 ||
		o.PaymentMethod != app.PayMarketplace || o.ShipBy.IsZero() || o.ChannelUpdatedAt.IsZero() {
		t.Fatalf("order %+v", o)
	}
	in := app.Incoming{Channel: app.ChannelShopee, ExternalID: "2411230ABC", ChannelStatus: code, Order: o}
	if err := in.Validate(); err != nil {
		t.Fatalf("the parsed order breaks app's rules: %v", err)
	}
}

func TestDetailsCarryTheTrackingNumber(t *testing.T) {
	s, f := fake(t)
	o := sampleOrder("2411230ABD", "READY_TO_SHIP")
	s.AddOrder(o)
	a := adapter()
	ship := order("2411230ABD")
	ship.Shipment = app.Shipment{Method: app.ShipPickup, PickupFrom: time.Now().Add(28 * time.Hour)}
	if err := a.Push(context.Background(), f, channel.Decision{Step: app.StepShip, Order: ship}); err != nil {
		t.Fatal(err)
	}
	raw, err := a.Details(context.Background(), f, "2411230ABD")
	if err != nil {
		t.Fatal(err)
	}
	d, code, err := a.ParseDetails(raw)
	if err != nil || code != "PROCESSED" || d.Shipment.TrackingID != s.Tracking("2411230ABD") || d.Shipment.Courier != "SPX Express" {
		t.Fatalf("%v %s %+v", err, code, d.Shipment)
	}
}

func TestShipArrangesPickupAtTheChosenSlot(t *testing.T) {
	s, f := fake(t)
	s.AddOrder(sampleOrder("SHIP1", "READY_TO_SHIP"))
	a := adapter()
	o := order("SHIP1")
	// The second slot is four hours after the first: staff chose near it.
	o.Shipment = app.Shipment{Method: app.ShipPickup, PickupFrom: s.Addresses[0].Slots[1].Date.Add(10 * time.Minute)}
	if err := a.Push(context.Background(), f, channel.Decision{Step: app.StepShip, Order: o}); err != nil {
		t.Fatal(err)
	}
	got := s.Shipped("SHIP1")
	pick, _ := got["pickup"].(map[string]any)
	if pick["pickup_time_id"] != "slot-2" || pick["address_id"] != float64(5001) || s.Status("SHIP1") != "PROCESSED" {
		t.Fatalf("shipped with %v, status %s", got, s.Status("SHIP1"))
	}
	// Told again after a crash: read back, not arranged twice.
	if err := a.Push(context.Background(), f, channel.Decision{Step: app.StepShip, Order: o, Retold: true}); err != nil {
		t.Fatal(err)
	}
	if s.Writes("ship_order") != 1 {
		t.Fatalf("%d ship_order", s.Writes("ship_order"))
	}
}

func TestShipDropoff(t *testing.T) {
	s, f := fake(t)
	s.Branches = []int64{77}
	s.AddOrder(sampleOrder("DROP1", "READY_TO_SHIP"))
	o := order("DROP1")
	o.Shipment = app.Shipment{Method: app.ShipDropoff, Courier: "SPX Express"}
	if err := adapter().Push(context.Background(), f, channel.Decision{Step: app.StepShip, Order: o}); err != nil {
		t.Fatal(err)
	}
	drop, _ := s.Shipped("DROP1")["dropoff"].(map[string]any)
	if drop["branch_id"] != float64(77) {
		t.Fatalf("%v", s.Shipped("DROP1"))
	}
}

func TestShipWithoutPickupAddressIsRefusedInWords(t *testing.T) {
	s, f := fake(t)
	s.Addresses = nil
	s.AddOrder(sampleOrder("NOADDR", "READY_TO_SHIP"))
	o := order("NOADDR")
	o.Shipment = app.Shipment{Method: app.ShipPickup}
	err := adapter().Push(context.Background(), f, channel.Decision{Step: app.StepShip, Order: o})
	r, ok := channel.IsRefusal(err)
	if !ok || r.Message != "pickup address is not set" {
		t.Fatalf("got %v", err)
	}
}

func TestCancelReasons(t *testing.T) {
	s, f := fake(t)
	a := adapter()
	for _, c := range []struct {
		sn     string
		reason app.CancelReason
		want   string
	}{{"C1", app.CancelOutOfStock, shopee.ReasonOutOfStock}, {"C2", app.CancelByBuyer, shopee.ReasonCustomerRequest}, {"C3", app.CancelAutoReject, shopee.ReasonOutOfStock}} {
		s.AddOrder(sampleOrder(c.sn, "READY_TO_SHIP"))
		o := order(c.sn)
		o.CancelReason = c.reason
		if c.sn == "C3" {
			o.Lines = nil // never fetched: the items are read from Shopee
		}
		if err := a.Push(context.Background(), f, channel.Decision{Step: app.StepReject, Order: o}); err != nil {
			t.Fatalf("%s: %v", c.sn, err)
		}
		if s.Status(c.sn) != "CANCELLED" {
			t.Fatalf("%s: %s", c.sn, s.Status(c.sn))
		}
	}
	if r := s.Reasons(); strings.Join(r, ",") != "OUT_OF_STOCK,CUSTOMER_REQUEST,OUT_OF_STOCK" {
		t.Fatalf("reasons %v", r)
	}
	cod := order("C4")
	cod.PaymentMethod, cod.CancelReason, cod.CancelNote = app.PayCOD, app.CancelBySeller, "tidak terima COD"
	if got := shopee.CancelReason(cod, ""); got != shopee.ReasonCODNotSupported {
		t.Fatal(got)
	}
}

func TestBuyerCancelRequestApprovedAndDeclined(t *testing.T) {
	s, f := fake(t)
	a := adapter()
	for _, sn := range []string{"B1", "B2"} {
		s.AddOrder(sampleOrder(sn, "READY_TO_SHIP"))
		s.SetStatus(sn, "IN_CANCEL")
	}
	ok := order("B1")
	ok.ChannelStatus, ok.CancelReason = "IN_CANCEL", app.CancelBuyerRequest
	if err := a.Push(context.Background(), f, channel.Decision{Step: app.StepCancel, Order: ok}); err != nil {
		t.Fatal(err)
	}
	no := order("B2")
	no.ChannelStatus = "IN_CANCEL"
	if err := a.Push(context.Background(), f, channel.Decision{Step: app.StepDeclineCancel, Order: no}); err != nil {
		t.Fatal(err)
	}
	if s.Status("B1") != "CANCELLED" || s.Status("B2") != "READY_TO_SHIP" || strings.Join(s.Handled(), ",") != "ACCEPT,REJECT" || s.Writes("cancel_order") != 0 {
		t.Fatalf("%s %s %v", s.Status("B1"), s.Status("B2"), s.Handled())
	}
}

func TestRefusalInWords(t *testing.T) {
	s, f := fake(t)
	s.AddOrder(sampleOrder("DONE1", "COMPLETED"))
	err := adapter().Push(context.Background(), f, channel.Decision{Step: app.StepCancel, Order: order("DONE1")})
	r, ok := channel.IsRefusal(err)
	if !ok || !strings.Contains(r.Message, "Can not cancel this order") {
		t.Fatalf("got %v", err)
	}
}

func TestFakeRefusesWhatShopeeWould(t *testing.T) {
	s, f := fake(t)
	s.AddOrder(sampleOrder("X1", "READY_TO_SHIP"))
	for name, c := range map[string]struct {
		field, value, want string
	}{
		"wrong key":        {"partner_key", "nope", "Wrong sign"},
		"wrong partner_id": {"partner_id", "2001235", "Invalid partner_id"},
		"wrong shop_id":    {"shop_id", "778800", "Invalid partner_id or shop_id"},
		"unknown token":    {"access_token", "stolen", "authorize the shop again"},
	} {
		g := map[string]string{}
		for k, v := range f {
			g[k] = v
		}
		g[c.field] = c.value
		if c.field == "access_token" {
			g["refresh_token"] = ""
		}
		_, err := adapter().Details(context.Background(), g, "X1")
		r, ok := channel.IsRefusal(err)
		if !ok || !strings.Contains(r.Message, c.want) {
			t.Errorf("%s: got %v", name, err)
		}
	}
	// A missing required field, signed right.
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	path := "/api/v2/order/get_order_detail"
	q := url.Values{"partner_id": {"2001234"}, "timestamp": {ts}, "access_token": {f["access_token"]}, "shop_id": {"778899"},
		"sign": {shopee.Sign(key, "2001234"+path+ts+f["access_token"]+"778899")}}
	resp, err := http.Get(s.URL + path + "?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(b), "order_sn_list is a required field") {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
	q.Set("order_sn_list", "X1")
	if resp, err = http.Get(s.URL + path + "?" + q.Encode()); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("signed right, refused: %v", err)
	}
	resp.Body.Close()
	q.Set("timestamp", strconv.FormatInt(time.Now().Add(-10*time.Minute).Unix(), 10))
	if resp, err = http.Get(s.URL + path + "?" + q.Encode()); err != nil || resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("an old timestamp was taken: %v", err)
	}
	resp.Body.Close()
	if _, err := adapter().Updated(context.Background(), f, time.Now(), time.Now().Add(-time.Hour)); err == nil {
		t.Fatal("a reversed window was asked for")
	}
}

func TestFaultsLoseNothingAndDoubleNothing(t *testing.T) {
	for _, expired := range []string{shopeetest.ExpiredToken, shopeetest.AuthError} {
		t.Run(expired, func(t *testing.T) {
			s, f := fake(t)
			s.ExpiredError = expired
			s.AddOrder(sampleOrder("F1", "READY_TO_SHIP"))
			var mu sync.Mutex
			var renewed []channel.Tokens
			a := adapter()
			a.OnTokens = func(_ map[string]string, t channel.Tokens) { mu.Lock(); renewed = append(renewed, t); mu.Unlock() }
			s.Fail("1", http.StatusInternalServerError, http.StatusInternalServerError, http.StatusTooManyRequests)
			s.Expire()
			start := time.Now()
			o := order("F1")
			o.CancelReason = app.CancelOutOfStock
			if err := a.Push(context.Background(), f, channel.Decision{Step: app.StepReject, Order: o}); err != nil {
				t.Fatal(err)
			}
			if time.Since(start) < time.Second {
				t.Fatal("Retry-After was not waited out")
			}
			if s.Writes("cancel_order") != 1 || s.Status("F1") != "CANCELLED" || s.Writes("token") != 1 || len(renewed) != 1 {
				t.Fatalf("cancels %d status %s tokens %d renewed %d", s.Writes("cancel_order"), s.Status("F1"), s.Writes("token"), len(renewed))
			}
			// The renewed token is used from now on; the spent refresh token is not spent again.
			if _, err := a.Details(context.Background(), f, "F1"); err != nil {
				t.Fatal(err)
			}
			if s.Writes("token") != 1 {
				t.Fatal("renewed twice")
			}
		})
	}
}

func TestPlatformDownIsUnavailable(t *testing.T) {
	s, f := fake(t)
	s.AddOrder(sampleOrder("D1", "READY_TO_SHIP"))
	s.Fail("0", 500, 500, 500, 500)
	_, err := adapter().Details(context.Background(), f, "D1")
	var u *channel.Unavailable
	if !errors.As(err, &u) {
		t.Fatalf("got %v", err)
	}
}

func TestStockAndListings(t *testing.T) {
	s, f := fake(t)
	s.AddItem(shopeetest.Item{ID: 100, Name: "Kaos Polos", SKU: "KAOS", Models: []shopeetest.Model{
		{ID: 200, SKU: "KAOS-HTM-L", Option: "Hitam, L", Price: 75000, Stock: 3}, {ID: 201, SKU: "KAOS-PTH-L", Option: "Putih, L", Price: 75000, Stock: 1}}})
	s.AddItem(shopeetest.Item{ID: 101, Name: "Topi", SKU: "TOPI", Models: []shopeetest.Model{{ID: 0, SKU: "TOPI", Price: 30000, Stock: 4}}})
	s.AddItem(shopeetest.Item{ID: 102, Name: "Tas", SKU: ""})
	a, ctx := adapter(), context.Background()
	if err := a.Stock(ctx, f, channel.Listing{SKU: "KAOS-HTM-L", Qty: 9}); err != nil {
		t.Fatal(err)
	}
	if err := a.Stock(ctx, f, channel.Listing{SKU: "TOPI", Qty: 0}); err != nil {
		t.Fatal(err)
	}
	if s.Stock(100, 200) != 9 || s.Stock(100, 201) != 1 || s.Stock(101, 0) != 0 {
		t.Fatalf("stock %d %d %d", s.Stock(100, 200), s.Stock(100, 201), s.Stock(101, 0))
	}
	// A SKU with no listing has nothing to set.
	if err := a.Stock(ctx, f, channel.Listing{SKU: "NOPE", Qty: 1}); err != nil {
		t.Fatal(err)
	}
	list, err := a.Listings(ctx, f)
	if err != nil || len(list) != 4 {
		t.Fatalf("%v %+v", err, list)
	}
	var notInPOS int
	for _, l := range list {
		if l.SKU == "" {
			notInPOS++
		}
		if l.ID == "100:200" && (l.Qty != 9 || l.Price != 75000 || l.Name != "Kaos Polos (Hitam, L)") {
			t.Fatalf("%+v", l)
		}
	}
	if notInPOS != 1 {
		t.Fatalf("%d listings without SKU", notInPOS)
	}
}

func TestUpdatedListsByUpdateTime(t *testing.T) {
	s, f := fake(t)
	for i := 0; i < 130; i++ {
		o := sampleOrder(fmt.Sprintf("L%03d", i), "READY_TO_SHIP")
		o.UpdateTime = time.Now().Add(-time.Duration(i) * 4 * time.Hour)
		s.AddOrder(o)
	}
	// 20 days back: two windows (15-day limit), the first of two pages.
	got, err := adapter().Updated(context.Background(), f, time.Now().Add(-20*24*time.Hour), time.Now().Add(time.Minute))
	if err != nil || len(got) != 121 {
		t.Fatalf("%d orders, %v", len(got), err)
	}
}

func TestAirwayBill(t *testing.T) {
	s, f := fake(t)
	s.AddOrder(sampleOrder("AWB1", "READY_TO_SHIP"))
	a, ctx := adapter(), context.Background()
	o := order("AWB1")
	if _, _, err := a.AirwayBill(ctx, f, o); err == nil {
		t.Fatal("a bill before the parcel has a tracking number")
	}
	o.Shipment = app.Shipment{Method: app.ShipPickup}
	if err := a.Push(ctx, f, channel.Decision{Step: app.StepShip, Order: o}); err != nil {
		t.Fatal(err)
	}
	doc, mt, err := a.AirwayBill(ctx, f, o)
	if err != nil || mt != "application/pdf" || !bytes.Contains(doc, []byte(s.Tracking("AWB1"))) {
		t.Fatalf("%v %s %q", err, mt, doc)
	}
}

func TestAuthorization(t *testing.T) {
	s, f := fake(t)
	a, ctx := adapter(), context.Background()
	link, err := a.AuthorizeURL(f, "https://cloud.example.id/v1/oauth/shopee/callback", "st4te")
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(link)
	q := u.Query()
	if u.Path != "/api/v2/shop/auth_partner" || q.Get("partner_id") != "2001234" || q.Get("sign") != shopee.Sign(key, "2001234/api/v2/shop/auth_partner"+q.Get("timestamp")) ||
		!strings.Contains(q.Get("redirect"), "state=st4te") {
		t.Fatalf("link %s", link)
	}
	s.Authorize("code-1")
	tok, err := a.Exchange(ctx, f, "code-1", map[string]string{"code": "code-1", "shop_id": "778899"})
	if err != nil || tok.Access == "" || tok.Refresh == "" || tok.AccessExpires.Before(time.Now().Add(3*time.Hour)) || tok.Fields["shop_id"] != "778899" {
		t.Fatalf("%+v %v", tok, err)
	}
	if _, err := a.Exchange(ctx, f, "code-1", map[string]string{"shop_id": "778899"}); err == nil {
		t.Fatal("a code was used twice")
	}
	f["access_token"], f["refresh_token"] = tok.Access, tok.Refresh
	renewed, err := a.Refresh(ctx, f)
	if err != nil || renewed.Access == tok.Access || renewed.Refresh == tok.Refresh {
		t.Fatalf("%+v %v", renewed, err)
	}
	// The spent refresh token is refused: Shopee's are single use.
	g := map[string]string{}
	for k, v := range f {
		g[k] = v
	}
	if _, err := adapter().Refresh(ctx, g); err == nil {
		t.Fatal("a refresh token was used twice")
	}
}

func TestHookVerifiesRoutesAndParses(t *testing.T) {
	s, f := fake(t)
	o := sampleOrder("2411230XYZ", "READY_TO_SHIP")
	o.UpdateTime = time.Unix(1700000000, 0)
	s.AddOrder(o)
	h := shopee.Hook{}
	body := s.StatusPush("2411230XYZ")
	r := httptest.NewRequest(http.MethodPost, "http://10.0.0.5:8720/v1/channels/shopee/push", bytes.NewReader(body))
	r.Header.Set("Authorization", strings.ToUpper(s.SignPush(pushURL, body)))
	if !h.Verify(f, r, body) {
		t.Fatal("a push signed for the registered URL, upper-case hex, did not verify")
	}
	if h.Verify(f, r, append(body, ' ')) {
		t.Fatal("a changed body verified")
	}
	g := map[string]string{"partner_key": key, "push_url": "https://other.example/push"}
	if h.Verify(g, r, body) {
		t.Fatal("a push signed for another URL verified")
	}
	if shop, err := h.PushShop(r, body); err != nil || shop != "778899" || h.ShopField() != "shop_id" {
		t.Fatal(shop, err)
	}
	in, err := h.Parse(r, body)
	if err != nil || len(in.Orders) != 1 || in.Orders[0].ChannelStatus != "READY_TO_SHIP" || !in.Orders[0].UpdatedAt.Equal(time.Unix(1700000000, 0)) || in.Delivery == "" {
		t.Fatalf("%+v %v", in, err)
	}
	s.SetStatus("2411230XYZ", "PROCESSED")
	tr, err := h.Parse(r, []byte(`{"msg_id":"m2","shop_id":778899,"code":4,"timestamp":1767833661,"data":{"ordersn":"2411230XYZ","package_number":"OFG1","tracking_no":"SPXID069148014501"}}`))
	if err != nil || tr.Orders[0].Order == nil || tr.Orders[0].Order.Shipment.TrackingID != "SPXID069148014501" {
		t.Fatalf("%+v %v", tr, err)
	}
	if err := tr.Orders[0].Validate(); err != nil {
		t.Fatalf("the tracking push breaks app's rules: %v", err)
	}
	other, err := h.Parse(r, []byte(`{"shop_id":778899,"code":1,"timestamp":1,"data":{}}`))
	if err != nil || other.Ignore == "" {
		t.Fatalf("%+v %v", other, err)
	}
	for raw, field := range map[string]string{
		`{"shop_id":1,"code":3,"data":{"ordersn":"abc","status":"READY_TO_SHIP"}}`: "data.ordersn",
		`{"shop_id":1,"code":3,"data":{"ordersn":"ABC","status":"LOST"}}`:          "data.status",
		`{"shop_id":1,"code":4,"data":{"ordersn":"ABC","tracking_no":""}}`:         "data.tracking_no",
		`{"shop_id":1,"code":3,"data":{"ordersn":"ABC","status":""}}`:              "data.status",
		`[]`: "body",
	} {
		_, err := h.Parse(r, []byte(raw))
		var ae *app.Error
		if !errors.As(err, &ae) || string(ae.Field) != field {
			t.Errorf("%s: %v, want an error naming %s", raw, err, field)
		}
	}
	if _, err := h.PushShop(r, []byte(`{"shop_id":"x"}`)); err == nil {
		t.Fatal("a non-numeric shop_id routed")
	}
	if ct, ack := h.Ack(); ct != "" || len(ack) != 0 {
		t.Fatal("Shopee's ack is an empty 200")
	}
	a := adapter()
	if !a.Verify(pushURL+"\x00"+key, s.SignPush(pushURL, body), body) || a.Verify(key, s.SignPush(pushURL, body), body) {
		t.Fatal("Adapter.Verify")
	}
}

func TestParseOrderNamesTheField(t *testing.T) {
	for raw, field := range map[string]string{
		`{"order_status":"READY_TO_SHIP"}`:                                                                                          "order_sn",
		`{"order_sn":"A1","order_status":"LOST"}`:                                                                                   "order_status",
		`{"order_sn":"A1","order_status":"READY_TO_SHIP","total_amount":1.5}`:                                                       "total_amount",
		`{"order_sn":"A1","order_status":"READY_TO_SHIP","item_list":[{"model_quantity_purchased":0}]}`:                             "item_list[0].model_quantity_purchased",
		`{"order_sn":"A1","order_status":"READY_TO_SHIP","currency":"XYZ"}`:                                                         "currency",
		`{"order_sn":"A1","order_status":"READY_TO_SHIP","item_list":[{"model_quantity_purchased":1,"model_discounted_price":-1}]}`: "item_list[0].model_discounted_price",
		`[1]`: "order_list",
	} {
		_, _, err := shopee.ParseOrder([]byte(raw))
		var ae *app.Error
		if !errors.As(err, &ae) || string(ae.Field) != field {
			t.Errorf("%s: %v, want an error naming %s", raw, err, field)
		}
	}
	// Vouchers: the buyer paid less than lines and shipping.
	o, _, err := shopee.ParseOrder([]byte(`{"order_sn":"A1","order_status":"READY_TO_SHIP","total_amount":150000,"estimated_shipping_fee":9000,
		"item_list":[{"item_id":1,"model_id":0,"item_sku":"TOPI","model_quantity_purchased":2,"model_discounted_price":75000}]}`))
	if err != nil || o.Discount != 9000 || o.ShippingFee != 9000 || o.Lines[0].SKU != "TOPI" || o.Lines[0].ExternalID != "1:0" {
		t.Fatalf("%+v %v", o, err)
	}
}

// BenchmarkShopeeOutboundCalls measures signed calls (update_stock) to a
// local fake: each is signed with HMAC-SHA256 and checked by the fake.
func BenchmarkShopeeOutboundCalls(b *testing.B) {
	s, f := fake(b)
	s.AddItem(shopeetest.Item{ID: 101, Name: "Topi", SKU: "TOPI"})
	a := adapter()
	if err := a.Stock(context.Background(), f, channel.Listing{SKU: "TOPI", Qty: 1}); err != nil {
		b.Fatal(err)
	}
	const calls = 1000
	start := time.Now()
	for range b.N {
		for i := range calls {
			if err := a.Stock(context.Background(), f, channel.Listing{SKU: "TOPI", Qty: i}); err != nil {
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
		t.Fatalf("good account refused: %v", err)
	}
	for field, value := range map[string]string{"partner_key": "nope", "partner_id": "2001235", "shop_id": "778800", "access_token": "stolen"} {
		g := map[string]string{}
		for k, v := range f {
			g[k] = v
		}
		g[field] = value
		var ae *app.Error
		if err := a.Check(ctx, g); !errors.As(err, &ae) || string(ae.Field) != field {
			t.Errorf("%s: %v", field, err)
		}
	}
	if s.Writes("token") != 0 {
		t.Fatal("a check spent a refresh token")
	}
	delete(f, "access_token")
	if err := a.Check(ctx, f); err != nil {
		t.Fatalf("an account not yet authorized: %v", err)
	}
}

func TestAnswerThatDoesNotParseIsARefusalWithTheBody(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("<html>gateway says hello</html>"))
	}))
	defer srv.Close()
	_, f := fake(t)
	f["api_base"] = srv.URL
	_, err := adapter().Details(context.Background(), f, "X1")
	r, ok := channel.IsRefusal(err)
	if !ok || !strings.Contains(r.Body, "gateway says hello") {
		t.Fatalf("got %v", err)
	}
}
