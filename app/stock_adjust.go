package app

import (
	"strings"
	"time"
)

// StockReason is why the shelf's count changed outside an order: the shop's
// own words for the three things that happen in a stockroom.
type StockReason string

const (
	// StockTake is a count of the shelf: the quantity is what is there now.
	StockTake StockReason = "stock_take"
	// StockDamage takes broken or spoilt goods off the shelf.
	StockDamage StockReason = "damage"
	// StockReceived puts goods from a supplier on the shelf.
	StockReceived StockReason = "received"
)

// StockReasons are the reasons in the order forms offer them.
var StockReasons = []StockReason{StockTake, StockDamage, StockReceived}

var stockReasonLabels = map[StockReason]string{
	StockTake: "stock take", StockDamage: "damage", StockReceived: "received goods",
}

// Label is the reason as staff read it.
func (r StockReason) Label() string {
	if l, ok := stockReasonLabels[r]; ok {
		return l
	}
	return string(r)
}

// Valid reports whether r is a known reason.
func (r StockReason) Valid() bool { _, ok := stockReasonLabels[r]; return ok }

// MaxStockQty bounds one adjustment, so a typo of extra zeros is refused.
const MaxStockQty = 1_000_000

// StockAdjustment asks to change one product's stock for a reason. Qty is
// the count found for a stock take, and how many pieces left or arrived
// for damage and received goods.
type StockAdjustment struct {
	SKU    string      `json:"sku"`
	Reason StockReason `json:"reason"`
	Qty    int         `json:"qty"`
	Note   string      `json:"note,omitempty"`
}

// Validate refuses an adjustment no stockroom could mean, naming the field.
func (a StockAdjustment) Validate() error {
	if strings.TrimSpace(a.SKU) == "" {
		return FieldError("sku", "is required")
	}
	if err := checkKey("sku", a.SKU, MaxSKULen); err != nil {
		return err
	}
	if !a.Reason.Valid() {
		return FieldError("reason", "must be stock take, damage or received goods")
	}
	if a.Reason == StockTake && (a.Qty < 0 || a.Qty > MaxStockQty) {
		return FieldError("quantity", "must be a count from 0 to %d", MaxStockQty)
	}
	if a.Reason != StockTake && (a.Qty < 1 || a.Qty > MaxStockQty) {
		return FieldError("quantity", "must be a whole number from 1 to %d", MaxStockQty)
	}
	return checkText("note", a.Note, MaxNoteLen)
}

// StockMove is one line of a product's stock history: who changed the
// shelf's count, when, why, and the count before and after.
type StockMove struct {
	SKU    string      `json:"sku"`
	At     time.Time   `json:"at"`
	Actor  Actor       `json:"actor"`
	Reason StockReason `json:"reason"`
	Before int         `json:"before"`
	After  int         `json:"after"`
	Note   string      `json:"note,omitempty"`
}

// Change is how many pieces the move added (negative: removed).
func (m StockMove) Change() int { return m.After - m.Before }

// adjustStock decides one adjustment on the product as stored in tx. Damage
// cannot take more than the shelf holds; a count below what orders already
// hold is kept (the shelf is the truth) with a warning naming the gap.
func adjustStock(tx Tx, a StockAdjustment, actor Actor, now time.Time) (*Result, error) {
	cur, err := tx.Product(a.SKU)
	if err != nil {
		return nil, err
	}
	p := *cur
	before := p.OnHand
	switch a.Reason {
	case StockTake:
		p.OnHand = a.Qty
	case StockDamage:
		if a.Qty > p.OnHand {
			return nil, FieldError("quantity", "is more than the %d on the shelf", p.OnHand)
		}
		p.OnHand -= a.Qty
	case StockReceived:
		if p.OnHand+a.Qty > MaxStockQty {
			return nil, FieldError("quantity", "would make the stock more than %d", MaxStockQty)
		}
		p.OnHand += a.Qty
	}
	res := &Result{Products: []*Product{&p}, StockMoves: []StockMove{{SKU: p.SKU, At: now, Actor: actor, Reason: a.Reason,
		Before: before, After: p.OnHand, Note: strings.TrimSpace(a.Note)}}}
	if p.OnHand < p.Allocated {
		res.Warnings = append(res.Warnings, Text("%s now has %d on the shelf but orders hold %d", p.SKU, p.OnHand, p.Allocated))
	}
	if err := tx.PutProduct(&p); err != nil {
		return nil, err
	}
	return res, nil
}
