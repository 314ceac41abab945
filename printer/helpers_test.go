package printer

import (
	"bytes"
	"flag"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/kasir/pos/printout"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// goldenProfiles are the four printer kinds every document is checked on.
var goldenProfiles = map[string]string{
	"58-native": "xprinter-58",
	"58-raster": "generic-58",
	"80-native": "epson-tm-t82-80",
	"80-raster": "generic-80",
}

func mustPreset(t testing.TB, name string) printout.Profile {
	t.Helper()
	p, err := printout.Preset(name)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

var sampleTime = time.Date(2026, 11, 23, 14, 5, 0, 0, time.FixedZone("WIB", 7*3600))

func sampleReceipt() printout.ReceiptData {
	return printout.ReceiptData{
		ShopName:    "Toko Kopi Senja",
		ShopAddress: "Jl. Braga No. 12, Bandung 40111",
		ShopPhone:   "0812-3456-7890",
		ReceiptNo:   "INV/2026/11/0042",
		Time:        sampleTime,
		Cashier:     "Dewi",
		Channel:     "In store",
		OrderNo:     "SO-1042",
		Lines: []printout.ReceiptLine{
			{Name: "Kopi Susu Gula Aren", Qty: 2, UnitPrice: 25000},
			{Name: "Crème brûlée", Qty: 1, UnitPrice: 32000},
			{Name: "Kue Łapis Legit (Polish name)", Qty: 1, UnitPrice: 18000},
			{Name: "Roti Bakar Coklat Keju Spesial Ukuran Jumbo Extra Pedas", Qty: 3, UnitPrice: 15000},
		},
		Discount:      10000,
		Tax:           11000,
		PaymentMethod: "Cash",
		Paid:          200000,
		Change:        54000,
		Footer:        "Terima kasih! Barang yang sudah dibeli tidak dapat ditukar.",
		QRURL:         "https://kopisenja.example/r/SO-1042",
		Currency:      "IDR",
	}
}

func sampleLabel() printout.LabelData {
	return printout.LabelData{
		Courier:    "J&T",
		Service:    "EZ",
		TrackingID: "JP1234567890",
		OrderNo:    "SHP-240611ABC",
		Channel:    "Shopee",
		Sender:     printout.Party{Name: "Toko Kopi Senja", Phone: "0812-3456-7890", Address: "Jl. Braga No. 12, Bandung 40111"},
		Recipient: printout.Party{Name: "Budi Santoso", Phone: "0813-9999-1234",
			Address: "Jl. Melati Raya No. 7 RT 03/RW 05, Kel. Cempaka Putih, Kec. Cempaka Putih, Jakarta Pusat, DKI Jakarta 10510"},
		WeightGrams: 1250,
		Parcel:      1,
		Parcels:     2,
		COD:         true,
		CODAmount:   125000,
		Items:       []string{"2x Kopi Arabika 250g", "1x Tumbler Senja"},
		PrintedAt:   sampleTime,
		Currency:    "IDR",
	}
}

func sampleSlip() printout.SlipData {
	return printout.SlipData{
		ShopName: "Toko Kopi Senja",
		OrderNo:  "SHP-240611ABC",
		Channel:  "Shopee",
		Buyer:    "Budi Santoso",
		Time:     sampleTime,
		Parcels: []printout.SlipParcel{
			{TrackingID: "JP1234567890", Items: []printout.SlipItem{
				{SKU: "KOPI-ARB-250", Name: "Kopi Arabika Gayo 250g", Qty: 2},
				{SKU: "TMB-SNJ-01", Name: "Tumbler Senja 500ml stainless", Qty: 1},
			}},
			{Items: []printout.SlipItem{{SKU: "GLS-01", Name: "Gelas kaca", Qty: 4}}},
		},
		Note: "Bungkus bubble wrap",
	}
}

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./printer -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		i := 0
		for i < len(got) && i < len(want) && got[i] == want[i] {
			i++
		}
		t.Errorf("%s differs from the golden file at byte %d (got %d bytes, want %d); run with -update if the change is intended", name, i, len(got), len(want))
	}
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
