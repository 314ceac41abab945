package app

import (
	"encoding/csv"
	"fmt"
	"io"
	"sort"
	"time"
)

// Figures are one column of the profit report: a channel, or the total.
// Sales are net of refunds, of tax and of shipping: what the goods brought in.
type Figures struct {
	Orders      int   `json:"orders"`
	Sales       Money `json:"sales"`
	Cost        Money `json:"cost"`
	GrossProfit Money `json:"gross_profit"`
	Refunds     Money `json:"refunds"`
	// MarginBP is gross profit over sales, in basis points.
	MarginBP int `json:"margin_bp"`
}

// Margin is the margin as staff read it ("32,5%").
func (f Figures) Margin() string { return percent(f.MarginBP) }

func (f *Figures) finish() {
	f.GrossProfit = f.Sales - f.Cost
	f.MarginBP = 0
	if f.Sales > 0 {
		f.MarginBP = int(int64(f.GrossProfit) * 10000 / int64(f.Sales))
	}
}

// Day is one bar of the report's chart.
type Day struct {
	Date        string `json:"date"`
	Sales       Money  `json:"sales"`
	GrossProfit Money  `json:"gross_profit"`
	Orders      int    `json:"orders"`
}

// BestSeller is a product ranked by pieces sold in the range.
type BestSeller struct {
	SKU   string `json:"sku"`
	Name  string `json:"name"`
	Qty   int    `json:"qty"`
	Sales Money  `json:"sales"`
}

// MethodFigure is what one payment method took in the range.
type MethodFigure struct {
	Method PaymentMethod `json:"method"`
	Count  int           `json:"count"`
	Amount Money         `json:"amount"`
}

// Reorder is a product at or below the level where the shop buys more.
type Reorder struct {
	SKU          string `json:"sku"`
	Name         string `json:"name"`
	OnHand       int    `json:"on_hand"`
	ReorderLevel int    `json:"reorder_level"`
}

// Report is the shop's sales and profit over a range of days, In Store and
// every online channel side by side: the figure the seeds' owners "calculate
// manually every day". The register, the back office and both command lines
// print this same value.
type Report struct {
	From           string               `json:"from"`
	To             string               `json:"to"`
	Currency       Currency             `json:"currency"`
	Channels       map[Channel]*Figures `json:"channels"`
	Total          Figures              `json:"total"`
	Days           []Day                `json:"days"`
	BestSellers    []BestSeller         `json:"best_sellers"`
	PaymentMethods []MethodFigure       `json:"payment_methods"`
	StockValue     Money                `json:"stock_value"`
	BelowReorder   []Reorder            `json:"below_reorder"`
}

// ReportRange is a report's days, both ends included, in the shop's time.
type ReportRange struct {
	From, To time.Time
}

// ParseReportRange reads "2006-01-02" dates in the shop's zone; an empty To is From.
func ParseReportRange(from, to string, zone *time.Location) (ReportRange, error) {
	f, err := time.ParseInLocation("2006-01-02", from, zone)
	if err != nil {
		return ReportRange{}, FieldError("from", "is not a date like 2026-11-30")
	}
	t := f
	if to != "" {
		if t, err = time.ParseInLocation("2006-01-02", to, zone); err != nil {
			return ReportRange{}, FieldError("to", "is not a date like 2026-11-30")
		}
	}
	if t.Before(f) {
		return ReportRange{}, FieldError("to", "is before the start date")
	}
	if t.Sub(f) > 366*24*time.Hour {
		return ReportRange{}, FieldError("to", "a report covers at most one year")
	}
	return ReportRange{From: f, To: t}, nil
}

// LastDays is the range of the n days up to and including now's day.
func LastDays(n int, now time.Time, zone *time.Location) ReportRange {
	y, m, d := now.In(zone).Date()
	to := time.Date(y, m, d, 0, 0, 0, 0, zone)
	return ReportRange{From: to.AddDate(0, 0, -(n - 1)), To: to}
}

// End is the first instant after the range.
func (r ReportRange) End() time.Time { return r.To.AddDate(0, 0, 1) }

// Contains reports whether t falls on one of the range's days.
func (r ReportRange) Contains(t time.Time) bool {
	return !t.Before(r.From) && t.Before(r.End())
}

// Counted is when an order enters the report: an in-store sale when it is
// rung up, an online order when it completes. Zero means never.
func (o *Order) Counted() time.Time {
	if o.Status == StatusCancelled {
		return time.Time{}
	}
	if o.Channel == ChannelInStore {
		return o.CreatedAt
	}
	return o.CompletedAt
}

// goods is what an order brought in for its goods: the total less shipping and tax.
func (o *Order) goods() Money {
	g := o.Total - o.ShippingFee - o.Tax
	return max(g, 0)
}

func (o *Order) cost() Money {
	var c Money
	for _, l := range o.Lines {
		if !l.Cancelled {
			c += Money(l.Qty) * l.UnitCost
		}
	}
	return c
}

