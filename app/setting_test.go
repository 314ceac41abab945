package app

import (
	"encoding/json"
	"strings"
	"testing"
)

// memSettings keeps settings as the terminal's store does: JSON by key.
type memSettings map[string][]byte

func (m memSettings) GetSetting(key string, v any) (bool, error) {
	raw, ok := m[key]
	if !ok {
		return false, nil
	}
	return true, json.Unmarshal(raw, v)
}

func (m memSettings) PutSetting(key string, v any) error {
	b, err := json.Marshal(v)
	m[key] = b
	return err
}

func TestSaveSettingRefusesAnInvalidValueNamingTheField(t *testing.T) {
	s := memSettings{}
	bad := DefaultPrinting()
	bad.Printers = []PrinterSetup{{Name: "Counter", URL: "192.168.1.50", Profile: "generic-80"}}
	err := SaveSetting(s, bad)
	if ErrorCode(err) != EInvalid || ErrorMessage(err) != `Printer 1 address must start with tcp://, usb:// or file://, got "192.168.1.50"` {
		t.Fatalf("saving a printer with no scheme: %v", err)
	}
	if got := ErrorMessageIn(err, Indonesian); !strings.HasPrefix(got, "Printer 1 alamat harus diawali tcp://") {
		t.Errorf("in Indonesian: %q", got)
	}
	if _, ok := s[SettingPrinting]; ok {
		t.Fatal("an invalid printing setup was stored")
	}
	if err := SaveSetting(s, TerminalName("Back room")); ErrorCode(err) != EInvalid || !strings.HasPrefix(ErrorMessage(err), "Terminal name contains a space") {
		t.Fatalf("a terminal name an id cannot carry: %v", err)
	}
	if err := SaveSetting(s, Prefs{Language: "fr"}); ErrorCode(err) != EInvalid || !strings.HasPrefix(ErrorMessage(err), "Language") {
		t.Fatalf("an unknown language: %v", err)
	}
	good := DefaultPrinting()
	good.Printers = []PrinterSetup{{Name: "Counter", URL: "tcp://192.168.1.50:9100", Profile: "generic-80", Receipts: true}}
	if err := SaveSetting(s, good); err != nil {
		t.Fatal(err)
	}
	got := DefaultPrinting()
	if setAside, err := LoadSetting(s, &got); setAside != nil || err != nil || len(got.Printers) != 1 || got.Printers[0] != good.Printers[0] {
		t.Fatalf("read back: %+v %v %v", got, setAside, err)
	}
}

// A stored value that no longer validates, or cannot be read at all, gives
// the defaults and says why; it never stops the terminal.
func TestLoadSettingSetsAsideAStoredValueThatNoLongerHolds(t *testing.T) {
	s := memSettings{
		SettingPrinting: []byte(`{"shop":{"Name":"Toko Sari"},"printers":[{"url":"lpt1","profile":"generic-80"}]}`),
		SettingPrefs:    []byte(`{"mute":"yes"}`),
	}
	p := DefaultPrinting()
	setAside, err := LoadSetting(s, &p)
	if err != nil {
		t.Fatal(err)
	}
	if ErrorMessage(setAside) != `The saved printing setting no longer holds (Printer 1 address must start with tcp://, usb:// or file://, got "lpt1"), so its defaults apply until it is saved again` {
		t.Fatalf("set aside: %v", setAside)
	}
	if p.Shop.Name != "Toko Kasir" || len(p.Printers) != 0 {
		t.Fatalf("not the defaults: %+v", p)
	}
	if !strings.HasPrefix(ErrorMessageIn(setAside, Indonesian), "Pengaturan pencetakan yang tersimpan tidak berlaku lagi (Printer 1 alamat") {
		t.Errorf("in Indonesian: %q", ErrorMessageIn(setAside, Indonesian))
	}
	prefs := Prefs{Language: "id"}
	if setAside, err := LoadSetting(s, &prefs); err != nil || setAside == nil || prefs.Language != "id" {
		t.Fatalf("unreadable preferences: %+v %v %v", prefs, setAside, err)
	}
	// Nothing stored is no problem: the defaults stand.
	var name TerminalName = "Counter"
	if setAside, err := LoadSetting(s, &name); setAside != nil || err != nil || name != "Counter" {
		t.Fatalf("no name stored: %q %v %v", name, setAside, err)
	}
}

