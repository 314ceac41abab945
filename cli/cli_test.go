package cli

import (
	"bytes"
	"encoding/json"
	"github.com/kasir/pos/terminal"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/printer/printertest"
)

// pos runs the command line on dir and returns stdout, stderr and the exit status.
func pos(t *testing.T, dir string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(append([]string{"--data", dir}, args...), Env{Stdout: &out, Stderr: &errb})
	return out.String(), errb.String(), code
}

func seeded(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if out, errs, code := pos(t, dir, "seed", "--demo"); code != 0 {
		t.Fatalf("seed: %s %s", out, errs)
	}
	return dir
}

type listOut struct {
	Orders []map[string]any `json:"orders"`
	Total  int              `json:"total"`
}

func listJSON(t *testing.T, dir string, args ...string) listOut {
	t.Helper()
	out, errs, code := pos(t, dir, append([]string{"orders", "list", "--json", "--limit", "500"}, args...)...)
	if code != 0 {
		t.Fatalf("list: %s", errs)
	}
	var l listOut
	if err := json.Unmarshal([]byte(out), &l); err != nil {
		t.Fatal(err)
	}
	return l
}

func TestSeedDemoCoversEveryStatusAndChannel(t *testing.T) {
	dir := seeded(t)
	l := listJSON(t, dir)
	statuses, channels := map[string]bool{}, map[string]bool{}
	for _, o := range l.Orders {
		for _, k := range []string{"id", "number", "channel", "external_id", "status", "lines", "courier", "tracking_id"} {
			if _, ok := o[k]; !ok && k != "external_id" {
				t.Fatalf("order JSON lacks %q: %v", k, o)
			}
		}
		line := o["lines"].([]any)[0].(map[string]any)
		if _, ok := line["sku"]; !ok {
			t.Fatal("lines[].sku missing")
		}
		if _, ok := line["qty"]; !ok {
			t.Fatal("lines[].qty missing")
		}
		statuses[o["status"].(string)] = true
		channels[o["channel"].(string)] = true
	}
	for _, s := range app.Statuses {
		if !statuses[string(s)] {
			t.Errorf("no demo order is %s", s)
		}
	}
	for _, c := range app.Channels {
		if !channels[string(c)] {
			t.Errorf("no demo order from %s", c)
		}
	}
	near := listJSON(t, dir, "--deadline-within", "2h")
	if near.Total == 0 {
		t.Error("no demo order is near its deadline")
	}
	out, _, _ := pos(t, dir, "products", "list", "--json")
	var ps []map[string]any
	if err := json.Unmarshal([]byte(out), &ps); err != nil || len(ps) < 40 {
		t.Fatalf("%d products, %v", len(ps), err)
	}
	for _, k := range []string{"sku", "on_hand", "allocated"} {
		if _, ok := ps[0][k]; !ok {
			t.Fatalf("product JSON lacks %q", k)
		}
	}
	if _, errs, code := pos(t, dir, "seed", "--demo"); code == 0 || !strings.Contains(errs, "not empty") {
		t.Fatalf("seeding twice: %d %s", code, errs)
	}
}

func TestShowIncludesHistory(t *testing.T) {
	dir := seeded(t)
	o := listJSON(t, dir, "--status", "completed", "--channel", "shopee").Orders[0]
	out, errs, code := pos(t, dir, "orders", "show", o["number"].(string), "--json")
	if code != 0 {
		t.Fatal(errs)
	}
	var show struct {
		History []map[string]any `json:"history"`
	}
	if err := json.Unmarshal([]byte(out), &show); err != nil || len(show.History) < 5 {
		t.Fatalf("%d history entries, %v", len(show.History), err)
	}
	for _, k := range []string{"at", "actor", "action", "from", "to"} {
		if _, ok := show.History[1][k]; !ok {
			t.Fatalf("history lacks %q: %v", k, show.History[1])
		}
	}
}

