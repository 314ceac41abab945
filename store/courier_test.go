package store

import (
	"testing"
	"time"

	"github.com/kasir/pos/app"
	bolt "go.etcd.io/bbolt"
)

// TestCourierFilterMatchesTheCompany checks "J&T" finds every spelling of
// J&T Express, and that a version 3 file (indexed by spelling) is re-indexed on open.
func TestCourierFilterMatchesTheCompany(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	base := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	for i, c := range []string{"J&T Express", "jnt", "J&T EZ", "JNE", "Kurir Toko"} {
		o := &app.Order{ID: "o" + string(rune('a'+i)), Channel: app.ChannelShopee, Number: "#" + string(rune('A'+i)), Status: app.StatusReadyToShip,
			Currency: app.IDR, Lines: []app.Line{{SKU: "S", Name: "x", Qty: 1, UnitPrice: 1000}},
			Shipment: app.Shipment{Courier: c}, CreatedAt: base.Add(time.Duration(i) * time.Minute), Version: 1}
		if err := db.Update(func(tx app.Tx) error { return tx.PutOrder(o) }); err != nil {
			t.Fatal(err)
		}
	}
	count := func(db *DB, courier string) int {
		t.Helper()
		p, err := db.FindOrders(app.Filter{Courier: courier})
		if err != nil {
			t.Fatal(err)
		}
		return len(p.Orders)
	}
	for courier, want := range map[string]int{"J&T": 3, "J&T Express": 3, "jne": 1, "Kurir Toko": 1, "SiCepat": 0} {
		if got := count(db, courier); got != want {
			t.Errorf("courier %q finds %d orders, want %d", courier, got, want)
		}
	}
	// A version 3 file held the courier as spelled; opening it rebuilds the index.
	if err := db.bolt.Update(func(tx *bolt.Tx) error {
		if err := tx.DeleteBucket(idxCourier); err != nil {
			return err
		}
		if _, err := tx.CreateBucket(idxCourier); err != nil {
			return err
		}
		return setSchemaVersion(tx, 3)
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got := count(db, "J&T"); got != 3 {
		t.Fatalf("after opening a version 3 file, J&T finds %d orders, want 3", got)
	}
	mustConsistent(t, db)
}
