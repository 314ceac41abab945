package client_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/sync/client"
)

// A catalogue imported at one terminal reaches the cloud, which then links
// and allocates webhook orders against it, and every other terminal.
func TestCatalogueImportReachesCloudAndTerminals(t *testing.T) {
	tc := startCloud(t)
	idA, tokA := tc.token(t)
	idB, tokB := tc.token(t)
	a := newTerminal(t, tc.url, idA, tokA)
	b := newTerminal(t, tc.url, idB, tokB)
	for _, tm := range []*terminal{a, b} {
		waitFor(t, 5*time.Second, "terminal online", func() bool { return tm.client.State().Status == client.Online })
	}
	tc.signInOwner(t, a)
	var csv strings.Builder
	csv.WriteString("sku,name,price,on_hand\n")
	for i := 1; i <= 250; i++ {
		fmt.Fprintf(&csv, "SKU-%03d,Produk %d,75000,10\n", i, i)
	}
	owner := app.Actor{Staff: "Owner", Role: app.RoleOwner}
	if n, err := a.svc.ImportProducts(strings.NewReader(csv.String()), owner); err != nil || n != 250 {
		t.Fatal(n, err)
	}
	waitFor(t, 5*time.Second, "the catalogue in terminal B", func() bool {
		ps, _ := b.db.Products()
		return len(ps) == 250
	})
	var inCloud *app.Product
	id := postWoo(t, tc.url, tc.shop, 77)
	waitFor(t, 5*time.Second, "the order in terminal B", func() bool { return b.has(id) })
	o := b.order(t, id)
	if !o.Lines[0].Linked {
		t.Fatal("the cloud did not link the webhook order to the imported catalogue")
	}
	if o.Status == app.StatusNew {
		if _, err := b.svc.Do(app.Command{Action: app.ActionAccept, OrderID: id}, owner); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, 5*time.Second, "the allocation in terminal A", func() bool {
		ps, _ := a.db.Products()
		for _, p := range ps {
			if p.SKU == "SKU-001" {
				inCloud = p
				return p.Allocated == 2
			}
		}
		return false
	})
	if inCloud.OnHand != 10 {
		t.Fatalf("SKU-001 on hand %d", inCloud.OnHand)
	}
}

// Terminal A, offline, sells the last unit in a manual order that terminal B
// already sold: the cloud refuses A's order, and A drops its copy and says which.
func TestRefusedNewOrderIsDroppedAndNamed(t *testing.T) {
	tc := startCloud(t)
	idA, tokA := tc.token(t)
	idB, tokB := tc.token(t)
	a := newTerminal(t, tc.url, idA, tokA)
	b := newTerminal(t, tc.url, idB, tokB)
	owner := app.Actor{Staff: "Owner", Role: app.RoleOwner}
	for _, tm := range []*terminal{a, b} {
		waitFor(t, 5*time.Second, "terminal online", func() bool { return tm.client.State().Status == client.Online })
	}
	tc.signInOwner(t, a)
	if _, err := a.svc.ImportProducts(strings.NewReader("sku,name,price,on_hand\nLAST-1,Batik Tulis,350000,1\n"), owner); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 5*time.Second, "the catalogue in B", func() bool { ps, _ := b.db.Products(); return len(ps) == 1 })
	a.stop()
	sale := func(tm *terminal, buyer string) *app.Order {
		res, err := tm.svc.Place(&app.Order{Channel: app.ChannelManual, Currency: app.IDR, PaymentMethod: app.PayCOD,
			Buyer: app.Buyer{Name: buyer}, Lines: []app.Line{{SKU: "LAST-1", Qty: 1, UnitPrice: 350000}}}, owner)
		if err != nil {
			t.Fatal(err)
		}
		return res.Order
	}
	sale(b, "Siti")
	waitFor(t, 5*time.Second, "B's sale in the cloud", func() bool { return b.client.State().Pending == 0 })
	lost := sale(a, "Budi") // A still thinks one is on the shelf
	a.start()
	// The client drops the order before it reports the rejection.
	waitFor(t, 5*time.Second, "A told of the refusal", func() bool { a.mu.Lock(); defer a.mu.Unlock(); return len(a.rejected) > 0 })
	if a.has(lost.ID) {
		t.Fatal("A kept an order the cloud refused")
	}
	a.mu.Lock()
	if len(a.rejected) != 1 || a.rejected[0].Code != app.EOutOfStock || a.rejected[0].Number != lost.Number {
		t.Fatalf("rejections: %+v", a.rejected)
	}
	a.mu.Unlock()
	waitFor(t, 5*time.Second, "A caught up", func() bool { st := a.client.State(); return st.Status == client.Online && st.Pending == 0 })
	waitFor(t, 5*time.Second, "A's stock converged", func() bool { ps, _ := a.db.Products(); return ps[0].Allocated == 1 })
	ps, _ := a.db.Products()
	if ps[0].Allocated != 1 || ps[0].OnHand != 1 {
		t.Fatalf("A's stock after converging: %+v", ps[0])
	}
}

// A catalogue loaded at the cloud (`pos-cloud products import`) reaches terminals too.
func TestCloudCatalogueImportReachesTerminals(t *testing.T) {
	tc := startCloud(t)
	id, tok := tc.token(t)
	a := newTerminal(t, tc.url, id, tok)
	waitFor(t, 5*time.Second, "terminal online", func() bool { return a.client.State().Status == client.Online })
	var ps []*app.Product
	for i := 1; i <= 450; i++ {
		ps = append(ps, &app.Product{SKU: fmt.Sprintf("C-%03d", i), Name: "Produk", Currency: app.IDR, Price: 1000, OnHand: 3})
	}
	if err := tc.srv.ImportProducts(tc.shop.ID, ps); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 5*time.Second, "450 products in the terminal", func() bool { got, _ := a.db.Products(); return len(got) == 450 })
	bad := []*app.Product{{SKU: "X", Name: "", Currency: app.IDR}}
	if err := tc.srv.ImportProducts(tc.shop.ID, bad); app.ErrorCode(err) != app.EInvalid || !strings.Contains(strings.ToLower(err.Error()), "name") {
		t.Fatalf("a nameless product: %v", err)
	}
}
