package cloud

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
	"github.com/kasir/pos/channel/tokopedia"
	"github.com/kasir/pos/channel/tokopedia/tokotest"
	"github.com/kasir/pos/channel/woocommerce"
	"github.com/kasir/pos/channel/woocommerce/wootest"
)

// channelsCloud is a served cloud with the connectors follower, whose
// adapters retry fast enough for tests.
type channelsCloud struct {
	srv *Server
	st  Backend
	url string
	c   *Channels
}

func fastAdapters() (*woocommerce.Adapter, *tokopedia.Adapter) {
	w, tk := woocommerce.New(), tokopedia.New()
	for _, c := range []*channel.Caller{w.Caller, tk.Caller} {
		c.FirstRetry, c.MaxWait, c.Timeout = time.Millisecond, 2*time.Second, 2*time.Second
	}
	return w, tk
}

func startChannelsCloud(t testing.TB) *channelsCloud {
	t.Helper()
	st, err := OpenBolt(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	acc, err := OpenAccounts(st, noticeKey)
	if err != nil {
		t.Fatal(err)
	}
	w, tk := fastAdapters()
	c := NewChannels(w, tk)
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
	return cc
}

func (cc *channelsCloud) shop(t testing.TB, kind app.AccountKind, cred string) *Shop {
	t.Helper()
	shop, err := AddShop(cc.st, "Toko Ayu", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cc.srv.accounts.Set(shop.ID, kind, []byte(cred), time.Now()); err != nil {
		t.Fatal(err)
	}
	return shop
}

func (cc *channelsCloud) hook(t testing.TB, shop *Shop, ch string, body []byte, hdr map[string]string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, cc.url+"/v1/shops/"+shop.ID+"/webhooks/"+ch, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("%s webhook: %d %s", ch, resp.StatusCode, b)
	}
}

func (cc *channelsCloud) order(t testing.TB, shop string) *app.Order {
	t.Helper()
	snap, err := cc.st.Snapshot(shop)
	if err != nil || len(snap.Orders) != 1 {
		t.Fatalf("orders: %v %v", snap, err)
	}
	return snap.Orders[0]
}

func (cc *channelsCloud) do(t testing.TB, shop, id string, a app.Action, args app.Args) {
	t.Helper()
	if _, err := cc.srv.Execute(shop, app.Command{Action: a, OrderID: id, Args: args}, cloudOwner, time.Now()); err != nil {
		t.Fatalf("%s: %v", a, err)
	}
}

func eventually(t testing.TB, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func wooOrderBody(t testing.TB, id int) []byte {
	raw, err := os.ReadFile("testdata/woocommerce_order.json")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	m["id"], m["number"], m["status"] = id, fmt.Sprint(id), "processing"
	m["date_created_gmt"] = time.Now().UTC().Format("2006-01-02T15:04:05")
	out, _ := json.Marshal(m)
	return out
}

// TestWooCommerceEndToEnd: order.created → accepted in the register →
// shipped with a tracking ID → completed; the store hears each step, with
// the consumer key and secret, and the buyer's note carries the tracking ID.
func TestWooCommerceEndToEnd(t *testing.T) {
	store := wootest.New("ck_live_0123456789", "cs_live_0123456789")
	defer store.Close()
	store.AddOrder(727, "processing")
	cc := startChannelsCloud(t)
	shop := cc.shop(t, app.AccountWooCommerce, fmt.Sprintf(`{"store_url":%q,"consumer_key":"ck_live_0123456789","consumer_secret":"cs_live_0123456789","webhook_secret":"whsec_abcdefghijkl"}`, store.URL))
	body := wooOrderBody(t, 727)
	cc.hook(t, shop, "woocommerce", body, map[string]string{"X-WC-Webhook-Topic": "order.created",
		"X-WC-Webhook-Delivery-ID": "d1", "X-WC-Webhook-Signature": channel.SignBase64("whsec_abcdefghijkl", body)})
	o := cc.order(t, shop.ID)
	store.Fail("1", 500, 502, 429) // the store stumbles: nothing is lost, nothing doubled
	cc.do(t, shop.ID, o.ID, app.ActionAccept, app.Args{})
	cc.do(t, shop.ID, o.ID, app.ActionShip, app.Args{Courier: "JNE", TrackingID: "JNE0012345678"})
	cc.do(t, shop.ID, o.ID, app.ActionDeliver, app.Args{})
	cc.do(t, shop.ID, o.ID, app.ActionComplete, app.Args{})
	eventually(t, "the store to complete the order", func() bool { return store.Order(727).Status == "completed" })
	got := store.Order(727)
	if len(got.Notes) != 1 || !got.Notes[0].CustomerNote || !strings.Contains(got.Notes[0].Note, "JNE0012345678") {
		t.Fatalf("notes %+v", got.Notes)
	}
	eventually(t, "the calls recorded done", func() bool {
		o := cc.order(t, shop.ID)
		done := 0
		for _, c := range o.ChannelCalls {
			if c.State == app.CallDone {
				done++
			}
		}
		return done == 2 && len(o.ChannelCalls) == 2 // the tracking note and complete; accepting has no call
	})
	if n := store.Writes("PUT /wp-json/wc/v3/orders/727"); n != 1 {
		t.Fatalf("%d status writes", n)
	}
}

const tokoCred = `{"fs_id":"13000","shop_id":"479573","client_id":"kasir-app","client_secret":"sec_0123456789abcdef","webhook_secret":"whk_0123456789abcdef","api_base":%q,"auth_base":%q}`

var tokoPush = []byte(`{"fs_id":13000,"shop_id":479573,"order_id":166295305,"invoice_ref_num":"INV/20261120/XXI/I/1","order_status":220,"create_time":%d,"products":[{"id":15157523,"name":"Kaos","quantity":2,"price":75000,"total_price":150000,"sku":"SKU-001"}],"customer":{"name":"Budi"},"recipient":{"name":"Budi Santoso","phone":"0812","address":{"address_full":"Jl. Sudirman 1","city":"Jakarta Selatan","province":"DKI Jakarta","postal_code":"12190"}},"amt":{"ttl_product_price":150000,"shipping_cost":9000,"ttl_amount":159000}}`)

func pushTokopedia(t testing.TB, cc *channelsCloud, shop *Shop) *app.Order {
	body := []byte(fmt.Sprintf(string(tokoPush), time.Now().Unix()))
	cc.hook(t, shop, "tokopedia", body, map[string]string{"Authorization-Hmac": strings.ToUpper(channel.SignHex("whk_0123456789abcdef", body))})
	return cc.order(t, shop.ID)
}

// TestTokopediaEndToEnd: push → accept on a terminal → the ack reaches
// Tokopedia with a fetched token → arranging pickup requests it; with
// 500s, a 429 and an expired token on the way, each call is made once.
func TestTokopediaEndToEnd(t *testing.T) {
	fake := tokotest.New("13000", "479573", "kasir-app", "sec_0123456789abcdef")
	defer fake.Close()
	fake.AddOrder(166295305, 220)
	cc := startChannelsCloud(t)
	shop := cc.shop(t, app.AccountTokopedia, fmt.Sprintf(tokoCred, fake.URL, fake.URL))
	o := pushTokopedia(t, cc, shop)
	fake.Fail("1", 500, 503, 429)
	cc.do(t, shop.ID, o.ID, app.ActionAccept, app.Args{})
	eventually(t, "the ack", func() bool { return fake.Status(166295305) == 400 })
	fake.Expire()
	cc.do(t, shop.ID, o.ID, app.ActionArrangePickup, app.Args{PickupFrom: time.Now().Add(3 * time.Hour), PickupAddress: "Toko Ayu, Jl. Braga 5"})
	eventually(t, "the pickup request", func() bool { return fake.Status(166295305) == 450 })
	if fake.Writes("ack") != 1 || fake.Writes("pick-up") != 1 || fake.Issued() != 2 {
		t.Fatalf("acks %d pickups %d tokens %d", fake.Writes("ack"), fake.Writes("pick-up"), fake.Issued())
	}
}

// TestTokopediaRefusalShowsOnOrder: a refusal that will not go away is
// recorded on the order in words, parks the change, and shows in /metrics
// and account show.
func TestTokopediaRefusalShowsOnOrder(t *testing.T) {
	fake := tokotest.New("13000", "479573", "kasir-app", "sec_0123456789abcdef")
	defer fake.Close()
	fake.AddOrder(166295305, 700) // already finished at Tokopedia
	cc := startChannelsCloud(t)
	shop := cc.shop(t, app.AccountTokopedia, fmt.Sprintf(tokoCred, fake.URL, fake.URL))
	o := pushTokopedia(t, cc, shop)
	cc.do(t, shop.ID, o.ID, app.ActionAccept, app.Args{})
	var rec app.ChannelCall
	eventually(t, "the refusal on the order", func() bool {
		rs := cc.order(t, shop.ID).ChannelRefusals()
		if len(rs) == 1 {
			rec = rs[0]
		}
		return len(rs) == 1
	})
	words := rec.Words(app.ChannelTokopedia).String()
	if words != "Tokopedia refused to accept: order status 700 cannot be changed" || !strings.Contains(rec.Body, `"reason":"order status 700 cannot be changed"`) {
		t.Fatalf("words %q body %q", words, rec.Body)
	}
	if id := rec.Words(app.ChannelTokopedia).In(app.Indonesian); !strings.HasPrefix(id, "Tokopedia menolak untuk terima:") {
		t.Fatalf("Indonesian %q", id)
	}
	resp, err := http.Get(cc.url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(b), `pos_cloud_channel_refusals_total{channel="tokopedia",step="accept"} 1`) {
		t.Fatalf("metrics:\n%s", b)
	}
	eventually(t, "account show", func() bool {
		m, err := cc.srv.accounts.Masked(shop.ID)
		return err == nil && len(m) == 1 && strings.Contains(m[0].LastError, "Tokopedia refused to accept")
	})
}

// BenchmarkStockBurst: 1,000 stock changes of one SKU within a second reach
// each listing at most twice, the last figure last.
func BenchmarkStockBurst(b *testing.B) {
	store := wootest.New("ck_live_0123456789", "cs_live_0123456789")
	defer store.Close()
	store.AddProduct(10, 0, "SKU-001", 0)
	fake := tokotest.New("13000", "479573", "kasir-app", "sec_0123456789abcdef")
	defer fake.Close()
	cc := startChannelsCloud(b)
	shop := cc.shop(b, app.AccountWooCommerce, fmt.Sprintf(`{"store_url":%q,"consumer_key":"ck_live_0123456789","consumer_secret":"cs_live_0123456789","webhook_secret":"whsec_abcdefghijkl"}`, store.URL))
	if _, err := cc.srv.accounts.Set(shop.ID, app.AccountTokopedia, []byte(fmt.Sprintf(tokoCred, fake.URL, fake.URL)), time.Now()); err != nil {
		b.Fatal(err)
	}
	worst := 0
	for n := range b.N {
		before := store.Writes("PUT /wp-json/wc/v3/products/{id}")
		beforeT := fake.Writes("stock")
		last := 0
		start := time.Now()
		for i := range 1000 {
			last = 1000*n + i
			raw, _ := json.Marshal(map[string]any{"products": []*app.Product{{SKU: "SKU-001", Name: "Kaos", OnHand: last}}})
			if err := cc.c.Follow(context.Background(), LogEntry{Shop: shop.ID, Seq: uint64(last + 1), Raw: raw}); err != nil {
				b.Fatal(err)
			}
			time.Sleep(time.Until(start.Add(time.Duration(i+1) * time.Millisecond))) // spread evenly over one second
		}
		deadline := time.Now().Add(10 * time.Second)
		for (store.Stock(10) != last || fake.Stock("SKU-001") != last) && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if store.Stock(10) != last || fake.Stock("SKU-001") != last {
			b.Fatalf("last figure %d not pushed: woo %d tokopedia %d", last, store.Stock(10), fake.Stock("SKU-001"))
		}
		time.Sleep(2 * stockWindow) // anything still to come
		worst = max(worst, store.Writes("PUT /wp-json/wc/v3/products/{id}")-before, fake.Writes("stock")-beforeT)
	}
	if worst > 2 {
		b.Fatalf("%d pushes per listing for one burst, want at most 2", worst)
	}
	b.ReportMetric(float64(worst), "pushes/listing")
}

// TestWooStaleCreatedKeepsStatus: an order.created delivered after the
// order.updated that completed it does not move channel_status back.
func TestWooStaleCreatedKeepsStatus(t *testing.T) {
	cc := startChannelsCloud(t)
	shop := cc.shop(t, app.AccountWooCommerce, `{"store_url":"https://toko.example.id","consumer_key":"ck_live_0123456789","consumer_secret":"cs_live_0123456789","webhook_secret":"whsec_abcdefghijkl"}`)
	send := func(topic, status, delivery string) {
		body := wooOrderBody(t, 728)
		var m map[string]any
		_ = json.Unmarshal(body, &m)
		m["status"] = status
		body, _ = json.Marshal(m)
		cc.hook(t, shop, "woocommerce", body, map[string]string{"X-WC-Webhook-Topic": topic,
			"X-WC-Webhook-Delivery-ID": delivery, "X-WC-Webhook-Signature": channel.SignBase64("whsec_abcdefghijkl", body)})
	}
	send("order.updated", "on-hold", "d1")
	send("order.updated", "processing", "d2")
	send("order.created", "on-hold", "d3") // late
	if o := cc.order(t, shop.ID); o.ChannelStatus != "processing" {
		t.Fatalf("channel_status %q after a stale order.created", o.ChannelStatus)
	}
}

// TestTokopediaStatusPushFetchesTheOrder: a status push naming an order the
// cloud has not seen is followed by Get Single Order, which fills the
// lines (linked by SKU, stock allocated), buyer and amounts.
func TestTokopediaStatusPushFetchesTheOrder(t *testing.T) {
	fake := tokotest.New("13000", "479573", "kasir-app", "sec_0123456789abcdef")
	defer fake.Close()
	fake.AddOrder(166295399, 220)
	fake.SetDetail(166295399, map[string]any{"invoice_number": "INV/20261130/XXI/I/9", "open_amt": 159000, "item_price": 150000,
		"buyer_info": map[string]any{"buyer_fullname": "Budi", "buyer_phone": "081234567890"},
		"order_info": map[string]any{
			"order_detail":  []map[string]any{{"product_id": 15157523, "product_name": "Kaos Polos", "quantity": 2, "product_price": 75000, "sku": "SKU-001"}},
			"destination":   map[string]any{"receiver_name": "Budi Santoso", "receiver_phone": "081234567890", "address_street": "Jl. Sudirman 1", "address_city": "Jakarta Selatan", "address_province": "DKI Jakarta", "address_postal": "12190"},
			"shipping_info": map[string]any{"logistic_name": "JNE", "shipping_price": 9000}}})
	cc := startChannelsCloud(t)
	shop := cc.shop(t, app.AccountTokopedia, fmt.Sprintf(tokoCred, fake.URL, fake.URL))
	if err := cc.srv.ImportProducts(shop.ID, []*app.Product{{SKU: "SKU-001", Name: "Kaos Polos", Currency: app.IDR, Price: 75000, OnHand: 10}}); err != nil {
		t.Fatal(err)
	}
	body := []byte(`{"fs_id":13000,"shop_id":479573,"order_id":166295399,"order_status":220}`)
	cc.hook(t, shop, "tokopedia", body, map[string]string{"Authorization-Hmac": channel.SignHex("whk_0123456789abcdef", body)})
	eventually(t, "the details", func() bool { return !cc.order(t, shop.ID).DetailsPending })
	o := cc.order(t, shop.ID)
	if len(o.Lines) != 1 || !o.Lines[0].Linked || o.Lines[0].Qty != 2 || o.Total != 159000 || o.Buyer.Name != "Budi Santoso" || o.Number != "INV/20261130/XXI/I/9" {
		t.Fatalf("order %+v", o)
	}
	cc.do(t, shop.ID, o.ID, app.ActionAccept, app.Args{}) // accepting allocates the stock
	eventually(t, "the ack", func() bool { return fake.Status(166295399) == 400 })
	snap, err := cc.st.Snapshot(shop.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range snap.Products {
		if p.SKU == "SKU-001" && p.Allocated != 2 {
			t.Fatalf("allocated %d, want 2", p.Allocated)
		}
	}
	// The allocation moved SKU-001's available stock: Tokopedia hears 8.
	eventually(t, "the stock figure", func() bool { return fake.Stock("SKU-001") == 8 })
}

// TestCrashBetweenCallAndRecord: the cloud stopped after Tokopedia got the
// ack but before "done" was written. The change comes again; the order
// still says "calling", so the connector reads the order back, sees it
// accepted, and does not ack twice. WooCommerce's status change, which is
// idempotent, is simply repeated.
func TestCrashBetweenCallAndRecord(t *testing.T) {
	fake := tokotest.New("13000", "479573", "kasir-app", "sec_0123456789abcdef")
	defer fake.Close()
	fake.AddOrder(166295305, 220)
	st, err := OpenBolt(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	acc, err := OpenAccounts(st, noticeKey)
	if err != nil {
		t.Fatal(err)
	}
	w, tk := fastAdapters()
	c := NewChannels(w, tk)
	s := NewServer(st, Options{Logger: quiet(), Followers: []Follower{c}, Accounts: acc}) // not served: the test delivers
	shop, err := AddShop(st, "Toko Ayu", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := acc.Set(shop.ID, app.AccountTokopedia, []byte(fmt.Sprintf(tokoCred, fake.URL, fake.URL)), time.Now()); err != nil {
		t.Fatal(err)
	}
	o := &app.Order{Channel: app.ChannelTokopedia, ExternalID: "166295305", Status: app.StatusNew, Number: "INV/1", Currency: app.IDR,
		PaymentMethod: app.PayMarketplace, Buyer: app.Buyer{Name: "Budi"}, Lines: []app.Line{{SKU: "SKU-001", Name: "Kaos", Qty: 1, UnitPrice: 75000}}}
	res, err := s.Execute(shop.ID, app.Command{Action: app.ActionPlace, Args: app.Args{Order: o}}, app.ChannelActor("tokopedia"), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	acc1, err := s.Execute(shop.ID, app.Command{Action: app.ActionAccept, OrderID: res.Order.ID}, cloudOwner, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	// What the crashed cloud left: the ack reached Tokopedia, the record says "calling".
	ev := acc1.Events[len(acc1.Events)-1]
	key := app.ChannelCallKey(app.StepAccept, ev.Version)
	if _, err := s.Execute(shop.ID, app.Command{Action: app.ActionRecordChannelCall, OrderID: res.Order.ID,
		Args: app.Args{ChannelCall: &app.ChannelCall{Key: key, Step: app.StepAccept, State: app.CallCalling, Attempts: 1}}}, channelsActor, time.Now()); err != nil {
		t.Fatal(err)
	}
	tok := tokopedia.New()
	if err := tok.Push(context.Background(), map[string]string{"fs_id": "13000", "shop_id": "479573", "client_id": "kasir-app",
		"client_secret": "sec_0123456789abcdef", "api_base": fake.URL, "auth_base": fake.URL}, channel.Decision{Step: app.StepAccept, Order: acc1.Order}); err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(map[string]any{"order": acc1.Order, "events": acc1.Events})
	for range 2 { // delivered again, twice: at least once
		if err := c.Follow(context.Background(), LogEntry{Shop: shop.ID, Seq: 2, Order: res.Order.ID, Raw: raw}); err != nil {
			t.Fatal(err)
		}
	}
	if fake.Writes("ack") != 1 {
		t.Fatalf("%d acks after the crash, want 1", fake.Writes("ack"))
	}
	var cur *app.Order
	_ = st.View(shop.ID, func(tx ShopTx) error { cur, err = tx.Order(res.Order.ID); return err })
	if rec := cur.ChannelCallFor(key); rec == nil || rec.State != app.CallDone || rec.Attempts != 2 {
		t.Fatalf("record %+v", rec)
	}
}
