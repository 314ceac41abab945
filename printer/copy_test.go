package printer

import (
	"slices"
	"strings"
	"testing"

	"github.com/kasir/pos/printout"
)

// TestCopiesSayCopy: a label, receipt and slip printed again carry COPY, read
// back from their ESC/POS bytes by the strict decoder, on native and raster
// printers; the originals do not.
func TestCopiesSayCopy(t *testing.T) {
	for _, profile := range []string{"xprinter-58", "generic-80", "label-4in"} {
		p := mustPreset(t, profile)
		for _, asCopy := range []bool{false, true} {
			ld := sampleLabel()
			ld.Copy = asCopy
			rd := sampleReceipt()
			rd.Copy = asCopy
			sd := sampleSlip()
			sd.Copy = asCopy
			docs := map[string]func() (*printout.Document, error){
				"label":   func() (*printout.Document, error) { return printout.Label(ld, p) },
				"receipt": func() (*printout.Document, error) { return printout.Receipt(rd, p) },
				"slip":    func() (*printout.Document, error) { return printout.Slip(sd, p) },
			}
			for name, build := range docs {
				doc, err := build()
				if err != nil {
					t.Fatal(err)
				}
				b, err := Encode(doc, p)
				if err != nil {
					t.Fatal(err)
				}
				lines := decodeStream(t, b, p).lines
				banner := slices.ContainsFunc(lines, func(l string) bool { return strings.TrimSpace(l) == "** COPY **" })
				if banner != asCopy {
					t.Errorf("%s on %s, copy=%v: COPY banner %v in %q", name, profile, asCopy, banner, lines)
				}
				if name == "label" {
					stamped := slices.ContainsFunc(lines, func(l string) bool { return strings.Contains(l, "COPY - Printed 2026-11-23 14:05") })
					if stamped != asCopy {
						t.Errorf("label on %s, copy=%v: COPY beside the print time %v", profile, asCopy, stamped)
					}
				}
			}
		}
	}
}
