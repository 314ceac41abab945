package printer

import (
	"strings"
	"testing"
)

func TestPresetsAreValid(t *testing.T) {
	for _, n := range PresetNames() {
		p, err := Preset(n)
		if err != nil {
			t.Fatal(err)
		}
		if err := p.Validate(); err != nil {
			t.Errorf("preset %s: %v", n, err)
		}
	}
	if _, err := Preset("no-such-printer"); err == nil || !strings.Contains(err.Error(), "epson-tm-t20") {
		t.Errorf("unknown preset error %v should list the presets", err)
	}
}

func TestProfileValidate(t *testing.T) {
	good := Profile{Name: "shop-80", WidthDots: 576, CharsPerLine: 48, CodePage: "PC858"}
	cases := []struct {
		name  string
		edit  func(*Profile)
		field string
	}{
		{"width not multiple of 8", func(p *Profile) { p.WidthDots = 570 }, "width_dots"},
		{"zero width", func(p *Profile) { p.WidthDots = 0 }, "width_dots"},
		{"zero chars", func(p *Profile) { p.CharsPerLine = 0 }, "chars_per_line"},
		{"too many chars", func(p *Profile) { p.CharsPerLine = 64 }, "chars_per_line"},
		{"unknown code page", func(p *Profile) { p.CodePage = "KOI8" }, "code_page"},
		{"no name", func(p *Profile) { p.Name = "" }, "name"},
	}
	if err := good.Validate(); err != nil {
		t.Fatalf("valid profile refused: %v", err)
	}
	for _, c := range cases {
		p := good
		c.edit(&p)
		err := p.Validate()
		if err == nil || !strings.Contains(err.Error(), c.field) {
			t.Errorf("%s: err = %v, want one naming %s", c.name, err, c.field)
		}
	}
	// A profile that does not validate is refused by Encode, not printed wrongly.
	bad := good
	bad.WidthDots = 570
	if _, err := Encode(&Document{}, bad); err == nil {
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
	doc := &Document{Blocks: []Block{Text{Text: "Harga ₱ 120"}, Text{Text: "Café"}}}
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

func TestFormatMoney(t *testing.T) {
	for _, c := range []struct {
		m    int64
		cur  string
		want string
	}{
		{125000, "IDR", "Rp 125.000"},
		{-5000, "IDR", "-Rp 5.000"},
		{0, "IDR", "Rp 0"},
		{1250, "SGD", "S$ 12.50"},
		{123456789, "MYR", "RM 1,234,567.89"},
		{5, "MYR", "RM 0.05"},
	} {
		if got := FormatMoney(c.m, c.cur); got != c.want {
			t.Errorf("FormatMoney(%d, %s) = %q, want %q", c.m, c.cur, got, c.want)
		}
	}
}

func TestWrapAndColumns(t *testing.T) {
	got := wrap("Roti Bakar Coklat Keju Spesial", 12)
	want := []string{"Roti Bakar", "Coklat Keju", "Spesial"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("wrap = %q, want %q", got, want)
	}
	if got := wrap("ABCDEFGHIJKLMNOP", 6); strings.Join(got, "|") != "ABCDEF|GHIJKL|MNOP" {
		t.Errorf("long word wrap = %q", got)
	}
	cols := columns("  2 x Rp 25.000", "Rp 50.000", 32)
	if len(cols) != 1 || len(cols[0]) != 32 || !strings.HasPrefix(cols[0], "  2 x Rp 25.000 ") || !strings.HasSuffix(cols[0], " Rp 50.000") {
		t.Errorf("columns = %q", cols)
	}
}
