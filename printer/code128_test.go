package printer

import (
	"testing"

	"github.com/kasir/pos/printout"
)

// TestCode128Data: GS k 73 is sent the code sets the preview drew, with
// digit pairs in code set C as their values and a literal "{" doubled.
func TestCode128Data(t *testing.T) {
	p := mustPreset(t, "epson-tm-t82-80")
	for _, c := range []struct {
		data string
		want string // GS k payload with C pairs shown as their byte values
	}{
		{"1234567890", "{C\x0c\x22\x38\x4e\x5a"},
		{"JP1234567890", "{BJP{C\x0c\x22\x38\x4e\x5a"},
		{"ABC-12", "{BABC-12"},
		{"12345ABC", "{C\x0c\x22{B5ABC"},
		{"a{b", "{Ba{{b"},
	} {
		ops := printout.Layout(&printout.Document{Blocks: []printout.Block{printout.Barcode{Data: c.data}}}, p)
		if len(ops) == 0 || ops[0].Kind != printout.OpBarcode {
			t.Fatalf("%q: laid out as %v, want a barcode", c.data, ops)
		}
		got := code128Data(ops[0].Barcode)
		if string(got) != c.want {
			t.Errorf("%q: payload %q, want %q", c.data, got, c.want)
		}
		back, err := decodeCode128Data(got)
		if err != nil || back != c.data {
			t.Errorf("%q decodes back to %q, %v", c.data, back, err)
		}
	}
}
