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

// A file from before the event log keeps every order's history, in order,
// and new events follow the old ones.
func TestMovesHistoryOfAnOlderFile(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	var orders []*app.Order
	for i := range 3 {
		orders = append(orders, &app.Order{ID: fmt.Sprint("ord_h", i), Number: fmt.Sprint("H", i), Channel: app.ChannelWooCommerce,
			Status: app.StatusNew, Currency: app.IDR, CreatedAt: t0})
	}
	event := func(i int, a app.Action) app.Event {
		return app.Event{Version: int64(i), At: t0.Add(time.Duration(i) * time.Minute), Actor: app.SystemActor, Action: a}
	}
	// Numbers interleave across orders, as they were handed out in time order.
	old := []struct {
		order int
		e     app.Event
	}{{0, event(1, app.ActionPlace)}, {1, event(2, app.ActionPlace)}, {0, event(3, app.ActionAccept)}, {2, event(4, app.ActionPlace)}, {0, event(5, app.ActionAddNote)}}
	st, shop := olderFile(t, orders, func(b *bbolt.Bucket) error {
		for _, name := range [][]byte{subEventLog, subEventRefs} {
			if err := b.DeleteBucket(name); err != nil {
				return err
			}
		}
		ev, err := b.CreateBucket(subEvents)
		if err != nil {
			return err
		}
		for _, o := range old {
			n, _ := ev.NextSequence()
			if err := putJSON(ev, append([]byte(orders[o.order].ID+"\x00"), u64(n)...), o.e); err != nil {
				return err
			}
		}
		return nil
	})
	if err := st.Update(shop, func(tx cloud.ShopTx) error { return tx.AppendEvent(orders[0].ID, event(6, app.ActionReject)) }); err != nil {
		t.Fatal(err)
	}
	want := map[string][]int64{"ord_h0": {1, 3, 5, 6}, "ord_h1": {2}, "ord_h2": {4}}
	for id, versions := range want {
		o, err := st.OrderByRef(shop, id)
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		for _, e := range o.History {
			got = append(got, e.Version)
		}
		if fmt.Sprint(got) != fmt.Sprint(versions) {
			t.Errorf("%s history after reopening: versions %v, want %v", id, got, versions)
		}
	}
	_ = st.db.View(func(tx *bbolt.Tx) error {
		b := tx.Bucket(shopBucketName(shop))
		if b.Bucket(subEvents) != nil {
			t.Error("the first layout's bucket is still there")
		}
		if n := b.Bucket(subEventLog).Sequence(); n != 6 {
			t.Errorf("the log's sequence is %d, want 6", n)
		}
		return nil
	})
}
