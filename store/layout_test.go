package store

import (
	"testing"

	"github.com/kasir/pos/app"
	bolt "go.etcd.io/bbolt"
)

// TestEarlierLayoutRebuilt opens a version 2 file in the earlier development
// layout (entry values in every idx_search key, bare token lists in
// idx_tokens): its indexes are dropped and rebuilt.
func TestEarlierLayoutRebuilt(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	orders := fakeOrders(4, 100, testBase)
	if err := db.InsertOrders(orders); err != nil {
		t.Fatal(err)
	}
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		if err := tx.DeleteBucket(idxTokens); err != nil {
			return err
		}
		old, err := tx.CreateBucket([]byte("idx_tokens"))
		if err != nil {
			return err
		}
		for _, o := range orders {
			e := entryOf(o)
			fk := fwdKey(^e.created, o.ID)
			tokens := indexTokens(o, orderLines(o))
			if err := old.Put(fk, appendList(nil, tokens)); err != nil {
				return err
			}
			for _, tok := range tokens {
				if err := tx.Bucket(idxSearch).Put(append(append([]byte(tok), 0), fk...), e.value()); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	mustConsistent(t, db)
	db.bolt.View(func(tx *bolt.Tx) error {
		if tx.Bucket([]byte("idx_tokens")) != nil {
			t.Error("idx_tokens survived the rebuild")
		}
		return nil
	})
	checkFilter(t, db, orders, app.Filter{Text: "siti kaos"})
	checkFilter(t, db, orders, app.Filter{Text: "kaos", Statuses: []app.Status{app.StatusNew}})
}
