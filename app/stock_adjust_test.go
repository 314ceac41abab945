package app

import (
	"errors"
	"testing"
	"time"
)

func TestAdjustStockRules(t *testing.T) {
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	adjust := func(tx *memTx, a StockAdjustment, role Role) (*Result, error) {
		return Execute(tx, DefaultPolicy(), Command{Action: ActionAdjustStock, Args: Args{Stock: &a}}, Actor{Staff: "Sari", Role: role}, now)
	}
	tx := newMemTx()
	seedProducts(t, tx)
	res, err := adjust(tx, StockAdjustment{SKU: "SKU-1", Reason: StockTake, Qty: 7, Note: " shelf B "}, RoleOwner)
	if err != nil {
		t.Fatal(err)
	}
	m := res.StockMoves[0]
	if len(res.StockMoves) != 1 || m.Before != 10 || m.After != 7 || m.Change() != -3 || m.Actor.Staff != "Sari" || !m.At.Equal(now) || m.Note != "shelf B" {
		t.Fatalf("stock take: %+v", res.StockMoves)
	}
	if p, _ := tx.Product("SKU-1"); p.OnHand != 7 || len(res.Products) != 1 || res.Products[0].OnHand != 7 {
		t.Fatalf("after the stock take the product holds %d", p.OnHand)
	}
	if res, err = adjust(tx, StockAdjustment{SKU: "SKU-1", Reason: StockReceived, Qty: 5}, RoleOwner); err != nil || res.StockMoves[0].After != 12 {
		t.Fatalf("received: %v %+v", err, res)
	}
	if res, err = adjust(tx, StockAdjustment{SKU: "SKU-1", Reason: StockDamage, Qty: 2}, RoleOwner); err != nil || res.StockMoves[0].After != 10 {
		t.Fatalf("damage: %v %+v", err, res)
	}
	// Refusals name the field and leave the product as it was.
	for _, c := range []struct {
		a     StockAdjustment
		role  Role
		field string
	}{
		{StockAdjustment{SKU: "SKU-1", Reason: StockDamage, Qty: 11}, RoleOwner, "quantity"},
		{StockAdjustment{SKU: "SKU-1", Reason: StockReceived, Qty: 0}, RoleOwner, "quantity"},
		{StockAdjustment{SKU: "SKU-1", Reason: StockTake, Qty: -1}, RoleOwner, "quantity"},
		{StockAdjustment{SKU: "SKU-1", Reason: StockReceived, Qty: MaxStockQty}, RoleOwner, "quantity"},
		{StockAdjustment{SKU: "SKU-1", Reason: "stolen", Qty: 1}, RoleOwner, "reason"},
		{StockAdjustment{Reason: StockTake, Qty: 1}, RoleOwner, "sku"},
	} {
		_, err := adjust(tx, c.a, c.role)
		var e *Error
		if !errors.As(err, &e) || e.Code != EInvalid || string(e.Field) != c.field {
			t.Errorf("%+v: %v, want a field error on %s", c.a, err, c.field)
		}
	}
	if _, err := adjust(tx, StockAdjustment{SKU: "SKU-1", Reason: StockTake, Qty: 1}, RoleCashier); ErrorCode(err) != EForbidden {
		t.Errorf("a cashier adjusted stock: %v", err)
	}
	if _, err := adjust(tx, StockAdjustment{SKU: "NOPE", Reason: StockTake, Qty: 1}, RoleOwner); ErrorCode(err) != ENotFound {
		t.Errorf("an unknown SKU: %v", err)
	}
	if p, _ := tx.Product("SKU-1"); p.OnHand != 10 {
		t.Fatalf("a refused adjustment changed the stock to %d", p.OnHand)
	}
	// A count below what orders hold is the truth of the shelf, with a warning.
	p, _ := tx.Product("SKU-2")
	p.Allocated = 3
	_ = tx.PutProduct(p)
	if res, err = adjust(tx, StockAdjustment{SKU: "SKU-2", Reason: StockTake, Qty: 1}, RoleOwner); err != nil || len(res.Warnings) != 1 {
		t.Fatalf("a count below the allocation: %v %+v", err, res)
	}
}