func TestActionsPrintOneOutcomePerOrder(t *testing.T) {
	dir := seeded(t)
	news := listJSON(t, dir, "--status", "new", "--channel", "tokopedia").Orders
	a, b := news[0]["number"].(string), news[1]["number"].(string)
	out, _, code := pos(t, dir, "orders", "accept", a, "nope", b)
	if code != 1 {
		t.Fatalf("a failed order must give exit 1, got %d", code)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "ok") || !strings.HasPrefix(lines[1], "FAILED  nope") || !strings.HasPrefix(lines[2], "ok") {
		t.Fatalf("outcomes:\n%s", out)
	}
	out, _, _ = pos(t, dir, "orders", "accept", a)
	if !strings.Contains(out, "is Ready to Ship: cannot accept") {
		t.Fatalf("accepting twice: %s", out)
	}
	if out, _, code := pos(t, dir, "orders", "reject", b, "--reason", "late"); code != 1 || !strings.Contains(out, "cannot reject") {
		t.Fatalf("reject of a ready order: %d %s", code, out)
	}
	if _, errs, code := pos(t, dir, "orders", "pickup", a, "--at", "2020-01-01T10:00"); code != 1 {
		t.Fatalf("pickup in the past: %d %s", code, errs)
	}
	at := time.Now().Add(24 * time.Hour).Format("2006-01-02T15:04")
	if out, _, code := pos(t, dir, "orders", "pickup", a, b, "--at", at, "--window", "2h"); code != 0 || strings.Count(out, "ok      ") != 2 {
		t.Fatalf("pickup: %s", out)
	}
	if _, errs, code := pos(t, dir, "orders", "list", "--status", "shipped"); code != 1 || !strings.Contains(errs, `Status "shipped" is unknown`) {
		t.Fatalf("bad status: %s", errs)
	}
}

func TestSplitAndManualOrder(t *testing.T) {
	dir := seeded(t)
	// The command line applies the tablet form's rules (app.ManualOrder).
	if _, errs, code := pos(t, dir, "orders", "new", "--buyer", "Sari", "--phone", "0812", "--line", "SKU-001:3", "--payment", "cod"); code != 1 || !strings.Contains(errs, "Phone must have 8 to 15 digits, not 4") {
		t.Fatalf("short phone: %d %s", code, errs)
	}
	if _, errs, code := pos(t, dir, "orders", "new", "--buyer", "Sari", "--phone", "0812-CALL-ME", "--line", "SKU-001:3"); code != 1 || !strings.Contains(errs, "Phone may hold only digits, spaces, + or -") {
		t.Fatalf("a phone with letters: %d %s", code, errs)
	}
	if _, errs, code := pos(t, dir, "orders", "new", "--buyer", "Sari", "--phone", "0812 3456 7890", "--line", "SKU-001:3", "--payment", "cod"); code != 1 || !strings.Contains(errs, "Street is required for cash on delivery") {
		t.Fatalf("COD without an address: %d %s", code, errs)
	}
	if _, errs, code := pos(t, dir, "--lang", "id", "orders", "new", "--buyer", "Sari", "--line", "SKU-001:3", "--postal-code", "401"); code != 1 || !strings.Contains(errs, "Kode pos harus 5 angka") {
		t.Fatalf("short postcode in Indonesian: %d %s", code, errs)
	}
	if _, errs, code := pos(t, dir, "orders", "new", "--buyer", "Sari", "--line", "SKU-001:100000"); code != 1 || !strings.Contains(errs, "in stock; 100000 asked") {
		t.Fatalf("more than in stock: %d %s", code, errs)
	}
	if _, errs, code := pos(t, dir, "orders", "new", "--buyer", "Sari", "--line", "SKU-001:1", "--discount", "99999999"); code != 1 || !strings.Contains(errs, "Discount cannot be more than the items and shipping") {
		t.Fatalf("discount above the total: %d %s", code, errs)
	}
	out, errs, code := pos(t, dir, "orders", "new", "--buyer", "Sari", "--phone", "0812-3456-7890", "--address", "Jl. Braga 12", "--city", "Bandung", "--postal-code", "40111",
		"--line", "SKU-001:3", "--line", "CUSTOM-1:1:15000", "--payment", "cod")
	if code != 0 {
		t.Fatal(errs)
	}
	number := strings.Fields(out)[1]
	if _, errs, code := pos(t, dir, "orders", "split", number, "--parcel", "2", "--sku", "SKU-001", "--qty", "5"); code != 1 || !strings.Contains(errs, "more than the 3") {
		t.Fatalf("split above the line: %s", errs)
	}
	out, errs, code = pos(t, dir, "orders", "split", number, "--parcel", "2", "--sku", "SKU-001", "--qty", "1")
	if code != 0 || !strings.Contains(out, "parcel 2 of 2: 1 × SKU-001") {
		t.Fatalf("split: %s %s", out, errs)
	}
	if out, errs, code := pos(t, dir, "orders", "parcel", number, "--parcel", "2", "--weight", "750", "--size", "30x20x10"); code != 0 || !strings.Contains(out, "750 g, 30×20×10 cm") {
		t.Fatalf("parcel size: %s %s", out, errs)
	}
	if _, errs, code := pos(t, dir, "orders", "parcel", number, "--parcel", "2", "--size", "big"); code != 2 || !strings.Contains(errs, "--size") {
		t.Fatalf("bad size: %s", errs)
	}
	out, _, _ = pos(t, dir, "orders", "show", number)
	if !strings.Contains(out, "[unlinked: moves no stock]") {
		t.Fatalf("unlinked line not flagged:\n%s", out)
	}
	if _, errs, code := pos(t, dir, "orders", "new", "--buyer", "X", "--line", "SKU-001:-2"); code != 1 || !strings.Contains(errs, "Line 1") {
		t.Fatalf("negative quantity: %s", errs)
	}
}

