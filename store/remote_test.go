package store

import (
	"math/rand"
	"testing"
	"time"

	"github.com/kasir/pos/app"
)

func TestApplyRemoteTrimsOverruledEventsAndDropOrderRemovesAll(t *testing.T) {
	db := openTest(t)
	base := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	o := fakeOrder(rand.New(rand.NewSource(1)), 1, 1, base)
	o.Version = 3
	if err := db.InsertOrders([]*app.Order{o}); err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx app.Tx) error {
		for v := int64(1); v <= 3; v++ {
			if err := tx.AppendEvent(o.ID, app.Event{Version: v, At: base, Action: app.ActionAddNote, Note: "guess"}); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	cloud := *o
	cloud.Version = 2
	if err := db.ApplyRemote(Remote{Orders: []*app.Order{&cloud}, Events: map[string][]app.Event{o.ID: {{Version: 2, At: base, Action: app.ActionAddNote, Note: "cloud"}}}, Cursor: 7}); err != nil {
		t.Fatal(err)
	}
	got, err := db.OrderWithHistory(o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.History) != 2 || got.History[1].Note != "cloud" {
		t.Fatalf("history after the cloud's version 2: %+v", got.History)
	}
	mustConsistent(t, db)
	if err := db.DropOrder(o.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.OrderWithHistory(o.ID); app.ErrorCode(err) != app.ENotFound {
		t.Fatalf("dropped order still there: %v", err)
	}
	page, _ := db.FindOrders(app.Filter{Text: o.Buyer.Name})
	if page.Total != 0 {
		t.Fatal("a dropped order is still found by search")
	}
	mustConsistent(t, db)
	if err := db.DropOrder(o.ID); err != nil {
		t.Fatal("dropping twice must not fail")
	}
}
