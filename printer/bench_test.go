package printer

import (
	"fmt"
	"testing"

	"github.com/kasir/pos/printout"
)

func receipt30() printout.ReceiptData {
	d := sampleReceipt()
	d.Lines = nil
	for i := 0; i < 30; i++ {
		d.Lines = append(d.Lines, printout.ReceiptLine{Name: fmt.Sprintf("Item %02d Kopi Susu Gula Aren Large", i), Qty: 1 + i%3, UnitPrice: 12500 + int64(i)*500})
	}
	return d
}

// BenchmarkReceipt30Lines: lay out and encode a 30-line receipt (target ≤ 1 ms).
func BenchmarkReceipt30Lines(b *testing.B) {
	p := mustPreset(b, "epson-tm-t82-80")
	d := receipt30()
	b.ReportAllocs()
	for b.Loop() {
		doc, err := printout.Receipt(d, p)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Encode(doc, p); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/1000, "ms/receipt")
}

// BenchmarkLabelRasterQR: a label for a printer without native QR (target ≤ 5 ms).
func BenchmarkLabelRasterQR(b *testing.B) {
	p := mustPreset(b, "label-4in")
	d := sampleLabel()
	b.ReportAllocs()
	for b.Loop() {
		doc, err := printout.Label(d, p)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Encode(doc, p); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/1000, "ms/label")
}

// BenchmarkRenderPreview: the PNG-ready preview of a label.
func BenchmarkRenderPreview(b *testing.B) {
	p := mustPreset(b, "label-4in")
	doc, err := printout.Label(sampleLabel(), p)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		printout.Render(doc, p)
	}
}
