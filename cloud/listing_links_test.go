package cloud

import (
	"context"
	"strings"
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

// TestListingsReadOnTheirOwn: the cloud reads a connected platform's
// listings with no click, on its round, keeping the owner's links.
func TestListingsReadOnTheirOwn(t *testing.T) {
	// The shop is made after the server starts: its first read is the round's.
	sc := startShopeeCloudWith(t, Options{SyncEvery: 20 * time.Millisecond, ListingsEvery: 50 * time.Millisecond})
	eventually(t, "the listings read by the round", func() bool { return len(sc.srv.ListingReads(sc.shop.ID)) == 1 })
	if r := sc.srv.ListingReads(sc.shop.ID)[0]; r.Channel != app.ChannelShopee || r.Err != nil || r.At.IsZero() {
		t.Fatalf("read: %+v", r)
	}
	sc.fake.AddItem(shopeetest.Item{ID: 300, Name: "Kaos Merah", Models: []shopeetest.Model{{ID: 400, Option: "Merah, M", Price: 80000, Stock: 5}}})
	listings := func() map[string]app.Listing {
		ls, err := sc.srv.ShopListings(sc.shop.ID)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]app.Listing{}
		for _, l := range ls {
			got[l.ID] = l
		}
		return got
	}
	eventually(t, "the new listing read by the round", func() bool { return len(listings()) == 2 })
	if err := sc.srv.LinkListing(sc.shop.ID, app.ChannelShopee, "300:400", "KAOS-HTM-L"); err != nil {
		t.Fatal(err)
	}
	sc.fake.AddItem(shopeetest.Item{ID: 500, Name: "Topi", SKU: "TOPI", Models: []shopeetest.Model{{ID: 0, SKU: "TOPI", Price: 30000, Stock: 4}}})
	eventually(t, "the third listing read by the round", func() bool { return len(listings()) == 3 })
	if got := listings(); got["300:400"].LinkedSKU != "KAOS-HTM-L" || got["500:0"].SKU != "TOPI" {
		t.Fatalf("listings %+v", got)
	}
}

// TestListingsReadFailureIsKept: a platform's error in the cloud's own
// read is kept for the "Not in POS" page, and the listings read before stay.
func TestListingsReadFailureIsKept(t *testing.T) {
	sc := startShopeeCloud(t)
	sc.srv.ReadAllListings(context.Background())
	if r := sc.srv.ListingReads(sc.shop.ID); len(r) != 1 || r[0].Err != nil || r[0].Listings != 1 {
		t.Fatalf("read %+v", r)
	}
	sc.fake.Fail("", 403, 403, 403, 403, 403, 403)
	sc.srv.ReadAllListings(context.Background())
	r := sc.srv.ListingReads(sc.shop.ID)[0]
	if r.Err == nil || !strings.Contains(r.Text().String(), "Shopee listings could not be read at") {
		t.Fatalf("a failed read: %+v %q", r, r.Text())
	}
	if ls, _ := sc.srv.ShopListings(sc.shop.ID); len(ls) != 1 {
		t.Fatalf("a failed read lost the listings: %+v", ls)
	}
	t.Log(r.Text().In(app.Indonesian))
}
