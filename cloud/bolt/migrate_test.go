package bolt

import (
	"fmt"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/cloud"
)

// olderFile opens a store in dir with one shop holding orders put by put,
// then runs drop on the shop's bucket, as a file written before an index
// has none, and reopens it.
func olderFile(t *testing.T, put []*app.Order, drop func(shop *bbolt.Bucket) error) (*Store, string) {
	t.Helper()
	dir := t.TempDir()
	st, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	shop, err := cloud.AddShop(st, "Toko", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Update(shop.ID, func(tx cloud.ShopTx) error {
		for _, o := range put {
			if err := tx.PutOrder(o); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := st.db.Update(func(tx *bbolt.Tx) error { return drop(tx.Bucket(shopBucketName(shop.ID))) }); err != nil {
		t.Fatal(err)
	}
	st.Close()
	st, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st, shop.ID
}

func TestIndexesOrdersOfAnOlderFile(t *testing.T) {
	var orders []*app.Order
	for i := range 3 {
		orders = append(orders, &app.Order{ID: fmt.Sprint("ord_old", i), Number: fmt.Sprint("OLD", i), Channel: app.ChannelWooCommerce,
			Status: app.StatusNew, Currency: app.IDR, CreatedAt: time.Now().Add(time.Duration(i) * time.Minute), AcceptBy: time.Now().Add(time.Hour)})
	}
	st, shop := olderFile(t, orders, func(b *bbolt.Bucket) error {
		for _, name := range orderIndexSubs {
			if err := b.DeleteBucket(name); err != nil {
				return err
			}
		}
		return nil
	})
	page, err := st.FindOrders(shop, app.Filter{})
	if err != nil || page.Total != 3 || len(page.Orders) != 3 || page.Orders[0].ID != "ord_old2" {
		t.Fatalf("after reopening: %+v %v", page, err)
	}
	if o, err := st.OrderByRef(shop, "OLD1"); err != nil || o.ID != "ord_old1" {
		t.Fatalf("by number after reopening: %v %v", o, err)
	}
	if due, err := st.DueForAutoReject(shop, time.Now().Add(2*time.Hour), 10); err != nil || len(due) != 3 {
		t.Fatalf("due after reopening: %v %v", due, err)
	}
}

func TestIndexesShipmentsOfAnOlderFile(t *testing.T) {
	o := &app.Order{ID: "ord_a", Number: "WEB-A1", Channel: app.ChannelWooCommerce, Status: app.StatusReadyToShip, Currency: app.IDR,
		CreatedAt: time.Now(), Shipment: app.Shipment{Provider: app.ProviderShipper, ProviderOrderID: "SHP-ORDER-A", AWB: "AWBA0001"}}
	st, shop := olderFile(t, []*app.Order{o}, func(b *bbolt.Bucket) error { return b.DeleteBucket(subByShipment) })
	for _, c := range []struct {
		kind cloud.ShipmentKey
		id   string
	}{{cloud.ShipmentByTracking, "AWBA0001"}, {cloud.ShipmentByOrderID, "SHP-ORDER-A"}} {
		if got, err := st.ShipmentOrder(shop, app.ProviderShipper, c.kind, c.id); err != nil || got != "ord_a" {
			t.Fatalf("%s %s after reopening an old file: %q %v", c.kind, c.id, got, err)
		}
	}
}