// goodsPart is the share of a refunded amount that was goods, not tax or shipping.
func (o *Order) goodsPart(amount Money) Money {
	paid := o.Total - o.ShippingFee
	if paid <= 0 {
		return 0
	}
	return Money(int64(amount) * int64(o.goods()) / int64(paid))
}

// ReportEvent is one thing that moves the report: a sale counted (an in-store
// sale rung up, an online order completed) or a refund. The terminal's store
// indexes each order's events by time, so a report reads only its range.
type ReportEvent struct {
	At      time.Time `json:"at"`
	Channel Channel   `json:"ch"`
	// Orders is 1 for a sale and 0 for a refund.
	Orders int `json:"n,omitempty"`
	// Sales and Cost are the goods' revenue and cost; a refund's are negative.
	Sales   Money `json:"s,omitempty"`
	Cost    Money `json:"c,omitempty"`
	Refunds Money `json:"r,omitempty"`
	// Lines and Payments feed the best sellers and payment methods of a sale.
	Lines    []ReportLine   `json:"l,omitempty"`
	Payments []MethodFigure `json:"p,omitempty"`
}

// ReportLine is a sold line as the best sellers count it.
type ReportLine struct {
	SKU   string `json:"k,omitempty"`
	Name  string `json:"m,omitempty"`
	Qty   int    `json:"q"`
	Sales Money  `json:"s"`
}

// ReportEvents lists what the order adds to reports, in time order. An order
// that never counted (not completed, or voided) has none.
func ReportEvents(o *Order) []ReportEvent {
	at := o.Counted()
	if at.IsZero() {
		return nil
	}
	g, c := o.goods(), o.cost()
	sale := ReportEvent{At: at, Channel: o.Channel, Orders: 1, Sales: g, Cost: c}
	shares := o.lineShares()
	for i, l := range o.Lines {
		if l.Cancelled {
			continue
		}
		sale.Lines = append(sale.Lines, ReportLine{SKU: l.SKU, Name: l.Name, Qty: l.Qty, Sales: o.goodsPart(shares[i])})
	}
	paid := o.Payments
	if len(paid) == 0 && o.PaymentMethod != "" {
		paid = []Payment{{Method: o.PaymentMethod, Amount: o.Total}}
	}
	for _, p := range paid {
		amt := p.Amount
		if p.Method == PayCash && o.Sale != nil {
			amt -= o.Sale.Change
		}
		sale.Payments = append(sale.Payments, MethodFigure{Method: p.Method, Count: 1, Amount: amt})
	}
	out := []ReportEvent{sale}
	for _, rf := range o.allRefunds() {
		g := o.goodsPart(rf.Amount)
		var c Money
		if rf.Restock != RestockDamaged {
			for _, l := range rf.Lines {
				c += l.Cost
			}
		}
		out = append(out, ReportEvent{At: rf.At, Channel: o.Channel, Sales: -g, Cost: -c, Refunds: g})
	}
	return out
}

// reportBuilder adds events up into a report.
type reportBuilder struct {
	rep     *Report
	rng     ReportRange
	days    map[string]*Day
	sellers map[string]*BestSeller
	methods map[PaymentMethod]*MethodFigure
}

func newReportBuilder(r ReportRange, cur Currency) *reportBuilder {
	b := &reportBuilder{rng: r, days: map[string]*Day{}, sellers: map[string]*BestSeller{}, methods: map[PaymentMethod]*MethodFigure{},
		rep: &Report{From: r.From.Format("2006-01-02"), To: r.To.Format("2006-01-02"), Currency: cur, Channels: map[Channel]*Figures{}}}
	for d := r.From; d.Before(r.End()); d = d.AddDate(0, 0, 1) {
		day := &Day{Date: d.Format("2006-01-02")}
		b.days[day.Date] = day
		b.rep.Days = append(b.rep.Days, *day)
	}
	return b
}

// add counts one event; events outside the range are skipped.
func (b *reportBuilder) add(ev ReportEvent) {
	if !b.rng.Contains(ev.At) {
		return
	}
	f := b.rep.Channels[ev.Channel]
	if f == nil {
		f = &Figures{}
		b.rep.Channels[ev.Channel] = f
	}
	f.Orders += ev.Orders
	f.Sales += ev.Sales
	f.Cost += ev.Cost
	f.Refunds += ev.Refunds
	if d := b.days[ev.At.In(b.rng.From.Location()).Format("2006-01-02")]; d != nil {
		d.Orders += ev.Orders
		d.Sales += ev.Sales
		d.GrossProfit += ev.Sales - ev.Cost
	}
	for _, l := range ev.Lines {
		key := l.SKU
		if key == "" {
			key = l.Name
		}
		s := b.sellers[key]
		if s == nil {
			s = &BestSeller{SKU: l.SKU, Name: l.Name}
			b.sellers[key] = s
		}
		s.Qty += l.Qty
		s.Sales += l.Sales
	}
	for _, p := range ev.Payments {
		m := b.methods[p.Method]
		if m == nil {
			m = &MethodFigure{Method: p.Method}
			b.methods[p.Method] = m
		}
		m.Count += p.Count
		m.Amount += p.Amount
	}
}

