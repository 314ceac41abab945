package cloud

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
	"github.com/kasir/pos/channel/woocommerce/wootest"
	"github.com/kasir/pos/sync/wire"
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
	if oa.Number != "WC-1001 ("+keyA+")" || ob.Number != "WC-1001 ("+keyB+")" {
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
	if orders := shopOrders(t, cc, shop.ID); len(orders) != 2 || orders["7"] == nil || orders["8"] == nil || orders["7"].Number != "WC-7" {
		t.Fatalf("orders %v (a shop with one store keeps bare numbers)", orders)
	}
}

// wooStoreOrder is order id of the testdata order as a store's REST API
// keeps it, modified an hour ago.
func wooStoreOrder(t *testing.T, s *wootest.Store, id int64) {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(wooOrderBody(t, int(id)), &m); err != nil {
		t.Fatal(err)
	}
	s.PutOrder(id, "processing", time.Now().Add(-time.Hour), m)
}

// TestWooCommerceStoresSyncListingsRemove: a shop with two WooCommerce
// stores reconciles both (each order named by its store, none doubled on
// a second round), reads both stores' listings (each saying its store),
// pushes stock to both; a removed store's webhooks get 401, it hears no
// stock figure, no write-back and no reconciliation, and its orders stay.
// Removing every store and adding another never gives the new store the
// bare ids of the first store's orders.
func TestWooCommerceStoresSyncListingsRemove(t *testing.T) {
	a := wootest.New("ck_a_0123456789", "cs_a_0123456789")
	defer a.Close()
	b := wootest.New("ck_b_0123456789", "cs_b_0123456789")
	defer b.Close()
	wooStoreOrder(t, a, 1001)
	wooStoreOrder(t, b, 1001)
	wooStoreOrder(t, b, 1002)
	a.AddListing(wootest.Product{ID: 12, Name: "Kaos Polos", SKU: "SKU-001", Price: "75000"})
	b.AddListing(wootest.Product{ID: 12, Name: "Topi Rajut", SKU: "SKU-TOPI", Price: "50000"})
	cc := startChannelsCloud(t)
	shop := cc.shop(t, app.AccountWooCommerce, string(wooCred(a, "whsec_a_0123456789")))
	if _, err := cc.srv.accounts.Set(shop.ID, app.AccountWooCommerce, wooCred(b, "whsec_b_0123456789"), time.Now()); err != nil {
		t.Fatal(err)
	}
	keyA, keyB := strings.TrimPrefix(a.URL, "http://"), strings.TrimPrefix(b.URL, "http://")
	ctx := context.Background()

	rep, err := cc.srv.SyncChannel(ctx, shop.ID, app.AccountWooCommerce, 1)
	// The cloud's own round at its start may have come first and created some.
	if err != nil || rep.Listed != 3 || rep.Created+rep.Unchanged != 3 || len(rep.Failed) != 0 {
		t.Fatalf("sync: %+v %v", rep, err)
	}
	orders := shopOrders(t, cc, shop.ID)
	if len(orders) != 3 || orders["1001"] == nil || orders[keyB+"/1001"] == nil || orders[keyB+"/1002"] == nil {
		t.Fatalf("orders %v", orders)
	}
	if n, m := orders[keyB+"/1002"].Number, orders["1001"].Number; n != "WC-1002 ("+keyB+")" || m != "WC-1001 ("+keyA+")" {
		t.Fatalf("numbers %q %q", n, m)
	}
	if len(orders["1001"].Lines) != 2 || orders["1001"].Buyer.Name != "Siti Rahmawati" {
		t.Fatalf("details not filled: %+v", orders["1001"])
	}
	if rep, err = cc.srv.SyncChannel(ctx, shop.ID, app.AccountWooCommerce, 1); err != nil || rep.Unchanged != 3 || rep.Created+rep.Updated != 0 {
		t.Fatalf("second sync: %+v %v", rep, err)
	}
	if n := len(shopOrders(t, cc, shop.ID)); n != 3 {
		t.Fatalf("%d orders after the second sync", n)
	}

	if n, err := cc.srv.ReadListings(ctx, shop.ID, app.ChannelWooCommerce); err != nil || n != 2 {
		t.Fatalf("listings: %d %v", n, err)
	}
	ls, err := cc.srv.ShopListings(shop.ID)
	if err != nil || len(ls) != 2 {
		t.Fatalf("listings %+v %v", ls, err)
	}
	byID := map[string]app.Listing{}
	for _, l := range ls {
		byID[l.ID] = l
	}
	if byID["12"].Store != keyA || byID["12"].SKU != "SKU-001" || byID[keyB+"/12"].Store != keyB || byID[keyB+"/12"].SKU != "SKU-TOPI" {
		t.Fatalf("listings by id %+v", byID)
	}
	if err := cc.srv.LinkListing(shop.ID, app.ChannelWooCommerce, keyB+"/12", "SKU-404"); app.ErrorCode(err) != app.EInvalid {
		t.Fatalf("a second store's listing is found by its id: %v", err)
	}

	a.AddProduct(50, 0, "SKU-STOK", 0)
	b.AddProduct(60, 0, "SKU-STOK", 0)
	stock := func(seq uint64, qty int) {
		raw, _ := json.Marshal(map[string]any{"products": []*app.Product{{SKU: "SKU-STOK", Name: "Stok", OnHand: qty}}})
		if err := cc.c.Follow(ctx, LogEntry{Shop: shop.ID, Seq: seq, Raw: raw}); err != nil {
			t.Fatal(err)
		}
	}
	stock(1, 7)
	eventually(t, "both stores to hear the figure", func() bool { return a.Stock(50) == 7 && b.Stock(60) == 7 })

	list, err := cc.srv.RemoveAccount(shop.ID, app.AccountWooCommerce, strings.ToUpper(b.URL)+"/")
	if err != nil || len(list) != 1 || list[0].Store != keyA {
		t.Fatalf("remove: %+v %v", list, err)
	}
	if _, err := cc.srv.RemoveAccount(shop.ID, app.AccountWooCommerce, b.URL); app.ErrorCode(err) != app.EInvalid {
		t.Fatalf("removed twice: %v", err)
	}
	if _, err := cc.srv.RemoveAccount(shop.ID, app.AccountShopee, b.URL); app.ErrorCode(err) != app.EInvalid {
		t.Fatalf("a shopee account removed: %v", err)
	}
	if code := postWoo(t, cc, shop, b.URL, "whsec_b_0123456789", "b-after", wooOrderBody(t, 1003)); code != 401 {
		t.Fatalf("a removed store's webhook: %d", code)
	}
	stock(2, 4)
	eventually(t, "the kept store to hear the figure", func() bool { return a.Stock(50) == 4 })
	time.Sleep(2 * stockWindow)
	if b.Stock(60) != 7 {
		t.Fatalf("the removed store heard a figure: %d", b.Stock(60))
	}
	orders = shopOrders(t, cc, shop.ID)
	if len(orders) != 3 || orders[keyB+"/1002"] == nil {
		t.Fatalf("the removed store's orders are gone: %v", orders)
	}
	cc.do(t, shop.ID, orders[keyB+"/1002"].ID, app.ActionReject, app.Args{Reason: "out_of_stock"})
	cc.do(t, shop.ID, orders["1001"].ID, app.ActionReject, app.Args{Reason: "out_of_stock"})
	eventually(t, "the kept store to cancel its order", func() bool { return a.Order(1001).Status == "cancelled" })
	if n := b.Calls("PUT /wp-json/wc/v3/orders/1002"); n != 0 {
		t.Fatalf("the removed store heard %d decisions", n)
	}
	before := b.Calls("GET /wp-json/wc/v3/orders")
	if rep, err = cc.srv.SyncChannel(ctx, shop.ID, app.AccountWooCommerce, 1); err != nil || rep.Listed != 1 {
		t.Fatalf("sync after removal: %+v %v", rep, err)
	}
	if b.Calls("GET /wp-json/wc/v3/orders") != before {
		t.Fatal("the removed store was listed")
	}

	// Every store removed: the first store's webhooks are refused too, and
	// a store added later keeps its own ids; the first store set again has
	// its bare ids back.
	if _, err := cc.srv.RemoveAccount(shop.ID, app.AccountWooCommerce, keyA); err != nil {
		t.Fatal(err)
	}
	if list, _ := cc.srv.accounts.Masked(shop.ID); len(list) != 0 {
		t.Fatalf("accounts left %+v", list)
	}
	if code := postWoo(t, cc, shop, a.URL, "whsec_a_0123456789", "a-after", wooOrderBody(t, 1001)); code != 401 {
		t.Fatalf("a removed first store's webhook: %d", code)
	}
	if _, err := cc.srv.SyncChannel(ctx, shop.ID, app.AccountWooCommerce, 1); app.ErrorCode(err) != app.EInvalid {
		t.Fatalf("sync with no store: %v", err)
	}
	c := wootest.New("ck_c_0123456789", "cs_c_0123456789")
	defer c.Close()
	keyC := strings.TrimPrefix(c.URL, "http://")
	if _, err := cc.srv.accounts.Set(shop.ID, app.AccountWooCommerce, wooCred(c, "whsec_c_0123456789"), time.Now()); err != nil {
		t.Fatal(err)
	}
	if code := postWoo(t, cc, shop, "", "whsec_c_0123456789", "c1", wooOrderBody(t, 1001)); code != 200 {
		t.Fatalf("the new store's webhook: %d", code)
	}
	if _, err := cc.srv.accounts.Set(shop.ID, app.AccountWooCommerce, wooCred(a, "whsec_a_0123456789"), time.Now()); err != nil {
		t.Fatal(err)
	}
	if code := postWoo(t, cc, shop, a.URL, "whsec_a_0123456789", "a2", wooOrderBody(t, 1001)); code != 200 {
		t.Fatalf("the first store set again: %d", code)
	}
	orders = shopOrders(t, cc, shop.ID)
	if len(orders) != 4 || orders[keyC+"/1001"] == nil || orders["1001"].Status != app.StatusCancelled {
		t.Fatalf("orders after a new store %v", orders)
	}
}

