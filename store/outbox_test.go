package store

import (
	"fmt"
	"testing"
	"time"

	"github.com/kasir/pos/app"
)

type notStoreTx struct{ app.Tx }

func TestOutbox(t *testing.T) {
	db := openTest(t)
	at := time.Date(2025, 6, 1, 10, 2, 0, 0, time.UTC)
	actor := app.Actor{Staff: "Siti", Role: app.RoleOwner, Terminal: "kasir-1"}
	for i := 1; i <= 5; i++ {
		err := db.Update(func(tx app.Tx) error {
			mid, err := AppendOutbox(tx, app.Command{Action: app.ActionAddNote, OrderID: "tokopedia:1", Args: app.Args{Note: fmt.Sprint(i)}}, actor, at)
			if mid != uint64(i) {
				t.Errorf("mid %d, want %d", mid, i)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	// A rolled-back transaction hands out no mid.
	db.Update(func(tx app.Tx) error {
		AppendOutbox(tx, app.Command{Action: app.ActionReject}, actor, at)
		return app.Errorf(app.EInvalid, "rolled back")
	})
	if _, err := AppendOutbox(notStoreTx{}, app.Command{}, actor, at); err == nil {
		t.Fatal("AppendOutbox accepted a foreign Tx")
	}
	ms, err := db.Outbox(2, 2)
	if err != nil || len(ms) != 2 || ms[0].Mid != 3 || ms[1].Mid != 4 || ms[0].Cmd.Args.Note != "3" || ms[0].Actor != actor || !ms[0].At.Equal(at) {
		t.Fatalf("Outbox(2,2) = %+v, %v", ms, err)
	}
	if err := db.AckOutbox(3); err != nil {
		t.Fatal(err)
	}
	if n, _ := db.OutboxLen(); n != 2 {
		t.Fatalf("OutboxLen %d after ack 3 of 5", n)
	}
	all, _ := db.Outbox(0, 0)
	if len(all) != 2 || all[0].Mid != 4 {
		t.Fatalf("after ack: %+v", all)
	}
	if err := db.SetCursor(77); err != nil {
		t.Fatal(err)
	}
	st, _ := db.SyncState()
	if st != (SyncState{Cursor: 77, LastMid: 5, LastAckedMid: 3}) {
		t.Fatalf("SyncState %+v", st)
	}
	db.Update(func(tx app.Tx) error {
		mid, _ := AppendOutbox(tx, app.Command{Action: app.ActionAddNote}, actor, at)
		if mid != 6 {
			t.Errorf("mid after ack %d, want 6 (mids are never reused)", mid)
		}
		return SetCursorTx(tx, 80)
	})
	// An ack beyond what this file handed out moves last_mid past it.
	db.AckOutbox(10)
	st, _ = db.SyncState()
	if st != (SyncState{Cursor: 80, LastMid: 10, LastAckedMid: 10}) {
		t.Fatalf("SyncState %+v", st)
	}
	if n, _ := db.OutboxLen(); n != 0 {
		t.Fatalf("OutboxLen %d", n)
	}
}

func TestApplyRemoteAndApplyReset(t *testing.T) {
	db := openTest(t)
	orders := fakeOrders(11, 50, testBase)
	db.InsertOrders(orders)
	db.PutProducts(fakeProducts())
	db.PutSetting("terminal", "kasir-1")
	at := testBase
	db.Update(func(tx app.Tx) error {
		AppendOutbox(tx, app.Command{Action: app.ActionAccept, OrderID: orders[0].ID}, app.SystemActor, at)
		return tx.AppendEvent(orders[0].ID, app.Event{Version: 9, Note: "optimistic"})
	})
	// The cloud moves order 0 to cancelled and replaces event 9.
	o := orders[0].Clone()
	o.Status, o.AcceptBy, o.Version = app.StatusCancelled, time.Time{}, 10
	p := fakeProducts()[0]
	p.OnHand = 1234
	err := db.ApplyRemote(Remote{Orders: []*app.Order{o}, Products: []*app.Product{p}, Events: map[string][]app.Event{o.ID: {{Version: 9, Note: "cloud"}, {Version: 10, Note: "more"}}},
		Settings: map[string]any{SettingPolicy: app.Policy{Currency: app.MYR, BulkLimit: 50}}, Cursor: 42})
	if err != nil {
		t.Fatal(err)
	}
	orders[0] = o
	mustConsistent(t, db)
	checkFilter(t, db, orders, app.Filter{Statuses: []app.Status{app.StatusCancelled}})
	got, _ := db.OrderWithHistory(o.ID)
	if len(got.History) != 2 || got.History[0].Note != "cloud" {
		t.Fatalf("history after ApplyRemote: %+v", got.History)
	}
	var pol app.Policy
	if ok, _ := db.GetSetting(SettingPolicy, &pol); !ok || pol.Currency != app.MYR || pol.BulkLimit != 50 {
		t.Fatalf("the cloud's policy was not stored: %+v", pol)
	}
	if st, _ := db.SyncState(); st.Cursor != 42 {
		t.Fatalf("cursor %d", st.Cursor)
	}

	// A snapshot keeps 10 orders (one changed) and drops the rest.
	snap := orders[:10]
	snap[1] = snap[1].Clone()
	snap[1].Status = app.StatusCompleted
	if q, err := db.ApplyReset(snap, fakeProducts()[:3], nil, 99); err != nil || len(q) != 0 {
		t.Fatal(q, err)
	}
	mustConsistent(t, db)
	checkFilter(t, db, snap, app.Filter{})
	checkFilter(t, db, snap, app.Filter{Statuses: []app.Status{app.StatusCompleted}})
	if ps, _ := db.Products(); len(ps) != 3 {
		t.Fatalf("%d products after ApplyReset", len(ps))
	}
	if n, _ := db.OutboxLen(); n != 1 {
		t.Fatal("ApplyReset dropped the outbox")
	}
	var term string
	if ok, _ := db.GetSetting("terminal", &term); !ok || term != "kasir-1" {
		t.Fatal("ApplyReset dropped settings")
	}
	if got, _ := db.OrderWithHistory(o.ID); len(got.History) != 2 {
		t.Fatal("ApplyReset dropped the history of a kept order")
	}
	if st, _ := db.SyncState(); st.Cursor != 99 || st.LastMid != 1 {
		t.Fatalf("SyncState after ApplyReset %+v", st)
	}
}

func TestSettings(t *testing.T) {
	db := openTest(t)
	var v struct{ Width int }
	if ok, err := db.GetSetting("profile", &v); ok || err != nil {
		t.Fatalf("missing setting: %v %v", ok, err)
	}
	if err := db.PutSetting("profile", struct{ Width int }{576}); err != nil {
		t.Fatal(err)
	}
	if ok, err := db.GetSetting("profile", &v); !ok || err != nil || v.Width != 576 {
		t.Fatalf("got %+v %v %v", v, ok, err)
	}
	var wrong int
	if _, err := db.GetSetting("profile", &wrong); err == nil {
		t.Fatal("decoding into the wrong type succeeded")
	}
	db.DeleteSetting("profile")
	if ok, _ := db.GetSetting("profile", &v); ok {
		t.Fatal("DeleteSetting left it")
	}
}
