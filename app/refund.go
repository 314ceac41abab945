package app

import (
	"strings"
	"time"
)

// RestockTo says where refunded goods go: back on the shelf, or set aside as damaged.
type RestockTo string

// Where refunded goods go.
const (
	RestockShelf   RestockTo = "shelf"
	RestockDamaged RestockTo = "damaged"
)

// RefundLine is a quantity of one line of a sale given back. Line is 1-based.
type RefundLine struct {
	Line   int    `json:"line"`
	SKU    string `json:"sku,omitempty"`
	Qty    int    `json:"qty"`
	Amount Money  `json:"amount,omitempty"`
	Cost   Money  `json:"cost,omitempty"`
}

// RefundArgs are a refund's inputs: which lines, why, where the goods go,
// how the money goes back, and in which shift (the drawer it comes out of).
type RefundArgs struct {
	Lines   []RefundLine  `json:"lines"`
	Restock RestockTo     `json:"restock,omitempty"`
	Method  PaymentMethod `json:"method,omitempty"`
	ShiftID string        `json:"shift_id,omitempty"`
}

// Refund is money and goods given back on a sale, recorded on the sale.
type Refund struct {
	At      time.Time     `json:"at"`
	By      string        `json:"by"`
	Reason  string        `json:"reason"`
	Lines   []RefundLine  `json:"lines"`
	Amount  Money         `json:"amount"`
	Restock RestockTo     `json:"restock"`
	Method  PaymentMethod `json:"method"`
	ShiftID string        `json:"shift_id,omitempty"`
}

// Refunded is how many of line i (0-based) were already given back.
func (o *Order) Refunded(i int) int {
	n := 0
	for _, r := range o.Refunds {
		for _, l := range r.Lines {
			if l.Line == i+1 {
				n += l.Qty
			}
		}
	}
	return n
}

// RefundedAmount is the money already given back on the order.
func (o *Order) RefundedAmount() Money {
	var m Money
	for _, r := range o.Refunds {
		m += r.Amount
	}
	return m
}

// lineShares are what each whole line paid of the order's total less
// shipping: its net amount's share of the goods, so order discounts and tax
// are shared alike.
func (o *Order) lineShares() []Money {
	var goods int64
	for _, l := range o.Lines {
		goods += int64(l.Amount())
	}
	out := make([]Money, len(o.Lines))
	if goods <= 0 {
		return out
	}
	paid := int64(o.Total - o.ShippingFee)
	for i, l := range o.Lines {
		out[i] = Money(paid * int64(l.Amount()) / goods)
	}
	return out
}

// lineShare is what q pieces of line i paid.
func (o *Order) lineShare(i, q int) Money {
	l := o.Lines[i]
	if l.Qty <= 0 {
		return 0
	}
	return Money((int64(o.lineShares()[i])*int64(q) + int64(l.Qty)/2) / int64(l.Qty))
}

