package store

import (
	"testing"

	"github.com/kasir/pos/app"
	bolt "go.etcd.io/bbolt"
)

// TestSearchFindsTrackingID finds an order by its tracking ID, whole (what a
// scanner types) or by a prefix, and rebuilds a file whose search index was
// written before tracking IDs were indexed.
func TestSearchFindsTrackingID(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	orders := fakeOrders(7, 20, testBase)
	orders[3].Shipment = app.Shipment{Method: app.ShipPickup, State: app.ShipmentAssigned, Courier: "JNE", TrackingID: "JNE0099887766"}
	if err := db.InsertOrders(orders); err != nil {
		t.Fatal(err)
	}
	find := func(db *DB, text string) []string {
		t.Helper()
		p, err := db.FindOrders(app.Filter{Text: text})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, o := range p.Orders {
			ids = append(ids, o.ID)
		}
		return ids
	}
	for _, q := range []string{"JNE0099887766", "jne00998"} {
		if got := find(db, q); len(got) != 1 || got[0] != orders[3].ID {
			t.Errorf("search %q = %v, want %s", q, got, orders[3].ID)
		}
	}
	// A file from before: its search index is under the old name.
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		if err := tx.DeleteBucket(idxSearch); err != nil {
			return err
		}
		_, err := tx.CreateBucket([]byte("idx_search"))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if db, err = Open(dir); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	mustConsistent(t, db)
	if got := find(db, "JNE0099887766"); len(got) != 1 {
		t.Errorf("after the rebuild the tracking ID finds %v", got)
	}
	db.bolt.View(func(tx *bolt.Tx) error {
		if tx.Bucket([]byte("idx_search")) != nil {
			t.Error("the old search index survived the rebuild")
		}
		return nil
	})
}
