package cloud_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/cloud"
)

func TestWooCommerceOrderIsDurableAndDeduplicated(t *testing.T) {
	tc := startCloud(t)
	shop := tc.addShop(t, "Toko A")
	body := wooBody(t, 727, "processing")
	for i := 0; i < 3; i++ {
		// The same delivery three times, then a fresh delivery of the same order.
		code, resp := tc.postWoo(t, shop, body, "d-1")
		if code != http.StatusOK {
			t.Fatalf("delivery %d: %d %s", i, code, resp)
		}
	}
	code, resp := tc.postWoo(t, shop, body, "d-2")
	if code != http.StatusOK || !contains(resp, `"unchanged"`) {
		t.Fatalf("second delivery id of the same order: %d %s", code, resp)
	}
	orders := tc.orders(t, shop.ID)
	if len(orders) != 1 {
		t.Fatalf("want one order, got %d", len(orders))
	}
	o := orders[0]
	if o.Status != app.StatusNew || o.Channel != app.ChannelWooCommerce || o.ExternalID != "727" {
		t.Fatalf("order %+v", o)
	}
	if o.Buyer.Name != "Siti Rahmawati" || o.Total != 265000 || len(o.Lines) != 2 || o.Lines[0].UnitPrice != 75000 {
		t.Fatalf("mapped wrongly: buyer %q total %d lines %+v", o.Buyer.Name, o.Total, o.Lines)
	}
	if h := tc.head(t, shop.ID); h != 1 {
		t.Fatalf("change log head %d, want 1", h)
	}
}

func TestWebhookReplayForOtherShopIsRefused(t *testing.T) {
	tc := startCloud(t)
	a, b := tc.addShop(t, "A"), tc.addShop(t, "B")
	body := wooBody(t, 1, "processing")
	sig := cloud.SignBase64(a.Secrets[cloud.SecretWooCommerce], body)
	code, _ := post(t, tc.url+"/v1/shops/"+b.ID+"/webhooks/woocommerce", body, map[string]string{
		"X-WC-Webhook-Topic": "order.created", "X-WC-Webhook-Signature": sig})
	if code != http.StatusUnauthorized {
		t.Fatalf("shop A's delivery replayed to shop B: got %d, want 401", code)
	}
	if n := len(tc.orders(t, b.ID)); n != 0 {
		t.Fatalf("shop B has %d orders", n)
	}
}

func TestBadSignatureWritesNothing(t *testing.T) {
	tc := startCloud(t)
	shop := tc.addShop(t, "A")
	body := wooBody(t, 5, "processing")
	for _, sig := range []string{"", "bm90IGEgc2lnbmF0dXJl", cloud.SignBase64("wrong", body)} {
		code, _ := post(t, tc.url+"/v1/shops/"+shop.ID+"/webhooks/woocommerce", body, map[string]string{
			"X-WC-Webhook-Topic": "order.created", "X-WC-Webhook-Signature": sig})
		if code != http.StatusUnauthorized {
			t.Fatalf("signature %q: got %d, want 401", sig, code)
		}
	}
	if n := len(tc.orders(t, shop.ID)); n != 0 || tc.head(t, shop.ID) != 0 {
		t.Fatalf("a refused delivery wrote %d orders", n)
	}
}

func TestMalformedJSONNamesTheField(t *testing.T) {
	tc := startCloud(t)
	shop := tc.addShop(t, "A")
	cases := map[string]string{
		`{"id":9,"status":"processing","line_items":[{"quantity":"two","sku":"SKU-001"}]}`: "line_items.quantity",
		`{"id":9,"status":"processing","total":"12,5"}`:                                    "total",
		`{"id":9,"status":"processing"`:                                                    "body",
	}
	for body, field := range cases {
		code, resp := tc.postWoo(t, shop, []byte(body), "")
		if code != http.StatusBadRequest || !contains(resp, fieldPrefix(field)) {
			t.Errorf("%s: got %d %s, want 400 naming %s", body, code, resp, field)
		}
	}
	if n := len(tc.orders(t, shop.ID)); n != 0 {
		t.Fatalf("malformed deliveries wrote %d orders", n)
	}
}