// refundSale gives back some or all of an in-store sale's lines. The owner
// decides; a line cannot be refunded beyond what was sold.
func refundSale(c *change) (Status, error) {
	o, a := c.order, c.cmd.Args.Refund
	if o.Channel != ChannelInStore {
		return "", c.refuse("only in-store sales are refunded here; online orders go through a complaint")
	}
	if a == nil || len(a.Lines) == 0 {
		return "", FieldError("lines", "choose at least one line to refund")
	}
	if len(a.Lines) > MaxLinesPerOrder {
		return "", FieldError("lines", "a refund may have at most %d lines", MaxLinesPerOrder)
	}
	if err := checkKey("shift", a.ShiftID, MaxIDLen); err != nil {
		return "", err
	}
	reason, err := requireReason(c, Text("A refund"))
	if err != nil {
		return "", err
	}
	restock := a.Restock
	if restock == "" {
		restock = RestockShelf
	}
	if restock != RestockShelf && restock != RestockDamaged {
		return "", FieldError("restock", "must be shelf or damaged, got %q", string(restock))
	}
	method := a.Method
	if method == "" {
		method = PayCash
		if len(o.Payments) == 1 {
			method = o.Payments[0].Method
		}
	}
	if !method.InStore() {
		return "", FieldError("method", "%s is not paid back at the counter", method.Label())
	}
	r := Refund{At: c.now, By: c.actor.Staff, Reason: reason, Restock: restock, Method: method, ShiftID: strings.TrimSpace(a.ShiftID)}
	asked := map[int]int{}
	for _, rl := range a.Lines {
		i := rl.Line - 1
		if rl.Line == 0 && rl.SKU != "" {
			i = o.lineOf(rl.SKU, asked)
		}
		if i < 0 || i >= len(o.Lines) {
			return "", FieldError("lines", "the sale has no line %q", lineName(rl))
		}
		l := o.Lines[i]
		if rl.Qty <= 0 {
			return "", FieldError("lines", "%s: the quantity to refund must be positive", l.display())
		}
		left := l.Qty - o.Refunded(i) - asked[i]
		if left <= 0 {
			return "", FieldError("lines", "%s is already refunded", l.display())
		}
		if rl.Qty > left {
			return "", FieldError("lines", "%s: %d to refund but only %d sold and not yet refunded", l.display(), rl.Qty, left)
		}
		asked[i] += rl.Qty
		r.Lines = append(r.Lines, RefundLine{Line: i + 1, SKU: l.SKU, Qty: rl.Qty, Amount: o.lineShare(i, rl.Qty), Cost: Money(rl.Qty) * l.UnitCost})
	}
	all := true
	for i, l := range o.Lines {
		if o.Refunded(i)+asked[i] < l.Qty {
			all = false
		}
	}
	for _, rl := range r.Lines {
		r.Amount += rl.Amount
	}
	if all {
		// The last refund takes what rounding left, so a whole sale refunds to the rupiah.
		r.Amount = o.Total - o.RefundedAmount()
		o.PaymentStatus = PaymentRefunded
	}
	for _, rl := range r.Lines {
		l := o.Lines[rl.Line-1]
		if !l.Linked {
			continue
		}
		p, err := c.stock.product(l.SKU)
		if err != nil {
			return "", err
		}
		if p == nil {
			continue
		}
		if restock == RestockDamaged {
			p.Damaged += rl.Qty
		} else {
			p.OnHand += rl.Qty
		}
		c.stock.touched[l.SKU] = true
	}
	o.Refunds = append(o.Refunds, r)
	c.note = Text("Refunded %s: %s", o.Currency.Format(r.Amount), reason)
	return c.from, nil
}

func lineName(rl RefundLine) string {
	if rl.SKU != "" {
		return rl.SKU
	}
	return itoa(rl.Line)
}

// lineOf finds the first line of sku that still has pieces to refund.
func (o *Order) lineOf(sku string, asked map[int]int) int {
	sku = strings.TrimSpace(sku)
	first := -1
	for i, l := range o.Lines {
		if !strings.EqualFold(l.SKU, sku) {
			continue
		}
		if first < 0 {
			first = i
		}
		if l.Qty-o.Refunded(i)-asked[i] > 0 {
			return i
		}
	}
	return first
}

func (l Line) display() string {
	if l.SKU != "" {
		return l.SKU
	}
	return l.Name
}

// voidSale undoes a sale rung up by mistake: only the same day, in the shift
// it was made in, and before any of it was refunded.
func voidSale(c *change) (Status, error) {
	o := c.order
	if o.Channel != ChannelInStore || o.Sale == nil {
		return "", c.refuse("only in-store sales can be voided")
	}
	if len(o.Refunds) > 0 {
		return "", c.refuse("part of it was refunded already; refund the rest instead")
	}
	reason, err := requireReason(c, Text("A void"))
	if err != nil {
		return "", err
	}
	shift := ""
	if c.cmd.Args.Refund != nil {
		shift = strings.TrimSpace(c.cmd.Args.Refund.ShiftID)
	}
	if shift == "" || shift != o.Sale.ShiftID {
		return "", c.refuse("a sale can be voided only in the shift it was made in")
	}
	zone := c.pol.Zone()
	y1, m1, d1 := o.CreatedAt.In(zone).Date()
	y2, m2, d2 := c.now.In(zone).Date()
	if y1 != y2 || m1 != m2 || d1 != d2 {
		return "", c.refuse("a sale can be voided only on the day it was made")
	}
	o.Sale.VoidedAt = c.now
	o.CancelReason = CancelVoided
	o.CancelNote = reason
	c.note = Text("Sale voided: %s", reason)
	return StatusCancelled, nil
}

// Zone is the shop's local time, for "today" in reports and voids; Western
// Indonesia Time unless the shop says otherwise.
func (p Policy) Zone() *time.Location {
	if p.UTCOffsetMinutes != nil {
		return time.FixedZone("", *p.UTCOffsetMinutes*60)
	}
	return time.FixedZone("WIB", 7*3600)
}
