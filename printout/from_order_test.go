package printout

import (
	"strings"
	"testing"

	"github.com/kasir/pos/app"
)

func sampleOrder() *app.Order {
	return &app.Order{
		ID: "o-1", Number: "SHP-240611ABC", Channel: app.ChannelShopee, Currency: app.IDR,
		Buyer: app.Buyer{Name: "Budi Santoso", Phone: "0813-9999-1234",
			Address: app.Address{Street: "Jl. Melati Raya No. 7", City: "Jakarta Pusat", PostalCode: "10510"}},
		Lines: []app.Line{
			{SKU: "KOPI-ARB-250", Name: "Kopi Arabika 250g", Qty: 2, UnitPrice: 50000},
			{SKU: "TMB-SNJ-01", Name: "Tumbler Senja", Qty: 1, UnitPrice: 25000},
		},
		ShippingFee: 10000, PaymentMethod: app.PayCOD,
		Parcels: []app.Parcel{
			{Items: []app.ParcelItem{{Line: 0, SKU: "KOPI-ARB-250", Qty: 2}}, WeightGrams: 600},
			{Items: []app.ParcelItem{{Line: 1, SKU: "TMB-SNJ-01", Qty: 1}}, WeightGrams: 400},
		},
		Shipment:  app.Shipment{Courier: "J&T", Service: "EZ", TrackingID: "JP1234567890"},
		CreatedAt: sampleTime, CreatedBy: "Dewi",
	}
}

func TestFromOrder(t *testing.T) {
	o := sampleOrder()
	p := mustPreset(t, "epson-tm-t82-80")

	rd := ReceiptFromOrder(o, Shop{Name: "Toko Kopi Senja", ReceiptURLPrefix: "https://kopisenja.example/r/"})
	if rd.Total != 135000 || rd.QRURL != "https://kopisenja.example/r/o-1" || rd.Channel != "Shopee" {
		t.Errorf("receipt data = %+v", rd)
	}
	if got := rd.FormatMoney(135000); got != "Rp 135.000" {
		t.Errorf("money formatted as %q", got)
	}
	if _, err := Receipt(rd, p); err != nil {
		t.Error(err)
	}

	ld, err := LabelFromOrder(o, 1, Party{Name: "Toko Kopi Senja"})
	if err != nil {
		t.Fatal(err)
	}
	if ld.Parcel != 2 || ld.Parcels != 2 || ld.WeightGrams != 400 || !ld.COD || ld.CODAmount != 135000 ||
		len(ld.Items) != 1 || ld.Items[0] != "1x Tumbler Senja" || !strings.Contains(ld.Recipient.Address, "10510") {
		t.Errorf("label data = %+v", ld)
	}
	if _, err := Label(ld, p); err != nil {
		t.Error(err)
	}
	if _, err := LabelFromOrder(o, 2, Party{}); err == nil || !strings.Contains(err.Error(), "parcel_index") {
		t.Errorf("parcel 2 of 2: err = %v", err)
	}
	o2 := sampleOrder()
	o2.Shipment.TrackingID = ""
	if _, err := LabelFromOrder(o2, 0, Party{}); err == nil || !strings.Contains(err.Error(), "tracking_id") {
		t.Errorf("no tracking ID: err = %v", err)
	}

	sd := SlipFromOrder(o, "Toko Kopi Senja")
	if len(sd.Parcels) != 2 || sd.Parcels[1].Items[0].Name != "Tumbler Senja" {
		t.Errorf("slip data = %+v", sd)
	}
	if _, err := Slip(sd, p); err != nil {
		t.Error(err)
	}
}