// TestAccountRemoveFromTheCommandLine: `pos-cloud account remove` removes
// one of the shop's WooCommerce stores (no server running: it opens the
// store itself), names the field it refuses, and `account show` lists
// the store left.
func TestAccountRemoveFromTheCommandLine(t *testing.T) {
	a := wootest.New("ck_a_0123456789", "cs_a_0123456789")
	defer a.Close()
	b := wootest.New("ck_b_0123456789", "cs_b_0123456789")
	defer b.Close()
	dir := t.TempDir()
	st, err := OpenBolt(dir)
	if err != nil {
		t.Fatal(err)
	}
	shop, _ := AddShop(st, "Toko", time.Now())
	st.Close()
	for i, s := range []*wootest.Store{a, b} {
		creds := filepath.Join(t.TempDir(), "woo.json")
		if err := os.WriteFile(creds, wooCred(s, fmt.Sprintf("whsec_%d_0123456789", i)), 0o600); err != nil {
			t.Fatal(err)
		}
		if code, _, errs := runMain(t, "account", "set", "--shop", shop.ID, "--kind", "woocommerce", "--file", creds, "--data", dir); code != 0 {
			t.Fatalf("account set: %s", errs)
		}
	}
	code, out, errs := runMain(t, "account", "remove", "--shop", shop.ID, "--kind", "woocommerce", "--store", b.URL, "--data", dir)
	keyA, keyB := strings.TrimPrefix(a.URL, "http://"), strings.TrimPrefix(b.URL, "http://")
	if code != 0 || !strings.Contains(out, "removed") || !strings.Contains(out, "woocommerce "+keyA) || strings.Contains(out, "woocommerce "+keyB) {
		t.Fatalf("account remove: %d %s %s", code, out, errs)
	}
	if code, _, errs := runMain(t, "account", "remove", "--shop", shop.ID, "--kind", "woocommerce", "--store", keyB, "--data", dir); code == 0 || !strings.Contains(errs, "names no WooCommerce store of the shop") {
		t.Fatalf("removed twice: %d %s", code, errs)
	}
	if code, _, errs := runMain(t, "account", "remove", "--shop", shop.ID, "--kind", "shopee", "--store", keyA, "--data", dir); code == 0 || !strings.Contains(errs, "only a WooCommerce store can be removed") {
		t.Fatalf("a shopee account: %d %s", code, errs)
	}
	code, out, _ = runMain(t, "account", "show", "--shop", shop.ID, "--data", dir, "--json")
	var shown []MaskedAccount
	if code != 0 || json.Unmarshal([]byte(out), &shown) != nil || len(shown) != 1 || shown[0].Store != keyA {
		t.Fatalf("account show: %d %s", code, out)
	}
}

