package printertest_test

import (
	"context"
	"testing"
	"time"

	"github.com/kasir/pos/printer"
	"github.com/kasir/pos/printer/printertest"
	"github.com/kasir/pos/printout"
)

func TestPrinterCountsReadsAndHangs(t *testing.T) {
	f, err := printertest.NewPrinter()
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	old := printer.StatusTimeout
	printer.StatusTimeout = 150 * time.Millisecond
	defer func() { printer.StatusTimeout = old }()
	p, err := printout.Preset("generic-80")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := printout.Slip(printout.SlipData{OrderNo: "SO-1", Copy: true, Parcels: []printout.SlipParcel{{Items: []printout.SlipItem{{SKU: "KOPI", Qty: 2}}}}}, p)
	if err != nil {
		t.Fatal(err)
	}
	data, err := printer.Encode(doc, p)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := printer.Open(f.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	ctx := context.Background()

	f.SetHangAfterPrinting(true)
	if st, err := tr.Status(ctx); err != nil || !st.Ready() {
		t.Fatalf("before any document the printer answers: %v, %v", st, err)
	}
	if err := tr.Write(ctx, data); err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Status(ctx); err == nil {
		t.Fatal("a printer hung after a document answered the status request")
	}
	if n := f.Count(); n != 1 {
		t.Fatalf("count %d", n)
	}
	lines := printertest.Text(f.Documents()[0])
	if !printertest.HasLine(f.Documents()[0], "** COPY **") {
		t.Errorf("text %q", lines)
	}
	if !printertest.HasLine(f.Documents()[0], "SO-1") || printertest.HasLine(f.Documents()[0], "nothing like this") {
		t.Errorf("HasLine on %q", lines)
	}
	f.SetMute(false)
	if st, err := tr.Status(ctx); err != nil || !st.Ready() {
		t.Fatalf("after waking: %v, %v", st, err)
	}
	if err := tr.Write(ctx, data); err != nil {
		t.Fatal(err)
	}
	if st, err := tr.Status(ctx); err != nil || !st.Ready() {
		t.Fatalf("a woken printer hung again: %v, %v", st, err)
	}
	if n := f.Count(); n != 2 {
		t.Fatalf("count %d", n)
	}
	f.Reset()
	if f.Count() != 0 || len(f.Received()) != 0 {
		t.Fatal("Reset kept what was printed")
	}
}
