package app

import (
	"time"
)

// ShiftStore keeps a terminal's shifts; the terminal's store implements it.
type ShiftStore interface {
	// LatestShift is the terminal's newest shift, open or closed, or nil.
	LatestShift(terminal string) (*Shift, error)
	// PutShift saves a shift.
	PutShift(s *Shift) error
	// ScanCreated calls fn for every order created in [from, to).
	ScanCreated(from, to time.Time, fn func(*Order) error) error
	// ScanReportEvents calls fn for every report event in [from, to).
	ScanReportEvents(from, to time.Time, fn func(ReportEvent) error) error
	// Products is the catalogue.
	Products() ([]*Product, error)
}

// Register is the counter's use cases: shifts, sales, refunds, voids and the
// report. The register screen and `pos shift|sale|refund|report` both call
// it, so a headless till and the tablet follow one rule book.
type Register struct {
	// Terminal names this till's drawer; the policy's terminal name when empty.
	Terminal string
	Svc      *Service
	Store    ShiftStore
	Orders   func(id string) (*Order, error)
}

// NewRegister builds the counter over the terminal's service and store.
func NewRegister(svc *Service, st ShiftStore) *Register {
	return &Register{Svc: svc, Store: st, Orders: svc.Order}
}

func (r *Register) terminal() string {
	if r.Terminal != "" {
		return r.Terminal
	}
	if t := r.Svc.CurrentPolicy().Terminal; t != "" {
		return t
	}
	return "counter"
}

// Shift is this terminal's open shift, or nil when none is open.
func (r *Register) Shift() (*Shift, error) {
	s, err := r.Store.LatestShift(r.terminal())
	if err != nil || !s.Open() {
		return nil, err
	}
	return s, nil
}

// OpenShift starts a shift with the float counted into the drawer.
func (r *Register) OpenShift(float Money, actor Actor) (*Shift, error) {
	cur, err := r.Shift()
	if err != nil {
		return nil, err
	}
	actor.Terminal = r.terminal()
	s, err := OpenShift(cur, float, actor, r.Svc.now())
	if err != nil {
		return nil, err
	}
	return s, r.Store.PutShift(s)
}

// MoveCash puts cash into (in) or takes it out of the open shift's drawer.
func (r *Register) MoveCash(in bool, amount Money, reason string, actor Actor) (*Shift, error) {
	s, err := r.Shift()
	if err != nil {
		return nil, err
	}
	if s == nil {
		return nil, Errorf(EInvalid, "no shift is open: open one first")
	}
	if err := s.MoveCash(in, amount, reason, actor, r.Svc.now()); err != nil {
		return nil, err
	}
	return s, r.Store.PutShift(s)
}

