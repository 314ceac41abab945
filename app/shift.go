package app

import (
	"fmt"
	"strings"
	"time"
)

// Shift is one cashier's time at one terminal's drawer: it opens with a float,
// takes sales and cash moves, and closes with the cash counted.
type Shift struct {
	ID       string     `json:"id"`
	Terminal string     `json:"terminal"`
	OpenedBy string     `json:"opened_by"`
	OpenedAt time.Time  `json:"opened_at"`
	Float    Money      `json:"float"`
	Moves    []CashMove `json:"moves,omitempty"`
	// RefundedSales are sales of earlier shifts this shift paid refunds on.
	RefundedSales []string `json:"refunded_sales,omitempty"`

	ClosedBy string    `json:"closed_by,omitempty"`
	ClosedAt time.Time `json:"closed_at,omitzero"`
	// Counted is the cash staff counted in the drawer at close; Expected is
	// what the sales, refunds and moves say should be there.
	Counted  Money `json:"counted,omitempty"`
	Expected Money `json:"expected,omitempty"`
}

// Open reports whether the shift still takes sales.
func (s *Shift) Open() bool { return s != nil && s.ClosedAt.IsZero() }

// CashMove is cash put into or taken out of the drawer outside a sale.
type CashMove struct {
	In     bool      `json:"in"`
	Amount Money     `json:"amount"`
	Reason string    `json:"reason"`
	By     string    `json:"by"`
	At     time.Time `json:"at"`
}

// maxFloat is more cash than a small shop's drawer holds (Rp 1 billion).
const maxFloat Money = 1_000_000_000

// OpenShift starts a shift at a terminal; a terminal has one open shift at a time.
func OpenShift(current *Shift, float Money, actor Actor, now time.Time) (*Shift, error) {
	if current.Open() {
		return nil, Errorf(EConflict, "a shift opened by %s is still open: close it first", current.OpenedBy)
	}
	if float < 0 || float > maxFloat {
		return nil, FieldError("float", "must be between 0 and %s", IDR.Format(maxFloat))
	}
	now = now.UTC()
	return &Shift{
		ID:       fmt.Sprintf("S%s-%s", now.Format("20060102T150405"), strings.ToUpper(actor.Terminal)),
		Terminal: actor.Terminal, OpenedBy: actor.Staff, OpenedAt: now, Float: float,
	}, nil
}

// MoveCash records cash put in (in) or taken out of the drawer, with a reason.
func (s *Shift) MoveCash(in bool, amount Money, reason string, actor Actor, now time.Time) error {
	if !s.Open() {
		return Errorf(EInvalid, "no shift is open: open one first")
	}
	if amount <= 0 || amount > maxFloat {
		return FieldError("amount", "must be between 1 and %s", IDR.Format(maxFloat))
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return FieldError("reason", "say why cash goes in or out")
	}
	if len(reason) > 200 {
		return FieldError("reason", "is longer than 200 characters")
	}
	s.Moves = append(s.Moves, CashMove{In: in, Amount: amount, Reason: reason, By: actor.Staff, At: now.UTC()})
	return nil
}

// CashTotals are the drawer's figures for a shift (the X report while open,
// the Z report at close).
type CashTotals struct {
	Float       Money `json:"float"`
	CashSales   Money `json:"cash_sales"`
	CashRefunds Money `json:"cash_refunds"`
	CashIn      Money `json:"cash_in"`
	CashOut     Money `json:"cash_out"`
	Expected    Money `json:"expected"`
	Counted     Money `json:"counted,omitempty"`
	Difference  Money `json:"difference"`
	Sales       int   `json:"sales"`
	Voids       int   `json:"voids"`
	// ByMethod is every tender taken in the shift, cash and not.
	ByMethod map[PaymentMethod]Money `json:"by_method"`
}

// Totals adds up the shift's drawer from the sales made in it and the
// refunds paid from it (a refund may be on a sale of an earlier shift).
func (s *Shift) Totals(orders []*Order) CashTotals {
	t := CashTotals{Float: s.Float, ByMethod: map[PaymentMethod]Money{}}
	for _, o := range orders {
		if o.Sale == nil {
			continue
		}
		if o.Sale.ShiftID == s.ID {
			if !o.Sale.VoidedAt.IsZero() {
				t.Voids++
			} else {
				t.Sales++
				for _, p := range o.Payments {
					amt := p.Amount
					if p.Method == PayCash {
						amt -= o.Sale.Change
						t.CashSales += amt
					}
					t.ByMethod[p.Method] += amt
				}
			}
		}
		for _, r := range o.Refunds {
			if r.ShiftID == s.ID && r.Method == PayCash {
				t.CashRefunds += r.Amount
			}
		}
	}
	for _, m := range s.Moves {
		if m.In {
			t.CashIn += m.Amount
		} else {
			t.CashOut += m.Amount
		}
	}
	t.Expected = t.Float + t.CashSales - t.CashRefunds + t.CashIn - t.CashOut
	if !s.ClosedAt.IsZero() {
		t.Counted = s.Counted
		t.Difference = s.Counted - t.Expected
	}
	return t
}

// Close ends the shift with the cash counted; closing twice is refused.
func (s *Shift) Close(counted Money, orders []*Order, actor Actor, now time.Time) (CashTotals, error) {
	if s == nil {
		return CashTotals{}, Errorf(EInvalid, "no shift is open")
	}
	if !s.Open() {
		return CashTotals{}, Errorf(EConflict, "this shift was already closed by %s", s.ClosedBy)
	}
	if counted < 0 || counted > 10*maxFloat {
		return CashTotals{}, FieldError("counted cash", "must be between 0 and %s", IDR.Format(10*maxFloat))
	}
	t := s.Totals(orders)
	s.Expected, s.Counted = t.Expected, counted
	s.ClosedAt, s.ClosedBy = now.UTC(), actor.Staff
	t.Counted = counted
	t.Difference = counted - t.Expected
	return t, nil
}
