package cloud

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
	"github.com/kasir/pos/channel/shopee"
	"github.com/kasir/pos/channel/shopee/shopeetest"
)

const (
	shopeePartner = 2001234
	shopeeShop    = 778899
	shopeeKey     = "shpk4f6e7a8b9c0d1e2f3a4b5c6d7e8f9a0b"
	shopeeSN      = "2411230ABCDE"
)

// shopeeCloud is a served cloud whose channels follower speaks to a fake
// Shopee, and a shop whose account points at it.
type shopeeCloud struct {
	*channelsCloud
	fake    *shopeetest.Server
	shop    *Shop
	pushURL string
}

func startShopeeCloud(t *testing.T) *shopeeCloud {
	t.Helper()
	return startShopeeCloudWith(t, Options{})
}

// startShopeeCloudWith is startShopeeCloud with the server's cadences of opt.
func startShopeeCloudWith(t *testing.T, opt Options) *shopeeCloud {
	t.Helper()
	fake := shopeetest.New(shopeePartner, shopeeShop, shopeeKey)
	t.Cleanup(fake.Close)
	ad := shopee.New()
	ad.Caller.FirstRetry, ad.Caller.MaxWait, ad.Caller.Timeout = time.Millisecond, 2*time.Second, 2*time.Second
	st, err := OpenBolt(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	acc, err := OpenAccounts(st, noticeKey)
	if err != nil {
		t.Fatal(err)
	}
	c := NewChannels(ad)
	opt.Logger, opt.Followers, opt.Accounts = quiet(), []Follower{c}, acc
	s := NewServer(st, opt)
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := s.Serve(ctx, "127.0.0.1:0", "", "", func(a string) { ready <- a }); err != nil {
			t.Error(err)
		}
	}()
	sc := &shopeeCloud{channelsCloud: &channelsCloud{srv: s, st: st, url: "http://" + <-ready, c: c}, fake: fake}
	t.Cleanup(func() { cancel(); <-done; st.Close() })
	sc.pushURL = sc.url + "/v1/channels/shopee/push"
	access, refresh := fake.Issue()
	sc.shop = sc.channelsCloud.shop(t, app.AccountShopee, fmt.Sprintf(`{"partner_id":%d,"partner_key":%q,"shop_id":%d,"push_url":%q,"api_base":%q,"access_token":%q,"refresh_token":%q}`,
		shopeePartner, shopeeKey, shopeeShop, sc.pushURL, fake.URL, access, refresh))
	if err := s.ImportProducts(sc.shop.ID, []*app.Product{{SKU: "KAOS-HTM-L", Name: "Kaos Polos Hitam L", Currency: app.IDR, Price: 75000, OnHand: 10}}); err != nil {
		t.Fatal(err)
	}
	fake.AddItem(shopeetest.Item{ID: 100, Name: "Kaos Polos", SKU: "KAOS", Models: []shopeetest.Model{{ID: 200, SKU: "KAOS-HTM-L", Option: "Hitam, L", Price: 75000, Stock: 10}}})
	fake.AddOrder(shopeetest.Order{SN: shopeeSN, Status: "READY_TO_SHIP", Buyer: "Budi Santoso", Phone: "6281234567", Address: "Jl. Merdeka 1",
		City: "Bandung", State: "Jawa Barat", Zipcode: "40111", Total: 159000, Shipping: 9000, ShipBy: time.Now().Add(48 * time.Hour),
		Items: []shopeetest.OrderItem{{ItemID: 100, ModelID: 200, Name: "Kaos Polos", ModelName: "Hitam, L", ItemSKU: "KAOS", ModelSKU: "KAOS-HTM-L", Qty: 2, Price: 75000}}})
	return sc
}

// push delivers a push as Shopee signs it; the answer must be Shopee's ack.
func (sc *shopeeCloud) push(t *testing.T, body []byte) {
	t.Helper()
	code, resp, err := sc.fake.Push(sc.pushURL, sc.pushURL, body)
	if err != nil || code != 200 || len(resp) != 0 {
		t.Fatalf("push: %d %q %v", code, resp, err)
	}
}

