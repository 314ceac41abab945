package client_test

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
	"github.com/kasir/pos/cloud"
	"github.com/kasir/pos/cloud/bolt"
	"github.com/kasir/pos/cloud/web"
	"github.com/kasir/pos/sync/client"
)

// TestTikTokOnTerminal: a TikTok Shop status push reaches a terminal as an
// order filled in from Get Order Detail, its stock held; the cashier
// arranges the pickup on the terminal, the cloud ships the package at
// TikTok with a signed call (through a 500, a 429 and an expired token, once),
// and TikTok's next push brings the tracking number to the terminal.
func TestTikTokOnTerminal(t *testing.T) {
	const key, secret, shopID, orderID, pkgID = "6a6appkey", "4eb0123456789abcdef", "7494049642642441621", "576486316948490077", "1153132168123850077"
	fake := tiktoktest.New(key, secret, shopID, "ROW_cipher")
	defer fake.Close()
	item := func(lid, sku, seller, price string) map[string]any {
		return map[string]any{"id": lid, "sku_id": sku, "product_id": "1729582718312380123", "product_name": "Kaos Polos",
			"seller_sku": seller, "original_price": price, "sale_price": price}
	}
	fake.AddOrder(orderID, "AWAITING_SHIPMENT", pkgID, []map[string]any{
		item("1", "2729382476852921560", "SKU-001", "75000"), item("2", "2729382476852921560", "SKU-001", "75000"),
	}, map[string]any{"create_time": time.Now().Add(-time.Hour).Unix(),
		"payment":           map[string]any{"currency": "IDR", "shipping_fee": "9000", "total_amount": "159000", "tax": "0"},
		"recipient_address": map[string]any{"name": "Budi Santoso", "phone_number": "(+62)812***678", "address_detail": "Jl. Sudirman 1", "postal_code": "12190", "region_code": "ID"}})

	st, err := bolt.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	acc, err := cloud.OpenAccounts(st, bytes.Repeat([]byte{9}, 32))
	if err != nil {
		t.Fatal(err)
	}
	tt := tiktok.New()
	tt.Caller.FirstRetry, tt.Caller.MaxWait, tt.Caller.Timeout = time.Millisecond, 2*time.Second, 2*time.Second
	srv := cloud.NewServer(st, cloud.Options{Logger: quietLog(), Accounts: acc, Followers: []cloud.Follower{cloud.NewChannels(tt)}})
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = web.Serve(ctx, srv, "127.0.0.1:0", "", "", func(a string) { ready <- a })
	}()
	defer func() { cancel(); <-done; st.Close() }()
	url := "http://" + <-ready
	shop, err := cloud.AddShop(st, "Toko Kaos", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	access, refresh := fake.Issue()
	cred := fmt.Sprintf(`{"app_key":%q,"app_secret":%q,"shop_id":%q,"shop_cipher":"ROW_cipher","api_base":%q,"auth_base":%q,"access_token":%q,"refresh_token":%q}`,
		key, secret, shopID, fake.URL, fake.URL, access, refresh)
	if _, err := acc.Set(shop.ID, app.AccountTikTok, []byte(cred), time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := srv.ImportProducts(shop.ID, []*app.Product{{SKU: "SKU-001", Name: "Kaos Polos", Currency: app.IDR, Price: 75000, OnHand: 10}}); err != nil {
		t.Fatal(err)
	}
	term, tok, err := cloud.AddTerminal(st, shop.ID, "tablet", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	tm := newTerminal(t, url, term.ID, tok)
	waitFor(t, 10*time.Second, "online", func() bool { return tm.client.State().Status == client.Online })

	push := func(status string, at time.Time) {
		t.Helper()
		body := []byte(fmt.Sprintf(`{"type":1,"tts_notification_id":"n-%s","shop_id":%q,"timestamp":%d,"data":{"order_id":%q,"order_status":%q,"update_time":%d}}`,
			status, shopID, at.Unix(), orderID, status, at.Unix()))
		req, _ := http.NewRequest(http.MethodPost, url+"/v1/channels/tiktok/push", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", fake.Push(body))
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
	id := app.ChannelOrderID(app.ChannelTikTok, orderID)
	push("AWAITING_SHIPMENT", time.Now().Add(-time.Minute))
	waitFor(t, 10*time.Second, "the filled order on the terminal", func() bool {
		return tm.has(id) && !tm.order(t, id).DetailsPending
	})
	o := tm.order(t, id)
	if len(o.Lines) != 1 || o.Lines[0].Qty != 2 || !o.Lines[0].Linked || o.Total != 159000 || o.Buyer.Name != "Budi Santoso" {
		t.Fatalf("order on the terminal %+v", o)
	}
	waitFor(t, 10*time.Second, "the stock held on the terminal", func() bool {
		ps, _ := tm.db.Products()
		for _, p := range ps {
			if p.SKU == "SKU-001" {
				return p.Allocated == 2
			}
		}
		return false
	})

	fake.Fail("1", 500, 429)
	fake.Expire()
	slot := fake.Slots()[1]
	cashier := app.Actor{Staff: "Kasir", Role: app.RoleCashier}
	if _, err := tm.svc.Do(app.Command{Action: app.ActionArrangePickup, OrderID: id,
		Args: app.Args{PickupFrom: time.Unix(slot[0], 0), PickupTo: time.Unix(slot[1], 0), PickupAddress: "Toko Kaos, Jl. Braga 5"}}, cashier); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 15*time.Second, "the package shipped at TikTok", func() bool { s, _, _ := fake.Package(pkgID); return s == "PROCESSING" })
	if b := fake.Bodies("ship"); len(b) != 1 || !strings.Contains(string(b[0]), fmt.Sprintf(`"start_time":%d`, slot[0])) {
		t.Fatalf("ship bodies %s", b)
	}
	_, _, tracking := fake.Package(pkgID)
	push("AWAITING_COLLECTION", time.Now())
	waitFor(t, 10*time.Second, "the tracking number on the terminal", func() bool { return tm.order(t, id).Shipment.TrackingID == tracking })
	if fake.Writes("ship") != 1 || fake.Calls("GET /api/v2/token/refresh") != 1 {
		t.Fatalf("%d ships, %d refreshes", fake.Writes("ship"), fake.Calls("GET /api/v2/token/refresh"))
	}
}
