package cloud

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kasir/pos/app"
)

func (pc *platformCloud) connect(t testing.TB) {
	t.Helper()
	pc.p.issue("grant")
	if _, err := pc.srv.ConnectCode(context.Background(), pc.shop.ID, app.AccountLazada, "grant", nil); err != nil {
		t.Fatal(err)
	}
	if err := pc.srv.ImportProducts(pc.shop.ID, []*app.Product{{SKU: "KOPI-1", Name: "Kopi", Currency: app.IDR, Price: 50000, OnHand: 100}}); err != nil {
		t.Fatal(err)
	}
}

func (pc *platformCloud) orders(t testing.TB) map[string]*app.Order {
	t.Helper()
	snap, err := pc.st.Snapshot(pc.shop.ID)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*app.Order{}
	for _, o := range snap.Orders {
		if out[o.ExternalID] != nil {
			t.Fatalf("order %s is doubled", o.ExternalID)
		}
		out[o.ExternalID] = o
	}
	return out
}

func (pc *platformCloud) allocated(t testing.TB) int {
	t.Helper()
	snap, err := pc.st.Snapshot(pc.shop.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range snap.Products {
		if p.SKU == "KOPI-1" {
			return p.Allocated
		}
	}
	return -1
}

// TestStatusPushQueuesTheDetails: a push with only an id and a status
// (through the one push URL) is created "details pending", and the
// channels follower fetches the order within a second; stock moves once
// however the pushes and fetches come.
func TestStatusPushQueuesTheDetails(t *testing.T) {
	pc := startPlatformCloud(t, Options{SyncEvery: time.Hour})
	pc.connect(t)
	now := time.Now()
	pc.p.put(testOrder{ID: "3001", Status: "pending", Updated: now, SKU: "KOPI-1", Qty: 2, Price: 50000, Buyer: "Sari"})
	body := sellerBody("5001", "3001")
	start := time.Now()
	if code, out := pushTo(t, pc.url+"/v1/channels/lazada/push", body, signSeller(testAppKey, testAppSecret, body)); code != 200 {
		t.Fatalf("push: %d %s", code, out)
	}
	eventually(t, "the details", func() bool { o := pc.orders(t)["3001"]; return o != nil && !o.DetailsPending })
	if took := time.Since(start); took > time.Second {
		t.Errorf("details took %s, want within a second", took)
	}
	o := pc.orders(t)["3001"]
	if len(o.Lines) != 1 || !o.Lines[0].Linked || o.Lines[0].Qty != 2 || o.Buyer.Name != "Sari" || o.Total != 100000 {
		t.Fatalf("order %+v", o)
	}
	if _, err := pc.srv.Execute(pc.shop.ID, app.Command{Action: app.ActionAccept, OrderID: o.ID}, cloudOwner, time.Now()); err != nil {
		t.Fatal(err)
	}
	// The same push again, and a reconciliation that fetches it again: nothing doubles.
	if code, _ := pushTo(t, pc.url+"/v1/channels/lazada/push", body, signSeller(testAppKey, testAppSecret, body)); code != 200 {
		t.Fatal("push again")
	}
	if _, err := pc.srv.SyncChannel(context.Background(), pc.shop.ID, app.AccountLazada, 1); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	if o := pc.orders(t)["3001"]; len(o.Lines) != 1 || pc.allocated(t) != 2 {
		t.Fatalf("lines %d, allocated %d; want 1 line and 2 allocated", len(o.Lines), pc.allocated(t))
	}
}

// TestSyncCreatesWhatIsMissingMovesWhatIsBehind: reconciliation lists the
// orders the platform updated, creates the one whose push was lost, moves
// the one that is behind, and never doubles one.
func TestSyncCreatesWhatIsMissingMovesWhatIsBehind(t *testing.T) {
	pc := startPlatformCloud(t, Options{SyncEvery: time.Hour})
	pc.connect(t)
	now := time.Now()
	// 3002 was pushed while unpaid; its "paid" push was lost. 3003 was never pushed.
	pc.p.put(testOrder{ID: "3002", Status: "unpaid", Updated: now.Add(-3 * time.Hour), SKU: "KOPI-1", Qty: 1, Price: 50000, Buyer: "Budi"})
	body := sellerBody("5001", "3002")
	body = []byte(strings.Replace(string(body), `"pending"`, `"unpaid"`, 1))
	if code, out := pushTo(t, pc.url+"/v1/channels/lazada/push", body, signSeller(testAppKey, testAppSecret, body)); code != 200 {
		t.Fatalf("push: %d %s", code, out)
	}
	eventually(t, "the details", func() bool { o := pc.orders(t)["3002"]; return o != nil && !o.DetailsPending })
	if st := pc.orders(t)["3002"].Status; st != app.StatusPaymentReview {
		t.Fatalf("3002 is %s before the sync", st)
	}
	pc.p.put(testOrder{ID: "3002", Status: "pending", Updated: now.Add(-time.Hour), SKU: "KOPI-1", Qty: 1, Price: 50000, Buyer: "Budi"})
	pc.p.put(testOrder{ID: "3003", Status: "pending", Updated: now.Add(-2 * time.Hour), SKU: "KOPI-1", Qty: 3, Price: 50000, Buyer: "Rina"})
	pc.p.put(testOrder{ID: "2999", Status: "pending", Updated: now.Add(-60 * time.Hour), SKU: "KOPI-1", Qty: 1, Price: 50000, Buyer: "Lama"})

	rep, err := pc.srv.SyncChannel(context.Background(), pc.shop.ID, app.AccountLazada, 1)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Listed != 2 || rep.Created != 1 || rep.Updated != 1 || len(rep.Failed) != 0 {
		t.Fatalf("report %+v", rep)
	}
	got := pc.orders(t)
	if len(got) != 2 || got["3003"] == nil || got["3003"].Lines[0].Qty != 3 || got["3002"].Status != app.StatusNew {
		t.Fatalf("after the sync: %d orders, 3003 %+v, 3002 %s", len(got), got["3003"], got["3002"].Status)
	}
	// Again: all in step.
	rep, err = pc.srv.SyncChannel(context.Background(), pc.shop.ID, app.AccountLazada, 1)
	if err != nil || rep.Created+rep.Updated != 0 || rep.Unchanged != 2 || len(pc.orders(t)) != 2 {
		t.Fatalf("second sync %+v %v", rep, err)
	}
	// Three days reach the old order too.
	rep, err = pc.srv.SyncChannel(context.Background(), pc.shop.ID, app.AccountLazada, 3)
	if err != nil || rep.Created != 1 || len(pc.orders(t)) != 3 {
		t.Fatalf("three days %+v %v", rep, err)
	}
	if _, err := pc.srv.SyncChannel(context.Background(), pc.shop.ID, app.AccountLazada, 0); app.ErrorCode(err) != app.EInvalid {
		t.Fatalf("0 days: %v", err)
	}
	if _, err := pc.srv.SyncChannel(context.Background(), pc.shop.ID, app.AccountShopee, 1); app.ErrorCode(err) != app.EInvalid {
		t.Fatalf("a platform that cannot list: %v", err)
	}
}

// TestSyncRunsAtStartAndCatchesUp: the cloud reconciles on its own when it
// starts (after its downtime) and remembers where it got to.
func TestSyncRunsAtStartAndCatchesUp(t *testing.T) {
	pc := startPlatformCloud(t, Options{SyncEvery: 50 * time.Millisecond})
	pc.connect(t)
	pc.p.put(testOrder{ID: "3010", Status: "pending", Updated: time.Now().Add(-time.Hour), SKU: "KOPI-1", Qty: 1, Price: 50000, Buyer: "Dewi"})
	eventually(t, "the lost order", func() bool { return pc.orders(t)["3010"] != nil })
	eventually(t, "the place kept", func() bool { return !pc.account(t).SyncedTo.IsZero() })
	if time.Since(pc.account(t).SyncedTo) > time.Minute {
		t.Fatal("SyncedTo is not recent")
	}
}

// TestConnectAndSyncThroughTheAdminSocket: `pos-cloud account connect` and
// `pos-cloud channel sync` reach the running server; without one they say
// they need it.
func TestConnectAndSyncThroughTheAdminSocket(t *testing.T) {
	dir := t.TempDir()
	if _, err := (Admin{Dir: dir, Backends: testWiring()}).Connect("shop_x", app.AccountLazada, ""); err == nil || !strings.Contains(err.Error(), "needs the running cloud") {
		t.Fatalf("no server: %v", err)
	}
	pc := startPlatformCloud(t, Options{SyncEvery: time.Hour})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = pc.srv.ServeAdmin(ctx, dir) }()
	defer func() { cancel(); <-done }()
	admin := Admin{Dir: dir, Backends: testWiring()}
	eventually(t, "the admin socket", func() bool { _, err := admin.Accounts(pc.shop.ID); return err == nil })
	out, err := admin.Connect(pc.shop.ID, app.AccountLazada, "")
	if err != nil || !strings.Contains(out.URL, "state=") {
		t.Fatalf("connect link: %+v %v", out, err)
	}
	pc.p.issue("pasted-code")
	out, err = admin.Connect(pc.shop.ID, app.AccountLazada, "pasted-code")
	if err != nil || out.Account == nil || out.Account.Status.Connection != app.ConnConnected {
		t.Fatalf("pasted code: %+v %v", out, err)
	}
	if err := pc.srv.ImportProducts(pc.shop.ID, []*app.Product{{SKU: "KOPI-1", Name: "Kopi", Currency: app.IDR, Price: 50000, OnHand: 100}}); err != nil {
		t.Fatal(err)
	}
	pc.p.put(testOrder{ID: "3020", Status: "pending", Updated: time.Now().Add(-time.Hour), SKU: "KOPI-1", Qty: 1, Price: 50000, Buyer: "Wati"})
	rep, err := admin.SyncChannel(pc.shop.ID, app.AccountLazada, 2)
	if err != nil || rep.Created != 1 || pc.orders(t)["3020"] == nil {
		t.Fatalf("sync: %+v %v", rep, err)
	}
	if _, err := admin.SyncChannel(pc.shop.ID, app.AccountLazada, 91); err == nil || !strings.Contains(err.Error(), "1 to 90") {
		t.Fatalf("91 days: %v", err)
	}
	list, err := admin.Accounts(pc.shop.ID)
	if err != nil || len(list) != 1 || list[0].Status.Connection != app.ConnConnected {
		t.Fatalf("accounts: %+v %v", list, err)
	}
}
