package cloud

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
	"github.com/kasir/pos/channel/lazada"
	"github.com/kasir/pos/channel/lazada/lazadatest"
)

const (
	lzKey    = "104321"
	lzSecret = "lz_secret_0123456789abcdef"
	lzSeller = "200123456"
	lzOrder  = 260422900198363
)

// startLazadaCloud is a served cloud whose only connector is the real
// Lazada adapter, retrying fast, with the default hooks (Lazada's at
// /v1/channels/lazada/push).
func startLazadaCloud(t testing.TB) (*channelsCloud, *lazada.Adapter) {
	t.Helper()
	st, err := OpenBolt(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	acc, err := OpenAccounts(st, noticeKey)
	if err != nil {
		t.Fatal(err)
	}
	lz := lazada.New()
	lz.Caller.FirstRetry, lz.Caller.MaxWait, lz.Caller.Timeout = time.Millisecond, 2*time.Second, 2*time.Second
	c := NewChannels(lz)
	s := NewServer(st, Options{Logger: quiet(), Followers: []Follower{c}, Accounts: acc})
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := s.Serve(ctx, "127.0.0.1:0", "", "", func(a string) { ready <- a }); err != nil {
			t.Error(err)
		}
	}()
	cc := &channelsCloud{srv: s, st: st, url: "http://" + <-ready, c: c}
	t.Cleanup(func() { cancel(); <-done; st.Close() })
	return cc, lz
}

// lazadaPush posts the trade order message Lazada sends for one line, signed
// with the app's key and secret, to the one push URL of the partner app.
func lazadaPush(t testing.TB, cc *channelsCloud, line int64, status string, at time.Time) {
	t.Helper()
	body := []byte(fmt.Sprintf(`{"seller_id":"%s","message_type":0,"timestamp":%d,"site":"lazada_id","data":{"order_status":"%s","trade_order_id":"%d","trade_order_line_id":"%d","status_update_time":%d}}`,
		lzSeller, at.UnixMilli(), status, lzOrder, line, at.Unix()))
	req, _ := http.NewRequest(http.MethodPost, cc.url+"/v1/channels/lazada/push", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", lazada.PushSignature(lzKey, lzSecret, body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("push %d %s: HTTP %d", line, status, resp.StatusCode)
	}
}

func lazadaStock(t testing.TB, cc *channelsCloud, shop, sku string) *app.Product {
	t.Helper()
	snap, err := cc.st.Snapshot(shop)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range snap.Products {
		if p.SKU == sku {
			return p
		}
	}
	t.Fatalf("no product %s", sku)
	return nil
}

