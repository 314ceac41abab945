package app

import (
	"sort"
	"strconv"
	"strings"
	"time"
)

// Discount is an amount off, or a percentage in basis points (1000 = 10%).
// A sale never holds both on one line: the cashier picks one.
type Discount struct {
	Amount    Money `json:"amount,omitempty"`
	PercentBP int   `json:"percent_bp,omitempty"`
}

// Of is the discount taken from base, never more than base.
func (d Discount) Of(base Money) Money {
	off := d.Amount
	if d.PercentBP > 0 {
		off = Money((int64(base)*int64(d.PercentBP) + 5000) / 10000)
	}
	return min(max(off, 0), base)
}

// ParseDiscount reads a discount staff typed: empty is none, "10%" (or
// "12,5%") a percentage, anything else an amount as ParseTypedAmount reads it.
func ParseDiscount(cur Currency, text string) (Discount, error) {
	t := strings.TrimSpace(text)
	if t == "" {
		return Discount{}, nil
	}
	if pct, ok := strings.CutSuffix(t, "%"); ok {
		f, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(pct), ",", "."), 64)
		if err != nil || f < 0 || f > 100 {
			return Discount{}, FieldError("discount", "%q is not a percentage between 0%% and 100%%", t)
		}
		return Discount{PercentBP: int(f*100 + 0.5)}, nil
	}
	m, err := ParseTypedAmount(cur, t)
	if err != nil {
		return Discount{}, FieldError("discount", "%q is not an amount", t)
	}
	return Discount{Amount: m}, nil
}

// Typed writes the discount as staff type it, for ParseDiscount to read
// back: "10%", "12.5%", or an amount ("5000"); "" when there is none.
func (d Discount) Typed(cur Currency) string {
	switch {
	case d.PercentBP > 0:
		return strconv.FormatFloat(float64(d.PercentBP)/100, 'f', -1, 64) + "%"
	case d.Amount > 0:
		return cur.Plain(d.Amount)
	}
	return ""
}

func (d Discount) validate(field string) error {
	if d.Amount < 0 {
		return FieldError(field, "cannot be negative")
	}
	if d.PercentBP < 0 || d.PercentBP > 10000 {
		return FieldError(field, "must be between 0%% and 100%%")
	}
	if d.Amount > 0 && d.PercentBP > 0 {
		return FieldError(field, "give an amount or a percentage, not both")
	}
	return nil
}

// Payment is one tender of a sale: a split payment has several.
type Payment struct {
	Method PaymentMethod `json:"method"`
	Amount Money         `json:"amount"`
	// Ref is the card slip, QRIS or e-wallet reference staff typed.
	Ref string `json:"ref,omitempty"`
}

// SaleInfo is what only an in-store sale records: the shift, the change
// handed back, and who allowed what the cashier alone could not.
type SaleInfo struct {
	ShiftID  string `json:"shift_id,omitempty"`
	Terminal string `json:"terminal,omitempty"`
	Change   Money  `json:"change,omitempty"`
	// ApprovedBy is the owner who allowed a discount above the cashier's cap
	// or a sale below zero stock.
	ApprovedBy string `json:"approved_by,omitempty"`
	// Voided is set when the sale was undone the same day, in its shift.
	VoidedAt time.Time `json:"voided_at,omitzero"`
}

// CartLine is one product in the cart, with its own discount.
type CartLine struct {
	SKU       string   `json:"sku"`
	Name      string   `json:"name,omitempty"`
	Qty       int      `json:"qty"`
	UnitPrice Money    `json:"unit_price"`
	Discount  Discount `json:"discount,omitzero"`
}

// Cart is a sale being rung up; Sale turns it into the order that is stored.
type Cart struct {
	Lines    []CartLine `json:"lines"`
	Discount Discount   `json:"discount,omitzero"`
	Payments []Payment  `json:"payments"`
	// ApprovedBy is the owner who typed their PIN to allow an override.
	ApprovedBy string `json:"approved_by,omitempty"`
}

// SaleTotals are the figures the cart screen and the receipt show.
type SaleTotals struct {
	Subtotal      Money `json:"subtotal"`
	LineDiscounts Money `json:"line_discounts"`
	OrderDiscount Money `json:"order_discount"`
	Tax           Money `json:"tax"`
	TaxIncluded   bool  `json:"tax_included,omitempty"`
	Total         Money `json:"total"`
	Tendered      Money `json:"tendered"`
	Change        Money `json:"change"`
	// Due is what is still to be paid; a sale completes only at zero.
	Due Money `json:"due"`
}

// maxSaleAmount keeps every sum far from int64 overflow (Rp 100 billion).
const maxSaleAmount Money = 100_000_000_000

// maxSaleQty is more pieces of one product than a counter sells at once.
const maxSaleQty = 100_000

