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
	"github.com/kasir/pos/channel/tiktok"
	"github.com/kasir/pos/channel/tiktok/tiktoktest"
)

const (
	ttKey, ttSecret = "6a6appkey", "4eb0123456789abcdef"
	ttShop, ttOrder = "7494049642642441621", "576486316948490001"
	ttPackage       = "1153132168123859123"
)

// tiktokCloud is a served cloud whose channels follower has a TikTok Shop
// adapter that retries fast enough for tests, and a shop whose tiktok
// account points at the fake.
type tiktokCloud struct {
	*channelsCloud
	fake   *tiktoktest.Server
	shop   *Shop
	access string
}

func startTikTok(t *testing.T) *tiktokCloud {
	t.Helper()
	fake := tiktoktest.New(ttKey, ttSecret, ttShop, "ROW_cipher")
	t.Cleanup(fake.Close)
	st, err := OpenBolt(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	acc, err := OpenAccounts(st, noticeKey)
	if err != nil {
		t.Fatal(err)
	}
	tt := tiktok.New()
	tt.Caller.FirstRetry, tt.Caller.MaxWait, tt.Caller.Timeout = time.Millisecond, 2*time.Second, 2*time.Second
	c := NewChannels(tt)
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
	tc := &tiktokCloud{channelsCloud: &channelsCloud{srv: s, st: st, url: "http://" + <-ready, c: c}, fake: fake}
	t.Cleanup(func() { cancel(); <-done; st.Close() })
	access, refresh := fake.Issue()
	tc.access = access
	tc.shop = tc.channelsCloud.shop(t, app.AccountTikTok, fmt.Sprintf(`{"app_key":%q,"app_secret":%q,"shop_id":%q,"shop_cipher":"ROW_cipher",`+
		`"api_base":%q,"auth_base":%q,"access_token":%q,"refresh_token":%q}`, ttKey, ttSecret, ttShop, fake.URL, fake.URL, access, refresh))
	if err := s.ImportProducts(tc.shop.ID, []*app.Product{
		{SKU: "SKU-001", Name: "Kaos Polos", Currency: app.IDR, Price: 75000, OnHand: 10},
		{SKU: "SKU-002", Name: "Topi", Currency: app.IDR, Price: 20000, OnHand: 5},
	}); err != nil {
		t.Fatal(err)
	}
	return tc
}

// addTikTokOrder is a paid order of two SKU-001 and one SKU-002, line
// items one per unit as Get Order Detail lists them.
func addTikTokOrder(f *tiktoktest.Server, id, pkg string) {
	item := func(lid, sku, seller, price string) map[string]any {
		return map[string]any{"id": lid, "sku_id": sku, "product_id": "1729582718312380123", "product_name": "Kaos Polos",
			"seller_sku": seller, "original_price": price, "sale_price": price, "display_status": "TO_SHIP"}
	}
	f.AddOrder(id, "AWAITING_SHIPMENT", pkg, []map[string]any{
		item(id+"1", "2729382476852921560", "SKU-001", "75000"), item(id+"2", "2729382476852921560", "SKU-001", "75000"),
		item(id+"3", "2729382476852921561", "SKU-002", "20000"),
	}, map[string]any{"create_time": time.Now().Add(-time.Hour).Unix(), "rts_sla_time": time.Now().Add(48 * time.Hour).Unix(),
		"payment": map[string]any{"currency": "IDR", "sub_total": "160000", "shipping_fee": "9000", "seller_discount": "10000",
			"platform_discount": "0", "total_amount": "169000", "tax": "0"},
		"recipient_address": map[string]any{"name": "Budi Santoso", "phone_number": "(+62)812***678", "address_detail": "Jl. Sudirman 1",
			"postal_code": "12190", "region_code": "ID", "district_info": []map[string]any{
				{"address_level_name": "Province", "address_name": "DKI Jakarta", "address_level": "L1"},
				{"address_level_name": "City", "address_name": "Jakarta Selatan", "address_level": "L2"}}}})
}

// push posts a webhook body to the one push URL, signed as TikTok signs.
func (tc *tiktokCloud) push(t *testing.T, body string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, tc.url+"/v1/channels/tiktok/push", bytes.NewReader([]byte(body)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", tc.fake.Push([]byte(body)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("push: %d %s", resp.StatusCode, b)
	}
}

func statusPush(id, status string, at time.Time) string {
	return fmt.Sprintf(`{"type":1,"tts_notification_id":"n-%s-%s","shop_id":%q,"timestamp":%d,"data":{"order_id":%q,"order_status":%q,"is_on_hold_order":false,"update_time":%d}}`,
		id, status, ttShop, at.Unix(), id, status, at.Unix())
}

func (tc *tiktokCloud) product(t *testing.T, sku string) *app.Product {
	t.Helper()
	snap, err := tc.st.Snapshot(tc.shop.ID)
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

// TestTikTokEndToEnd: a status push → Get Order Detail fills the order
// (lines linked by SKU, stock held once, buyer, amounts) → the new figure
// reaches TikTok's listing → arranging a pickup ships the package at
// TikTok, signed, through 500s, a 429 and an expired token, once → TikTok's
// push that the package is arranged brings courier and tracking number →
// the shipping label is TikTok's PDF.
func TestTikTokEndToEnd(t *testing.T) {
	tc := startTikTok(t)
	addTikTokOrder(tc.fake, ttOrder, ttPackage)
	tc.fake.AddProduct("p1", "Kaos Polos", "sku1", "SKU-001", "wh1", "75000", 10)
	t0 := time.Now().Add(-10 * time.Minute)
	tc.push(t, statusPush(ttOrder, "AWAITING_SHIPMENT", t0))
	tc.push(t, statusPush(ttOrder, "AWAITING_SHIPMENT", t0)) // redelivered
	eventually(t, "the details", func() bool { return !tc.order(t, tc.shop.ID).DetailsPending })
	o := tc.order(t, tc.shop.ID)
	if len(o.Lines) != 2 || !o.Lines[0].Linked || o.Lines[0].Qty != 2 || o.Lines[1].Qty != 1 || o.Total != 169000 ||
		o.Discount != 10000 || o.Buyer.Name != "Budi Santoso" || o.Buyer.Address.City != "Jakarta Selatan" || o.ShipBy.IsZero() || o.Status != app.StatusReadyToShip {
		t.Fatalf("order %+v", o)
	}
	if p := tc.product(t, "SKU-001"); p.Allocated != 2 {
		t.Fatalf("SKU-001 allocated %d, want 2", p.Allocated)
	}
	if p := tc.product(t, "SKU-002"); p.Allocated != 1 {
		t.Fatalf("SKU-002 allocated %d, want 1", p.Allocated)
	}
	eventually(t, "the stock figure at TikTok", func() bool { return tc.fake.Stock("sku1") == 8 })

	tc.fake.Fail("1", 500, 503, 429)
	tc.fake.Expire()
	slot := tc.fake.Slots()[0]
	tc.do(t, tc.shop.ID, o.ID, app.ActionArrangePickup, app.Args{PickupFrom: time.Unix(slot[0], 0), PickupTo: time.Unix(slot[1], 0), PickupAddress: "Toko Ayu, Jl. Braga 5"})
	eventually(t, "the package shipped", func() bool { st, _, _ := tc.fake.Package(ttPackage); return st == "PROCESSING" })
	eventually(t, "the call recorded done", func() bool {
		for _, c := range tc.order(t, tc.shop.ID).ChannelCalls {
			if c.Step == app.StepShip && c.State == app.CallDone {
				return true
			}
		}
		return false
	})
	if !strings.Contains(string(tc.fake.Bodies("ship")[0]), fmt.Sprintf(`"start_time":%d`, slot[0])) {
		t.Fatalf("ship body %s", tc.fake.Bodies("ship")[0])
	}
	if tc.fake.Calls("GET /api/v2/token/refresh") != 1 {
		t.Fatalf("%d refreshes", tc.fake.Calls("GET /api/v2/token/refresh"))
	}
	// The renewed pair is kept in the account, so a restarted cloud uses it.
	eventually(t, "the renewed tokens in the account", func() bool {
		f, err := tc.srv.accounts.Fields(tc.shop.ID, app.AccountTikTok)
		return err == nil && f["access_token"] != tc.access && f["expires_at"] != ""
	})

	_, _, tracking := tc.fake.Package(ttPackage)
	tc.push(t, statusPush(ttOrder, "AWAITING_COLLECTION", time.Now()))
	eventually(t, "the tracking number", func() bool { return tc.order(t, tc.shop.ID).Shipment.TrackingID == tracking })
	o = tc.order(t, tc.shop.ID)
	if o.Shipment.Courier == "" || o.ChannelStatus != "AWAITING_COLLECTION" {
		t.Fatalf("shipment %+v, status %s", o.Shipment, o.ChannelStatus)
	}
	f, err := tc.srv.accounts.Fields(tc.shop.ID, app.AccountTikTok)
	if err != nil {
		t.Fatal(err)
	}
	doc, mt, err := tc.c.adapters[app.ChannelTikTok].(*tiktok.Adapter).AirwayBill(context.Background(), f, o)
	if err != nil || mt != "application/pdf" || !bytes.Equal(doc, tiktoktest.Label(ttPackage)) {
		t.Fatalf("label %q %s %v", doc, mt, err)
	}
	billForATerminal(t, tc.st, tc.url, tc.shop.ID, o.ID, "tiktok")
	if tc.fake.Writes("ship") != 1 || tc.fake.Writes("cancel") != 0 {
		t.Fatalf("%d ships, %d cancels", tc.fake.Writes("ship"), tc.fake.Writes("cancel"))
	}
	if got := tc.product(t, "SKU-001"); got.Allocated != 2 {
		t.Fatalf("SKU-001 allocated %d after the pushes, want 2", got.Allocated)
	}
}

// TestTikTokBuyerCancelRequest: TikTok's cancellation push opens the
// buyer's request; declining it rejects TikTok's cancellation, approving
// another approves it, each once.
func TestTikTokBuyerCancelRequest(t *testing.T) {
	tc := startTikTok(t)
	addTikTokOrder(tc.fake, "5001", "9001")
	addTikTokOrder(tc.fake, "5002", "9002")
	tc.fake.RequestCancel("c1", "5001")
	tc.fake.RequestCancel("c2", "5002")
	at := time.Now().Add(-time.Minute)
	ids := map[string]string{}
	for _, id := range []string{"5001", "5002"} {
		tc.push(t, statusPush(id, "AWAITING_SHIPMENT", at))
		tc.push(t, fmt.Sprintf(`{"type":11,"tts_notification_id":"c-%s","shop_id":%q,"timestamp":%d,"data":{"order_id":%q,"cancellations_role":"BUYER",`+
			`"cancel_status":"CANCELLATION_REQUEST_PENDING","cancel_id":"x","create_time":%d}}`, id, ttShop, at.Unix(), id, at.Unix()))
	}
	eventually(t, "both requests open", func() bool {
		snap, err := tc.st.Snapshot(tc.shop.ID)
		if err != nil {
			return false
		}
		n := 0
		for _, o := range snap.Orders {
			if o.CancelRequest != nil && !o.DetailsPending {
				ids[o.ExternalID] = o.ID
				n++
			}
		}
		return n == 2
	})
	tc.do(t, tc.shop.ID, ids["5001"], app.ActionDeclineCancel, app.Args{Reason: "sudah dikemas"})
	tc.do(t, tc.shop.ID, ids["5002"], app.ActionApproveCancel, app.Args{})
	eventually(t, "TikTok heard both", func() bool {
		s1, _ := tc.fake.Cancellation("c1")
		s2, _ := tc.fake.Cancellation("c2")
		return s1 == "CANCELLATION_REQUEST_CANCEL" && s2 == "CANCELLATION_REQUEST_COMPLETE"
	})
	if tc.fake.Writes("reject") != 1 || tc.fake.Writes("approve") != 1 || tc.fake.Writes("cancel") != 0 || tc.fake.Status("5002") != "CANCELLED" {
		t.Fatalf("rejects %d approves %d cancels %d", tc.fake.Writes("reject"), tc.fake.Writes("approve"), tc.fake.Writes("cancel"))
	}
}

// TestTikTokShippedWithTheShopsOwnCourier: staff mark a TikTok order
// shipped with the shop's own courier and its tracking ID → TikTok hears
// Ship Package with self_shipment and the provider of its list that is
// that courier, signed, once; TikTok's in-transit push then changes nothing
// the register already knows.
func TestTikTokShippedWithTheShopsOwnCourier(t *testing.T) {
	tc := startTikTok(t)
	addTikTokOrder(tc.fake, ttOrder, ttPackage)
	t0 := time.Now().Add(-10 * time.Minute)
	tc.push(t, statusPush(ttOrder, "AWAITING_SHIPMENT", t0))
	eventually(t, "the details", func() bool { return !tc.order(t, tc.shop.ID).DetailsPending })
	o := tc.order(t, tc.shop.ID)
	tc.do(t, tc.shop.ID, o.ID, app.ActionShip, app.Args{Courier: "JNE", TrackingID: "JNE0012345678"})
	eventually(t, "TikTok to hear the shipment", func() bool { _, _, tracking := tc.fake.Package(ttPackage); return tracking == "JNE0012345678" })
	if st, handover, _ := tc.fake.Package(ttPackage); st != "PROCESSING" || handover != "SELF_SHIPMENT" || tc.fake.Writes("ship") != 1 {
		t.Fatalf("package %s %s, %d ships", st, handover, tc.fake.Writes("ship"))
	}
	if b := string(tc.fake.Bodies("ship")[0]); !strings.Contains(b, `"shipping_provider_id":"6617675021119438850"`) {
		t.Fatalf("ship body %s", b)
	}
	eventually(t, "the call recorded", func() bool {
		for _, c := range tc.order(t, tc.shop.ID).ChannelCalls {
			if c.Step == app.StepTracking && c.State == app.CallDone {
				return true
			}
		}
		return false
	})
	tc.push(t, statusPush(ttOrder, "IN_TRANSIT", t0.Add(time.Minute)))
	if o := tc.order(t, tc.shop.ID); o.Status != app.StatusInDelivery || o.Shipment.TrackingID != "JNE0012345678" || o.Shipment.Courier != "JNE" {
		t.Fatalf("after TikTok's push: %s %+v", o.Status, o.Shipment)
	}
}
