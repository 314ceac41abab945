package cloud

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
	"github.com/kasir/pos/channel/tokopedia/tokotest"
)

// tokoSinglePush posts a notification to Tokopedia's one URL for every
// shop, signed with the webhook secret as Tokopedia signs it.
func tokoSinglePush(t *testing.T, cc *channelsCloud, body []byte, secret string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, cc.url+"/v1/channels/tokopedia/push", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization-Hmac", channel.SignHex(secret, body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

func tokoDetail(invoice, awb string) map[string]any {
	return map[string]any{"invoice_number": invoice, "open_amt": 159000, "item_price": 150000, "create_time": "2026-11-30T03:00:00.5Z",
		"buyer_info": map[string]any{"buyer_fullname": "Budi", "buyer_phone": "081234567890"},
		"order_info": map[string]any{
			"order_detail":  []map[string]any{{"product_id": 15157523, "product_name": "Kaos Polos", "quantity": 2, "product_price": 75000, "sku": "SKU-001"}},
			"destination":   map[string]any{"receiver_name": "Budi Santoso", "receiver_phone": "081234567890", "address_street": "Jl. Sudirman 1", "address_city": "Jakarta Selatan", "address_province": "DKI Jakarta", "address_postal": "12190"},
			"shipping_info": map[string]any{"logistic_name": "JNE", "logistic_service": "REG", "shipping_price": 9000, "awb": awb}}}
}

// TestTokopediaSingleURLEndToEnd: a status push at /v1/channels/tokopedia/push,
// routed by shop_id → Get Single Order fills the lines (linked, stock
// allocated on accept, the figure pushed) → accept acks → arranging pickup
// requests it → Tokopedia's 450 push fetches the order again and its awb
// becomes the tracking ID → the shipping label downloads → reconciliation
// creates the order whose push was lost. An unknown shop_id is 401.
func TestTokopediaSingleURLEndToEnd(t *testing.T) {
	const secret = "whk_0123456789abcdef"
	fake := tokotest.New("13000", "479573", "kasir-app", "sec_0123456789abcdef")
	defer fake.Close()
	fake.AddOrder(166295399, 220)
	fake.SetDetail(166295399, tokoDetail("INV/20261130/XXI/I/9", ""))
	cc := startChannelsCloud(t)
	shop := cc.shop(t, app.AccountTokopedia, fmt.Sprintf(tokoCred, fake.URL, fake.URL))
	if err := cc.srv.ImportProducts(shop.ID, []*app.Product{{SKU: "SKU-001", Name: "Kaos Polos", Currency: app.IDR, Price: 75000, OnHand: 10}}); err != nil {
		t.Fatal(err)
	}
	if code := tokoSinglePush(t, cc, []byte(`{"fs_id":13000,"shop_id":111111,"order_id":166295399,"order_status":220}`), secret); code != http.StatusUnauthorized {
		t.Fatalf("unknown shop: %d", code)
	}
	if code := tokoSinglePush(t, cc, []byte(`{"fs_id":13000,"shop_id":479573,"order_id":166295399,"order_status":220}`), "another-secret"); code != http.StatusUnauthorized {
		t.Fatalf("wrong key: %d", code)
	}
	if snap, _ := cc.st.Snapshot(shop.ID); len(snap.Orders) != 0 {
		t.Fatal("an unverified push wrote an order")
	}
	if code := tokoSinglePush(t, cc, []byte(`{"fs_id":13000,"shop_id":479573,"order_id":166295399,"order_status":220}`), secret); code != 200 {
		t.Fatalf("push: %d", code)
	}
	eventually(t, "the details", func() bool { return !cc.order(t, shop.ID).DetailsPending })
	o := cc.order(t, shop.ID)
	if len(o.Lines) != 1 || !o.Lines[0].Linked || o.Total != 159000 || o.Buyer.Name != "Budi Santoso" || o.CreatedAt.IsZero() {
		t.Fatalf("order %+v", o)
	}
	cc.do(t, shop.ID, o.ID, app.ActionAccept, app.Args{})
	eventually(t, "the ack", func() bool { return fake.Status(166295399) == 400 })
	eventually(t, "the stock figure", func() bool { return fake.Stock("SKU-001") == 8 })
	cc.do(t, shop.ID, o.ID, app.ActionArrangePickup, app.Args{PickupFrom: time.Now().Add(3 * time.Hour), PickupAddress: "Toko Ayu, Jl. Braga 5"})
	eventually(t, "the pickup request", func() bool { return fake.Status(166295399) == 450 })

	// Tokopedia books the courier: its push says 450, the order now has an awb.
	fake.SetDetail(166295399, tokoDetail("INV/20261130/XXI/I/9", "JNE0012345678"))
	if code := tokoSinglePush(t, cc, []byte(`{"fs_id":13000,"shop_id":479573,"order_id":166295399,"order_status":450}`), secret); code != 200 {
		t.Fatalf("450 push: %d", code)
	}
	eventually(t, "the awb", func() bool { return cc.order(t, shop.ID).Shipment.TrackingID == "JNE0012345678" })
	o = cc.order(t, shop.ID)
	if o.Shipment.Courier != "JNE" || fake.Writes("ack") != 1 || fake.Writes("pick-up") != 1 {
		t.Fatalf("shipment %+v, acks %d, pickups %d", o.Shipment, fake.Writes("ack"), fake.Writes("pick-up"))
	}
	snap, err := cc.st.Snapshot(shop.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range snap.Products {
		if p.SKU == "SKU-001" && (p.Allocated != 2 || p.OnHand != 10) {
			t.Fatalf("stock moved twice: allocated %d on hand %d", p.Allocated, p.OnHand)
		}
	}
	f, err := cc.srv.accounts.Fields(shop.ID, app.AccountTokopedia)
	if err != nil {
		t.Fatal(err)
	}
	doc, mt, err := cc.c.adapters[app.ChannelTokopedia].(channel.Waybill).AirwayBill(context.Background(), f, o)
	if err != nil || !strings.HasPrefix(mt, "text/html") || !bytes.Contains(doc, []byte("166295399")) {
		t.Fatalf("label %s %v", mt, err)
	}

	// A push that never came: reconciliation lists it and creates it, once.
	fake.AddOrder(166295400, 220)
	fake.SetDetail(166295400, tokoDetail("INV/20261130/XXI/I/10", ""))
	for range 2 {
		rep, err := cc.c.Sync(context.Background(), shop.ID, app.AccountTokopedia, time.Now().Add(-24*time.Hour), time.Now().Add(time.Minute))
		if err != nil || rep.Listed != 2 || len(rep.Failed) != 0 {
			t.Fatalf("sync %+v %v", rep, err)
		}
	}
	if snap, _ := cc.st.Snapshot(shop.ID); len(snap.Orders) != 2 {
		t.Fatalf("%d orders after reconciling twice", len(snap.Orders))
	}
}