// TestLazadaEndToEnd: the seller authorizes the app (code exchanged at the
// fake's auth host) → Lazada pushes the order's two lines → the follower
// fetches GetOrder and GetOrderItems: lines linked by SKU, buyer, amounts →
// accepting packs the items at Lazada (through 500s, a 429 and an expired
// token, each item packed once) and Lazada hears the new stock → Lazada's
// "packed" push brings the tracking number → arranging shipment marks the
// package ready to ship, once → the airway bill is Lazada's PDF. Every
// call the fake took carried a valid signature and token.
func TestLazadaEndToEnd(t *testing.T) {
	fake := lazadatest.New(lzKey, lzSecret, lzSeller)
	defer fake.Close()
	fake.AddOrder(lazadatest.Order{ID: lzOrder, Buyer: "Budi Santoso", Phone: "081234567890", Street: "Jl. Braga 5",
		Province: "Jawa Barat", City: "Bandung", District: "Sumur Bandung", PostCode: "40111", ShippingFee: 9000, PaymentMethod: "MIXEDCARD",
		Items: []*lazadatest.Item{
			{OrderItemID: 1001, Name: "Kaos Polos", SKU: "SKU-001", ItemPrice: 75000},
			{OrderItemID: 1002, Name: "Topi", SKU: "SKU-002", ItemPrice: 50000},
		}})
	fake.AddSKU(lazadatest.SKU{ItemID: 6718170187, SkuID: 12761620980, SellerSku: "SKU-001", Name: "Kaos Polos", Price: 75000, Quantity: 10})
	fake.AddSKU(lazadatest.SKU{ItemID: 6718170188, SkuID: 12761620981, SellerSku: "SKU-002", Name: "Topi", Price: 50000, Quantity: 5})
	cc, lz := startLazadaCloud(t)
	shop := cc.shop(t, app.AccountLazada, fmt.Sprintf(`{"app_key":%q,"app_secret":%q,"seller_id":%q,"api_base":%q,"auth_base":%q}`,
		lzKey, lzSecret, lzSeller, fake.Base(), fake.Base()))
	if err := cc.srv.ImportProducts(shop.ID, []*app.Product{
		{SKU: "SKU-001", Name: "Kaos Polos", Currency: app.IDR, Price: 75000, OnHand: 10},
		{SKU: "SKU-002", Name: "Topi", Currency: app.IDR, Price: 50000, OnHand: 5}}); err != nil {
		t.Fatal(err)
	}
	fake.Code("0_104321_auth")
	if _, err := cc.srv.ConnectCode(context.Background(), shop.ID, app.AccountLazada, "0_104321_auth", nil); err != nil {
		t.Fatal(err)
	}
	granted, err := cc.srv.accounts.Account(shop.ID, app.AccountLazada)
	if err != nil || granted.Fields["access_token"] == "" {
		t.Fatalf("the grant was not kept: %v", err)
	}

	t0 := time.Now().Add(-time.Minute)
	lazadaPush(t, cc, 1001, "pending", t0)
	lazadaPush(t, cc, 1002, "pending", t0)
	lazadaPush(t, cc, 1002, "pending", t0) // Lazada retries a push: nothing doubles
	eventually(t, "the details", func() bool { return !cc.order(t, shop.ID).DetailsPending })
	o := cc.order(t, shop.ID)
	if len(o.Lines) != 2 || !o.Lines[0].Linked || !o.Lines[1].Linked || o.Lines[1].SKU != "SKU-002" ||
		o.Buyer.Name != "Budi Santoso" || o.Buyer.Address.City != "Bandung" || o.Total != 134000 || o.Status != app.StatusNew {
		t.Fatalf("order %+v", o)
	}

	fake.Fail("1", http.StatusInternalServerError, http.StatusServiceUnavailable, http.StatusTooManyRequests)
	fake.Expire()
	cc.do(t, shop.ID, o.ID, app.ActionAccept, app.Args{})
	eventually(t, "the package", func() bool { return fake.Writes("pack") == 2 })
	if p := lazadaStock(t, cc, shop.ID, "SKU-001"); p.Allocated != 1 {
		t.Fatalf("SKU-001 %+v", p)
	}
	eventually(t, "Lazada to hear the stock", func() bool { return fake.Stock("SKU-001") == 9 && fake.Stock("SKU-002") == 4 })

	// Lazada pushes each line packed; the order has no tracking number yet, so it is fetched.
	lazadaPush(t, cc, 1001, "packed", time.Now())
	lazadaPush(t, cc, 1002, "packed", time.Now())
	eventually(t, "the tracking number", func() bool {
		o := cc.order(t, shop.ID)
		return o.Shipment.TrackingID == "LXID00000001" && !o.DetailsPending
	})

	cc.do(t, shop.ID, o.ID, app.ActionArrangeDropoff, app.Args{Courier: "LEX ID"})
	eventually(t, "ready to ship", func() bool {
		items := fake.Items(lzOrder)
		return len(items) == 2 && items[0].Status == "ready_to_ship" && items[1].Status == "ready_to_ship"
	})
	lazadaPush(t, cc, 1001, "ready_to_ship", time.Now())
	eventually(t, "the calls recorded done", func() bool {
		o := cc.order(t, shop.ID)
		done := 0
		for _, c := range o.ChannelCalls {
			if c.State == app.CallDone {
				done++
			}
		}
		return done == 2 && o.Shipment.TrackingID == "LXID00000001"
	})
	if fake.Writes("pack") != 2 || fake.Writes("rts") != 1 || fake.Calls("/order/fulfill/pack") != 1 || fake.Calls("/order/package/rts") != 1 {
		t.Fatalf("packed %d in %d calls, rts %d in %d calls", fake.Writes("pack"), fake.Calls("/order/fulfill/pack"), fake.Writes("rts"), fake.Calls("/order/package/rts"))
	}
	if fake.Calls("/auth/token/create") != 1 || fake.Calls("/auth/token/refresh") < 1 {
		t.Fatalf("tokens: %d created, %d refreshed", fake.Calls("/auth/token/create"), fake.Calls("/auth/token/refresh"))
	}

	acc, err := cc.srv.accounts.Account(shop.ID, app.AccountLazada)
	if err != nil {
		t.Fatal(err)
	}
	// The pair the expired token forced is kept in the account, so a
	// restarted cloud does not start from a dead token.
	if a := acc.Fields["access_token"]; a == "" || a == granted.Fields["access_token"] || acc.Fields["refresh_token"] == granted.Fields["refresh_token"] {
		t.Fatalf("the account still holds the expired token %q", a)
	}
	o = cc.order(t, shop.ID)
	doc, mt, err := lz.AirwayBill(context.Background(), acc.Fields, o)
	if err != nil || mt != "application/pdf" || !bytes.HasPrefix(doc, []byte("%PDF")) {
		t.Fatalf("airway bill %q %s %v", doc, mt, err)
	}
	// A terminal gets the same bill drawn for its label printer (bills_test.go).
	billForATerminal(t, cc.st, cc.url, shop.ID, o.ID, "lazada")
}

