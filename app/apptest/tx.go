// Package apptest holds the checks every app.Tx implementation must pass:
// the terminal's store, the cloud's bbolt and the cloud's PostgreSQL run
// the same contract from their own tests, so the rule book behaves the same
// on each.
package apptest

import (
	"errors"
	"testing"
	"time"

	"github.com/kasir/pos/app"
)

// Store runs fn in one transaction of the store under test: a write
// transaction that commits when fn returns nil, and rolls back when it
// returns an error.
type Store func(fn func(app.Tx) error) error

// errRollback is what a check returns to see that nothing of it was kept.
var errRollback = errors.New("apptest: roll back")

// TxContract checks store against app.Tx's contract: not-found errors,
// round trips of orders and products, the external-id index through
// updates, copies that a rule cannot mutate behind the store's back,
// rollback, and the rule book's accept (stock allocated) on top of it.
// Each store must start empty.
func TxContract(t *testing.T, store Store) {
	t.Helper()
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}

	must("not found", store(func(tx app.Tx) error {
		if _, err := tx.Order("nope"); app.ErrorCode(err) != app.ENotFound {
			t.Errorf("Order of an unknown id: %v, want ENotFound", err)
		}
		if _, err := tx.OrderByExternalID(app.ChannelTokopedia, "404"); app.ErrorCode(err) != app.ENotFound {
			t.Errorf("OrderByExternalID of an unknown order: %v, want ENotFound", err)
		}
		if _, err := tx.Product("NOPE"); app.ErrorCode(err) != app.ENotFound {
			t.Errorf("Product of an unknown SKU: %v, want ENotFound", err)
		}
		return nil
	}))

	o := &app.Order{ID: "tokopedia:9001", Channel: app.ChannelTokopedia, ExternalID: "9001", Number: "INV/9001",
		Status: app.StatusNew, Currency: app.IDR, Version: 1, CreatedAt: t0, UpdatedAt: t0, AcceptBy: t0.Add(24 * time.Hour),
		Buyer: app.Buyer{Name: "Rina Wati", Phone: "0812345678", Address: app.Address{Street: "Jl. Braga 5", City: "Bandung", PostalCode: "40111"}},
		Lines: []app.Line{{SKU: "KOPI-250", Name: "Kopi Gayo 250g", Qty: 2, UnitPrice: 85000, Linked: true}}, Total: 170000, PaymentMethod: app.PayMarketplace}
	must("put", store(func(tx app.Tx) error {
		if err := tx.PutOrder(o); err != nil {
			return err
		}
		got, err := tx.Order(o.ID)
		if err != nil {
			return err
		}
		checkOrder(t, "read in the writing transaction", got, o)
		return tx.PutProduct(&app.Product{SKU: "KOPI-250", Name: "Kopi Gayo 250g", Currency: app.IDR, Price: 85000, Cost: 50000, OnHand: 10})
	}))
	must("read back", store(func(tx app.Tx) error {
		got, err := tx.Order(o.ID)
		if err != nil {
			return err
		}
		checkOrder(t, "read after commit", got, o)
		byExt, err := tx.OrderByExternalID(app.ChannelTokopedia, "9001")
		if err != nil {
			return err
		}
		checkOrder(t, "found by external id", byExt, o)
		if _, err := tx.OrderByExternalID(app.ChannelShopee, "9001"); app.ErrorCode(err) != app.ENotFound {
			t.Errorf("the same external id on another channel: %v, want ENotFound", err)
		}
		p, err := tx.Product("KOPI-250")
		if err != nil {
			return err
		}
		if p.OnHand != 10 || p.Price != 85000 || p.Name != "Kopi Gayo 250g" {
			t.Errorf("product read back as %+v", p)
		}
		// What a rule reads is its own copy: changing it without Put changes nothing.
		got.Status, got.Lines[0].Qty, p.OnHand = app.StatusCancelled, 99, 0
		again, _ := tx.Order(o.ID)
		pAgain, _ := tx.Product("KOPI-250")
		if again.Status != app.StatusNew || again.Lines[0].Qty != 2 || pAgain.OnHand != 10 {
			t.Errorf("a read copy changed the store: %s, qty %d, on hand %d", again.Status, again.Lines[0].Qty, pAgain.OnHand)
		}
		return nil
	}))

	// A transaction that fails keeps nothing of what it wrote.
	if err := store(func(tx app.Tx) error {
		ghost := *o
		ghost.ID, ghost.ExternalID, ghost.Number = "tokopedia:9002", "9002", "INV/9002"
		if err := tx.PutOrder(&ghost); err != nil {
			return err
		}
		return errRollback
	}); !errors.Is(err, errRollback) {
		t.Fatalf("a failing transaction returned %v, want its own error", err)
	}
	must("after rollback", store(func(tx app.Tx) error {
		if _, err := tx.Order("tokopedia:9002"); app.ErrorCode(err) != app.ENotFound {
			t.Errorf("a rolled-back order is there: %v", err)
		}
		if _, err := tx.OrderByExternalID(app.ChannelTokopedia, "9002"); app.ErrorCode(err) != app.ENotFound {
			t.Errorf("a rolled-back order is in the external-id index: %v", err)
		}
		return nil
	}))

	// The rule book on top: accepting allocates the stock, and the update
	// keeps the external-id index pointing at the order.
	pol := app.DefaultPolicy()
	must("accept", store(func(tx app.Tx) error {
		if err := tx.AppendEvent(o.ID, app.Event{Version: 1, At: t0, Action: app.ActionAddNote, Note: "dari kontrak", Actor: app.Actor{Staff: "owner", Role: app.RoleOwner}}); err != nil {
			return err
		}
		_, err := app.Execute(tx, pol, app.Command{Action: app.ActionAccept, OrderID: o.ID}, app.Actor{Staff: "owner", Role: app.RoleOwner}, t0.Add(time.Hour))
		return err
	}))
	must("after accept", store(func(tx app.Tx) error {
		got, err := tx.OrderByExternalID(app.ChannelTokopedia, "9001")
		if err != nil {
			return err
		}
		if got.Status != app.StatusReadyToShip || got.Version != 2 {
			t.Errorf("accepted order: %s version %d, want %s version 2", got.Status, got.Version, app.StatusReadyToShip)
		}
		p, err := tx.Product("KOPI-250")
		if err != nil {
			return err
		}
		if p.OnHand != 10 || p.Allocated != 2 {
			t.Errorf("after accept: on hand %d, allocated %d; want 10 and 2", p.OnHand, p.Allocated)
		}
		return nil
	}))
}

func checkOrder(t *testing.T, when string, got, want *app.Order) {
	t.Helper()
	if got.ID != want.ID || got.Channel != want.Channel || got.ExternalID != want.ExternalID || got.Number != want.Number ||
		got.Status != want.Status || got.Version != want.Version || got.Total != want.Total || got.Buyer.Name != want.Buyer.Name ||
		got.Buyer.Address.PostalCode != want.Buyer.Address.PostalCode || !got.CreatedAt.Equal(want.CreatedAt) || !got.AcceptBy.Equal(want.AcceptBy) ||
		len(got.Lines) != len(want.Lines) || got.Lines[0] != want.Lines[0] {
		t.Errorf("%s: got %+v\nwant %+v", when, got, want)
	}
}
