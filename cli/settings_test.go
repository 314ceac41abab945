package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/store"
)

// storedSetting is the JSON the terminal's store holds under key.
func storedSetting(t *testing.T, dir, key string) string {
	t.Helper()
	db, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var raw json.RawMessage
	if _, err := db.GetSetting(key, &raw); err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

// `pos settings set` writes a setting as app's type, byte for byte what
// app.SaveSetting (and so the Settings screen) writes, and refuses what the
// screen refuses, naming the field.
func TestSettingsSetWritesWhatTheScreenWrites(t *testing.T) {
	dir := t.TempDir()
	want := app.Printing{Shop: app.PrintShop{Name: "Toko Kopi", Address: "Jl. Braga", Footer: "Terima kasih"},
		Printers:        []app.PrinterSetup{{Name: "Counter", URL: "file:///tmp/p.bin", Profile: "custom-58", Receipts: true}},
		Profiles:        []app.PrinterProfile{{Name: "custom-58", WidthDots: 384, CharsPerLine: 32, CodePage: "PC437"}},
		AutoPrintLabels: true, AutoPrintReceiptsFor: []string{"Kasir", "Owner"}}
	wantRaw, _ := json.Marshal(want)
	file := filepath.Join(dir, "printing.json")
	if err := os.WriteFile(file, wantRaw, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, errs, code := pos(t, dir, "settings", "set", "printing", "--file", file); code != 0 || !strings.Contains(out, `"custom-58"`) {
		t.Fatalf("set printing: %d %s %s", code, out, errs)
	}
	if got := storedSetting(t, dir, app.SettingPrinting); got != string(wantRaw) {
		t.Fatalf("stored %s\nwant   %s", got, wantRaw)
	}

	bad := want
	bad.Printers = []app.PrinterSetup{{Name: "Counter", URL: "lpt1", Profile: "generic-80"}}
	badRaw, _ := json.Marshal(bad)
	os.WriteFile(file, badRaw, 0o600)
	if _, errs, code := pos(t, dir, "settings", "set", "printing", "--file", file); code != 1 || !strings.Contains(errs, `Printer 1 address must start with tcp://, usb:// or file://, got "lpt1"`) {
		t.Fatalf("a printer the terminal cannot reach: %d %s", code, errs)
	}
	if _, errs, code := pos(t, dir, "--lang", "id", "settings", "set", "printing", "--file", file); code != 1 || !strings.Contains(errs, "Printer 1 alamat harus diawali tcp://") {
		t.Fatalf("in Indonesian: %d %s", code, errs)
	}
	if got := storedSetting(t, dir, app.SettingPrinting); got != string(wantRaw) {
		t.Fatalf("a refused setting changed what was stored: %s", got)
	}
	if _, errs, code := pos(t, dir, "settings", "set", "printing", `{"printer":[]}`); code != 1 || !strings.Contains(errs, "Printing setup is not this setting's JSON") {
		t.Fatalf("a misspelt field: %d %s", code, errs)
	}

	if _, errs, code := pos(t, dir, "settings", "set", "terminal-name", "Back room"); code != 1 || !strings.Contains(errs, "Terminal name contains a space") {
		t.Fatalf("a terminal name an id cannot carry: %d %s", code, errs)
	}
	if out, errs, code := pos(t, dir, "settings", "set", "terminal-name", "Kasir-2"); code != 0 || strings.TrimSpace(out) != `"Kasir-2"` {
		t.Fatalf("terminal name: %d %s %s", code, out, errs)
	}
	if out, _, _ := pos(t, dir, "settings", "show", "terminal-name"); strings.TrimSpace(out) != `"Kasir-2"` {
		t.Fatalf("show terminal-name: %s", out)
	}
	if _, errs, code := pos(t, dir, "settings", "set", "prefs", `{"language":"fr"}`); code != 1 || !strings.Contains(errs, "Language must be en or id") {
		t.Fatalf("an unknown language: %d %s", code, errs)
	}
	if _, errs, code := pos(t, dir, "settings", "set", "cloud", `{"url":"https://cloud.example"}`); code != 1 || !strings.Contains(errs, "Token is required") {
		t.Fatalf("a cloud without its token: %d %s", code, errs)
	}
	// The shop's rules are the owner's change, shared as the screen shares them.
	if _, errs, code := pos(t, dir, "settings", "set", "policy", `{"currency":"IDR","bulk_limit":5000}`); code != 1 || !strings.Contains(errs, "Bulk limit must be between 1 and 1000, not 5000") {
		t.Fatalf("a bulk limit no shop could mean: %d %s", code, errs)
	}
	if out, errs, code := pos(t, dir, "settings", "set", "policy", `{"currency":"IDR","bulk_limit":50,"expiring_within":3600000000000,"courier_provider":"shipper"}`); code != 0 || !strings.Contains(out, `"courier_provider": "shipper"`) {
		t.Fatalf("set policy: %d %s %s", code, out, errs)
	}
	var pol app.Policy
	if err := json.Unmarshal([]byte(storedSetting(t, dir, app.SettingPolicy)), &pol); err != nil || pol.BulkLimit != 50 || pol.CourierProvider != app.ProviderShipper {
		t.Fatalf("stored policy %+v %v", pol, err)
	}
	if _, _, code := pos(t, dir, "settings", "set", "colour", "red"); code != 2 {
		t.Fatalf("an unknown setting: %d", code)
	}
}

// A stored setting that no longer holds gives way to its defaults with a
// warning; the terminal still opens and every command still runs.
func TestASettingThatNoLongerHoldsDoesNotStopTheTerminal(t *testing.T) {
	dir := t.TempDir()
	db, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	db.PutSetting(app.SettingPrinting, map[string]any{"printers": []map[string]any{{"url": "lpt1"}}})
	db.PutSetting(app.SettingTerminalName, "Back room")
	db.Close()
	out, errs, code := pos(t, dir, "settings", "show")
	if code != 0 || !strings.Contains(errs, "warning: The saved printing setting no longer holds") || !strings.Contains(errs, "warning: The saved terminal name setting no longer holds") {
		t.Fatalf("show: %d %s", code, errs)
	}
	var got struct {
		Printing app.Printing `json:"printing"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil || got.Printing.Shop.Name != "Toko Kasir" || len(got.Printing.Printers) != 0 {
		t.Fatalf("not the defaults: %v %s", err, out)
	}
	if _, errs, code := pos(t, dir, "products", "list"); code != 0 {
		t.Fatalf("a command with a setting set aside: %d %s", code, errs)
	}
}
