package printout

import (
	"testing"

	"github.com/kasir/pos/app"
)

// TestLabelCarriesTheProvidersAWB: a shipment booked with an aggregator
// prints the waybill, with courier, service, COD and parcel k of n.
func TestLabelCarriesTheProvidersAWB(t *testing.T) {
	o := &app.Order{Number: "W-1001", Channel: app.ChannelStore, Currency: app.IDR, PaymentMethod: app.PayCOD, Total: 170000,
		Buyer:    app.Buyer{Name: "Rina", Phone: "0812", Address: app.Address{Street: "Jl. Melati 3", City: "Bandung"}},
		Lines:    []app.Line{{SKU: "K", Name: "Kopi", Qty: 2, UnitPrice: 85000}},
		Shipment: app.Shipment{Provider: app.ProviderBiteship, Courier: "JNE", Service: "REG", TrackingID: "trk0001", AWB: "JNE00112233"}}
	d, err := LabelFromOrder(o, 0, Party{Name: "Toko Kopi"})
	if err != nil {
		t.Fatal(err)
	}
	if d.TrackingID != "JNE00112233" || d.Courier != "JNE" || d.Service != "REG" || !d.COD || d.CODAmount != 170000 || d.Parcel != 1 || d.Parcels != 1 {
		t.Fatalf("label %+v", d)
	}
}
