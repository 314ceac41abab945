package printer

import (
	"slices"
	"strings"
	"testing"

	"github.com/kasir/pos/printout"
)

type builtDoc struct {
	name  string
	build func(printout.Profile) (*printout.Document, error)
}

var documents = []builtDoc{
	{"receipt", func(p printout.Profile) (*printout.Document, error) { return printout.Receipt(sampleReceipt(), p) }},
	{"label", func(p printout.Profile) (*printout.Document, error) { return printout.Label(sampleLabel(), p) }},
	{"slip", func(p printout.Profile) (*printout.Document, error) { return printout.Slip(sampleSlip(), p) }},
}

// TestDocumentsGolden pins the bytes and the preview of every document on
// 58 and 80 mm paper, for printers with and without native QR, and checks
// the stream against the spec and the symbols against a real decoder.
func TestDocumentsGolden(t *testing.T) {
	for kind, preset := range goldenProfiles {
		p := mustPreset(t, preset)
		for _, bd := range documents {
			t.Run(bd.name+"-"+kind, func(t *testing.T) {
				doc, err := bd.build(p)
				if err != nil {
					t.Fatal(err)
				}
				data, err := Encode(doc, p)
				if err != nil {
					t.Fatal(err)
				}
				golden(t, bd.name+"-"+kind+".escpos", data)
				golden(t, bd.name+"-"+kind+".png", encodePNG(t, printout.Render(doc, p)))

				d := decodeStream(t, data, p)
				if d.cuts != 1 && p.Cutter {
					t.Errorf("%d cuts, want 1", d.cuts)
				}
				for _, l := range d.lines {
					if n := len([]rune(l)); n > p.CharsPerLine {
						t.Errorf("line %q is %d characters, paper holds %d", l, n, p.CharsPerLine)
					}
				}
				qrs := d.qrs
				if !p.NativeQR {
					if len(d.qrs) > 0 {
						t.Errorf("native QR sent to a printer without it")
					}
					qrs = rasterQRs(d)
				}
				switch bd.name {
				case "receipt":
					if !slices.Equal(qrs, []string{sampleReceipt().QRURL}) {
						t.Errorf("receipt QR codes = %q, want the e-receipt URL", qrs)
					}
					joined := strings.Join(d.lines, "\n")
					for _, want := range []string{"INV/2026/11/0042", "Rp 146.000", "Rp 200.000", "Crème brûlée"} {
						if !strings.Contains(joined, want) {
							t.Errorf("receipt text lacks %q", want)
						}
					}
					if strings.Contains(joined, "Łapis") {
						t.Errorf("Ł has no byte in %s but was sent as text", p.CodePage)
					}
				case "label":
					id := sampleLabel().TrackingID
					if !slices.Equal(d.barcodes, []string{id}) {
						t.Errorf("label barcodes = %q, want [%q]", d.barcodes, id)
					}
					if !slices.Equal(qrs, []string{id}) {
						t.Errorf("label QR codes = %q, want [%q]", qrs, id)
					}
					if len(doc.Warnings) > 0 {
						t.Errorf("unexpected warnings %q", doc.Warnings)
					}
				case "slip":
					if n := strings.Count(strings.Join(d.lines, "\n"), "[ ]"); n != 3 {
						t.Errorf("%d tick boxes, want 3", n)
					}
				}
			})
		}
	}
}

// TestLabel4inGolden covers the label printer preset.
func TestLabel4inGolden(t *testing.T) {
	p := mustPreset(t, "label-4in")
	doc, err := printout.Label(sampleLabel(), p)
	if err != nil {
		t.Fatal(err)
	}
	data, err := Encode(doc, p)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "label-4in.escpos", data)
	golden(t, "label-4in.png", encodePNG(t, printout.Render(doc, p)))
	d := decodeStream(t, data, p)
	if got := rasterQRs(d); !slices.Equal(got, []string{"JP1234567890"}) {
		t.Errorf("QR codes = %q", got)
	}
}