// shiftOrders are the sales of the shift and the sales it paid refunds on.
func (r *Register) shiftOrders(s *Shift) ([]*Order, error) {
	var out []*Order
	seen := map[string]bool{}
	err := r.Store.ScanCreated(s.OpenedAt.Add(-time.Minute), r.Svc.now().Add(time.Minute), func(o *Order) error {
		if o.Sale != nil && o.Sale.ShiftID == s.ID {
			out = append(out, o)
			seen[o.ID] = true
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, id := range s.RefundedSales {
		if seen[id] {
			continue
		}
		o, err := r.Orders(id)
		if err != nil {
			return nil, err
		}
		seen[id] = true
		out = append(out, o)
	}
	return out, nil
}

// Totals are the open shift's drawer figures so far (the X report).
func (r *Register) Totals() (*Shift, CashTotals, error) {
	s, err := r.Shift()
	if err != nil || s == nil {
		if err == nil {
			err = Errorf(EInvalid, "no shift is open: open one first")
		}
		return nil, CashTotals{}, err
	}
	orders, err := r.shiftOrders(s)
	if err != nil {
		return nil, CashTotals{}, err
	}
	return s, s.Totals(orders), nil
}

// CloseShift ends the open shift with the cash counted (the Z report).
func (r *Register) CloseShift(counted Money, actor Actor) (*Shift, CashTotals, error) {
	s, err := r.Store.LatestShift(r.terminal())
	if err != nil {
		return nil, CashTotals{}, err
	}
	if s == nil {
		return nil, CashTotals{}, Errorf(EInvalid, "no shift is open")
	}
	orders, err := r.shiftOrders(s)
	if err != nil {
		return nil, CashTotals{}, err
	}
	t, err := s.Close(counted, orders, actor, r.Svc.now())
	if err != nil {
		return nil, CashTotals{}, err
	}
	return s, t, r.Store.PutShift(s)
}

// Sell rings a paid cart up as a sale in the open shift. A cart that needs
// the owner (stock below zero, a discount above the cashier's cap) is
// refused with the reason unless cart.ApprovedBy names the owner who allowed it.
func (r *Register) Sell(cart Cart, actor Actor) (*Order, SaleTotals, error) {
	s, err := r.Shift()
	if err != nil {
		return nil, SaleTotals{}, err
	}
	if s == nil {
		return nil, SaleTotals{}, Errorf(EInvalid, "open a shift before selling")
	}
	pol := r.Svc.CurrentPolicy()
	t, err := cart.Totals(pol.Tax)
	if err != nil {
		return nil, t, err
	}
	actor.Terminal = r.terminal()
	o, err := cart.Sale(pol, s.ID, actor)
	if err != nil {
		return nil, t, err
	}
	// Made here, offline too, so the receipt's QR links to the sale's page at once.
	o.PageToken = NewSaleToken()
	res, err := r.Svc.Place(o, actor)
	if err != nil {
		return nil, t, err
	}
	return res.Order, t, nil
}

// Refund gives back lines of a sale from the open shift's drawer.
func (r *Register) Refund(saleID string, lines []RefundLine, restock RestockTo, method PaymentMethod, reason string, actor Actor) (*Order, error) {
	s, err := r.Shift()
	if err != nil {
		return nil, err
	}
	if s == nil {
		return nil, Errorf(EInvalid, "open a shift before refunding: the money comes out of its drawer")
	}
	res, err := r.Svc.Do(Command{Action: ActionRefundSale, OrderID: saleID, Args: Args{Reason: reason,
		Refund: &RefundArgs{Lines: lines, Restock: restock, Method: method, ShiftID: s.ID}}}, actor)
	if err != nil {
		return nil, err
	}
	s.RefundedSales = append(s.RefundedSales, saleID)
	return res.Order, r.Store.PutShift(s)
}

// Void undoes a sale of the open shift, the same day.
func (r *Register) Void(saleID, reason string, actor Actor) (*Order, error) {
	s, err := r.Shift()
	if err != nil {
		return nil, err
	}
	if s == nil {
		return nil, Errorf(EInvalid, "a sale can be voided only in the shift it was made in")
	}
	res, err := r.Svc.Do(Command{Action: ActionVoidSale, OrderID: saleID, Args: Args{Reason: reason,
		Refund: &RefundArgs{ShiftID: s.ID}}}, actor)
	if err != nil {
		return nil, err
	}
	return res.Order, nil
}

// Report is the profit report over the range, from the terminal's store.
func (r *Register) Report(rng ReportRange) (*Report, error) {
	return ReportFrom(r.Store, rng, r.Svc.CurrentPolicy().currency())
}

// ReportSource is what a report reads: the report events in a time range
// (ReportEvents of every order, indexed by time), and the catalogue.
type ReportSource interface {
	ScanReportEvents(from, to time.Time, fn func(ReportEvent) error) error
	Products() ([]*Product, error)
}

// ReportFrom builds the report from a store that indexes report events; the
// register, `pos report` and the back office give the same figures.
func ReportFrom(src ReportSource, rng ReportRange, cur Currency) (*Report, error) {
	b := newReportBuilder(rng, cur)
	err := src.ScanReportEvents(rng.From, rng.End(), func(ev ReportEvent) error {
		b.add(ev)
		return nil
	})
	if err != nil {
		return nil, err
	}
	products, err := src.Products()
	if err != nil {
		return nil, err
	}
	return b.finish(products), nil
}
