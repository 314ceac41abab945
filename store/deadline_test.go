package store

import (
	"fmt"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	bolt "go.etcd.io/bbolt"
)

// TestDueReadsOnlyTheDeadlineIndex checks the sweep's read: exactly the New
// orders past their deadline, earliest first, found in idx_deadline alone
// and never beyond now. Garbage planted in idx_deadline after now, and in
// every other index and record, is never read.
func TestDueReadsOnlyTheDeadlineIndex(t *testing.T) {
	db := openTest(t)
	now := testBase
	var orders []*app.Order
	want := map[string]bool{}
	for i := 0; i < 3000; i++ {
		o := &app.Order{ID: fmt.Sprintf("web-%05d", i), Channel: app.ChannelStore, Number: fmt.Sprintf("WEB-%05d", i),
			Currency: app.IDR, CreatedAt: now.Add(-time.Duration(i) * time.Minute), Status: app.Statuses[i%len(app.Statuses)]}
		if o.Status == app.StatusNew {
			o.AcceptBy = now.Add(time.Duration(i%7-3) * time.Hour) // 3 of 7 are overdue, one is due right now
			if !o.AcceptBy.After(now) {
				want[o.ID] = true
			}
		}
		orders = append(orders, o)
	}
	if err := db.InsertOrders(orders); err != nil {
		t.Fatal(err)
	}
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		// A key after now that no decoder could read, and damage everywhere but idx_deadline.
		if err := tx.Bucket(idxDeadline).Put(be64(timeKey(now)+1), []byte("x")); err != nil {
			return err
		}
		for _, name := range [][]byte{bucketOrders, idxStatus, idxChannel, idxTokens} {
			c := tx.Bucket(name).Cursor()
			for k, _ := c.First(); k != nil; k, _ = c.Next() {
				if err := tx.Bucket(name).Put(k, []byte("garbage")); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	ids, err := db.DueForAutoReject(now, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != len(want) {
		t.Fatalf("%d due, want %d", len(ids), len(want))
	}
	var last uint64
	for _, id := range ids {
		if !want[id] {
			t.Errorf("%s is not due", id)
		}
		var o *app.Order
		for _, x := range orders {
			if x.ID == id {
				o = x
			}
		}
		if k := timeKey(o.AcceptBy); k < last {
			t.Errorf("%s comes out of deadline order", id)
		} else {
			last = k
		}
	}
	some, err := db.DueForAutoReject(now, 10)
	if err != nil || len(some) != 10 || some[0] != ids[0] {
		t.Errorf("limit 10: %v, %v", some, err)
	}
}
