package printout

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ReceiptData is everything a sales receipt shows. Money is in minor units
// of Currency (whole rupiah for IDR, cents for SGD and MYR).
type ReceiptData struct {
	ShopName, ShopAddress, ShopPhone string

	ReceiptNo string
	Time      time.Time
	Cashier   string
	Channel   string
	OrderNo   string

	Lines []ReceiptLine
	// Subtotal is the sum of line amounts; 0 means compute it.
	Subtotal int64
	// Discount is a positive amount taken off the subtotal.
	Discount int64
	Tax      int64
	Shipping int64
	// Total is what the buyer pays; 0 means Subtotal - Discount + Tax + Shipping.
	Total int64

	PaymentMethod string
	Paid, Change  int64
	// Payments are the tenders of a split payment, each with its reference;
	// when set they replace PaymentMethod and Paid.
	Payments []ReceiptPayment
	// TaxIncluded prints the tax as the part of the total that is PPN.
	TaxIncluded bool

	// Title heads a receipt that is not a sale ("REFUND"); Reason follows it.
	Title, Reason string
	// OpenDrawer kicks the cash drawer as the receipt prints (a cash sale or refund).
	OpenDrawer bool

	Footer string
	// QRURL is the e-receipt or tracking page; no QR is printed when empty.
	QRURL string

	// Currency is an ISO code (IDR, SGD, MYR) used when FormatMoney is nil.
	Currency    string
	FormatMoney MoneyFormat
	// Copy marks a receipt printed again with COPY at its top.
	Copy bool
}

// ReceiptLine is one sold item.
type ReceiptLine struct {
	Name      string
	Qty       int
	UnitPrice int64
	// Amount is the line total; 0 means Qty × UnitPrice − Discount.
	Amount int64
	// Discount is taken off this line.
	Discount int64
}

// ReceiptPayment is one tender of a split payment.
type ReceiptPayment struct {
	Method string
	Amount int64
	Ref    string
}

// Receipt lays out a sales receipt for profile p. It refuses a receipt
// without a number or with a line of non-positive quantity, naming the field.
func Receipt(d ReceiptData, p Profile) (*Document, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if strings.TrimSpace(d.ReceiptNo) == "" {
		return nil, fmt.Errorf("receipt: receipt_no: must not be empty")
	}
	for i, l := range d.Lines {
		if l.Qty <= 0 {
			return nil, fmt.Errorf("receipt %s: lines[%d].qty: must be positive, got %d", d.ReceiptNo, i, l.Qty)
		}
		if strings.TrimSpace(l.Name) == "" {
			return nil, fmt.Errorf("receipt %s: lines[%d].name: must not be empty", d.ReceiptNo, i)
		}
	}
	money := moneyFormat(d.FormatMoney, d.Currency)
	doc := &Document{}
	if d.OpenDrawer {
		doc.Add(OpenDrawer{})
	}
	addCopyMark(doc, d.Copy)

	doc.Add(Text{Text: d.ShopName, Align: AlignCenter, Bold: true, Height: 2})
	for _, s := range []string{d.ShopAddress, d.ShopPhone} {
		if s != "" {
			doc.Add(Text{Text: s, Align: AlignCenter})
		}
	}
	doc.Add(Separator{Char: '='})
	if d.Title != "" {
		doc.Add(Text{Text: d.Title, Align: AlignCenter, Bold: true, Height: 2})
		if d.Reason != "" {
			doc.Add(Text{Text: d.Reason, Align: AlignCenter})
		}
	}
	doc.Add(Columns{Left: "Receipt", Right: d.ReceiptNo})
	if !d.Time.IsZero() {
		doc.Add(Columns{Left: "Date", Right: d.Time.Format("2006-01-02 15:04")})
	}
	for _, kv := range [][2]string{{"Cashier", d.Cashier}, {"Channel", d.Channel}, {"Order", d.OrderNo}} {
		if kv[1] != "" {
			doc.Add(Columns{Left: kv[0], Right: kv[1]})
		}
	}
	doc.Add(Separator{})

	var sum int64
	for _, l := range d.Lines {
		amount := l.Amount
		if amount == 0 {
			amount = int64(l.Qty)*l.UnitPrice - l.Discount
		}
		sum += amount
		doc.Add(Text{Text: l.Name})
		doc.Add(Columns{Left: "  " + strconv.Itoa(l.Qty) + " x " + money(l.UnitPrice), Right: money(amount + l.Discount)})
		if l.Discount != 0 {
			doc.Add(Columns{Left: "  Discount", Right: money(-abs(l.Discount))})
		}
	}
	doc.Add(Separator{})

	sub := d.Subtotal
	if sub == 0 {
		sub = sum
	}
	total := d.Total
	if total == 0 {
		total = sub - d.Discount + d.Shipping
		if !d.TaxIncluded {
			total += d.Tax
		}
	}
	doc.Add(Columns{Left: "Subtotal", Right: money(sub)})
	if d.Discount != 0 {
		doc.Add(Columns{Left: "Discount", Right: money(-abs(d.Discount))})
	}
	if d.Tax != 0 && !d.TaxIncluded {
		doc.Add(Columns{Left: "Tax", Right: money(d.Tax)})
	}
	if d.Shipping != 0 {
		doc.Add(Columns{Left: "Shipping", Right: money(d.Shipping)})
	}
	doc.Add(Columns{Left: "TOTAL", Right: money(total), Bold: true, Height: 2})
	if d.Tax != 0 && d.TaxIncluded {
		doc.Add(Columns{Left: "incl. PPN", Right: money(d.Tax)})
	}
	if len(d.Payments) > 0 {
		doc.Add(Separator{})
		for _, pm := range d.Payments {
			doc.Add(Columns{Left: pm.Method, Right: money(pm.Amount)})
			if pm.Ref != "" {
				doc.Add(Columns{Left: "  Ref", Right: pm.Ref})
			}
		}
		if d.Change != 0 {
			doc.Add(Columns{Left: "Change", Right: money(d.Change)})
		}
	} else if d.PaymentMethod != "" || d.Paid != 0 {
		doc.Add(Separator{})
		if d.PaymentMethod != "" {
			doc.Add(Columns{Left: "Payment", Right: d.PaymentMethod})
		}
		if d.Paid != 0 {
			doc.Add(Columns{Left: "Paid", Right: money(d.Paid)})
			doc.Add(Columns{Left: "Change", Right: money(d.Change)})
		}
	}
	doc.Add(Separator{Char: '='})
	if d.Footer != "" {
		doc.Add(Text{Text: d.Footer, Align: AlignCenter})
	}
	if d.QRURL != "" {
		doc.Add(QR{Data: d.QRURL, Align: AlignCenter, Dots: min(p.WidthDots/2, 256)})
	}
	doc.Add(Cut{})
	return doc, nil
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}