func TestLangSpeaksTheStaffsLanguage(t *testing.T) {
	dir := seeded(t)
	if _, errs, code := pos(t, dir, "--lang", "id", "orders", "list", "--status", "shipped"); code != 1 || !strings.Contains(errs, `Status "shipped" tidak dikenal`) {
		t.Fatalf("--lang id error: %d %s", code, errs)
	}
	a := listJSON(t, dir, "--status", "new", "--channel", "tokopedia").Orders[0]["number"].(string)
	if out, _, code := pos(t, dir, "--lang", "id", "orders", "accept", a); code != 0 || !strings.Contains(out, "Siap Kirim") {
		t.Fatalf("accept in Indonesian: %s", out)
	}
	if out, _, _ := pos(t, dir, "--lang", "id", "orders", "accept", a); !strings.Contains(out, "berstatus Siap Kirim: tidak bisa terima") {
		t.Fatalf("refusal in Indonesian: %s", out)
	}
	if _, errs, code := pos(t, dir, "--lang", "fr", "orders", "list"); code != 2 || !strings.Contains(errs, "--lang") {
		t.Fatalf("unknown language: %d %s", code, errs)
	}
	// Without --lang the command line follows the language chosen on the terminal.
	term, err := terminal.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := term.DB.PutSetting(app.SettingPrefs, map[string]any{"language": "id"}); err != nil {
		t.Fatal(err)
	}
	term.Close()
	out, _, _ := pos(t, dir, "orders", "history", a)
	if !strings.Contains(out, "Pesanan dibuat lewat Tokopedia") {
		t.Fatalf("history not in the terminal's language:\n%s", out)
	}
	if out, _, _ := pos(t, dir, "--lang", "en", "orders", "history", a); !strings.Contains(out, "Order placed via Tokopedia") {
		t.Fatalf("--lang en does not win over the setting:\n%s", out)
	}
}

func TestProductsImportNamesTheLine(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "p.csv")
	os.WriteFile(f, []byte("sku,name,price,on_hand\nA-1,Kopi,85000,10\nA-2,Teh,abc,3\n"), 0o600)
	if _, errs, code := pos(t, dir, "products", "import", f); code != 1 || !strings.Contains(errs, "line 3, column price") {
		t.Fatalf("%d %s", code, errs)
	}
	os.WriteFile(f, []byte("sku,name,price,on_hand\nA-1,Kopi,85000,10\n"), 0o600)
	if out, errs, code := pos(t, dir, "products", "import", f); code != 0 || !strings.Contains(out, "imported 1") {
		t.Fatalf("%s %s", out, errs)
	}
}

func TestProductsAdjustStockWithAReason(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "p.csv")
	os.WriteFile(f, []byte("sku,name,price,on_hand\nA-1,Kopi,85000,10\n"), 0o600)
	if _, errs, code := pos(t, dir, "products", "import", f); code != 0 {
		t.Fatal(errs)
	}
	if _, errs, code := pos(t, dir, "--lang", "en", "products", "adjust", "A-1", "--reason", "damage", "--qty", "11"); code != 1 || !strings.Contains(errs, "more than the 10 on the shelf") {
		t.Fatalf("damage beyond the shelf: %d %s", code, errs)
	}
	if _, errs, code := pos(t, dir, "--lang", "en", "products", "adjust", "A-1", "--reason", "stolen", "--qty", "1"); code != 1 || !strings.Contains(errs, "Reason must be stock take, damage or received goods") {
		t.Fatalf("an unknown reason: %d %s", code, errs)
	}
	out, errs, code := pos(t, dir, "--lang", "en", "products", "adjust", "A-1", "--reason", "received", "--qty", "5", "--note", "supplier")
	if code != 0 || !strings.Contains(out, "A-1: 10 → 15 (received goods)") {
		t.Fatalf("received: %d %s %s", code, out, errs)
	}
	if out, _, _ := pos(t, dir, "products", "list", "--json"); !strings.Contains(out, `"on_hand": 15`) {
		t.Fatalf("after receiving: %s", out)
	}
}

