package cloud

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
	"github.com/kasir/pos/channel/woocommerce/wootest"
)

func wooCred(store *wootest.Store, secret string) []byte {
	return []byte(fmt.Sprintf(`{"store_url":%q,"consumer_key":%q,"consumer_secret":%q,"webhook_secret":%q}`, store.URL, store.Key, store.Secret, secret))
}

// postWoo delivers a WooCommerce webhook from source, signed with secret,
// and returns the status the cloud answered.
func postWoo(t *testing.T, cc *channelsCloud, shop *Shop, source, secret, delivery string, body []byte) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, cc.url+"/v1/shops/"+shop.ID+"/webhooks/woocommerce", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-WC-Webhook-Topic", "order.created")
	req.Header.Set("X-WC-Webhook-Delivery-ID", delivery)
	req.Header.Set("X-WC-Webhook-Signature", channel.SignBase64(secret, body))
	if source != "" {
		req.Header.Set("X-WC-Webhook-Source", source)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

func shopOrders(t *testing.T, cc *channelsCloud, shop string) map[string]*app.Order {
	t.Helper()
	snap, err := cc.st.Snapshot(shop)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*app.Order{}
	for _, o := range snap.Orders {
		out[o.ExternalID] = o
	}
	return out
}

// TestWooCommerceStores: a shop with two WooCommerce stores. Each store's
// order #1001 is verified with that store's own webhook_secret and becomes
// an order of its own; a source the shop does not keep, or a signature
// with the other store's secret, gets 401 and writes nothing; and each
// decision reaches only the store the order came from, with its keys.
func TestWooCommerceStores(t *testing.T) {
	a := wootest.New("ck_a_0123456789", "cs_a_0123456789")
	defer a.Close()
	b := wootest.New("ck_b_0123456789", "cs_b_0123456789")
	defer b.Close()
	a.AddOrder(1001, "processing")
	b.AddOrder(1001, "processing")
	cc := startChannelsCloud(t)
	shop := cc.shop(t, app.AccountWooCommerce, string(wooCred(a, "whsec_a_old_0123")))
	if _, err := cc.srv.accounts.Set(shop.ID, app.AccountWooCommerce, wooCred(b, "whsec_b_0123456789"), time.Now()); err != nil {
		t.Fatal(err)
	}
	// Setting the first store again (a new secret, the address written
	// with a trailing slash) replaces it and keeps the second.
	again := bytes.Replace(wooCred(a, "whsec_a_0123456789"), []byte(a.URL+`"`), []byte(a.URL+`/"`), 1)
	if _, err := cc.srv.accounts.Set(shop.ID, app.AccountWooCommerce, again, time.Now()); err != nil {
		t.Fatal(err)
	}
	list, err := cc.srv.accounts.Masked(shop.ID)
	if err != nil {
		t.Fatal(err)
	}
	keyA, keyB := strings.TrimPrefix(a.URL, "http://"), strings.TrimPrefix(b.URL, "http://")
	if len(list) != 2 || list[0].Store != keyA || list[1].Store != keyB {
		t.Fatalf("accounts %+v", list)
	}

	body := wooOrderBody(t, 1001)
	if code := postWoo(t, cc, shop, a.URL, "whsec_a_old_0123", "a0", body); code != 401 {
		t.Fatalf("the replaced secret: %d", code)
	}
	if code := postWoo(t, cc, shop, a.URL, "whsec_a_0123456789", "a1", body); code != 200 {
		t.Fatalf("store a: %d", code)
	}
	// WooCommerce names the source as its home URL; any case, a trailing slash.
	if code := postWoo(t, cc, shop, strings.ToUpper(b.URL)+"/", "whsec_b_0123456789", "b1", body); code != 200 {
		t.Fatalf("store b: %d", code)
	}
	for name, c := range map[string]struct{ source, secret string }{
		"the other store's secret": {b.URL, "whsec_a_0123456789"},
		"a store the shop lacks":   {"https://toko-lain.example.id", "whsec_a_0123456789"},
		"no source of two stores":  {"", "whsec_a_0123456789"},
		"a source that is no URL":  {"toko", "whsec_a_0123456789"},
	} {
		if code := postWoo(t, cc, shop, c.source, c.secret, "x-"+name, wooOrderBody(t, 1002)); code != 401 {
			t.Fatalf("%s: %d", name, code)
		}
	}
	orders := shopOrders(t, cc, shop.ID)
	oa, ob := orders["1001"], orders[keyB+"/1001"]
	if len(orders) != 2 || oa == nil || ob == nil {
		t.Fatalf("orders %v", orders)
	}
	if oa.Number != "WC-1001" || ob.Number != "WC-1001 ("+keyB+")" {
		t.Fatalf("numbers %q %q", oa.Number, ob.Number)
	}

	cc.do(t, shop.ID, ob.ID, app.ActionReject, app.Args{Reason: "out_of_stock"})
	eventually(t, "store b to cancel its order", func() bool { return b.Order(1001).Status == "cancelled" })
	cc.do(t, shop.ID, oa.ID, app.ActionAccept, app.Args{})
	cc.do(t, shop.ID, oa.ID, app.ActionShip, app.Args{Courier: "JNE", TrackingID: "JNE0012345678"})
	cc.do(t, shop.ID, oa.ID, app.ActionDeliver, app.Args{})
	cc.do(t, shop.ID, oa.ID, app.ActionComplete, app.Args{})
	eventually(t, "store a to complete its order", func() bool { return a.Order(1001).Status == "completed" })
	if got := b.Order(1001); got.Status != "cancelled" || len(got.Notes) != 0 {
		t.Fatalf("store b heard store a's order: %+v", got)
	}
	if n := b.Writes("PUT /wp-json/wc/v3/orders/1001"); n != 1 {
		t.Fatalf("store b: %d status writes", n)
	}
	if n := a.Writes("PUT /wp-json/wc/v3/orders/1001"); n != 1 {
		t.Fatalf("store a: %d status writes", n)
	}
	if got := a.Order(1001); len(got.Notes) != 1 || !strings.Contains(got.Notes[0].Note, "JNE0012345678") {
		t.Fatalf("store a notes %+v", got.Notes)
	}
}

// TestWooCommerceOneStoreSource: a shop with one store keeps taking
// deliveries without the source header, and refuses one from another store.
func TestWooCommerceOneStoreSource(t *testing.T) {
	a := wootest.New("ck_a_0123456789", "cs_a_0123456789")
	defer a.Close()
	cc := startChannelsCloud(t)
	shop := cc.shop(t, app.AccountWooCommerce, string(wooCred(a, "whsec_a_0123456789")))
	if code := postWoo(t, cc, shop, "https://toko-lain.example.id", "whsec_a_0123456789", "w", wooOrderBody(t, 7)); code != 401 {
		t.Fatalf("another store: %d", code)
	}
	if code := postWoo(t, cc, shop, "", "whsec_a_0123456789", "n", wooOrderBody(t, 7)); code != 200 {
		t.Fatalf("no source: %d", code)
	}
	if code := postWoo(t, cc, shop, a.URL, "whsec_a_0123456789", "s", wooOrderBody(t, 8)); code != 200 {
		t.Fatalf("its source: %d", code)
	}
	if orders := shopOrders(t, cc, shop.ID); len(orders) != 2 || orders["7"] == nil || orders["8"] == nil {
		t.Fatalf("orders %v", orders)
	}
}
