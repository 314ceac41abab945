package printer

import (
	"strings"
	"testing"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/printout"
)

func TestPresetsAreValid(t *testing.T) {
	for _, n := range printout.PresetNames() {
		p, err := printout.Preset(n)
		if err != nil {
			t.Fatal(err)
		}
		if err := CheckProfile(p); err != nil {
			t.Errorf("preset %s: %v", n, err)
		}
	}
	if _, err := printout.Preset("no-such-printer"); err == nil || !strings.Contains(err.Error(), "epson-tm-t20") {
		t.Errorf("unknown preset error %v should list the presets", err)
	}
}

func TestProfileValidate(t *testing.T) {
	good := printout.Profile{Name: "shop-80", WidthDots: 576, CharsPerLine: 48, CodePage: "PC858"}
	cases := []struct {
		name  string
		edit  func(*printout.Profile)
		field string
	}{
		{"width not multiple of 8", func(p *printout.Profile) { p.WidthDots = 570 }, "Profile width"},
		{"zero width", func(p *printout.Profile) { p.WidthDots = 0 }, "Profile width"},
		{"zero chars", func(p *printout.Profile) { p.CharsPerLine = 0 }, "Profile characters per line"},
		{"too many chars", func(p *printout.Profile) { p.CharsPerLine = 64 }, "Profile characters per line"},
		{"unknown code page", func(p *printout.Profile) { p.CodePage = "KOI8" }, "Profile code page"},
		{"no name", func(p *printout.Profile) { p.Name = "" }, "Profile name"},
	}
	if err := CheckProfile(good); err != nil {
		t.Fatalf("valid profile refused: %v", err)
	}
	for _, c := range cases {
		p := good
		c.edit(&p)
		err := CheckProfile(p)
		if err == nil || !strings.Contains(err.Error(), c.field) {
			t.Errorf("%s: err = %v, want one naming %s", c.name, err, c.field)
		}
	}
	// A profile that does not validate is refused by Encode, not printed wrongly.
	bad := good
	bad.WidthDots = 570
	if _, err := Encode(&printout.Document{}, bad); err == nil {
		t.Errorf("Encode accepted an invalid profile")
	}
}

func TestCodePages(t *testing.T) {
	for _, c := range []struct {
		cp   *CodePage
		s    string
		want []byte
		ok   bool
	}{
		{PC850, "é€", nil, false},
		{PC858, "é€", []byte{0x82, 0xd5}, true},
		{WPC1252, "é€", []byte{0xe9, 0x80}, true},
		{PC437, "é", []byte{0x82}, true},
		{PC437, "Ł", nil, false},
		{PC437, "a\x1bb", nil, false}, // control bytes never reach the printer as text
	} {
		got, ok := c.cp.Encode(c.s)
		if ok != c.ok || string(got) != string(c.want) {
			t.Errorf("%s.Encode(%q) = % x, %v; want % x, %v", c.cp.Name, c.s, got, ok, c.want, c.ok)
		}
	}
	for _, n := range []string{"pc858", "CP1252", "WPC1252", "437"} {
		if _, err := LookupCodePage(n); err != nil {
			t.Errorf("LookupCodePage(%q): %v", n, err)
		}
	}
}

// TestRasterTextFallback: a line with a character the code page lacks is
// sent as an image, never as bytes that print the wrong glyphs.
func TestRasterTextFallback(t *testing.T) {
	p := mustPreset(t, "epson-tm-t82-80")
	doc := &printout.Document{Blocks: []printout.Block{printout.Text{Text: "Harga ₱ 120"}, printout.Text{Text: "Café"}}}
	data, err := Encode(doc, p)
	if err != nil {
		t.Fatal(err)
	}
	d := decodeStream(t, data, p)
	if len(d.lines) != 1 || d.lines[0] != "Café" {
		t.Errorf("native lines = %q, want [Café]", d.lines)
	}
	if len(d.rasters) != 1 || d.rasters[0].Bounds().Dx() != p.WidthDots {
		t.Fatalf("want one full-width raster line, got %d", len(d.rasters))
	}
}

// Every code page a profile may name (app.PrinterCodePage) has its table here.
func TestEveryCodePageAppNamesHasATable(t *testing.T) {
	for _, n := range []string{"PC437", "PC850", "PC858", "WPC1252"} {
		if _, err := LookupCodePage(n); err != nil {
			t.Errorf("%s: %v", n, err)
		}
	}
	for _, cp := range codePages {
		if name, err := app.PrinterCodePage(cp.Name); err != nil || name != cp.Name {
			t.Errorf("the table %s is not a code page app names: %q %v", cp.Name, name, err)
		}
	}
}
