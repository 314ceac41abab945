package app

import (
	"sort"
	"strings"
)

// PrinterProfile describes what one printer model can do. Layout, encoding
// and the preview all read it, so a document is laid out once for the paper
// it goes on; the shop's own profiles are kept in its Printing setup.
type PrinterProfile struct {
	// Name identifies the profile in settings ("epson-tm-t82-80").
	Name string `json:"name"`
	// WidthDots is the printable width: 384 for 58 mm, 576 for 80 mm, 832 for a 4-inch label.
	WidthDots int `json:"width_dots"`
	// CharsPerLine is the number of font A (12-dot) characters on a line: 32, 48, 69.
	CharsPerLine int `json:"chars_per_line"`
	// NativeQR is true when the printer understands GS ( k; otherwise QR codes are sent as raster images.
	NativeQR bool `json:"native_qr"`
	// CodePage names the character table selected with ESC t (PC437, PC850, PC858, WPC1252).
	CodePage string `json:"code_page"`
	// Cutter is true when the printer has an auto-cutter; without it the paper is fed to the tear bar.
	Cutter bool `json:"cutter"`
	// Drawer is true when a cash drawer hangs on the printer's kick-out connector.
	Drawer bool `json:"drawer,omitempty"`
}

// FontADots is the width of one font A character; every text layout uses
// font A, so the preview and the printer agree on line breaks.
const FontADots = 12

// DefaultPrinterProfile is the profile of a printer set up without one.
const DefaultPrinterProfile = "epson-tm-t82-80"

// Validate refuses a profile that cannot be laid out, naming the field and the reason.
func (p PrinterProfile) Validate() error { return p.check("profile") }

// check is Validate with the profile's place in the setting ("profiles[1]").
func (p PrinterProfile) check(at string) error {
	switch {
	case strings.TrimSpace(p.Name) == "":
		return FieldError(at+".name", "must not be empty")
	case p.WidthDots <= 0:
		return FieldError(at+".width_dots", "must be positive, got %d", p.WidthDots)
	case p.WidthDots%8 != 0:
		return FieldError(at+".width_dots", "%d is not a multiple of 8 (raster images are sent in whole bytes)", p.WidthDots)
	case p.WidthDots > 65535*8:
		return FieldError(at+".width_dots", "%d is wider than any printer", p.WidthDots)
	case p.CharsPerLine <= 0:
		return FieldError(at+".chars_per_line", "must be positive, got %d", p.CharsPerLine)
	case p.CharsPerLine*FontADots > p.WidthDots:
		return FieldError(at+".chars_per_line", "%d characters of %d dots do not fit in %d dots", p.CharsPerLine, FontADots, p.WidthDots)
	}
	if _, err := PrinterCodePage(p.CodePage); err != nil {
		return FieldError(at+".code_page", "%q is not supported (use PC437, PC850, PC858 or WPC1252)", p.CodePage)
	}
	return checkText(at+".name", p.Name, MaxIDLen)
}

// printerCodePages are the character tables the printers are driven in.
var printerCodePages = []string{"PC437", "PC850", "PC858", "WPC1252"}

// PrinterCodePage names a code page the way the printer package knows it:
// "cp858", "858" and "PC858" are all PC858. Errors: EInvalid.
func PrinterCodePage(name string) (string, error) {
	n := strings.ToUpper(strings.TrimSpace(name))
	n = strings.TrimPrefix(strings.TrimPrefix(n, "CP"), "PC")
	n = strings.TrimPrefix(n, "WPC")
	for _, cp := range printerCodePages {
		if strings.TrimPrefix(strings.TrimPrefix(cp, "WPC"), "PC") == n {
			return cp, nil
		}
	}
	return "", FieldError("Code page", "%q is not supported (use PC437, PC850, PC858 or WPC1252)", name)
}

var printerPresets = map[string]PrinterProfile{
	"epson-tm-t82-80": {Name: "epson-tm-t82-80", WidthDots: 576, CharsPerLine: 48, NativeQR: true, CodePage: "PC858", Cutter: true},
	"epson-tm-t20":    {Name: "epson-tm-t20", WidthDots: 576, CharsPerLine: 48, NativeQR: true, CodePage: "PC858", Cutter: true},
	"epson-tm-m30":    {Name: "epson-tm-m30", WidthDots: 576, CharsPerLine: 48, NativeQR: true, CodePage: "PC858", Cutter: true},
	"generic-80":      {Name: "generic-80", WidthDots: 576, CharsPerLine: 48, NativeQR: false, CodePage: "PC437", Cutter: true},
	"generic-58":      {Name: "generic-58", WidthDots: 384, CharsPerLine: 32, NativeQR: false, CodePage: "PC437", Cutter: false},
	"xprinter-58":     {Name: "xprinter-58", WidthDots: 384, CharsPerLine: 32, NativeQR: true, CodePage: "PC437", Cutter: false},
	"xprinter-80":     {Name: "xprinter-80", WidthDots: 576, CharsPerLine: 48, NativeQR: true, CodePage: "PC437", Cutter: true},
	"label-4in":       {Name: "label-4in", WidthDots: 832, CharsPerLine: 69, NativeQR: false, CodePage: "WPC1252", Cutter: true},
}

// PrinterPreset returns a built-in profile by name. Errors: EInvalid listing the presets.
func PrinterPreset(name string) (PrinterProfile, error) {
	p, ok := printerPresets[strings.ToLower(strings.TrimSpace(name))]
	if !ok {
		return PrinterProfile{}, FieldError("Printer profile", "%q is not a preset (known: %s)", name, strings.Join(PrinterPresetNames(), ", "))
	}
	return p, nil
}

// PrinterPresetNames lists the built-in profiles, sorted.
func PrinterPresetNames() []string {
	names := make([]string, 0, len(printerPresets))
	for n := range printerPresets {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
