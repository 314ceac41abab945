package bolt

import (
	"testing"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/cloud"
)

func prefetchShop(t *testing.T) (*Store, string, []*app.Order) {
	t.Helper()
	st, shop, orders := searchShop(t, 30)
	putOrders(t, st, shop, orders...)
	return st, shop, orders
}

// readAndPut runs edit on each order as read in one transaction and puts it back.
func readAndPut(t *testing.T, st *Store, shop string, ids []string, edit func(o *app.Order)) {
	t.Helper()
	if err := st.Update(shop, func(tx cloud.ShopTx) error {
		for _, id := range ids {
			o, err := tx.Order(id)
			if err != nil {
				return err
			}
			edit(o)
			if err := tx.PutOrder(o); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// An order read and put back keeps its words without working them out
// again only while its search text is the one indexed: a renamed buyer, or
// a text changed and changed back in one transaction, is indexed anew.
func TestReadAndPutKeepsTheIndexTrue(t *testing.T) {
	st, shop, orders := prefetchShop(t)
	ids := []string{orders[0].ID, orders[3].ID, orders[7].ID}
	readAndPut(t, st, shop, ids, func(o *app.Order) { o.Status = app.StatusCancelled })
	readAndPut(t, st, shop, ids[:2], func(o *app.Order) { o.Buyer.Name = "Dewi Lestari" })
	if err := st.Update(shop, func(tx cloud.ShopTx) error {
		o, err := tx.Order(ids[2])
		if err != nil {
			return err
		}
		was := o.Buyer.Name
		o.Buyer.Name = "Wayan"
		if err := tx.PutOrder(o); err != nil {
			return err
		}
		o.Buyer.Name, o.Status = was, app.StatusCompleted
		return tx.PutOrder(o)
	}); err != nil {
		t.Fatal(err)
	}
	var now []*app.Order
	for _, o := range orders {
		got, err := st.OrderByRef(shop, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		got.History = nil
		now = append(now, got)
	}
	checkSearches(t, st, shop, now)
	checkAsRebuilt(t, st, shop)
}

// waitPrefetched waits until the running prefetch has decoded every order.
func waitPrefetched(t *testing.T, st *Store) {
	t.Helper()
	p := st.pre.Load()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		ready := true
		for i := range p.items {
			ready = ready && p.items[i].ready.Load()
		}
		if ready {
			return
		}
	}
	t.Fatal("the prefetch never finished")
}

// A prefetched order is handed over only while the stored bytes are those
// decoded, and once: an order changed after the prefetch read it is read
// again, as stored.
func TestPrefetchedOrderIsTheStoredOne(t *testing.T) {
	st, shop, orders := prefetchShop(t)
	ids := []string{orders[1].ID, orders[2].ID}
	done := st.PrefetchOrders(shop, ids)
	waitPrefetched(t, st)
	changed := *orders[1]
	changed.Buyer.Name = "Dewi Lestari"
	if err := st.Update(shop, func(tx cloud.ShopTx) error { return tx.PutOrder(&changed) }); err != nil {
		t.Fatal(err)
	}
	var first, again *app.Order
	if err := st.Update(shop, func(tx cloud.ShopTx) error {
		var err error
		if first, err = tx.Order(ids[0]); err != nil {
			return err
		}
		if again, err = tx.Order(ids[1]); err != nil {
			return err
		}
		second, err := tx.Order(ids[1])
		if err != nil {
			return err
		}
		if second == again {
			t.Error("one prefetched order was handed over twice")
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	done()
	if first.Buyer.Name != "Dewi Lestari" {
		t.Errorf("read after a change gave buyer %q, the prefetched one", first.Buyer.Name)
	}
	if again.Buyer.Name != orders[2].Buyer.Name || again.Number != orders[2].Number {
		t.Errorf("prefetched order is %+v, want %+v", again, orders[2])
	}
	if st.pre.Load() != nil {
		t.Error("a finished prefetch is still offered to transactions")
	}
}
