package client_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel/lazada"
	"github.com/kasir/pos/channel/lazada/lazadatest"
	"github.com/kasir/pos/cloud"
	"github.com/kasir/pos/cloud/bolt"
	"github.com/kasir/pos/cloud/web"
)

// TestLazadaOnATerminal: Lazada pushes an order's two lines → the cloud
// fetches its details → the terminal's own store holds the lines linked by
// SKU → the terminal accepts (Lazada's "create package") and the pack
// reaches the fake, signed → Lazada's packed push brings the tracking
// number to the terminal → the terminal arranges a drop-off and the
// package is set ready to ship, once.
func TestLazadaOnATerminal(t *testing.T) {
	const key, secret, seller, orderID = "104321", "lz_secret_0123456789abcdef", "200123456", int64(260422900198363)
	fake := lazadatest.New(key, secret, seller)
	defer fake.Close()
	fake.AddOrder(lazadatest.Order{ID: orderID, Buyer: "Budi Santoso", Phone: "081234567890", Street: "Jl. Braga 5", City: "Bandung",
		ShippingFee: 9000, PaymentMethod: "MIXEDCARD",
		Items: []*lazadatest.Item{
			{OrderItemID: 1001, Name: "Kaos Polos", SKU: "SKU-001", ItemPrice: 75000},
			{OrderItemID: 1002, Name: "Topi", SKU: "SKU-002", ItemPrice: 50000},
		}})
	st, err := bolt.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	acc, err := cloud.OpenAccounts(st, bytes.Repeat([]byte{9}, 32))
	if err != nil {
		t.Fatal(err)
	}
	lz := lazada.New()
	lz.Caller.FirstRetry, lz.Caller.MaxWait = time.Millisecond, time.Second
	srv := cloud.NewServer(st, cloud.Options{Logger: quietLog(), Accounts: acc, Followers: []cloud.Follower{cloud.NewChannels(lz)}})
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = web.Serve(ctx, srv, "127.0.0.1:0", "", "", func(a string) { ready <- a })
	}()
	defer func() { cancel(); <-done; st.Close() }()
	url := "http://" + <-ready
	shop, err := cloud.AddShop(st, "Toko Ayu", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	access, refresh := fake.Tokens()
	cred := fmt.Sprintf(`{"app_key":%q,"app_secret":%q,"seller_id":%q,"api_base":%q,"auth_base":%q,"access_token":%q,"refresh_token":%q}`,
		key, secret, seller, fake.Base(), fake.Base(), access, refresh)
	if _, err := acc.Set(shop.ID, app.AccountLazada, []byte(cred), time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := srv.ImportProducts(shop.ID, []*app.Product{
		{SKU: "SKU-001", Name: "Kaos Polos", Currency: app.IDR, Price: 75000, OnHand: 10},
		{SKU: "SKU-002", Name: "Topi", Currency: app.IDR, Price: 50000, OnHand: 5}}); err != nil {
		t.Fatal(err)
	}
	term, tok, err := cloud.AddTerminal(st, shop.ID, "tablet", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	tm := newTerminal(t, url, term.ID, tok)

	push := func(line int64, status string) {
		t.Helper()
		body := []byte(fmt.Sprintf(`{"seller_id":"%s","message_type":0,"timestamp":%d,"site":"lazada_id","data":{"order_status":"%s","trade_order_id":"%d","trade_order_line_id":"%d","status_update_time":%d}}`,
			seller, time.Now().UnixMilli(), status, orderID, line, time.Now().Unix()))
		req, _ := http.NewRequest(http.MethodPost, url+"/v1/channels/lazada/push", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", lazada.PushSignature(key, secret, body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("push %d %s: %v %v", line, status, err, resp)
		}
		resp.Body.Close()
	}
	push(1001, "pending")
	push(1002, "pending")
	id := app.ChannelOrderID(app.ChannelLazada, fmt.Sprint(orderID))
	waitFor(t, 15*time.Second, "the order with its details on the terminal", func() bool {
		if !tm.has(id) {
			return false
		}
		o := tm.order(t, id)
		return !o.DetailsPending && len(o.Lines) == 2 && o.Lines[0].Linked && o.Lines[1].Linked
	})

	if _, err := tm.svc.Do(app.Command{Action: app.ActionAccept, OrderID: id}, owner); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 15*time.Second, "the package at Lazada", func() bool { return fake.Writes("pack") == 2 })
	waitFor(t, 15*time.Second, "the terminal's stock allocated", func() bool {
		ps, err := tm.db.Products()
		if err != nil {
			return false
		}
		n := 0
		for _, p := range ps {
			if (p.SKU == "SKU-001" || p.SKU == "SKU-002") && p.Allocated == 1 {
				n++
			}
		}
		return n == 2
	})

	push(1001, "packed")
	push(1002, "packed")
	waitFor(t, 15*time.Second, "the tracking number on the terminal", func() bool {
		return tm.order(t, id).Shipment.TrackingID == "LXID00000001"
	})
	if _, err := tm.svc.Do(app.Command{Action: app.ActionArrangeDropoff, OrderID: id, Args: app.Args{Courier: "LEX ID"}}, owner); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 15*time.Second, "ready to ship at Lazada", func() bool { return fake.Writes("rts") == 1 })
	if fake.Calls("/order/fulfill/pack") != 1 || fake.Calls("/order/package/rts") != 1 {
		t.Fatalf("%d pack and %d ready-to-ship calls", fake.Calls("/order/fulfill/pack"), fake.Calls("/order/package/rts"))
	}
	if o := tm.order(t, id); o.Shipment.TrackingID != "LXID00000001" || o.Status != app.StatusReadyToShip {
		t.Fatalf("terminal shows %s %+v", o.Status, o.Shipment)
	}
}
