package bolt

import (
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/cloud"
	"github.com/kasir/pos/sync/wire"
)

// A transaction that puts more orders than encodeAheadAfter reads back
// what it put, the last put of an order winning, carries it into the log,
// and writes nothing when it fails.
func TestOrdersPutAheadReadAsPut(t *testing.T) {
	n := encodeAheadAfter + 40
	st, shop, orders := searchShop(t, n)
	t0 := orders[0].CreatedAt
	last := orders[n-1]
	var seq uint64
	err := st.Update(shop, func(tx cloud.ShopTx) error {
		for _, o := range orders {
			if err := tx.PutOrder(o); err != nil {
				return err
			}
		}
		// Changed after its put: the record keeps what was put.
		last.Buyer.Name = "Not put"
		got, err := tx.Order(last.ID)
		if err != nil {
			return err
		}
		if got.Buyer.Name == "Not put" {
			t.Error("a change made after the put reached the record")
		}
		// Put again: the later put wins.
		got.Note = "second put"
		if err := tx.PutOrder(got); err != nil {
			return err
		}
		again, err := tx.Order(last.ID)
		if err != nil {
			return err
		}
		if again.Note != "second put" {
			t.Errorf("read after the second put gave note %q", again.Note)
		}
		if err := tx.AppendEvent(got.ID, app.Event{Version: 2, Action: app.ActionAddNote, At: t0}); err != nil {
			return err
		}
		seq, err = tx.AppendChange(&wire.Change{Order: got, At: t0})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	stored, err := st.OrderByRef(shop, last.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.Note != "second put" || stored.Buyer.Name == "Not put" || len(stored.History) != 1 || stored.History[0].Action != app.ActionAddNote {
		t.Errorf("stored %q / %q, history %+v", stored.Note, stored.Buyer.Name, stored.History)
	}
	items, _, _, err := st.ChangesAfter(shop, seq-1, 1)
	if err != nil || len(items) != 1 {
		t.Fatalf("change %d: %v %v", seq, items, err)
	}
	var c wire.Change
	if err := json.Unmarshal(items[0], &c); err != nil || c.Order == nil || c.Order.Note != "second put" {
		t.Fatalf("the change carries %+v (%v)", c.Order, err)
	}
	page, err := st.FindOrders(shop, app.Filter{Limit: 1000})
	if err != nil || page.Total != n {
		t.Fatalf("%d orders stored, want %d (%v)", page.Total, n, err)
	}

	// A transaction that fails writes none of what it put ahead, and leaves no encoder running.
	before := runtime.NumGoroutine()
	failed := errors.New("refused")
	err = st.Update(shop, func(tx cloud.ShopTx) error {
		for i := range n {
			o := searchOrder(1000+i, t0)
			if err := tx.PutOrder(o); err != nil {
				return err
			}
		}
		return failed
	})
	if !errors.Is(err, failed) {
		t.Fatalf("the failed transaction returned %v", err)
	}
	if _, err := st.OrderByRef(shop, fmt.Sprint("ord_", 1000+n-1)); app.ErrorCode(err) != app.ENotFound {
		t.Errorf("an order put ahead in a failed transaction was stored: %v", err)
	}
	for deadline := time.Now().Add(2 * time.Second); runtime.NumGoroutine() > before && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	if g := runtime.NumGoroutine(); g > before {
		t.Errorf("%d goroutines after the failed transaction, %d before", g, before)
	}
	checkAsRebuilt(t, st, shop)
}