// TestLazadaLinePushesAtTheCloud: the bugs issue 12 found with real
// bodies, through the push route: a line cancelled by Lazada cancels that
// line only and gives back its stock; a line pushed after accept joins the
// order, is fetched, and its stock is allocated.
func TestLazadaLinePushesAtTheCloud(t *testing.T) {
	fake := lazadatest.New(lzKey, lzSecret, lzSeller)
	defer fake.Close()
	fake.AddOrder(lazadatest.Order{ID: lzOrder, Buyer: "Budi Santoso", Phone: "081234567890", Street: "Jl. Braga 5", City: "Bandung",
		ShippingFee: 9000, PaymentMethod: "COD",
		Items: []*lazadatest.Item{
			{OrderItemID: 1001, Name: "Kaos Polos", SKU: "SKU-001", ItemPrice: 75000},
			{OrderItemID: 1002, Name: "Topi", SKU: "SKU-002", ItemPrice: 50000},
		}})
	cc, _ := startLazadaCloud(t)
	access, refresh := fake.Tokens()
	shop := cc.shop(t, app.AccountLazada, fmt.Sprintf(`{"app_key":%q,"app_secret":%q,"seller_id":%q,"api_base":%q,"auth_base":%q,"access_token":%q,"refresh_token":%q}`,
		lzKey, lzSecret, lzSeller, fake.Base(), fake.Base(), access, refresh))
	if err := cc.srv.ImportProducts(shop.ID, []*app.Product{
		{SKU: "SKU-001", Name: "Kaos Polos", Currency: app.IDR, Price: 75000, OnHand: 10},
		{SKU: "SKU-002", Name: "Topi", Currency: app.IDR, Price: 50000, OnHand: 5},
		{SKU: "SKU-003", Name: "Tas", Currency: app.IDR, Price: 90000, OnHand: 2}}); err != nil {
		t.Fatal(err)
	}
	t0 := time.Now().Add(-time.Minute)
	lazadaPush(t, cc, 1001, "pending", t0)
	lazadaPush(t, cc, 1002, "pending", t0)
	eventually(t, "the details", func() bool { return !cc.order(t, shop.ID).DetailsPending })
	o := cc.order(t, shop.ID)
	if o.PaymentMethod != app.PayCOD {
		t.Fatalf("payment %s", o.PaymentMethod)
	}
	cc.do(t, shop.ID, o.ID, app.ActionAccept, app.Args{})
	eventually(t, "the package", func() bool { return fake.Writes("pack") == 2 })

	// The buyer cancels the cap at Lazada.
	fake.SetItemStatus(lzOrder, 1002, "canceled")
	lazadaPush(t, cc, 1002, "canceled", t0.Add(10*time.Second))
	eventually(t, "the line cancelled", func() bool {
		o := cc.order(t, shop.ID)
		return len(o.Lines) == 2 && o.Lines[1].Cancelled
	})
	o = cc.order(t, shop.ID)
	if o.Status != app.StatusReadyToShip || o.Total != 84000 {
		t.Fatalf("%s total %d", o.Status, o.Total)
	}
	if a, b := lazadaStock(t, cc, shop.ID, "SKU-001").Allocated, lazadaStock(t, cc, shop.ID, "SKU-002").Allocated; a != 1 || b != 0 {
		t.Fatalf("allocated %d, %d", a, b)
	}

	// A line Lazada adds after accept (a replacement item) joins the order.
	fake.AddOrder(lazadatest.Order{ID: lzOrder, Buyer: "Budi Santoso", Phone: "081234567890", Street: "Jl. Braga 5", City: "Bandung",
		ShippingFee: 9000, PaymentMethod: "COD",
		Items: []*lazadatest.Item{
			{OrderItemID: 1001, Name: "Kaos Polos", SKU: "SKU-001", ItemPrice: 75000, Status: "packed", PackageID: "FP000000001", TrackingCode: "LXID00000001", ShipmentProvider: "LEX ID"},
			{OrderItemID: 1002, Name: "Topi", SKU: "SKU-002", ItemPrice: 50000, Status: "canceled"},
			{OrderItemID: 1003, Name: "Tas", SKU: "SKU-003", ItemPrice: 90000, Status: "pending"},
		}})
	lazadaPush(t, cc, 1003, "pending", t0.Add(20*time.Second))
	eventually(t, "the late line described", func() bool {
		o := cc.order(t, shop.ID)
		return len(o.Lines) == 3 && o.Lines[2].SKU == "SKU-003" && !o.DetailsPending
	})
	o = cc.order(t, shop.ID)
	if o.Status != app.StatusReadyToShip || o.Total != 174000 || lazadaStock(t, cc, shop.ID, "SKU-003").Allocated != 1 {
		t.Fatalf("%s total %d, SKU-003 %+v", o.Status, o.Total, lazadaStock(t, cc, shop.ID, "SKU-003"))
	}
	if o.Shipment.TrackingID != "LXID00000001" {
		t.Fatalf("tracking %+v", o.Shipment)
	}
}