func TestPrintingValidateNamesThePrinterOrProfile(t *testing.T) {
	shop := PrinterProfile{Name: "shop-80", WidthDots: 576, CharsPerLine: 48, CodePage: "cp858"}
	for _, c := range []struct {
		edit func(*Printing)
		want string
	}{
		{func(p *Printing) {}, ""},
		{func(p *Printing) { p.Printers[0].URL = "" }, "Printer 1 address is required"},
		{func(p *Printing) { p.Printers[0].URL = "tcp://" }, "Printer 1 address needs the printer's host"},
		{func(p *Printing) { p.Printers[0].URL = "usb://" }, "Printer 1 address needs a path"},
		{func(p *Printing) { p.Printers[0].Profile = "epson-tm-u220" }, `Printer 1 profile "epson-tm-u220" is not a preset or one of the shop's profiles`},
		{func(p *Printing) { p.Profiles[0].WidthDots = 570 }, "Printer profile 1 width 570 is not a multiple of 8"},
		{func(p *Printing) { p.Profiles[0].CharsPerLine = 64 }, "Printer profile 1 characters per line 64 characters"},
		{func(p *Printing) { p.Profiles[0].CodePage = "KOI8" }, `Printer profile 1 code page "KOI8" is not supported`},
		{func(p *Printing) { p.Profiles[0].Name = "generic-58" }, `Printer profile 1 name "generic-58" is a preset`},
		{func(p *Printing) { p.Shop.Name = strings.Repeat("x", MaxNameLen+1) }, "Shop name is longer than"},
	} {
		p := DefaultPrinting()
		p.Profiles = []PrinterProfile{shop}
		p.Printers = []PrinterSetup{{URL: "tcp://192.168.1.50", Profile: "shop-80", Labels: true}, {URL: "file:///tmp/r.bin", Receipts: true}}
		c.edit(&p)
		err := p.Validate()
		if (c.want == "") != (err == nil) || (err != nil && !strings.HasPrefix(ErrorMessage(err), c.want)) {
			t.Errorf("got %v, want %q", err, c.want)
		}
	}
	for _, n := range PrinterPresetNames() {
		p, err := PrinterPreset(n)
		if err != nil || p.Validate() != nil {
			t.Errorf("preset %s: %v %v", n, err, p.Validate())
		}
	}
	if _, err := PrinterPreset("no-such-printer"); err == nil || !strings.Contains(err.Error(), "epson-tm-t20") {
		t.Errorf("an unknown preset's error should list the presets: %v", err)
	}
}

func TestPrintingChoosesPrintersAndAutoReceipts(t *testing.T) {
	p := DefaultPrinting()
	p.Printers = []PrinterSetup{{URL: "tcp://a"}, {URL: "tcp://b"}}
	if pc, ok := p.PrinterFor(DocLabel); !ok || pc.URL != "tcp://a" {
		t.Fatalf("no printer marked: the first, got %+v", pc)
	}
	p.UseFor(DocLabel, 1, true)
	p.UseFor(DocReceipt, 0, true)
	if pc, _ := p.PrinterFor(DocLabel); pc.URL != "tcp://b" {
		t.Fatalf("labels go to %s", pc.URL)
	}
	if pc, _ := p.PrinterFor(DocReceipt); pc.URL != "tcp://a" || p.Printers[1].Receipts {
		t.Fatalf("receipts go to %s", pc.URL)
	}
	p.SetAutoReceipts("Ayu", true)
	p.SetAutoReceipts("Budi", true)
	p.SetAutoReceipts("Ayu", false)
	if p.AutoReceipts("Ayu") || !p.AutoReceipts("Budi") {
		t.Fatalf("auto receipts for %v", p.AutoPrintReceiptsFor)
	}
	if err := p.AddProfile(PrinterProfile{Name: "label-4in", WidthDots: 832, CharsPerLine: 69, CodePage: "PC437"}); err == nil {
		t.Fatal("a shop profile took a preset's name")
	}
}