func (sc *shopeeCloud) product(t *testing.T, sku string) *app.Product {
	t.Helper()
	snap, err := sc.st.Snapshot(sc.shop.ID)
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

// TestShopeeEndToEnd: a status push names an order → the details are
// fetched (lines linked by SKU, stock allocated, the figure pushed to the
// listing) → pickup arranged in the register reaches Shopee signed →
// the tracking number push sets courier and tracking ID → the airway bill.
func TestShopeeEndToEnd(t *testing.T) {
	sc := startShopeeCloud(t)
	sc.push(t, sc.fake.StatusPush(shopeeSN))
	var o *app.Order
	eventually(t, "the details", func() bool {
		o = sc.order(t, sc.shop.ID)
		return !o.DetailsPending
	})
	if o.Status != app.StatusReadyToShip || len(o.Lines) != 1 || !o.Lines[0].Linked || o.Buyer.Name != "Budi Santoso" ||
		o.Total != 159000 || o.ShipBy.IsZero() || o.ChannelUpdatedAt.IsZero() {
		t.Fatalf("order %+v", o)
	}
	if p := sc.product(t, "KAOS-HTM-L"); p.Allocated != 2 {
		t.Fatalf("allocated %d", p.Allocated)
	}
	eventually(t, "the stock figure at Shopee", func() bool { return sc.fake.Stock(100, 200) == 8 })
	// A redelivered push changes nothing.
	sc.push(t, sc.fake.StatusPush(shopeeSN))
	sc.do(t, sc.shop.ID, o.ID, app.ActionArrangePickup, app.Args{PickupFrom: time.Now().Add(28 * time.Hour), PickupAddress: "Toko Ayu, Jl. Braga 5"})
	eventually(t, "ship_order", func() bool { return sc.fake.Status(shopeeSN) == "PROCESSED" })
	if sc.fake.Writes("ship_order") != 1 || sc.fake.Shipped(shopeeSN)["pickup"] == nil {
		t.Fatalf("ship_order %d %v", sc.fake.Writes("ship_order"), sc.fake.Shipped(shopeeSN))
	}
	sc.push(t, sc.fake.StatusPush(shopeeSN))
	sc.push(t, sc.fake.TrackingPush(shopeeSN))
	eventually(t, "the tracking ID", func() bool {
		o = sc.order(t, sc.shop.ID)
		return o.Shipment.TrackingID == sc.fake.Tracking(shopeeSN)
	})
	if o.Shipment.State != app.ShipmentAssigned || o.ChannelStatus != "PROCESSED" {
		t.Fatalf("shipment %+v status %s", o.Shipment, o.ChannelStatus)
	}
	if p := sc.product(t, "KAOS-HTM-L"); p.Allocated != 2 || p.OnHand != 10 {
		t.Fatalf("stock moved twice: allocated %d on hand %d", p.Allocated, p.OnHand)
	}
	f, err := sc.srv.accounts.Fields(sc.shop.ID, app.AccountShopee)
	if err != nil {
		t.Fatal(err)
	}
	doc, mt, err := sc.c.adapters[app.ChannelShopee].(channel.Waybill).AirwayBill(context.Background(), f, o)
	if err != nil || mt != "application/pdf" || !bytes.Contains(doc, []byte(o.Shipment.TrackingID)) {
		t.Fatalf("airway bill %s %v", mt, err)
	}
}

// TestShopeeFaults: Shopee answers 500s, then 429 with Retry-After, then
// the access token has expired: the shipment is arranged once, nothing lost.
func TestShopeeFaults(t *testing.T) {
	sc := startShopeeCloud(t)
	sc.push(t, sc.fake.StatusPush(shopeeSN))
	eventually(t, "the details", func() bool { return !sc.order(t, sc.shop.ID).DetailsPending })
	o := sc.order(t, sc.shop.ID)
	sc.fake.Fail("1", 500, 500, 429)
	sc.fake.Expire()
	sc.do(t, sc.shop.ID, o.ID, app.ActionArrangePickup, app.Args{PickupFrom: time.Now().Add(28 * time.Hour), PickupAddress: "Toko Ayu, Jl. Braga 5"})
	eventually(t, "ship_order", func() bool { return sc.fake.Status(shopeeSN) == "PROCESSED" })
	eventually(t, "the call recorded done", func() bool {
		for _, c := range sc.order(t, sc.shop.ID).ChannelCalls {
			if c.Step == app.StepShip && c.State == app.CallDone {
				return true
			}
		}
		return false
	})
	if sc.fake.Writes("ship_order") != 1 || sc.fake.Writes("token") != 1 {
		t.Fatalf("ship_order %d tokens %d", sc.fake.Writes("ship_order"), sc.fake.Writes("token"))
	}
	// The renewed pair is in the account: Shopee's refresh token is used once.
	f, err := sc.srv.accounts.Fields(sc.shop.ID, app.AccountShopee)
	if err != nil || f["access_token"] == "access-1" || f["refresh_token"] == "refresh-1" || f["expires_at"] == "" {
		t.Fatalf("account after renewal: %v %v", f, err)
	}
}

// TestShopeeBuyerCancelAndLatePush: IN_CANCEL holds the shipment until the
// shop declines (handle_buyer_cancellation REJECT reaches Shopee); a push
// older than the newest applied does not move the order back; CANCELLED
// ends an arranged pickup.
func TestShopeeBuyerCancelAndLatePush(t *testing.T) {
	sc := startShopeeCloud(t)
	sc.push(t, sc.fake.StatusPush(shopeeSN))
	eventually(t, "the details", func() bool { return !sc.order(t, sc.shop.ID).DetailsPending })
	ready := sc.fake.StatusPush(shopeeSN) // READY_TO_SHIP at its update_time
	time.Sleep(1100 * time.Millisecond)   // update_time is in seconds
	sc.fake.SetStatus(shopeeSN, "IN_CANCEL")
	sc.push(t, sc.fake.StatusPush(shopeeSN))
	o := sc.order(t, sc.shop.ID)
	if o.CancelRequest == nil || !app.ShipmentHeld(o) {
		t.Fatalf("IN_CANCEL: %+v", o)
	}
	sc.push(t, ready) // late: older than IN_CANCEL
	if o = sc.order(t, sc.shop.ID); o.ChannelStatus != "IN_CANCEL" || o.CancelRequest == nil {
		t.Fatalf("a late push moved the order back to %s", o.ChannelStatus)
	}
	if _, err := sc.srv.Execute(sc.shop.ID, app.Command{Action: app.ActionArrangePickup, OrderID: o.ID,
		Args: app.Args{PickupFrom: time.Now().Add(28 * time.Hour), PickupAddress: "Jl. Braga 5"}}, cloudOwner, time.Now()); err == nil {
		t.Fatal("arranged a shipment while the buyer's cancel request waits")
	}
	sc.do(t, sc.shop.ID, o.ID, app.ActionDeclineCancel, app.Args{})
	eventually(t, "the decline at Shopee", func() bool { return sc.fake.Status(shopeeSN) == "READY_TO_SHIP" })
	sc.do(t, sc.shop.ID, o.ID, app.ActionArrangePickup, app.Args{PickupFrom: time.Now().Add(28 * time.Hour), PickupAddress: "Jl. Braga 5"})
	eventually(t, "ship_order", func() bool { return sc.fake.Status(shopeeSN) == "PROCESSED" })
	time.Sleep(1100 * time.Millisecond)
	sc.fake.SetStatus(shopeeSN, "CANCELLED")
	sc.push(t, sc.fake.StatusPush(shopeeSN))
	o = sc.order(t, sc.shop.ID)
	if o.Status != app.StatusCancelled || o.Shipment.State != app.ShipmentNone {
		t.Fatalf("cancelled: %s %+v", o.Status, o.Shipment)
	}
	if p := sc.product(t, "KAOS-HTM-L"); p.Allocated != 0 || p.OnHand != 10 {
		t.Fatalf("allocated %d on hand %d", p.Allocated, p.OnHand)
	}
	if h := sc.fake.Handled(); len(h) != 1 || h[0] != "REJECT" {
		t.Fatalf("handled %v", h)
	}
}

// TestShopeePushUnknownShop: a push naming a shop no account holds is 401 and writes nothing.
func TestShopeePushUnknownShop(t *testing.T) {
	sc := startShopeeCloud(t)
	body := bytes.Replace(sc.fake.StatusPush(shopeeSN), []byte(strconv.Itoa(shopeeShop)), []byte("111111"), 1)
	code, _, err := sc.fake.Push(sc.pushURL, sc.pushURL, body)
	if err != nil || code != 401 {
		t.Fatalf("%d %v", code, err)
	}
	code, _, err = sc.fake.Push(sc.pushURL, "https://wrong.example/push", sc.fake.StatusPush(shopeeSN))
	if err != nil || code != 401 {
		t.Fatalf("wrong signature: %d %v", code, err)
	}
	if snap, _ := sc.st.Snapshot(sc.shop.ID); len(snap.Orders) != 0 {
		t.Fatal("an unverified push wrote an order")
	}
}

// TestShopeeAuthorizationSyncAndRefresh: partner authorization through the
// cloud's Connect link and callback (Shopee appends code and shop_id to the
// redirect), reconciliation through get_order_list, and the token refreshed
// before it expires, all against the fake.
func TestShopeeAuthorizationSyncAndRefresh(t *testing.T) {
	sc := startShopeeCloud(t)
	creds := fmt.Sprintf(`{"partner_id":%d,"partner_key":%q,"shop_id":%d,"push_url":%q,"api_base":%q}`, shopeePartner, shopeeKey, shopeeShop, sc.pushURL, sc.fake.URL)
	if _, err := sc.srv.accounts.Set(sc.shop.ID, app.AccountShopee, []byte(creds), time.Now()); err != nil {
		t.Fatal(err)
	}
	link, err := sc.srv.Connect(sc.shop.ID, app.AccountShopee)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(link)
	redirect := u.Query().Get("redirect")
	if u.Path != "/api/v2/shop/auth_partner" || !strings.HasPrefix(redirect, sc.url+"/v1/oauth/shopee/callback?state=") {
		t.Fatalf("link %s", link)
	}
	sc.fake.TokenLife = 600 // due for refresh at once
	sc.fake.Authorize("code-1")
	if code, page := getPage(t, redirect+"&code=code-1&shop_id="+strconv.Itoa(shopeeShop)); code != 200 {
		t.Fatalf("callback: %d %s", code, page)
	}
	f, err := sc.srv.accounts.Fields(sc.shop.ID, app.AccountShopee)
	if err != nil || f["access_token"] == "" || f["refresh_token"] == "" || f["expires_at"] == "" {
		t.Fatalf("kept %v %v", f, err)
	}
	rep, err := sc.srv.SyncChannel(context.Background(), sc.shop.ID, app.AccountShopee, 3)
	if err != nil || rep.Created != 1 {
		t.Fatalf("sync %+v %v", rep, err)
	}
	if o := sc.order(t, sc.shop.ID); o.DetailsPending || len(o.Lines) != 1 {
		t.Fatalf("synced order %+v", o)
	}
	if rep, err = sc.srv.SyncChannel(context.Background(), sc.shop.ID, app.AccountShopee, 3); err != nil || rep.Created != 0 {
		t.Fatalf("sync again %+v %v", rep, err)
	}
	if n := sc.srv.RefreshTokens(context.Background()); n != 1 {
		t.Fatalf("%d refreshed", n)
	}
	g, _ := sc.srv.accounts.Fields(sc.shop.ID, app.AccountShopee)
	if g["access_token"] == f["access_token"] || g["refresh_token"] == f["refresh_token"] {
		t.Fatal("the tokens were not renewed")
	}
	// The new pair works: the spent refresh token was not needed again.
	if _, err := sc.c.adapters[app.ChannelShopee].Details(context.Background(), g, shopeeSN); err != nil {
		t.Fatal(err)
	}
}

// TestShopeeWrongCredentialRefusedAtSet: `account set` tries the account
// with one signed call; a wrong partner_key is refused naming the field and
// nothing is stored.
func TestShopeeWrongCredentialRefusedAtSet(t *testing.T) {
	sc := startShopeeCloud(t)
	access, refresh := sc.fake.Issue()
	bad := fmt.Sprintf(`{"partner_id":%d,"partner_key":"wrong-key","shop_id":%d,"push_url":%q,"api_base":%q,"access_token":%q,"refresh_token":%q}`,
		shopeePartner, shopeeShop, sc.pushURL, sc.fake.URL, access, refresh)
	_, err := sc.srv.SetAccount(sc.shop.ID, app.AccountShopee, []byte(bad))
	var ae *app.Error
	if !errors.As(err, &ae) || ae.Field != "partner_key" {
		t.Fatalf("got %v", err)
	}
	if f, _ := sc.srv.accounts.Fields(sc.shop.ID, app.AccountShopee); f["partner_key"] != shopeeKey {
		t.Fatal("the refused account was stored")
	}
	good := strings.Replace(bad, "wrong-key", shopeeKey, 1)
	if _, err := sc.srv.SetAccount(sc.shop.ID, app.AccountShopee, []byte(good)); err != nil {
		t.Fatal(err)
	}
}