// ownerPost posts body to path as member name signed in at the terminal
// holding tok, signed with key as a terminal signs (app.SignRequest).
func ownerPost(t *testing.T, cc *channelsCloud, tok, name string, key []byte, path string, body []byte) (int, string) {
	t.Helper()
	at := time.Now().UTC()
	req, _ := http.NewRequest(http.MethodPost, cc.url+path, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set(wire.HeaderStaff, name)
	req.Header.Set(wire.HeaderStaffAt, at.Format(time.RFC3339Nano))
	req.Header.Set(wire.HeaderStaffProof, app.SignRequest(key, app.TerminalBinding(tok), name, at, path, body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestOwnerRemovesAStoreFromTheTerminal: the owner's Settings on a
// terminal removes a store through POST /v1/accounts/remove, signed by the
// owner; a cashier's signature is refused and nothing is removed.
func TestOwnerRemovesAStoreFromTheTerminal(t *testing.T) {
	a := wootest.New("ck_a_0123456789", "cs_a_0123456789")
	defer a.Close()
	b := wootest.New("ck_b_0123456789", "cs_b_0123456789")
	defer b.Close()
	cc := startChannelsCloud(t)
	shop := cc.shop(t, app.AccountWooCommerce, string(wooCred(a, "whsec_a_0123456789")))
	if _, err := cc.srv.accounts.Set(shop.ID, app.AccountWooCommerce, wooCred(b, "whsec_b_0123456789"), time.Now()); err != nil {
		t.Fatal(err)
	}
	for _, m := range []app.StaffChange{{Name: "Ayu", Role: app.RoleOwner, PIN: "1234"}, {Name: "Kasir", Role: app.RoleCashier, PIN: "5678"}} {
		if _, _, err := changeStaff(cc.st, shop.ID, app.ActionAddStaff, m, time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
	}
	keys := map[string][]byte{}
	if err := cc.st.View(shop.ID, func(tx ShopTx) error {
		list, err := tx.Staff()
		for _, m := range list {
			keys[m.Name] = m.Key
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	_, tok, err := AddTerminal(cc.st, shop.ID, "Kasir 1", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	body := []byte(fmt.Sprintf(`{"kind":"woocommerce","store_url":%q}`, b.URL))
	if code, out := ownerPost(t, cc, tok, "Kasir", keys["Kasir"], wire.AccountsPath+"/remove", body); code != http.StatusForbidden {
		t.Fatalf("a cashier: %d %s", code, out)
	}
	code, out := ownerPost(t, cc, tok, "Ayu", keys["Ayu"], wire.AccountsPath+"/remove", body)
	var left []MaskedAccount
	if code != http.StatusOK || json.Unmarshal([]byte(out), &left) != nil || len(left) != 1 || left[0].Store != strings.TrimPrefix(a.URL, "http://") {
		t.Fatalf("the owner: %d %s", code, out)
	}
	if stores, _ := cc.srv.accounts.WooStores(shop.ID); len(stores) != 1 {
		t.Fatalf("stores %+v", stores)
	}
}
