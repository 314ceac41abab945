package bolt

import (
	"reflect"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/cloud"
)

// TestPrefetchedOrders checks that orders decoded ahead are the orders a
// transaction would decode, each handed over once, and that an order
// changed after it was prefetched is read as it now is.
func TestPrefetchedOrders(t *testing.T) {
	st, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	at := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	shop, err := cloud.AddShop(st, "Toko", at)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	err = st.Update(shop.ID, func(tx cloud.ShopTx) error {
		for i := 0; i < 40; i++ {
			o := &app.Order{ID: "web-" + string(rune('A'+i)), Channel: app.ChannelStore, Number: "WEB-" + string(rune('A'+i)),
				Status: app.StatusNew, Currency: app.IDR, Total: 1000, CreatedAt: at, UpdatedAt: at, AcceptBy: at.Add(time.Hour), Version: 1,
				Buyer: app.Buyer{Name: "Siti"}, Lines: []app.Line{{SKU: "A", Name: "Kaos", Qty: 1, UnitPrice: 1000}}}
			if err := tx.PutOrder(o); err != nil {
				return err
			}
			ids = append(ids, o.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// What a transaction decodes without help.
	want := map[string]*app.Order{}
	st.View(shop.ID, func(tx cloud.ShopTx) error {
		for _, id := range ids {
			o, err := tx.Order(id)
			if err != nil {
				t.Fatal(err)
			}
			want[id] = o
		}
		return nil
	})
	st.PrefetchOrders(shop.ID, append(ids, "web-missing"))
	if n := len(st.pre.orders); n != len(ids) {
		t.Fatalf("%d orders prefetched, want %d", n, len(ids))
	}
	// One order changes after it was prefetched.
	err = st.Update(shop.ID, func(tx cloud.ShopTx) error {
		o, err := tx.Order(ids[3])
		if err != nil {
			return err
		}
		o.Status, o.Version = app.StatusCancelled, 2
		want[ids[3]] = o
		return tx.PutOrder(o)
	})
	if err != nil {
		t.Fatal(err)
	}
	st.PrefetchOrders(shop.ID, ids) // again: the changed one is prefetched stale below
	err = st.Update(shop.ID, func(tx cloud.ShopTx) error {
		o := want[ids[5]].Clone() // written without reading it, so its prefetched copy stays
		o.Buyer.Name = "Siti Rahayu"
		want[ids[5]] = o
		return tx.PutOrder(o)
	})
	if err != nil {
		t.Fatal(err)
	}
	err = st.Update(shop.ID, func(tx cloud.ShopTx) error {
		for _, id := range ids {
			got, err := tx.Order(id)
			if err != nil {
				return err
			}
			if !reflect.DeepEqual(got, want[id]) {
				t.Errorf("order %s: got %+v, want %+v", id, got, want[id])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(st.pre.orders); n != 0 {
		t.Errorf("%d prefetched orders left after every one was read", n)
	}
	st.PrefetchOrders("no-such-shop", ids)
	if n := len(st.pre.orders); n != 0 {
		t.Errorf("%d orders prefetched for a shop that does not exist", n)
	}
}
