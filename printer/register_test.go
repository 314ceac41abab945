package printer

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/printout"
)

func TestCashSaleReceiptKicksTheDrawerOnlyWhereThereIsOne(t *testing.T) {
	o := &app.Order{Number: "POS-1", Channel: app.ChannelInStore, Currency: app.IDR, Total: 45000, TaxIncluded: true, Tax: 4459,
		Lines:    []app.Line{{Name: "Teh Tarik", Qty: 2, UnitPrice: 25000, Discount: 5000}},
		Payments: []app.Payment{{Method: app.PayQRIS, Amount: 30000, Ref: "QR-889"}, {Method: app.PayCash, Amount: 20000}},
		Sale:     &app.SaleInfo{Change: 5000}}
	d := printout.ReceiptFromOrder(o, printout.Shop{Name: "Toko Ayu"})
	for _, drawer := range []bool{false, true} {
		p, _ := printout.Preset("xprinter-58")
		p.Drawer = drawer
		doc, err := printout.Receipt(d, p)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := Encode(doc, p)
		if err != nil {
			t.Fatal(err)
		}
		kick := []byte{0x1b, 'p', 0, 25, 250}
		if bytes.Contains(raw, kick) != drawer {
			t.Fatalf("drawer %v: ESC p present = %v", drawer, !drawer)
		}
		text := strings.Join(decodeStream(t, raw, p).lines, "\n")
		for _, want := range []string{"QRIS", "QR-889", "Cash", "Change", "5.000", "incl. PPN", "Discount"} {
			if !strings.Contains(text, want) {
				t.Fatalf("receipt lacks %q:\n%s", want, text)
			}
		}
	}
}

func TestRefundReceiptAndZReport(t *testing.T) {
	p58, _ := printout.Preset("xprinter-58")
	o := &app.Order{Number: "POS-2", Channel: app.ChannelInStore, Currency: app.IDR, Total: 170000,
		Lines: []app.Line{{Name: "Kopi Gayo", Qty: 2, UnitPrice: 85000}},
		Refunds: []app.Refund{{At: time.Now(), By: "Ayu", Reason: "bag torn", Amount: 85000, Method: app.PayCash,
			Lines: []app.RefundLine{{Line: 1, Qty: 1, Amount: 85000}}}}}
	d, err := printout.RefundFromOrder(o, 0, printout.Shop{Name: "Toko Ayu"})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := printout.Receipt(d, p58)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := Encode(doc, p58)
	text := strings.Join(decodeStream(t, raw, p58).lines, "\n")
	for _, want := range []string{"REFUND", "bag torn", "POS-2-R1", "85.000"} {
		if !strings.Contains(text, want) {
			t.Fatalf("refund receipt lacks %q:\n%s", want, text)
		}
	}
	if _, err := printout.RefundFromOrder(o, 1, printout.Shop{}); err == nil {
		t.Fatal("a refund that does not exist printed")
	}

	s := &app.Shift{ID: "S1", OpenedBy: "Kasir", OpenedAt: time.Now(), ClosedAt: time.Now(), ClosedBy: "Kasir"}
	tot := app.CashTotals{Float: 200000, CashSales: 170000, Expected: 370000, Counted: 360000, Difference: -10000, Sales: 1,
		ByMethod: map[app.PaymentMethod]app.Money{app.PayCash: 170000}}
	doc, err = printout.ShiftReport(s, tot, printout.Shop{Name: "Toko Ayu"}, app.IDR, time.UTC, p58)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ = Encode(doc, p58)
	text = strings.Join(decodeStream(t, raw, p58).lines, "\n")
	for _, want := range []string{"Z REPORT", "370.000", "360.000", "-Rp 10.000", "Signature"} {
		if !strings.Contains(text, want) {
			t.Fatalf("Z report lacks %q:\n%s", want, text)
		}
	}
}