// TestLazadaPushWithAnotherAppsSignatureIsRefused: the seller's account
// keys verify its pushes; another key, or an unknown seller, writes nothing.
func TestLazadaPushWithAnotherAppsSignatureIsRefused(t *testing.T) {
	cc, _ := startLazadaCloud(t)
	shop := cc.shop(t, app.AccountLazada, fmt.Sprintf(`{"app_key":%q,"app_secret":%q,"seller_id":%q}`, lzKey, lzSecret, lzSeller))
	for name, c := range map[string]struct{ seller, secret string }{
		"wrong secret":   {lzSeller, "another-secret"},
		"unknown seller": {"999", lzSecret},
	} {
		body := []byte(fmt.Sprintf(`{"seller_id":"%s","message_type":0,"data":{"order_status":"pending","trade_order_id":"1","trade_order_line_id":"2"}}`, c.seller))
		req, _ := http.NewRequest(http.MethodPost, cc.url+"/v1/channels/lazada/push", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", channel.SignHex(c.secret, append([]byte(lzKey), body...)))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s: HTTP %d", name, resp.StatusCode)
		}
	}
	if n := orderCount(t, cc.st, shop.ID); n != 0 {
		t.Fatalf("%d orders written", n)
	}
}

// TestLazadaDownLongerThanOneRound: Lazada answers 500 to every attempt of
// a round; the follower tries the accept again later and it is packed
// once, when Lazada is back.
func TestLazadaDownLongerThanOneRound(t *testing.T) {
	fake := lazadatest.New(lzKey, lzSecret, lzSeller)
	defer fake.Close()
	fake.AddOrder(lazadatest.Order{ID: lzOrder, Buyer: "Budi Santoso", Phone: "081234567890", Street: "Jl. Braga 5", City: "Bandung",
		ShippingFee: 9000, PaymentMethod: "MIXEDCARD",
		Items: []*lazadatest.Item{{OrderItemID: 1001, Name: "Kaos Polos", SKU: "SKU-001", ItemPrice: 75000}}})
	cc, _ := startLazadaCloud(t)
	access, refresh := fake.Tokens()
	shop := cc.shop(t, app.AccountLazada, fmt.Sprintf(`{"app_key":%q,"app_secret":%q,"seller_id":%q,"api_base":%q,"auth_base":%q,"access_token":%q,"refresh_token":%q}`,
		lzKey, lzSecret, lzSeller, fake.Base(), fake.Base(), access, refresh))
	lazadaPush(t, cc, 1001, "pending", time.Now())
	eventually(t, "the details", func() bool { return !cc.order(t, shop.ID).DetailsPending })
	o := cc.order(t, shop.ID)
	fake.Fail("1", 500, 500, 500, 500, 502, 503, 500)
	cc.do(t, shop.ID, o.ID, app.ActionAccept, app.Args{})
	eventually(t, "the package, once Lazada is back", func() bool { return fake.Writes("pack") == 1 })
	eventually(t, "the call recorded done", func() bool {
		o := cc.order(t, shop.ID)
		return len(o.ChannelCalls) == 1 && o.ChannelCalls[0].State == app.CallDone
	})
	if fake.Calls("/order/fulfill/pack") != 1 {
		t.Fatalf("%d pack calls", fake.Calls("/order/fulfill/pack"))
	}
}

