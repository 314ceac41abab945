package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kasir/pos/app"
)

// TestRegisterDayOnTheCommandLine runs a till's day headless: open a shift,
// three sales (one split), a partial refund, close; then the report. Stock,
// cash and the report are checked to the rupiah.
func TestRegisterDayOnTheCommandLine(t *testing.T) {
	dir := t.TempDir()
	csv := filepath.Join(dir, "p.csv")
	os.WriteFile(csv, []byte("sku,name,category,price,cost,on_hand,reorder_level\nKOPI,Kopi Gayo,Kopi,85000,50000,10,8\nTEH,Teh Tarik,Teh,25000,10000,3,0\n"), 0o600)
	must := func(args ...string) string {
		t.Helper()
		out, errs, code := pos(t, dir, args...)
		if code != 0 {
			t.Fatalf("pos %s: %s", strings.Join(args, " "), errs)
		}
		return out
	}
	must("products", "import", csv)
	if out := must("counter", "--tax", "inclusive", "--cashier-discount-limit", "10%", "--json"); !strings.Contains(out, `"inclusive"`) || !strings.Contains(out, "1000") {
		t.Fatalf("counter rules: %s", out)
	}
	if _, errs, code := pos(t, dir, "counter", "--tax", "sometimes"); code == 0 || !strings.Contains(errs, "ax") {
		t.Fatalf("a tax mode that does not exist: %d %s", code, errs)
	}
	must("counter", "--tax", "none") // the figures below are without PPN
	if _, errs, code := pos(t, dir, "sale", "--line", "KOPI:1", "--pay", "cash:85000"); code == 0 || !strings.Contains(errs, "open a shift") {
		t.Fatalf("a sale with no shift: %d %s", code, errs)
	}
	must("shift", "open", "--float", "200000")
	var s1 struct {
		ID     string    `json:"id"`
		Total  app.Money `json:"total"`
		Change app.Money `json:"change"`
	}
	json.Unmarshal([]byte(must("sale", "--line", "KOPI:2", "--pay", "cash:200000", "--json")), &s1)
	if s1.Total != 170000 || s1.Change != 30000 {
		t.Fatalf("sale 1: %+v", s1)
	}
	must("sale", "--line", "TEH:2", "--pay", "qris:30000:QR-1", "--pay", "cash:20000")
	must("sale", "--line", "KOPI:1", "--pay", "card:85000:EDC-9")
	if _, errs, code := pos(t, dir, "sale", "--line", "KOPI:1", "--pay", "cash:50000"); code == 0 || !strings.Contains(errs, "still to be paid") {
		t.Fatalf("a short payment: %d %s", code, errs)
	}
	must("refund", s1.ID, "--line", "KOPI:1", "--reason", "bag torn")
	if _, errs, code := pos(t, dir, "refund", s1.ID, "--line", "KOPI:5", "--reason", "x"); code == 0 || !strings.Contains(errs, "KOPI") {
		t.Fatalf("refunding more than sold: %d %s", code, errs)
	}
	must("shift", "cash-out", "15000", "--reason", "ice")
	var closed shiftJSON
	zfile := filepath.Join(dir, "z.bin")
	json.Unmarshal([]byte(must("shift", "close", "--counted", "300000", "--json", "--printer", "file://"+zfile, "--profile", "xprinter-58")), &closed)
	if z, _ := os.ReadFile(zfile); !strings.Contains(string(z), "Z REPORT") || !strings.Contains(string(z), "290.000") {
		t.Fatalf("the Z report did not print:\n%q", z)
	}
	// 200.000 + 170.000 + 20.000 (cash part of the split, no change: 50.000 paid for 50.000) − 85.000 − 15.000
	if closed.Totals.Expected != 290000 || closed.Totals.Difference != 10000 {
		t.Fatalf("close: %+v", closed.Totals)
	}
	if _, errs, code := pos(t, dir, "shift", "close", "--counted", "1"); code == 0 {
		t.Fatalf("closed twice: %s", errs)
	}
	var rep app.Report
	json.Unmarshal([]byte(must("report", "--json")), &rep)
	f := rep.Channels[app.ChannelInStore]
	// sales 170.000 + 50.000 + 85.000 − 85.000; cost 3×50.000 + 2×10.000 − 50.000
	if f == nil || f.Sales != 220000 || f.Cost != 120000 || f.GrossProfit != 100000 || f.Refunds != 85000 || f.Orders != 3 {
		t.Fatalf("report %+v", f)
	}
	// KOPI 10 − 2 − 1 + 1 = 8, at its reorder level of 8.
	if len(rep.BelowReorder) != 1 || rep.BelowReorder[0].SKU != "KOPI" || rep.BelowReorder[0].OnHand != 8 {
		t.Fatalf("below reorder %+v", rep.BelowReorder)
	}
	if out := must("report", "--csv"); !strings.Contains(out, "instore,3,220000,120000,100000,85000") {
		t.Fatalf("csv:\n%s", out)
	}
	var sales []map[string]any
	json.Unmarshal([]byte(must("sales", "list", "--json")), &sales)
	if len(sales) != 3 {
		t.Fatalf("sales list has %d sales", len(sales))
	}
}