func TestExportCSV(t *testing.T) {
	dir := seeded(t)
	f := filepath.Join(dir, "orders.csv")
	out, errs, code := pos(t, dir, "export", "csv", "--days", "90", f)
	if code != 0 {
		t.Fatal(errs)
	}
	b, _ := os.ReadFile(f)
	if !strings.HasPrefix(string(b), "\uFEFForder_number,channel,status,buyer") || !strings.Contains(out, "exported") {
		t.Fatalf("%s", b[:80])
	}
	if _, errs, code := pos(t, dir, "export", "csv", "--from", "2026-11-20", "--to", "2026-11-01", f); code != 2 || !strings.Contains(errs, "after") {
		t.Fatalf("from after to: %d %s", code, errs)
	}
}

// ownLabel reports whether an order listed as JSON has the register's own
// label as its parcel's label: a marketplace's orders carry its airway bill,
// which the terminal fetches from the cloud (printer's bill tests).
func ownLabel(o map[string]any) bool {
	ch, _ := o["channel"].(string)
	return !app.Channel(ch).Rule().Marketplace
}

func TestPrintLabelToFakePrinterRecordsIt(t *testing.T) {
	dir := seeded(t)
	fp, err := printertest.NewPrinter()
	if err != nil {
		t.Fatal(err)
	}
	defer fp.Close()
	unprinted := false
	l := listJSON(t, dir, "--status", "in_delivery", "--label", "no")
	var number string
	for _, o := range l.Orders {
		if o["tracking_id"] != "" && ownLabel(o) {
			number, unprinted = o["number"].(string), true
			break
		}
	}
	if !unprinted {
		t.Fatal("the demo has no order awaiting its label")
	}
	out, errs, code := pos(t, dir, "print", "label", number, "--printer", fp.URL(), "--profile", "generic-80")
	if code != 0 || !strings.Contains(out, "printed on") {
		t.Fatalf("%s %s", out, errs)
	}
	if len(fp.Documents()) != 1 {
		t.Fatalf("printer got %d documents", len(fp.Documents()))
	}
	show, _, _ := pos(t, dir, "orders", "show", number, "--json")
	var o struct {
		LabelPrinted bool `json:"label_printed"`
		History      []struct {
			Action string `json:"action"`
			Actor  string `json:"actor"`
		} `json:"history"`
	}
	json.Unmarshal([]byte(show), &o)
	last := o.History[len(o.History)-1]
	if !o.LabelPrinted || last.Action != "record_print" || last.Actor != "cli" {
		t.Fatalf("print not recorded: %+v", o)
	}
}

func TestPrintToOfflinePrinterQueuesAndResumes(t *testing.T) {
	dir := seeded(t)
	fp, err := printertest.NewPrinter()
	if err != nil {
		t.Fatal(err)
	}
	defer fp.Close()
	fp.SetOffline(true)
	o := listJSON(t, dir, "--status", "completed", "--channel", "instore").Orders[0]
	out, _, code := pos(t, dir, "print", "receipt", o["number"].(string), "--printer", fp.URL(), "--wait", "300ms")
	if code != 0 || !strings.Contains(out, "stays queued") {
		t.Fatalf("offline printer: %s", out)
	}
	fp.SetOffline(false)
	// The next pos process resumes the stored job before its own.
	out, _, code = pos(t, dir, "print", "test", "--printer", fp.URL(), "--profile", "generic-58")
	if code != 0 || !strings.Contains(out, "printed") {
		t.Fatalf("test page: %s", out)
	}
	if n := len(fp.Documents()); n != 2 {
		t.Fatalf("printer got %d documents, want the queued receipt and the test page", n)
	}
}

func TestPreviewWritesPNG(t *testing.T) {
	dir := seeded(t)
	o := listJSON(t, dir, "--status", "in_delivery", "--channel", "manual").Orders[0]
	png := filepath.Join(dir, "label.png")
	out, errs, code := pos(t, dir, "print", "preview", "label", o["number"].(string), "--out", png, "--profile", "label-4in")
	if code != 0 || !strings.Contains(out, "832x") {
		t.Fatalf("%s %s", out, errs)
	}
	b, _ := os.ReadFile(png)
	if !bytes.HasPrefix(b, []byte("\x89PNG")) {
		t.Fatal("not a PNG")
	}
}