// Totals adds the cart up under the shop's tax rule. It fails only on input
// no till could have typed.
func (c Cart) Totals(tax TaxRule) (SaleTotals, error) {
	var t SaleTotals
	for i, l := range c.Lines {
		if l.Qty <= 0 || l.Qty > maxSaleQty {
			return t, FieldError("quantity", "line %d: must be between 1 and %d, got %d", i+1, maxSaleQty, l.Qty)
		}
		if l.UnitPrice < 0 || l.UnitPrice > maxSaleAmount {
			return t, FieldError("price", "line %d: must be between 0 and %s", i+1, IDR.Format(maxSaleAmount))
		}
		if err := l.Discount.validate("line discount"); err != nil {
			return t, err
		}
		gross := Money(l.Qty) * l.UnitPrice
		if gross > maxSaleAmount || t.Subtotal+gross > maxSaleAmount {
			return t, FieldError("total", "is more than %s", IDR.Format(maxSaleAmount))
		}
		t.Subtotal += gross
		t.LineDiscounts += l.Discount.Of(gross)
	}
	if err := c.Discount.validate("order discount"); err != nil {
		return t, err
	}
	net := t.Subtotal - t.LineDiscounts
	t.OrderDiscount = c.Discount.Of(net)
	net -= t.OrderDiscount
	t.Tax, t.TaxIncluded = tax.On(net)
	t.Total = net
	if !t.TaxIncluded {
		t.Total += t.Tax
	}
	var nonCash Money
	for i, p := range c.Payments {
		if p.Amount <= 0 || p.Amount > maxSaleAmount {
			return t, FieldError("payment", "payment %d: amount must be positive", i+1)
		}
		if p.Method != PayCash {
			nonCash += p.Amount
		}
		t.Tendered += p.Amount
	}
	if t.Tendered > 2*maxSaleAmount {
		return t, FieldError("payment", "is more than %s", IDR.Format(maxSaleAmount))
	}
	if t.Tendered >= t.Total {
		t.Change = t.Tendered - t.Total
	} else {
		t.Due = t.Total - t.Tendered
	}
	// Change comes out of the drawer, so only cash can be over-tendered.
	if t.Change > 0 && nonCash > t.Total {
		return t, FieldError("payment", "card, QRIS and e-wallet payments cannot exceed the total; give change only for cash")
	}
	return t, nil
}

// DiscountCapBP is the largest discount, in basis points of the subtotal,
// each role may give without the owner; the owner has no cap.
func (p Policy) DiscountCapBP(r Role) int {
	if r == RoleOwner {
		return 10000
	}
	if c, ok := p.DiscountCaps[r]; ok {
		return c
	}
	if r == RoleCashier {
		return 1000
	}
	return 0
}

// SaleIssue is something a cart needs the owner's approval for.
type SaleIssue struct {
	// Shortages are products the sale would take below zero.
	Shortages []Shortage `json:"shortages,omitempty"`
	// DiscountBP is the discount given, when above the role's cap.
	DiscountBP int `json:"discount_bp,omitempty"`
	CapBP      int `json:"cap_bp,omitempty"`
}

// None reports whether the cart can go through without the owner.
func (s SaleIssue) None() bool { return len(s.Shortages) == 0 && s.DiscountBP == 0 }

// Error names what needs the owner, in words.
func (s SaleIssue) Error() error {
	if len(s.Shortages) > 0 {
		return &StockError{Shortages: s.Shortages}
	}
	if s.DiscountBP > 0 {
		return Errorf(EForbidden, "a discount of %s is above your limit of %s: the owner must approve it", percent(s.DiscountBP), percent(s.CapBP))
	}
	return nil
}

func percent(bp int) string {
	s := itoa(bp / 100)
	if r := bp % 100; r != 0 {
		s += "," + string(rune('0'+r/10))
		if r%10 != 0 {
			s += string(rune('0' + r%10))
		}
	}
	return s + "%"
}

// Check says what in the cart needs the owner: stock that would go below
// zero, or a discount above what the role may give.
func (c Cart) Check(pol Policy, role Role, products func(sku string) *Product) (SaleIssue, error) {
	t, err := c.Totals(pol.Tax)
	if err != nil {
		return SaleIssue{}, err
	}
	var issue SaleIssue
	want := map[string]int{}
	for _, l := range c.Lines {
		want[strings.TrimSpace(l.SKU)] += l.Qty
	}
	skus := make([]string, 0, len(want))
	for sku := range want {
		skus = append(skus, sku)
	}
	sort.Strings(skus)
	for _, sku := range skus {
		if p := products(sku); p != nil && p.Available() < want[sku] {
			issue.Shortages = append(issue.Shortages, Shortage{SKU: sku, Wanted: want[sku], Available: max(p.Available(), 0)})
		}
	}
	if off := t.LineDiscounts + t.OrderDiscount; off > 0 && t.Subtotal > 0 {
		bp := int((int64(off)*10000 + int64(t.Subtotal) - 1) / int64(t.Subtotal))
		if cp := pol.DiscountCapBP(role); bp > cp {
			issue.DiscountBP, issue.CapBP = bp, cp
		}
	}
	return issue, nil
}

