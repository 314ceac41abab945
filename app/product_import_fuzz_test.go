package app_test

import (
	"bytes"
	"testing"

	"github.com/kasir/pos/app"
)

// FuzzParseProducts feeds any CSV to the product import: it never panics,
// and every product it accepts passes the product rules.
func FuzzParseProducts(f *testing.F) {
	f.Add([]byte("sku,name,price,cost,on_hand\nSKU-1,Kaos,75000,50000,10\n"))
	f.Add([]byte("\xef\xbb\xbfsku,name,barcode,category,price\nA,\"Topi, rajut\",8991234567890,Aksesoris,15000.50\n"))
	f.Add([]byte("sku;name\nA;B\n"))
	f.Add([]byte("sku,name\n,\n"))
	f.Fuzz(func(t *testing.T, csv []byte) {
		ps, err := app.ParseProducts(bytes.NewReader(csv), app.IDR)
		if err != nil {
			if app.ErrorCode(err) != app.EInvalid {
				t.Fatalf("a bad file must be refused as invalid, got %v", err)
			}
			return
		}
		for _, p := range ps {
			if err := p.Validate(); err != nil {
				t.Fatalf("accepted a product the rules refuse: %+v: %v", p, err)
			}
		}
	})
}