// TestLazadaSyncCreatesWhatPushesLost: an order whose pushes never came is
// found by GetOrders over the last day and created with its details; a
// second sync changes nothing.
func TestLazadaSyncCreatesWhatPushesLost(t *testing.T) {
	fake := lazadatest.New(lzKey, lzSecret, lzSeller)
	defer fake.Close()
	fake.AddOrder(lazadatest.Order{ID: lzOrder, Buyer: "Budi Santoso", Phone: "081234567890", Street: "Jl. Braga 5", City: "Bandung",
		ShippingFee: 9000, PaymentMethod: "MIXEDCARD",
		Items: []*lazadatest.Item{{OrderItemID: 1001, Name: "Kaos Polos", SKU: "SKU-001", ItemPrice: 75000}}})
	old := lazadatest.Order{ID: 1, Buyer: "Ani", Street: "Jl. Asia Afrika 1", City: "Bandung", PaymentMethod: "COD", Updated: time.Now().Add(-72 * time.Hour),
		Items: []*lazadatest.Item{{OrderItemID: 2, Name: "Topi", SKU: "SKU-002", ItemPrice: 50000}}}
	fake.AddOrder(old)
	cc, _ := startLazadaCloud(t)
	access, refresh := fake.Tokens()
	shop := cc.shop(t, app.AccountLazada, fmt.Sprintf(`{"app_key":%q,"app_secret":%q,"seller_id":%q,"api_base":%q,"auth_base":%q,"access_token":%q,"refresh_token":%q}`,
		lzKey, lzSecret, lzSeller, fake.Base(), fake.Base(), access, refresh))
	rep, err := cc.srv.SyncChannel(context.Background(), shop.ID, app.AccountLazada, 1)
	if err != nil || rep.Listed != 1 || len(rep.Failed) != 0 {
		t.Fatalf("%+v %v", rep, err)
	}
	o := cc.order(t, shop.ID)
	if o.ExternalID != fmt.Sprint(lzOrder) || len(o.Lines) != 1 || o.Lines[0].SKU != "SKU-001" || o.DetailsPending || o.Status != app.StatusNew {
		t.Fatalf("%+v", o)
	}
	rep, err = cc.srv.SyncChannel(context.Background(), shop.ID, app.AccountLazada, 1)
	if err != nil || rep.Created != 0 || rep.Updated != 0 || orderCount(t, cc.st, shop.ID) != 1 {
		t.Fatalf("the second sync: %+v %v", rep, err)
	}
}