func TestWooCommercePingCreatesNothing(t *testing.T) {
	tc := startCloud(t)
	shop := tc.addShop(t, "A")
	code, _ := post(t, tc.url+"/v1/shops/"+shop.ID+"/webhooks/woocommerce", []byte("webhook_id=12"),
		map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
	if code != http.StatusOK || len(tc.orders(t, shop.ID)) != 0 {
		t.Fatalf("ping: %d", code)
	}
}

func TestMarketplacePushes(t *testing.T) {
	tc := startCloud(t)
	shop := tc.addShop(t, "A")
	sec := shop.Secrets
	hook := func(ch string) string { return tc.url + "/v1/shops/" + shop.ID + "/webhooks/" + ch }

	shopee := []byte(`{"shop_id":220000,"code":3,"timestamp":1660123127,"data":{"ordersn":"220810ABC","status":"READY_TO_SHIP","update_time":1660123126}}`)
	code, resp := post(t, hook("shopee"), shopee, map[string]string{
		"Authorization": cloud.SignHex(sec[cloud.SecretShopee], []byte(hook("shopee")), []byte("|"), shopee)})
	if code != 200 {
		t.Fatalf("shopee: %d %s", code, resp)
	}
	tok := []byte(`{"fs_id":13000,"shop_id":479573,"order_id":166295305,"invoice_ref_num":"INV/20261120/XXI/I/1","order_status":220,"create_time":1763600000,"products":[{"id":1,"name":"Kaos","quantity":2,"price":75000,"total_price":150000,"sku":"SKU-001"}],"customer":{"name":"Budi"},"recipient":{"name":"Budi Santoso","phone":"0812","address":{"address_full":"Jl. Sudirman 1","city":"Jakarta Selatan","province":"DKI Jakarta","postal_code":"12190"}},"amt":{"ttl_product_price":150000,"shipping_cost":9000,"ttl_amount":159000}}`)
	code, resp = post(t, hook("tokopedia"), tok, map[string]string{"Authorization-Hmac": cloud.SignHex(sec[cloud.SecretTokopedia], tok)})
	if code != 200 {
		t.Fatalf("tokopedia: %d %s", code, resp)
	}
	for i := 0; i < 2; i++ {
		laz := []byte(fmt.Sprintf(`{"seller_id":"1","message_type":0,"timestamp":1603766859530,"site":"lazada_id","data":{"order_status":"pending","trade_order_id":"2604","trade_order_line_id":"2604%02d","status_update_time":1603698638}}`, i))
		code, resp = post(t, hook("lazada"), laz, map[string]string{"Authorization": cloud.SignHex(sec[cloud.SecretLazada], []byte(sec[cloud.SecretLazadaKey]), laz)})
		if code != 200 {
			t.Fatalf("lazada: %d %s", code, resp)
		}
	}
	tt := []byte(`{"type":1,"tts_notification_id":"73271","shop_id":"749","timestamp":1644412885,"data":{"order_id":"5764","order_status":"AWAITING_SHIPMENT","update_time":1644412883}}`)
	code, resp = post(t, hook("tiktok"), tt, map[string]string{"Authorization": cloud.SignHex(sec[cloud.SecretTikTok], []byte(sec[cloud.SecretTikTokKey]), tt)})
	if code != 200 {
		t.Fatalf("tiktok: %d %s", code, resp)
	}
	byChannel := map[app.Channel]*app.Order{}
	for _, o := range tc.orders(t, shop.ID) {
		byChannel[o.Channel] = o
	}
	if o := byChannel[app.ChannelShopee]; o == nil || o.Status != app.StatusReadyToShip || !o.DetailsPending {
		t.Errorf("shopee order %+v", o)
	}
	if o := byChannel[app.ChannelTokopedia]; o == nil || o.Status != app.StatusNew || o.Buyer.Name != "Budi Santoso" || o.Total != 159000 {
		t.Errorf("tokopedia order %+v", o)
	}
	if o := byChannel[app.ChannelLazada]; o == nil || len(o.Lines) != 2 || !o.DetailsPending {
		t.Errorf("lazada order should merge two line pushes: %+v", o)
	}
	if o := byChannel[app.ChannelTikTok]; o == nil || o.Status != app.StatusReadyToShip {
		t.Errorf("tiktok order %+v", o)
	}
	// A wrong Lazada signature is refused.
	code, _ = post(t, hook("lazada"), tt, map[string]string{"Authorization": "00"})
	if code != http.StatusUnauthorized {
		t.Errorf("lazada bad signature: %d", code)
	}
}

func TestLogisticsWebhookMovesShipment(t *testing.T) {
	tc := startCloud(t)
	shop := tc.addShop(t, "A")
	store := []byte(`{"event":"order.created","order":{"id":"W1","number":"WEB-1","buyer":{"name":"Ayu","address":{"city":"Bandung"}},"lines":[{"sku":"SKU-002","name":"Sandal","qty":1,"unit_price":50000}],"total":50000,"paid":true}}`)
	code, resp := post(t, tc.url+"/v1/shops/"+shop.ID+"/webhooks/store", store, map[string]string{"X-Store-Signature": cloud.SignBase64(shop.Secrets[cloud.SecretStore], store)})
	if code != 200 {
		t.Fatalf("store: %d %s", code, resp)
	}
	logistics := func(body string) (int, string) {
		return post(t, tc.url+"/v1/shops/"+shop.ID+"/webhooks/logistics", []byte(body), map[string]string{"X-Logistics-Signature": cloud.SignBase64(shop.Secrets[cloud.SecretLogistics], []byte(body))})
	}
	order := func() *app.Order {
		t.Helper()
		for _, o := range tc.orders(t, shop.ID) {
			if o.ID == "store:W1" {
				return o
			}
		}
		t.Fatal("order store:W1 is not in the cloud")
		return nil
	}
	before := order()

	// A pickup before any courier was assigned is not a legal step: refused with the reason, nothing written.
	code, resp = logistics(`{"order_id":"store:W1","event":"picked_up"}`)
	if code != http.StatusConflict || !contains(strings.ToLower(resp), "picked up") {
		t.Fatalf("pickup of a New order: %d %s", code, resp)
	}
	if o := order(); o.Version != before.Version || o.Status != before.Status {
		t.Fatalf("a refused courier update changed the order: %s v%d", o.Status, o.Version)
	}

	// A paid web-store order is Ready to Ship; staff arrange pickup, then the courier's steps move the shipment.
	for _, cmd := range []app.Command{{Action: app.ActionArrangePickup, OrderID: "store:W1", Args: app.Args{PickupFrom: time.Now().Add(time.Hour), PickupTo: time.Now().Add(3 * time.Hour), PickupAddress: "Jl. Braga 5, Bandung"}}} {
		err := tc.store.Update(shop.ID, func(tx cloud.ShopTx) error {
			_, err := app.Execute(tx, shop.Policy(), cmd, app.Actor{Staff: "Ayu", Role: app.RoleOwner}, time.Now())
			return err
		})
		if err != nil {
			t.Fatalf("%s: %v", cmd.Action, err)
		}
	}
	code, resp = logistics(`{"order_id":"store:W1","event":"assigned","courier":"JNE","service":"REG","tracking_id":"JNE0012345678"}`)
	if code != http.StatusOK || !contains(resp, `"updated"`) {
		t.Fatalf("courier assigned: %d %s", code, resp)
	}
	if o := order(); o.Shipment.TrackingID != "JNE0012345678" || o.Status != app.StatusReadyToShip {
		t.Fatalf("after assignment: %s tracking %q", o.Status, o.Shipment.TrackingID)
	}
	code, resp = logistics(`{"order_id":"store:W1","event":"picked_up"}`)
	if code != http.StatusOK {
		t.Fatalf("picked up: %d %s", code, resp)
	}
	if o := order(); o.Status != app.StatusInDelivery {
		t.Fatalf("after pickup the order is %s, want in delivery", o.Status)
	}

	bad := []byte(`{"order_id":"store:W1","event":"teleported"}`)
	code, resp = post(t, tc.url+"/v1/shops/"+shop.ID+"/webhooks/logistics", bad, map[string]string{"X-Logistics-Signature": cloud.SignBase64(shop.Secrets[cloud.SecretLogistics], bad)})
	if code != http.StatusBadRequest || !contains(strings.ToLower(resp), "event") {
		t.Fatalf("unknown courier event: %d %s", code, resp)
	}
}

func TestOversizedBodyIsRefused(t *testing.T) {
	tc := startCloud(t)
	shop := tc.addShop(t, "A")
	big := make([]byte, 2<<20)
	for i := range big {
		big[i] = ' '
	}
	code, _ := tc.postWoo(t, shop, big, "")
	if code != http.StatusRequestEntityTooLarge || len(tc.orders(t, shop.ID)) != 0 {
		t.Fatalf("2 MiB body: %d", code)
	}
}
