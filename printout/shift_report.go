package printout

import (
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/kasir/pos/app"
)

// ShiftReport lays out a shift's drawer report: the X report while the shift
// is open (a look without closing), the Z report once it is closed, with the
// cash counted and the difference a cashier signs for.
func ShiftReport(s *app.Shift, t app.CashTotals, shop Shop, cur app.Currency, zone *time.Location, p Profile) (*Document, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if s == nil || s.ID == "" {
		return nil, fmt.Errorf("shift report: shift: none given")
	}
	money := func(m app.Money) string { return cur.Format(m) }
	title := "X REPORT"
	if !s.Open() {
		title = "Z REPORT"
	}
	doc := &Document{}
	doc.Add(Text{Text: shop.Name, Align: AlignCenter, Bold: true})
	doc.Add(Text{Text: title, Align: AlignCenter, Bold: true, Height: 2})
	doc.Add(Separator{Char: '='})
	doc.Add(Columns{Left: "Shift", Right: s.ID})
	doc.Add(Columns{Left: "Opened", Right: s.OpenedAt.In(zone).Format("2006-01-02 15:04") + " " + s.OpenedBy})
	if !s.Open() {
		doc.Add(Columns{Left: "Closed", Right: s.ClosedAt.In(zone).Format("2006-01-02 15:04") + " " + s.ClosedBy})
	}
	doc.Add(Columns{Left: "Sales", Right: strconv.Itoa(t.Sales)})
	if t.Voids > 0 {
		doc.Add(Columns{Left: "Voided", Right: strconv.Itoa(t.Voids)})
	}
	doc.Add(Separator{})
	methods := make([]app.PaymentMethod, 0, len(t.ByMethod))
	for m := range t.ByMethod {
		methods = append(methods, m)
	}
	sort.Slice(methods, func(i, j int) bool { return methods[i] < methods[j] })
	for _, m := range methods {
		doc.Add(Columns{Left: m.Label(), Right: money(t.ByMethod[m])})
	}
	doc.Add(Separator{})
	for _, row := range []struct {
		name string
		m    app.Money
	}{{"Float", t.Float}, {"Cash sales", t.CashSales}, {"Cash refunds", -t.CashRefunds}, {"Cash in", t.CashIn}, {"Cash out", -t.CashOut}} {
		doc.Add(Columns{Left: row.name, Right: money(row.m)})
	}
	for _, mv := range s.Moves {
		sign := "+"
		if !mv.In {
			sign = "-"
		}
		doc.Add(Text{Text: "  " + sign + money(mv.Amount) + " " + mv.Reason})
	}
	doc.Add(Columns{Left: "EXPECTED CASH", Right: money(t.Expected), Bold: true})
	if !s.Open() {
		doc.Add(Columns{Left: "Counted cash", Right: money(t.Counted)})
		doc.Add(Columns{Left: "DIFFERENCE", Right: money(t.Difference), Bold: true})
		doc.Add(Feed{Lines: 3})
		doc.Add(Separator{Char: '_'})
		doc.Add(Text{Text: "Signature", Align: AlignCenter})
	}
	doc.Add(Cut{})
	return doc, nil
}
