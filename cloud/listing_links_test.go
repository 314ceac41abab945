package cloud

import (
	"context"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel/shopee/shopeetest"
)

// shopeeRedOrder is an order of the red shirt's Shopee listing, which has
// no seller SKU: only the owner's link says which product it sells.
func shopeeRedOrder(sc *shopeeCloud, sn string, qty int) {
	sc.fake.AddOrder(shopeetest.Order{SN: sn, Status: "READY_TO_SHIP", Buyer: "Sari", Phone: "6281200000001", Address: "Jl. Asia Afrika 2",
		City: "Bandung", State: "Jawa Barat", Zipcode: "40112", Total: float64(qty) * 80000, ShipBy: time.Now().Add(48 * time.Hour),
		Items: []shopeetest.OrderItem{{ItemID: 300, ModelID: 400, Name: "Kaos Merah", ModelName: "Merah, M", Qty: qty, Price: 80000}}})
}

// orderBy is the shop's order of the platform's id, once its details are in.
func orderBy(t *testing.T, sc *shopeeCloud, sn string) *app.Order {
	t.Helper()
	var found *app.Order
	eventually(t, "the details of "+sn, func() bool {
		for _, o := range shopOrders(t, sc.channelsCloud, sc.shop.ID) {
			if o.ExternalID == sn && !o.DetailsPending {
				found = o
				return true
			}
		}
		return false
	})
	return found
}

// TestLinkedListingSellsTheProduct: a Shopee listing without a seller SKU,
// linked by the owner to a catalogue product: its order's line carries the
// product's SKU, so the product's stock is allocated, and the new figure
// reaches that listing at Shopee (update_stock by its item and model ids).
// Once unlinked, a new order of it moves no stock.
func TestLinkedListingSellsTheProduct(t *testing.T) {
	sc := startShopeeCloud(t)
	if err := sc.srv.ImportProducts(sc.shop.ID, []*app.Product{{SKU: "KAOS-MRH-M", Name: "Kaos Merah M", Currency: app.IDR, Price: 80000, OnHand: 12}}); err != nil {
		t.Fatal(err)
	}
	sc.fake.AddItem(shopeetest.Item{ID: 300, Name: "Kaos Merah", Models: []shopeetest.Model{{ID: 400, Option: "Merah, M", Price: 80000, Stock: 5}}})
	if _, err := sc.srv.ReadListings(context.Background(), sc.shop.ID, app.ChannelShopee); err != nil {
		t.Fatal(err)
	}
	if err := sc.srv.LinkListing(sc.shop.ID, app.ChannelShopee, "300:400", "KAOS-MRH-M"); err != nil {
		t.Fatal(err)
	}

	shopeeRedOrder(sc, "2411240LINK1", 2)
	sc.push(t, sc.fake.StatusPush("2411240LINK1"))
	o := orderBy(t, sc, "2411240LINK1")
	if len(o.Lines) != 1 || o.Lines[0].SKU != "KAOS-MRH-M" || !o.Lines[0].Linked {
		t.Fatalf("lines %+v", o.Lines)
	}
	if p := sc.product(t, "KAOS-MRH-M"); p.Allocated != 2 {
		t.Fatalf("allocated %d", p.Allocated)
	}
	eventually(t, "the linked listing's figure at Shopee", func() bool { return sc.fake.Stock(300, 400) == 10 })

	if err := sc.srv.UnlinkListing(sc.shop.ID, app.ChannelShopee, "300:400"); err != nil {
		t.Fatal(err)
	}
	shopeeRedOrder(sc, "2411240LINK2", 1)
	sc.push(t, sc.fake.StatusPush("2411240LINK2"))
	o = orderBy(t, sc, "2411240LINK2")
	if len(o.Lines) != 1 || o.Lines[0].Linked || o.Lines[0].SKU == "KAOS-MRH-M" {
		t.Fatalf("unlinked listing's lines %+v", o.Lines)
	}
	if p := sc.product(t, "KAOS-MRH-M"); p.Allocated != 2 {
		t.Fatalf("allocated %d after the unlinked order", p.Allocated)
	}
	if o := orderBy(t, sc, "2411240LINK1"); o.Lines[0].SKU != "KAOS-MRH-M" {
		t.Fatalf("an order already in lost its link: %+v", o.Lines)
	}
}
