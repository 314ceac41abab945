package terminal_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/terminal"
)

// BenchmarkScanToReceiptQueued is the counter's hot path: a barcode typed by
// the scanner is found, the cart is paid in cash, the sale is stored (fsync)
// and its receipt is queued durably for the printer.
func BenchmarkScanToReceiptQueued(b *testing.B) {
	dir := b.TempDir()
	var csv strings.Builder
	csv.WriteString("sku,name,barcode,category,price,cost,on_hand\n")
	for i := 0; i < 500; i++ {
		fmt.Fprintf(&csv, "SKU-%03d,Produk %d,8991234%06d,Umum,15000,9000,1000000\n", i, i, i)
	}
	t, err := terminal.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	defer t.Close()
	if _, err := t.Service.ImportProducts(strings.NewReader(csv.String()), app.Actor{Staff: "Owner", Role: app.RoleOwner}); err != nil {
		b.Fatal(err)
	}
	st, err := terminal.OpenStation(t, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	reg := app.NewRegister(t.Service, t.DB)
	actor := app.Actor{Staff: "Kasir", Role: app.RoleCashier}
	if _, err := reg.OpenShift(100000, actor); err != nil {
		b.Fatal(err)
	}
	products, err := t.DB.Products()
	if err != nil {
		b.Fatal(err)
	}
	byBarcode := make(map[string]*app.Product, len(products))
	for _, p := range products {
		byBarcode[p.Barcode] = p
	}
	out := "file://" + filepath.Join(dir, "receipts.bin")
	b.ResetTimer()
	var total time.Duration
	for i := 0; i < b.N; i++ {
		start := time.Now()
		p := byBarcode[fmt.Sprintf("8991234%06d", i%500)]
		cart := app.Cart{Lines: []app.CartLine{{SKU: p.SKU, Name: p.Name, Qty: 1, UnitPrice: p.Price}},
			Payments: []app.Payment{{Method: app.PayCash, Amount: 20000}}}
		o, _, err := reg.Sell(cart, actor)
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := st.Print(app.DocReceipt, o, out, "xprinter-58", actor); err != nil {
			b.Fatal(err)
		}
		total += time.Since(start)
	}
	b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms/scan-to-receipt-queued")
}