// finish ranks the lists and adds the catalogue's stock figures.
func (b *reportBuilder) finish(products []*Product) *Report {
	rep := b.rep
	for i := range rep.Days {
		rep.Days[i] = *b.days[rep.Days[i].Date]
	}
	for _, ch := range Channels {
		if f := rep.Channels[ch]; f != nil {
			f.finish()
			rep.Total.Orders += f.Orders
			rep.Total.Sales += f.Sales
			rep.Total.Cost += f.Cost
			rep.Total.Refunds += f.Refunds
		}
	}
	rep.Total.finish()
	for _, s := range b.sellers {
		rep.BestSellers = append(rep.BestSellers, *s)
	}
	sort.Slice(rep.BestSellers, func(i, j int) bool {
		a, c := rep.BestSellers[i], rep.BestSellers[j]
		if a.Qty != c.Qty {
			return a.Qty > c.Qty
		}
		return a.SKU < c.SKU
	})
	if len(rep.BestSellers) > 10 {
		rep.BestSellers = rep.BestSellers[:10]
	}
	for _, m := range b.methods {
		rep.PaymentMethods = append(rep.PaymentMethods, *m)
	}
	sort.Slice(rep.PaymentMethods, func(i, j int) bool { return rep.PaymentMethods[i].Amount > rep.PaymentMethods[j].Amount })
	for _, p := range products {
		if p.OnHand > 0 {
			rep.StockValue += Money(p.OnHand) * p.Cost
		}
		if p.ReorderLevel > 0 && p.OnHand <= p.ReorderLevel {
			rep.BelowReorder = append(rep.BelowReorder, Reorder{SKU: p.SKU, Name: p.Name, OnHand: p.OnHand, ReorderLevel: p.ReorderLevel})
		}
	}
	sort.Slice(rep.BelowReorder, func(i, j int) bool { return rep.BelowReorder[i].SKU < rep.BelowReorder[j].SKU })
	return rep
}

// BuildReport adds up orders and the catalogue over a range. Orders outside
// the range are skipped, so the caller may pass a superset.
func BuildReport(r ReportRange, cur Currency, orders []*Order, products []*Product) *Report {
	b := newReportBuilder(r, cur)
	for _, o := range orders {
		for _, ev := range ReportEvents(o) {
			b.add(ev)
		}
	}
	return b.finish(products)
}

// allRefunds are the sale's refunds, and an online order's return or refund
// as one whole refund on the day the complaint was resolved.
func (o *Order) allRefunds() []Refund {
	if o.Channel == ChannelInStore {
		return o.Refunds
	}
	if o.Complaint != nil && !o.Complaint.ResolvedAt.IsZero() &&
		(o.Complaint.Resolution == ResolveReturn || o.Complaint.Resolution == ResolveRefund) {
		r := Refund{At: o.Complaint.ResolvedAt, Amount: o.Total - o.ShippingFee, Restock: RestockDamaged}
		if o.Complaint.Resolution == ResolveReturn {
			r.Restock = RestockShelf
			for i, l := range o.Lines {
				if l.Cancelled {
					continue
				}
				r.Lines = append(r.Lines, RefundLine{Line: i + 1, SKU: l.SKU, Qty: l.Qty, Cost: Money(l.Qty) * l.UnitCost})
			}
		}
		return []Refund{r}
	}
	return o.Refunds
}

// WriteCSV writes every table of the report, each under a heading row, with
// amounts in minor units so a spreadsheet adds them exactly.
func (rep *Report) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	row := func(cells ...any) {
		s := make([]string, len(cells))
		for i, c := range cells {
			s[i] = fmt.Sprint(c)
		}
		_ = cw.Write(s)
	}
	row("channel", "orders", "sales", "cost", "gross_profit", "refunds", "margin_bp")
	for _, ch := range Channels {
		if f := rep.Channels[ch]; f != nil {
			row(ch, f.Orders, int64(f.Sales), int64(f.Cost), int64(f.GrossProfit), int64(f.Refunds), f.MarginBP)
		}
	}
	t := rep.Total
	row("total", t.Orders, int64(t.Sales), int64(t.Cost), int64(t.GrossProfit), int64(t.Refunds), t.MarginBP)
	row()
	row("date", "orders", "sales", "gross_profit")
	for _, d := range rep.Days {
		row(d.Date, d.Orders, int64(d.Sales), int64(d.GrossProfit))
	}
	row()
	row("sku", "name", "qty", "sales")
	for _, b := range rep.BestSellers {
		row(b.SKU, b.Name, b.Qty, int64(b.Sales))
	}
	row()
	row("payment_method", "count", "amount")
	for _, m := range rep.PaymentMethods {
		row(m.Method, m.Count, int64(m.Amount))
	}
	row()
	row("stock_value", int64(rep.StockValue))
	row("sku", "name", "on_hand", "reorder_level")
	for _, r := range rep.BelowReorder {
		row(r.SKU, r.Name, r.OnHand, r.ReorderLevel)
	}
	cw.Flush()
	return cw.Error()
}