// Sale turns a paid cart into the in-store order to place. It refuses a cart
// that is empty, not fully paid, or missing a non-cash reference.
func (c Cart) Sale(pol Policy, shiftID string, actor Actor) (*Order, error) {
	if len(c.Lines) == 0 {
		return nil, FieldError("cart", "is empty")
	}
	if strings.TrimSpace(shiftID) == "" {
		return nil, Errorf(EInvalid, "open a shift before selling")
	}
	t, err := c.Totals(pol.Tax)
	if err != nil {
		return nil, err
	}
	if t.Due > 0 {
		return nil, Errorf(EInvalid, "%s is still to be paid", pol.currency().Format(t.Due))
	}
	var payments []Payment
	for i, p := range c.Payments {
		m, err := ParsePaymentMethod(string(p.Method))
		if err != nil {
			return nil, err
		}
		if !m.InStore() {
			return nil, FieldError("payment", "payment %d: %s is not taken at the counter", i+1, m.Label())
		}
		ref := strings.TrimSpace(p.Ref)
		if m != PayCash && ref == "" {
			return nil, FieldError("payment", "payment %d: a %s payment needs its reference number", i+1, m.Label())
		}
		if len(ref) > 64 {
			return nil, FieldError("payment", "payment %d: the reference is longer than 64 characters", i+1)
		}
		payments = append(payments, Payment{Method: m, Amount: p.Amount, Ref: ref})
	}
	o := &Order{
		Channel: ChannelInStore, Currency: pol.currency(), Status: StatusCompleted,
		Discount: t.OrderDiscount, Tax: t.Tax, TaxIncluded: t.TaxIncluded, Total: t.Total,
		Paid: t.Total, PaymentStatus: PaymentPaid, Payments: payments,
		PaymentMethod: mainMethod(payments),
		CreatedBy:     actor.Staff,
		Sale:          &SaleInfo{ShiftID: shiftID, Terminal: actor.Terminal, Change: t.Change, ApprovedBy: strings.TrimSpace(c.ApprovedBy)},
	}
	for _, l := range c.Lines {
		gross := Money(l.Qty) * l.UnitPrice
		o.Lines = append(o.Lines, Line{SKU: strings.TrimSpace(l.SKU), Name: strings.TrimSpace(l.Name), Qty: l.Qty,
			UnitPrice: l.UnitPrice, Discount: l.Discount.Of(gross)})
	}
	return o, nil
}

// mainMethod is the tender that paid most: the list's filter shows it.
func mainMethod(ps []Payment) PaymentMethod {
	var best Payment
	for _, p := range ps {
		if p.Amount > best.Amount {
			best = p
		}
	}
	return best.Method
}

// InStore reports whether the counter takes this method.
func (m PaymentMethod) InStore() bool {
	return m == PayCash || m == PayCard || m == PayQRIS || m == PayEWallet
}

func (p Policy) currency() Currency {
	if p.Currency == "" {
		return IDR
	}
	return p.Currency
}

// checkSale is place's extra rule for an in-store sale: what the cashier
// alone may not do needs an owner's name on the sale, and the money adds up.
func (c *change) checkSale(o *Order) error {
	if o.Sale == nil {
		return nil
	}
	var tendered Money
	for _, p := range o.Payments {
		if p.Amount <= 0 {
			return FieldError("payment", "amount must be positive")
		}
		tendered += p.Amount
	}
	if len(o.Payments) > 0 && tendered-o.Sale.Change != o.Total {
		return Errorf(EInvalid, "payments of %s less change of %s do not make the total of %s",
			o.Currency.Format(tendered), o.Currency.Format(o.Sale.Change), o.Currency.Format(o.Total))
	}
	if o.Sale.ApprovedBy != "" || c.actor.Role == RoleOwner || c.actor.Role == RoleSystem {
		return nil
	}
	var subtotal, off Money
	for _, l := range o.Lines {
		subtotal += Money(l.Qty) * l.UnitPrice
		off += l.Discount
	}
	off += o.Discount
	if off > 0 && subtotal > 0 {
		bp := int((int64(off)*10000 + int64(subtotal) - 1) / int64(subtotal))
		if cp := c.pol.DiscountCapBP(c.actor.Role); bp > cp {
			return SaleIssue{DiscountBP: bp, CapBP: cp}.Error()
		}
	}
	q := linkedQty(o)
	var short []Shortage
	for _, sku := range sortedSKUs(q) {
		p, err := c.stock.product(sku)
		if err != nil {
			return err
		}
		if p != nil && p.Available() < q[sku] {
			short = append(short, Shortage{SKU: sku, Wanted: q[sku], Available: max(p.Available(), 0)})
		}
	}
	if len(short) > 0 {
		return &StockError{OrderID: o.ID, Shortages: short}
	}
	return nil
}
