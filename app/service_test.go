package app_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/store"
)

var (
	t0    = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	owner = app.Actor{Staff: "Ayu", Role: app.RoleOwner, Terminal: "T1"}
)

// newService opens a real store in a temp dir with a clock the test moves.
// opts are the service's other dependencies (a journal), given at
// construction as the terminal gives them.
func newService(tb testing.TB, opts ...app.ServiceOption) (*app.Service, *store.DB, *time.Time) {
	tb.Helper()
	return newServiceIn(tb, tb.TempDir(), opts...)
}

// newServiceIn is newService on a store in dir.
func newServiceIn(tb testing.TB, dir string, opts ...app.ServiceOption) (*app.Service, *store.DB, *time.Time) {
	tb.Helper()
	db, err := store.Open(dir)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	now := t0
	svc := app.NewService(db, app.DefaultPolicy(), append([]app.ServiceOption{app.WithClock(func() time.Time { return now })}, opts...)...)
	var ps []*app.Product
	for i := 1; i <= 20; i++ {
		ps = append(ps, &app.Product{SKU: fmt.Sprintf("SKU-%03d", i), Name: fmt.Sprintf("Produk %d", i), Currency: app.IDR, Price: 10000, OnHand: 1_000_000})
	}
	if err := db.PutProducts(ps); err != nil {
		tb.Fatal(err)
	}
	return svc, db, &now
}

var placed int

func placeNew(tb testing.TB, svc *app.Service, n int) []string {
	tb.Helper()
	var ids []string
	for k := 0; k < n; k++ {
		placed++
		i := placed
		res, err := svc.Place(&app.Order{Channel: app.ChannelTokopedia, ExternalID: fmt.Sprintf("TKP%06d", i), Currency: app.IDR,
			Buyer: app.Buyer{Name: fmt.Sprintf("Pembeli %d", i)}, Lines: []app.Line{{SKU: "SKU-001", Qty: 2, UnitPrice: 10000}}},
			app.ChannelActor("tokopedia"))
		if err != nil {
			tb.Fatal(err)
		}
		ids = append(ids, res.Order.ID)
	}
	return ids
}

func TestBulkEachOrderItsOwnOutcome(t *testing.T) {
	svc, db, _ := newService(t)
	ids := placeNew(t, svc, 3)
	if _, err := svc.Do(app.Command{Action: app.ActionReject, OrderID: ids[1], Args: app.Args{Reason: "duplicate"}}, owner); err != nil {
		t.Fatal(err)
	}
	var progress []int
	out, err := svc.Bulk(context.Background(), append(ids, "missing"), app.Command{Action: app.ActionAccept}, owner, func(done, total int, _ app.Outcome) {
		progress = append(progress, done)
	})
	if err != nil {
		t.Fatal(err)
	}
	if !out[0].Done || out[1].Done || !out[2].Done || out[3].Done {
		t.Fatalf("outcomes %+v", out)
	}
	if out[1].Code != app.EInvalidTransition || out[3].Code != app.ENotFound {
		t.Fatalf("codes %q %q", out[1].Code, out[3].Code)
	}
	if fmt.Sprint(progress) != "[1 2 3 4]" {
		t.Fatalf("progress %v", progress)
	}
	p, _ := db.Products()
	if p[0].SKU != "SKU-001" || p[0].Allocated != 4 {
		t.Fatalf("two accepted orders of 2 each: allocation %d", p[0].Allocated)
	}
}

func TestBulkOverLimitRefusedBeforeTouchingAnything(t *testing.T) {
	svc, _, _ := newService(t)
	pol := svc.CurrentPolicy()
	pol.BulkLimit = 2
	svc.SetPolicy(pol)
	ids := placeNew(t, svc, 3)
	if _, err := svc.Bulk(context.Background(), ids, app.Command{Action: app.ActionAccept}, owner, nil); app.ErrorCode(err) != app.EInvalid || !strings.Contains(err.Error(), "at most 2") {
		t.Fatalf("over the limit: %v", err)
	}
	page, _ := svc.Find(app.Filter{Statuses: []app.Status{app.StatusNew}})
	if page.Total != 3 {
		t.Fatal("a refused bulk action touched orders")
	}
}

func TestAutoRejectSweepCatchesUpWithInjectedClock(t *testing.T) {
	svc, _, now := newService(t)
	ids := placeNew(t, svc, 2)
	*now = t0.Add(10 * time.Hour)
	late := placeNew(t, svc, 1)
	n, err := svc.SweepOverdue(t0.Add(23 * time.Hour))
	if err != nil || n != 0 {
		t.Fatalf("before any deadline: %d %v", n, err)
	}
	// The tablet was off until well after the first two deadlines.
	n, err = svc.SweepOverdue(t0.Add(30 * time.Hour))
	if err != nil || n != 2 {
		t.Fatalf("catch-up rejected %d, %v", n, err)
	}
	for _, id := range ids {
		o, _ := svc.Order(id)
		last := o.History[len(o.History)-1]
		if o.Status != app.StatusCancelled || last.Note != app.AutoRejectReason || last.Actor.Role != app.RoleSystem {
			t.Fatalf("%s: %s %q", id, o.Status, last.Note)
		}
	}
	if o, _ := svc.Order(late[0]); o.Status != app.StatusNew {
		t.Fatal("an order inside its window was rejected")
	}
	if n, _ := svc.SweepOverdue(t0.Add(30 * time.Hour)); n != 0 {
		t.Fatal("the sweep is not idempotent")
	}
}