// lazadaReversePush posts the reverse order message Lazada sends when the
// buyer asks to cancel a line (message_type 10), signed like every push.
func lazadaReversePush(t testing.TB, cc *channelsCloud, reverseID, reverseLine, line int64, status string, at time.Time) int {
	t.Helper()
	body := []byte(fmt.Sprintf(`{"seller_id":"%s","message_type":10,"timestamp":%d,"site":"lazada_id","data":{"reverse_order_id":%d,"reverse_status":"%s","trade_order_id":%d,"extraParams":{},"trade_order_line_id":%d,"buyer_id":100112802006,"seller_id":%s,"reverse_order_line_id":%d,"status_update_time":%d}}`,
		lzSeller, at.Unix(), reverseID, status, lzOrder, line, lzSeller, reverseLine, at.Unix()))
	req, _ := http.NewRequest(http.MethodPost, cc.url+"/v1/channels/lazada/push", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", lazada.PushSignature(lzKey, lzSecret, body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestLazadaBuyerCancelRequest: an accepted Lazada order; the buyer asks
// to cancel (reverse order push CANCEL_INIT) → the request opens on the
// order; staff decline → Lazada hears the refusal with a reason from its
// own list, signed; the buyer asks again → staff approve → Lazada hears
// the agreement, the item is cancelled there, and the register's order is
// cancelled with its stock released. Reverse pushes of returns are acknowledged only.
func TestLazadaBuyerCancelRequest(t *testing.T) {
	fake := lazadatest.New(lzKey, lzSecret, lzSeller)
	defer fake.Close()
	fake.AddOrder(lazadatest.Order{ID: lzOrder, Buyer: "Budi Santoso", Phone: "081234567890", Street: "Jl. Braga 5", City: "Bandung",
		ShippingFee: 9000, PaymentMethod: "COD", Items: []*lazadatest.Item{{OrderItemID: 1001, Name: "Kaos Polos", SKU: "SKU-001", ItemPrice: 75000}}})
	cc, _ := startLazadaCloud(t)
	access, refresh := fake.Tokens()
	shop := cc.shop(t, app.AccountLazada, fmt.Sprintf(`{"app_key":%q,"app_secret":%q,"seller_id":%q,"api_base":%q,"auth_base":%q,"access_token":%q,"refresh_token":%q}`,
		lzKey, lzSecret, lzSeller, fake.Base(), fake.Base(), access, refresh))
	if err := cc.srv.ImportProducts(shop.ID, []*app.Product{{SKU: "SKU-001", Name: "Kaos Polos", Currency: app.IDR, Price: 75000, OnHand: 10}}); err != nil {
		t.Fatal(err)
	}
	t0 := time.Now().Add(-time.Minute)
	lazadaPush(t, cc, 1001, "pending", t0)
	eventually(t, "the details", func() bool { return !cc.order(t, shop.ID).DetailsPending })
	o := cc.order(t, shop.ID)
	cc.do(t, shop.ID, o.ID, app.ActionAccept, app.Args{})
	eventually(t, "the package", func() bool { return fake.Writes("pack") == 1 })

	// A return's reverse push is acknowledged and opens nothing.
	if code := lazadaReversePush(t, cc, 8001, 8101, 1001, "RTM_INIT", t0.Add(5*time.Second)); code != http.StatusOK {
		t.Fatalf("return push: %d", code)
	}
	if cc.order(t, shop.ID).CancelRequest != nil {
		t.Fatal("a return opened a cancel request")
	}

	fake.AddCancelRequest(9001, 9101, lzOrder, 1001)
	for range 2 { // Lazada retries a push it did not see acknowledged: one request
		if code := lazadaReversePush(t, cc, 9001, 9101, 1001, "CANCEL_INIT", t0.Add(10*time.Second)); code != http.StatusOK {
			t.Fatalf("cancel request push: %d", code)
		}
	}
	o = cc.order(t, shop.ID)
	if o.CancelRequest == nil || o.Status != app.StatusReadyToShip || !app.OpenCancelRequest(o) {
		t.Fatalf("the request is not open: %s %+v", o.Status, o.CancelRequest)
	}
	cc.do(t, shop.ID, o.ID, app.ActionDeclineCancel, app.Args{Reason: "sudah dikemas"})
	eventually(t, "Lazada to hear the refusal", func() bool { r := fake.CancelRequest(9001); return r.Status == "REQUEST_REJECT" })
	if r := fake.CancelRequest(9001); r.Reason != "1000031" || fake.Writes("decline") != 1 {
		t.Fatalf("refused with %+v, %d declines", r, fake.Writes("decline"))
	}
	if o = cc.order(t, shop.ID); o.CancelRequest != nil || o.Status != app.StatusReadyToShip {
		t.Fatalf("after declining: %s %+v", o.Status, o.CancelRequest)
	}

	fake.AddCancelRequest(9002, 9102, lzOrder, 1001)
	if code := lazadaReversePush(t, cc, 9002, 9102, 1001, "CANCEL_INIT", t0.Add(20*time.Second)); code != http.StatusOK {
		t.Fatalf("second request push: %d", code)
	}
	o = cc.order(t, shop.ID)
	if o.CancelRequest == nil {
		t.Fatal("the second request is not open")
	}
	cc.do(t, shop.ID, o.ID, app.ActionApproveCancel, app.Args{})
	eventually(t, "Lazada to hear the approval", func() bool { return fake.CancelRequest(9002).Status == "CANCEL_SUCCESS" })
	eventually(t, "the call recorded", func() bool {
		for _, call := range cc.order(t, shop.ID).ChannelCalls {
			if call.Step == app.StepCancel && call.State == app.CallDone {
				return true
			}
		}
		return false
	})
	if fake.Writes("approve") != 1 || fake.Writes("cancel") != 0 || fake.Items(lzOrder)[0].Status != "canceled" {
		t.Fatalf("approve %d, seller cancels %d, item %s", fake.Writes("approve"), fake.Writes("cancel"), fake.Items(lzOrder)[0].Status)
	}
	o = cc.order(t, shop.ID)
	if o.Status != app.StatusCancelled || o.CancelReason != app.CancelBuyerRequest || lazadaStock(t, cc, shop.ID, "SKU-001").Allocated != 0 {
		t.Fatalf("after approving: %s %s, allocated %d", o.Status, o.CancelReason, lazadaStock(t, cc, shop.ID, "SKU-001").Allocated)
	}
	if fake.Calls("/order/reverse/cancel/seller/decide") != 2 {
		t.Fatalf("%d decisions", fake.Calls("/order/reverse/cancel/seller/decide"))
	}
}