// TestLabelTrackingIDFallback: an ID CODE128 cannot carry, or one too wide
// for the paper, is printed as QR plus text, with a warning.
func TestLabelTrackingIDFallback(t *testing.T) {
	cases := []struct{ name, id, preset string }{
		{"non-ascii", "SPXÍD0123456789", "epson-tm-t82-80"},
		{"too-long-58mm", "SPXID-ABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789", "xprinter-58"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := mustPreset(t, c.preset)
			ld := sampleLabel()
			ld.TrackingID = c.id
			doc, err := printout.Label(ld, p)
			if err != nil {
				t.Fatal(err)
			}
			if len(doc.Warnings) != 1 || !strings.Contains(doc.Warnings[0], "QR and text only") {
				t.Fatalf("warnings = %q, want one about the fallback", doc.Warnings)
			}
			data, err := Encode(doc, p)
			if err != nil {
				t.Fatal(err)
			}
			d := decodeStream(t, data, p)
			if len(d.barcodes) != 0 {
				t.Errorf("barcode %q printed although it cannot be", d.barcodes)
			}
			if !slices.Equal(d.qrs, []string{c.id}) {
				t.Errorf("QR = %q, want %q", d.qrs, c.id)
			}
			text := strings.Join(d.lines, "\n")
			hasText := strings.Contains(strings.ReplaceAll(text, "\n", ""), c.id)
			if !hasText && len(d.rasters) == 0 {
				t.Errorf("tracking ID %q is not printed as text", c.id)
			}
		})
	}
}

func TestLabelRefusesMissingFields(t *testing.T) {
	p := mustPreset(t, "label-4in")
	ld := sampleLabel()
	ld.TrackingID = " "
	if _, err := printout.Label(ld, p); err == nil || !strings.Contains(err.Error(), "tracking_id") {
		t.Errorf("err = %v, want one naming tracking_id", err)
	}
	ld = sampleLabel()
	ld.Parcel, ld.Parcels = 3, 2
	if _, err := printout.Label(ld, p); err == nil || !strings.Contains(err.Error(), "parcel") {
		t.Errorf("err = %v, want one naming parcel", err)
	}
	rd := sampleReceipt()
	rd.Lines[1].Qty = 0
	if _, err := printout.Receipt(rd, p); err == nil || !strings.Contains(err.Error(), "lines[1].qty") {
		t.Errorf("err = %v, want one naming lines[1].qty", err)
	}
}

// TestOddInputDoesNotPanic: bad sizes, empty and oversized data print
// something sensible instead of crashing the terminal.
func TestOddInputDoesNotPanic(t *testing.T) {
	long := strings.Repeat("x", 8000)
	doc := &printout.Document{Blocks: []printout.Block{
		printout.Text{Text: "", Width: -3, Height: 99, Indent: 500},
		printout.Text{Text: "\x00\x1b@ control \t chars 中文"},
		printout.Separator{Char: '═'},
		printout.Columns{Left: "", Right: strings.Repeat("R", 80)},
		printout.Barcode{Data: "", Height: -1},
		printout.Barcode{Data: long, Height: 9999},
		printout.QR{Data: ""},
		printout.QR{Data: long, Dots: -5},
		printout.Image{},
		printout.Feed{Lines: 1000},
		printout.Cut{},
	}}
	for _, name := range printout.PresetNames() {
		p := mustPreset(t, name)
		data, err := Encode(doc, p)
		if err != nil {
			t.Fatal(err)
		}
		decodeStream(t, data, p)
		if img := printout.Render(doc, p); img.Bounds().Dx() != p.WidthDots {
			t.Errorf("%s: preview %d wide", name, img.Bounds().Dx())
		}
	}
	if _, err := Encode(nil, mustPreset(t, "generic-58")); err == nil {
		t.Errorf("nil document accepted")
	}
	printout.Render(nil, printout.Profile{})
}