func TestExportCSV(t *testing.T) {
	svc, _, now := newService(t)
	placeNew(t, svc, 3)
	*now = t0.Add(time.Hour)
	if _, err := svc.Place(&app.Order{Channel: app.ChannelManual, Currency: app.IDR, Buyer: app.Buyer{Name: "=HYPERLINK(\"x\")", Phone: "+6281"},
		Lines: []app.Line{{SKU: "SKU-001", Qty: 1, UnitPrice: 10000}}}, owner); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Place(&app.Order{Channel: app.ChannelInStore, Currency: app.IDR, Lines: []app.Line{{SKU: "SKU-001", Qty: 1, UnitPrice: 10000}}}, owner); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	n, err := svc.ExportCSV(&buf, t0.Add(-time.Hour), t0.Add(2*time.Hour))
	if err != nil || n != 4 {
		t.Fatalf("exported %d, %v", n, err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("\xEF\xBB\xBF")) {
		t.Fatal("no UTF-8 byte-order mark for spreadsheets")
	}
	rows, err := csv.NewReader(bytes.NewReader(buf.Bytes()[3:])).ReadAll()
	if err != nil || len(rows) != 5 || rows[0][0] != "order_number" {
		t.Fatalf("%v %v", rows, err)
	}
	if rows[4][3] != "'=HYPERLINK(\"x\")" || rows[4][4] != "'+6281" {
		t.Fatalf("formula not neutralised: %q %q", rows[4][3], rows[4][4])
	}
	if _, err := svc.ExportCSV(&buf, t0, t0.Add(-time.Hour)); app.ErrorCode(err) != app.EInvalid || !strings.Contains(err.Error(), "after the end date") {
		t.Fatalf("from after to: %v", err)
	}
}

func TestImportProductsKeepsAllocationAndRejectsBadFileWhole(t *testing.T) {
	var journaled []app.Command
	svc, db, _ := newService(t, app.WithJournal(func(_ app.Tx, j app.Journaled) error { journaled = append(journaled, j.Cmd); return nil }))
	ids := placeNew(t, svc, 1)
	if _, err := svc.Bulk(context.Background(), ids, app.Command{Action: app.ActionAccept}, owner, nil); err != nil {
		t.Fatal(err)
	}
	n, err := svc.ImportProducts(strings.NewReader("sku,name,price,on_hand\nSKU-001,Kopi Baru,12000,7\nNEW-1,Baru,5000,3\n"), owner)
	if err != nil || n != 2 {
		t.Fatal(n, err)
	}
	ps, _ := db.Products()
	var kopi *app.Product
	for _, p := range ps {
		if p.SKU == "SKU-001" {
			kopi = p
		}
	}
	if kopi.Name != "Kopi Baru" || kopi.OnHand != 7 || kopi.Allocated != 2 {
		t.Fatalf("%+v", kopi)
	}
	before := len(ps)
	if _, err := svc.ImportProducts(strings.NewReader("sku,name,on_hand\nA,ok,1\nB,bad,x\n"), owner); err == nil || !strings.Contains(err.Error(), "line 3") {
		t.Fatalf("bad row: %v", err)
	}
	if ps, _ := db.Products(); len(ps) != before {
		t.Fatal("a bad file was half imported")
	}
	cashier := app.Actor{Staff: "Kasir", Role: app.RoleCashier}
	if _, err := svc.ImportProducts(strings.NewReader("sku,name\nA,ok\n"), cashier); app.ErrorCode(err) != app.EForbidden {
		t.Fatalf("a cashier imported the catalogue: %v", err)
	}
	journaled = nil // what the big import journals
	var csv strings.Builder
	csv.WriteString("sku,name,on_hand\n")
	for i := 0; i < 450; i++ {
		fmt.Fprintf(&csv, "BIG-%03d,Produk %d,5\n", i, i)
	}
	if n, err := svc.ImportProducts(strings.NewReader(csv.String()), owner); err != nil || n != 450 {
		t.Fatal(n, err)
	}
	if len(journaled) != 3 || len(journaled[2].Args.Products) != 50 || journaled[0].Action != app.ActionImportProducts {
		t.Fatalf("450 products should travel as 3 commands, got %d", len(journaled))
	}
}

func TestBulkAppliesAnIDListedTwiceOnce(t *testing.T) {
	svc, db, _ := newService(t)
	ids := placeNew(t, svc, 2)
	// Both copies of ids[0] fall in the first chunk; the third copy in a later one.
	sel := []string{ids[0], ids[1], ids[0]}
	for len(sel) < 30 {
		sel = append(sel, placeNew(t, svc, 1)...)
	}
	sel = append(sel, " "+ids[0]+" ")
	out, err := svc.Bulk(context.Background(), sel, app.Command{Action: app.ActionAddNote, Args: app.Args{Note: "packed with care"}}, owner, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !out[0].Done || !out[1].Done || out[2].Done || out[len(out)-1].Done {
		t.Fatalf("outcomes of the repeated id: %+v %+v %+v", out[0], out[2], out[len(out)-1])
	}
	if out[2].Code != app.EInvalid || !strings.Contains(out[2].Error, "more than once") {
		t.Fatalf("second copy: %+v", out[2])
	}
	o, err := db.OrderWithHistory(ids[0])
	if err != nil {
		t.Fatal(err)
	}
	notes := 0
	for _, e := range o.History {
		if e.Action == app.ActionAddNote && strings.Contains(e.Note, "packed with care") {
			notes++
		}
	}
	if notes != 1 || o.Version != 2 {
		t.Fatalf("order listed three times: %d notes, version %d", notes, o.Version)
	}
}
