package printer

import (
	"errors"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/oned"
)

func TestCode128CodeSets(t *testing.T) {
	cases := []struct {
		data string
		want string // GS k payload with C pairs shown as their byte values
		mods int
	}{
		{"1234567890", "{C\x0c\x22\x38\x4e\x5a", 11*7 + 13},
		{"JP1234567890", "{BJP{C\x0c\x22\x38\x4e\x5a", 11*10 + 13},
		{"ABC-12", "{BABC-12", 11*8 + 13},
		{"12345ABC", "{C\x0c\x22{B5ABC", 11*9 + 13},
		{"a{b", "{Ba{{b", 11*5 + 13},
	}
	for _, c := range cases {
		got, err := encodeCode128(c.data)
		if err != nil {
			t.Fatalf("%q: %v", c.data, err)
		}
		if string(got.escpos) != c.want || got.modules != c.mods {
			t.Errorf("%q: payload %q (%d modules), want %q (%d)", c.data, got.escpos, got.modules, c.want, c.mods)
		}
		back, err := decodeCode128Data(got.escpos)
		if err != nil || back != c.data {
			t.Errorf("%q decodes back to %q, %v", c.data, back, err)
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