func TestSecondProcessIsToldWhoHoldsTheData(t *testing.T) {
	dir := seeded(t)
	term, err := terminal.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer term.Close()
	start := time.Now()
	_, errs, code := pos(t, dir, "orders", "list")
	if code != 1 || !strings.Contains(errs, "in use by") || time.Since(start) > 2*time.Second {
		t.Fatalf("%d after %s: %s", code, time.Since(start), errs)
	}
}

func TestCustomPrinterProfile(t *testing.T) {
	dir := t.TempDir()
	if _, errs, code := pos(t, dir, "printers", "profile", "add", "--name", "gudang-76", "--width", "570", "--chars", "47"); code != 1 || !strings.Contains(errs, "Profile width 570 is not a multiple of 8") {
		t.Fatalf("width not a multiple of 8: %d %s", code, errs)
	}
	if _, errs, code := pos(t, dir, "printers", "profile", "add", "--name", "gudang-76", "--width", "576", "--chars", "0"); code != 1 || !strings.Contains(errs, "Profile characters per line must be positive") {
		t.Fatalf("zero characters per line: %d %s", code, errs)
	}
	if _, errs, code := pos(t, dir, "printers", "profile", "add", "--name", "generic-58", "--width", "384", "--chars", "32"); code != 1 || !strings.Contains(errs, "preset") {
		t.Fatalf("a preset's name: %d %s", code, errs)
	}
	if out, errs, code := pos(t, dir, "printers", "profile", "add", "--name", "gudang-76", "--width", "512", "--chars", "42", "--cutter"); code != 0 {
		t.Fatalf("%s %s", out, errs)
	}
	out, _, _ := pos(t, dir, "printers", "profiles")
	if !strings.HasPrefix(out, "gudang-76") || !strings.Contains(out, "generic-58") {
		t.Fatalf("profiles:\n%s", out)
	}
}

// A marketplace order's label is its platform's bill: `pos print label`
// without the running terminal's cloud queues it and says why it waits;
// `--own` prints the register's own label, which the history does not count.
func TestPrintLabelOfAMarketplaceOrder(t *testing.T) {
	dir := seeded(t)
	fp, err := printertest.NewPrinter()
	if err != nil {
		t.Fatal(err)
	}
	defer fp.Close()
	o := listJSON(t, dir, "--status", "in_delivery", "--channel", "shopee").Orders[0]
	number := o["number"].(string)
	out, errs, code := pos(t, dir, "print", "label", number, "--printer", fp.URL(), "--profile", "label-4in", "--wait", "2s")
	if code != 0 || !strings.Contains(out, "not printed yet: Waiting for Shopee's airway bill: cloud unreachable") {
		t.Fatalf("%d %s %s", code, out, errs)
	}
	if n := len(fp.Documents()); n != 0 {
		t.Fatalf("printed %d documents without the bill", n)
	}
	showLabels := func() float64 {
		show, _, _ := pos(t, dir, "orders", "show", number, "--json")
		var got struct {
			Prints struct {
				LabelCount float64 `json:"label_count"`
			} `json:"prints"`
		}
		json.Unmarshal([]byte(show), &got)
		return got.Prints.LabelCount
	}
	before := showLabels()
	if before != 1 {
		t.Fatalf("the demo's in-delivery Shopee order shows %v labels printed, want 1", before)
	}
	out, errs, code = pos(t, dir, "print", "label", number, "--own", "--printer", fp.URL(), "--profile", "label-4in")
	if code != 0 || !strings.Contains(out, "printed on") {
		t.Fatalf("--own: %d %s %s", code, out, errs)
	}
	if docs := fp.Documents(); len(docs) != 1 || !bytes.Contains(docs[0], []byte(number)) {
		t.Fatalf("our own label was not printed: %d documents", len(docs))
	}
	if after := showLabels(); after != before {
		t.Errorf("label count %v after our own label, was %v", after, before)
	}
	png := filepath.Join(dir, "own.png")
	if out, errs, code := pos(t, dir, "print", "preview", "label", number, "--own", "--out", png, "--profile", "label-4in"); code != 0 || !strings.Contains(out, "832x") {
		t.Fatalf("preview --own: %d %s %s", code, out, errs)
	}
	if _, errs, code := pos(t, dir, "print", "preview", "label", number, "--out", png, "--profile", "label-4in"); code == 0 || !strings.Contains(errs, "Waiting for Shopee's airway bill: cloud unreachable") {
		t.Fatalf("preview of the bill without the cloud: %d %s", code, errs)
	}
}
