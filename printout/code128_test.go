package printout

import (
	"errors"
	"slices"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/oned"
)

func TestCode128CodeSets(t *testing.T) {
	type run = Code128Run
	cases := []struct {
		data string
		want []Code128Run
		mods int
	}{
		{"1234567890", []run{{true, "1234567890"}}, 11*7 + 13},
		{"JP1234567890", []run{{false, "JP"}, {true, "1234567890"}}, 11*10 + 13},
		{"ABC-12", []run{{false, "ABC-12"}}, 11*8 + 13},
		{"12345ABC", []run{{true, "1234"}, {false, "5ABC"}}, 11*9 + 13},
		{"a{b", []run{{false, "a{b"}}, 11*5 + 13},
	}
	for _, c := range cases {
		got, err := encodeCode128(c.data)
		if err != nil {
			t.Fatalf("%q: %v", c.data, err)
		}
		if !slices.Equal(got.Runs(), c.want) || got.modules != c.mods {
			t.Errorf("%q: runs %v (%d modules), want %v (%d)", c.data, got.Runs(), got.modules, c.want, c.mods)
		}
	}
	if _, err := encodeCode128("ÍD123"); !errors.Is(err, errCode128Charset) {
		t.Errorf("non-ASCII: err = %v", err)
	}
}

// TestCode128PreviewScans draws barcodes the way the preview does and reads
// them with a real CODE128 decoder, which checks the bar pattern table.
func TestCode128PreviewScans(t *testing.T) {
	p := mustPreset(t, "epson-tm-t82-80")
	for _, id := range []string{"JP1234567890", "SPXID0123456789", "ABC-xyz_{}~", "0000", "1234567"} {
		doc := &Document{Blocks: []Block{Barcode{Data: id, Height: 60}}}
		img := Render(doc, p)
		bmp, err := gozxing.NewBinaryBitmapFromImage(img)
		if err != nil {
			t.Fatal(err)
		}
		res, err := oned.NewCode128Reader().Decode(bmp, map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_PURE_BARCODE: true})
		if err != nil {
			t.Errorf("%q: preview barcode does not scan: %v", id, err)
			continue
		}
		if res.GetText() != id {
			t.Errorf("preview barcode scans as %q, want %q", res.GetText(), id)
		}
	}
}

// TestQRPreviewScans: the preview of a native QR code is decodable too.
func TestQRPreviewScans(t *testing.T) {
	p := mustPreset(t, "xprinter-58")
	const url = "https://track.example/JP1234567890?lang=id"
	img := Render(&Document{Blocks: []Block{QR{Data: url, Align: AlignCenter}}}, p)
	got, err := decodeQRImage(img)
	if err != nil || got != url {
		t.Errorf("preview QR = %q, %v", got, err)
	}
}
