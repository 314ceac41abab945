package printout

import (
	"testing"

	"github.com/kasir/pos/app"
)

// A line the platform cancelled (Lazada cancels per line) is neither
// packed, labelled nor on the receipt.
func TestCancelledLineIsNotPrinted(t *testing.T) {
	o := &app.Order{Number: "LZ-1", Channel: app.ChannelLazada, Currency: app.IDR, Buyer: app.Buyer{Name: "Budi"},
		Lines: []app.Line{{SKU: "SKU-1", Name: "Kaos", Qty: 1, UnitPrice: 75000},
			{SKU: "SKU-2", Name: "Topi", Qty: 1, UnitPrice: 50000, Cancelled: true, ChannelStatus: "canceled"}}}
	slip := SlipFromOrder(o, "Toko Ayu")
	if len(slip.Parcels) != 1 || len(slip.Parcels[0].Items) != 1 || slip.Parcels[0].Items[0].SKU != "SKU-1" {
		t.Fatalf("slip %+v", slip.Parcels)
	}
	r := ReceiptFromOrder(o, Shop{Name: "Toko Ayu"})
	if len(r.Lines) != 1 || r.Lines[0].Name != "Kaos" {
		t.Fatalf("receipt %+v", r.Lines)
	}
	o.Shipment = app.Shipment{Courier: "LEX ID", TrackingID: "LXID00000001"}
	l, err := LabelFromOrder(o, 0, Party{Name: "Toko Ayu"})
	if err != nil || len(l.Items) != 1 || l.Items[0] != "1x Kaos" {
		t.Fatalf("label %+v %v", l.Items, err)
	}
}
