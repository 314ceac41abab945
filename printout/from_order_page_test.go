package printout

import "testing"

// TestReceiptQRLinksTheOrderPage: once the cloud issued the order's page
// token, the receipt's QR code opens the buyer's order page.
func TestReceiptQRLinksTheOrderPage(t *testing.T) {
	o := sampleOrder()
	o.PageToken = "c2hvcA.by0x.abcdefghijklmnopqrstuv"
	rd := ReceiptFromOrder(o, Shop{Name: "Toko Kopi Senja", ReceiptURLPrefix: "https://cloud.example.id/o/"})
	if rd.QRURL != "https://cloud.example.id/o/c2hvcA.by0x.abcdefghijklmnopqrstuv" {
		t.Fatalf("QR links %q", rd.QRURL)
	}
}

// TestSaleReceiptQRLinksItsPage: a counter sale carries the token the tablet
// made, and with the shop's page address the receipt links its page, with
// no receipt URL prefix set.
func TestSaleReceiptQRLinksItsPage(t *testing.T) {
	o := sampleOrder()
	o.PageToken = "s-AAAAAAAAAAAAAAAAAAAAAA"
	rd := ReceiptFromOrder(o, Shop{Name: "Toko Kopi Senja", PageURL: "https://cloud.example.id/"})
	if rd.QRURL != "https://cloud.example.id/o/s-AAAAAAAAAAAAAAAAAAAAAA" {
		t.Fatalf("QR links %q", rd.QRURL)
	}
}
