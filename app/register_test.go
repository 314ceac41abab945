package app

import (
	"errors"
	"math/rand"
	"strings"
	"testing"
	"time"
)

var cashier = Actor{Staff: "Kasir", Role: RoleCashier, Terminal: "T1"}

// ring rings a cart up as a sale and places it, as the counter does.
func ring(t *testing.T, tx *memTx, pol Policy, shift *Shift, cart Cart, by Actor, at time.Time) *Order {
	t.Helper()
	o, err := cart.Sale(pol, shift.ID, by)
	if err != nil {
		t.Fatalf("sale: %v", err)
	}
	res, err := Execute(tx, pol, Command{Action: ActionPlace, Args: Args{Order: o}}, by, at)
	if err != nil {
		t.Fatalf("place sale: %v", err)
	}
	return res.Order
}

func allOrders(tx *memTx) []*Order {
	var out []*Order
	for id := range tx.orders {
		o, _ := tx.Order(id)
		out = append(out, o)
	}
	return out
}

// TestRegisterDay is a whole day at the counter: open a shift, three sales
// (one split over cash and QRIS), a partial refund, close. Stock, cash and
// the report are checked to the rupiah.
func TestRegisterDay(t *testing.T) {
	tx := newMemTx()
	seedProducts(t, tx) // SKU-1 85.000 (cost 50.000) ×10, SKU-2 25.000 (cost 10.000) ×3
	pol := DefaultPolicy()
	day := time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC) // 09:00 WIB

	if _, err := (&Cart{Lines: []CartLine{{SKU: "SKU-1", Qty: 1, UnitPrice: 85000}}, Payments: []Payment{{Method: PayCash, Amount: 85000}}}).Sale(pol, "", cashier); err == nil {
		t.Fatal("a sale without an open shift went through")
	}
	shift, err := OpenShift(nil, 200000, cashier, day)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := OpenShift(shift, 0, cashier, day); ErrorCode(err) != EConflict {
		t.Fatalf("a second open shift: %v", err)
	}

	// 1: cash, change given.
	s1 := ring(t, tx, pol, shift, Cart{Lines: []CartLine{{SKU: "SKU-1", Qty: 2, UnitPrice: 85000}},
		Payments: []Payment{{Method: PayCash, Amount: 200000}}}, cashier, day.Add(time.Hour))
	if s1.Sale.Change != 30000 || s1.Total != 170000 || s1.Status != StatusCompleted {
		t.Fatalf("sale 1: total %d change %d status %s", s1.Total, s1.Sale.Change, s1.Status)
	}
	// 2: split cash + QRIS with a 10% line discount (the cashier's cap).
	s2 := ring(t, tx, pol, shift, Cart{Lines: []CartLine{{SKU: "SKU-2", Qty: 2, UnitPrice: 25000, Discount: Discount{PercentBP: 1000}}},
		Payments: []Payment{{Method: PayQRIS, Amount: 30000, Ref: "QR-889"}, {Method: PayCash, Amount: 20000}}}, cashier, day.Add(2*time.Hour))
	if s2.Total != 45000 || s2.Sale.Change != 5000 {
		t.Fatalf("sale 2: total %d change %d", s2.Total, s2.Sale.Change)
	}
	// 3: card, no change.
	s3 := ring(t, tx, pol, shift, Cart{Lines: []CartLine{{SKU: "SKU-1", Qty: 1, UnitPrice: 85000}},
		Payments: []Payment{{Method: PayCard, Amount: 85000, Ref: "EDC-1"}}}, cashier, day.Add(3*time.Hour))

	// A partial refund: one of sale 1's two coffees, back on the shelf, by the owner.
	refund := Command{Action: ActionRefundSale, OrderID: s1.ID, Args: Args{Reason: "bag torn",
		Refund: &RefundArgs{Lines: []RefundLine{{SKU: "SKU-1", Qty: 1}}, ShiftID: shift.ID}}}
	if _, err := Execute(tx, pol, refund, cashier, day.Add(4*time.Hour)); ErrorCode(err) != EForbidden {
		t.Fatalf("a cashier refunded: %v", err)
	}
	res, err := Execute(tx, pol, refund, owner, day.Add(4*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if r := res.Order.Refunds[0]; r.Amount != 85000 || r.Method != PayCash {
		t.Fatalf("refund %+v", r)
	}
	over := refund
	over.Args.Refund = &RefundArgs{Lines: []RefundLine{{SKU: "SKU-1", Qty: 2}}, ShiftID: shift.ID}
	if _, err := Execute(tx, pol, over, owner, day.Add(4*time.Hour)); ErrorCode(err) != EInvalid || !strings.Contains(err.Error(), "only 1") {
		t.Fatalf("refunding more than was sold: %v", err)
	}

	if err := shift.MoveCash(false, 15000, "", cashier, day.Add(5*time.Hour)); err == nil {
		t.Fatal("cash out without a reason")
	}
	if err := shift.MoveCash(false, 15000, "bought ice", cashier, day.Add(5*time.Hour)); err != nil {
		t.Fatal(err)
	}

	// Stock: SKU-1 10 − 2 − 1 + 1 = 8; SKU-2 3 − 2 = 1.
	if p := stockOf(t, tx, "SKU-1"); p.OnHand != 8 || p.Allocated != 0 {
		t.Fatalf("SKU-1 %+v", p)
	}
	if p := stockOf(t, tx, "SKU-2"); p.OnHand != 1 {
		t.Fatalf("SKU-2 %+v", p)
	}

	// Cash: 200.000 float + 170.000 + 15.000 − 85.000 refund − 15.000 ice = 285.000.
	tot, err := shift.Close(280000, allOrders(tx), cashier, day.Add(8*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if tot.Expected != 285000 || tot.Difference != -5000 || tot.Sales != 3 || tot.ByMethod[PayQRIS] != 30000 || tot.ByMethod[PayCard] != 85000 {
		t.Fatalf("close: %+v", tot)
	}
	if _, err := shift.Close(280000, allOrders(tx), cashier, day.Add(9*time.Hour)); ErrorCode(err) != EConflict {
		t.Fatalf("closing twice: %v", err)
	}

	// Report: sales 170.000 + 45.000 + 85.000 − 85.000 = 215.000; cost 3×50.000 + 2×10.000 − 50.000 = 120.000.
	rep := BuildReport(LastDays(1, day, pol.Zone()), IDR, allOrders(tx), []*Product{stockOf(t, tx, "SKU-1"), stockOf(t, tx, "SKU-2")})
	f := rep.Channels[ChannelInStore]
	if f == nil || f.Orders != 3 || f.Sales != 215000 || f.Cost != 120000 || f.GrossProfit != 95000 || f.Refunds != 85000 {
		t.Fatalf("report %+v", f)
	}
	if rep.Total.Sales != 215000 || rep.StockValue != 8*50000+1*10000 {
		t.Fatalf("total %+v stock value %d", rep.Total, rep.StockValue)
	}
	_ = s3
}

func TestDiscountAboveCapNeedsOwner(t *testing.T) {
	tx := newMemTx()
	seedProducts(t, tx)
	pol := DefaultPolicy()
	shift, _ := OpenShift(nil, 0, cashier, t0)
	cart := Cart{Lines: []CartLine{{SKU: "SKU-1", Qty: 1, UnitPrice: 85000}}, Discount: Discount{PercentBP: 2000},
		Payments: []Payment{{Method: PayCash, Amount: 68000}}}
	issue, err := cart.Check(pol, RoleCashier, func(sku string) *Product { p, _ := tx.Product(sku); return p })
	if err != nil || issue.DiscountBP != 2000 || issue.CapBP != 1000 {
		t.Fatalf("check: %+v %v", issue, err)
	}
	o, _ := cart.Sale(pol, shift.ID, cashier)
	if _, err := Execute(tx, pol, Command{Action: ActionPlace, Args: Args{Order: o}}, cashier, t0); ErrorCode(err) != EForbidden {
		t.Fatalf("20%% off by a cashier: %v", err)
	}
	cart.ApprovedBy = "Ayu"
	o, _ = cart.Sale(pol, shift.ID, cashier)
	if _, err := Execute(tx, pol, Command{Action: ActionPlace, Args: Args{Order: o}}, cashier, t0); err != nil {
		t.Fatalf("approved discount: %v", err)
	}
}

func TestSaleBelowStockNeedsOverride(t *testing.T) {
	tx := newMemTx()
	seedProducts(t, tx)
	pol := DefaultPolicy()
	shift, _ := OpenShift(nil, 0, cashier, t0)
	cart := Cart{Lines: []CartLine{{SKU: "SKU-2", Qty: 4, UnitPrice: 25000}}, Payments: []Payment{{Method: PayCash, Amount: 100000}}}
	o, _ := cart.Sale(pol, shift.ID, cashier)
	_, err := Execute(tx, pol, Command{Action: ActionPlace, Args: Args{Order: o}}, cashier, t0)
	var se *StockError
	if !errors.As(err, &se) || se.Shortages[0].SKU != "SKU-2" {
		t.Fatalf("selling 4 of 3: %v", err)
	}
	cart.ApprovedBy = "Ayu"
	o, _ = cart.Sale(pol, shift.ID, cashier)
	res, err := Execute(tx, pol, Command{Action: ActionPlace, Args: Args{Order: o}}, cashier, t0)
	if err != nil {
		t.Fatal(err)
	}
	if res.Order.Sale.ApprovedBy != "Ayu" || stockOf(t, tx, "SKU-2").OnHand != 0 {
		t.Fatalf("override not recorded or stock wrong: %+v", res.Order.Sale)
	}
}

func TestPaymentRules(t *testing.T) {
	pol := DefaultPolicy()
	short := Cart{Lines: []CartLine{{SKU: "SKU-1", Qty: 1, UnitPrice: 85000}}, Payments: []Payment{{Method: PayCash, Amount: 80000}}}
	if _, err := short.Sale(pol, "S1", cashier); err == nil || !strings.Contains(err.Error(), "still to be paid") {
		t.Fatalf("short payment: %v", err)
	}
	noRef := Cart{Lines: short.Lines, Payments: []Payment{{Method: PayCard, Amount: 85000}}}
	if _, err := noRef.Sale(pol, "S1", cashier); err == nil || !strings.Contains(err.Error(), "reference") {
		t.Fatalf("card without reference: %v", err)
	}
	overCard := Cart{Lines: short.Lines, Payments: []Payment{{Method: PayCard, Amount: 90000, Ref: "x"}}}
	if _, err := overCard.Totals(pol.Tax); err == nil {
		t.Fatal("a card paid more than the total and got change")
	}
	huge := Cart{Lines: []CartLine{{SKU: "SKU-1", Qty: 2, UnitPrice: 9223372036854775807}}}
	if _, err := huge.Totals(pol.Tax); err == nil {
		t.Fatal("an overflowing price was accepted")
	}
}

func TestTaxModes(t *testing.T) {
	cart := Cart{Lines: []CartLine{{SKU: "SKU-1", Qty: 1, UnitPrice: 111000}}}
	in, _ := cart.Totals(TaxRule{Mode: TaxInclusive})
	if in.Tax != 11000 || in.Total != 111000 || !in.TaxIncluded {
		t.Fatalf("inclusive %+v", in)
	}
	ex, _ := cart.Totals(TaxRule{Mode: TaxExclusive})
	if ex.Tax != 12210 || ex.Total != 123210 {
		t.Fatalf("exclusive %+v", ex)
	}
	none, _ := cart.Totals(TaxRule{})
	if none.Tax != 0 || none.Total != 111000 {
		t.Fatalf("none %+v", none)
	}
}

func TestRefundWholeSaleAndLineTwice(t *testing.T) {
	tx := newMemTx()
	seedProducts(t, tx)
	pol := DefaultPolicy()
	shift, _ := OpenShift(nil, 0, cashier, t0)
	s := ring(t, tx, pol, shift, Cart{Lines: []CartLine{{SKU: "SKU-1", Qty: 1, UnitPrice: 85000}, {SKU: "SKU-2", Qty: 1, UnitPrice: 25000}},
		Discount: Discount{Amount: 1000}, Payments: []Payment{{Method: PayCash, Amount: 109000}}}, cashier, t0)
	cmd := func(l RefundLine, restock RestockTo) Command {
		return Command{Action: ActionRefundSale, OrderID: s.ID, Args: Args{Reason: "return",
			Refund: &RefundArgs{Lines: []RefundLine{l}, Restock: restock, ShiftID: shift.ID}}}
	}
	if _, err := Execute(tx, pol, cmd(RefundLine{Line: 2, Qty: 1}, RestockDamaged), owner, t0); err != nil {
		t.Fatal(err)
	}
	if p := stockOf(t, tx, "SKU-2"); p.OnHand != 2 || p.Damaged != 1 {
		t.Fatalf("damaged goods went back on the shelf: %+v", p)
	}
	if _, err := Execute(tx, pol, cmd(RefundLine{Line: 2, Qty: 1}, RestockShelf), owner, t0); err == nil || !strings.Contains(err.Error(), "SKU-2 is already refunded") {
		t.Fatalf("refunding a line twice: %v", err)
	}
	res, err := Execute(tx, pol, cmd(RefundLine{Line: 1, Qty: 1}, RestockShelf), owner, t0)
	if err != nil {
		t.Fatal(err)
	}
	if res.Order.RefundedAmount() != res.Order.Total || res.Order.PaymentStatus != PaymentRefunded {
		t.Fatalf("whole sale refunded %d of %d", res.Order.RefundedAmount(), res.Order.Total)
	}
}

func TestVoidSameDaySameShiftOnly(t *testing.T) {
	tx := newMemTx()
	seedProducts(t, tx)
	pol := DefaultPolicy()
	shift, _ := OpenShift(nil, 0, cashier, t0)
	s := ring(t, tx, pol, shift, Cart{Lines: []CartLine{{SKU: "SKU-1", Qty: 1, UnitPrice: 85000}}, Payments: []Payment{{Method: PayCash, Amount: 85000}}}, cashier, t0)
	void := func(shiftID string, at time.Time) error {
		_, err := Execute(tx, pol, Command{Action: ActionVoidSale, OrderID: s.ID, Args: Args{Reason: "rung twice", Refund: &RefundArgs{ShiftID: shiftID}}}, cashier, at)
		return err
	}
	if err := void("S-other", t0.Add(time.Minute)); err == nil {
		t.Fatal("voided from another shift")
	}
	if err := void(shift.ID, t0.Add(30*time.Hour)); err == nil {
		t.Fatal("voided the next day")
	}
	if err := void(shift.ID, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if p := stockOf(t, tx, "SKU-1"); p.OnHand != 10 {
		t.Fatalf("void did not put stock back: %+v", p)
	}
	rep := BuildReport(LastDays(1, t0, pol.Zone()), IDR, allOrders(tx), nil)
	if rep.Total.Orders != 0 || rep.Total.Sales != 0 {
		t.Fatalf("a voided sale counts: %+v", rep.Total)
	}
}

// TestReportMatchesOrders checks the report against a plain sum over a
// random mix of in-store sales and completed, refunded and open online orders.
func TestReportMatchesOrders(t *testing.T) {
	seed := time.Now().UnixNano()
	rng := rand.New(rand.NewSource(seed))
	t.Logf("seed %d", seed)
	zone := DefaultPolicy().Zone()
	r := LastDays(7, t0, zone)
	var orders []*Order
	want := map[Channel]*Figures{}
	add := func(ch Channel) *Figures {
		if want[ch] == nil {
			want[ch] = &Figures{}
		}
		return want[ch]
	}
	chans := []Channel{ChannelInStore, ChannelTokopedia, ChannelShopee, ChannelWooCommerce}
	for i := 0; i < 400; i++ {
		ch := chans[rng.Intn(len(chans))]
		at := r.From.Add(time.Duration(rng.Int63n(int64(9 * 24 * time.Hour)))) // some fall after the range
		qty, price, cost := 1+rng.Intn(3), Money(1000*(1+rng.Intn(100))), Money(500*(1+rng.Intn(50)))
		o := &Order{Channel: ch, Currency: IDR, CreatedAt: at, Status: StatusCompleted,
			Lines: []Line{{SKU: "S" + itoa(rng.Intn(5)), Qty: qty, UnitPrice: price, UnitCost: cost}}}
		o.Total = Money(qty) * price
		in := r.Contains(at)
		if ch == ChannelInStore {
			o.Sale = &SaleInfo{ShiftID: "S"}
			o.Payments = []Payment{{Method: PayCash, Amount: o.Total}}
			if rng.Intn(5) == 0 {
				o.Refunds = []Refund{{At: at, Amount: o.Total, Restock: RestockShelf, Lines: []RefundLine{{Line: 1, Qty: qty, Cost: Money(qty) * cost}}}}
			}
		} else {
			o.ShippingFee = 9000
			o.Total += 9000
			switch rng.Intn(3) {
			case 0:
				o.Status = StatusReadyToShip // not counted until completed
				in = false
			case 1:
				o.CompletedAt = at
			case 2:
				o.CompletedAt = at
				o.Complaint = &Complaint{Resolution: ResolveReturn, ResolvedAt: at}
			}
		}
		orders = append(orders, o)
		if !in {
			continue
		}
		f := add(ch)
		f.Orders++
		f.Sales += o.Total - o.ShippingFee
		f.Cost += Money(qty) * cost
		if len(o.Refunds) > 0 || (o.Complaint != nil) {
			f.Refunds += o.Total - o.ShippingFee
			f.Sales -= o.Total - o.ShippingFee
			f.Cost -= Money(qty) * cost
		}
	}
	rep := BuildReport(r, IDR, orders, nil)
	var total Figures
	for _, ch := range chans {
		w, g := want[ch], rep.Channels[ch]
		if w == nil {
			continue
		}
		if g == nil || g.Orders != w.Orders || g.Sales != w.Sales || g.Cost != w.Cost || g.Refunds != w.Refunds || g.GrossProfit != w.Sales-w.Cost {
			t.Fatalf("%s: report %+v, orders say %+v", ch, g, w)
		}
		total.Sales += w.Sales
		total.Orders += w.Orders
	}
	if rep.Total.Sales != total.Sales || rep.Total.Orders != total.Orders {
		t.Fatalf("total %+v, orders say %+v", rep.Total, total)
	}
	var days Money
	for _, d := range rep.Days {
		days += d.Sales
	}
	if days != rep.Total.Sales || len(rep.Days) != 7 {
		t.Fatalf("days add to %d of %d over %d days", days, rep.Total.Sales, len(rep.Days))
	}
}
