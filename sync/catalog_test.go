package sync_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	possync "github.com/kasir/pos/sync"
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
		waitFor(t, 5*time.Second, "terminal online", func() bool { return tm.client.State().Status == possync.Online })
	}
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
