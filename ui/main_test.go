package ui

import (
	"fmt"
	"image"
	"image/color"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/store"
)

// clock is the fixed "now" of every UI test, so countdowns and goldens are stable.
var clock = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

var chimes int

func TestMain(m *testing.M) {
	background = func(f func()) { f() } // results are on screen when a call returns
	playChime = func() { chimes++ }
	bannerTimeout = 0
	searchDelay = 0
	time.Local = time.UTC
	os.Setenv("LANGUAGE", "en")
	code := m.Run()
	removeBigStore()
	os.Exit(code)
}

// recordingPrinter is a test double of Printing that records what it was asked to print.
type recordingPrinter struct {
	mu      sync.Mutex
	printed []string
}

func (p *recordingPrinter) Preview(doc app.Document, o *app.Order) (image.Image, error) {
	img := image.NewGray(image.Rect(0, 0, 384, 200))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	img.Set(10, 10, color.Black)
	return img, nil
}

func (p *recordingPrinter) Print(doc app.Document, o *app.Order, actor app.Actor) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.printed = append(p.printed, string(doc)+":"+o.Number+":"+actor.Staff)
	return "Queued on Test printer", nil
}

func (p *recordingPrinter) TestPage(url, profile string) error { return nil }
func (p *recordingPrinter) Status(url string) (string, error)  { return "ready", nil }
func (p *recordingPrinter) Profiles() []string                 { return []string{"generic-58", "generic-80"} }

type fixture struct {
	t     testing.TB
	db    *store.DB
	svc   *app.Service
	m     *Main
	pr    *recordingPrinter
	staff map[string]app.Staff
	owner app.Actor
}

var (
	staffOnce sync.Once
	staffList []app.Staff
)

// demoStaff hashes the PINs once per test binary (PBKDF2 is slow on purpose).
func demoStaff(t testing.TB) []app.Staff {
	staffOnce.Do(func() {
		var err error
		if staffList, err = app.AddStaff(nil, "Owner", app.RoleOwner, "1234"); err != nil {
			t.Fatal(err)
		}
		if staffList, err = app.AddStaff(staffList, "Kasir", app.RoleCashier, "0000"); err != nil {
			t.Fatal(err)
		}
	})
	return staffList
}

// newFixture opens a real store on a temp dir with products, staff and an
// injected clock, builds the UI and signs in as who.
func newFixture(t testing.TB, who string) *fixture {
	t.Helper()
	a := test.NewTempApp(t)
	db, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	pol := app.DefaultPolicy()
	pol.ShopAddress = "Jl. Braga No. 21, Bandung"
	// As on the terminal: every change journaled into the outbox, on the injected clock.
	svc := store.NewService(db, pol, app.WithClock(func() time.Time { return clock }))
	err = db.PutProducts([]*app.Product{
		{SKU: "SKU-1", Name: "Kopi Susu 250ml", Currency: app.IDR, Price: 25000, OnHand: 50},
		{SKU: "SKU-2", Name: "Roti Bakar", Currency: app.IDR, Price: 18000, OnHand: 20},
		{SKU: "SKU-12", Name: "Teh Botol", Currency: app.IDR, Price: 8000, OnHand: 1},
	})
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, db: db, svc: svc, pr: &recordingPrinter{}, staff: map[string]app.Staff{}}
	for _, s := range demoStaff(t) {
		f.staff[s.Name] = s
	}
	if err := db.PutSetting(app.SettingStaff, demoStaff(t)); err != nil {
		t.Fatal(err)
	}
	f.owner = f.staff["Owner"].Actor("Counter")
	f.m = New(a, Deps{Service: svc, Settings: db, Printing: f.pr, Terminal: "Counter"})
	f.m.Window().Resize(fyne.NewSize(1280, 800))
	if who != "" {
		f.m.signedIn(f.staff[who])
	}
	return f
}

// place records an order through the service, as a channel or the sync layer would.
func (f *fixture) place(ch app.Channel, ext, buyer string, age time.Duration, lines ...app.Line) *app.Order {
	f.t.Helper()
	if len(lines) == 0 {
		lines = []app.Line{{SKU: "SKU-1", Name: "Kopi Susu 250ml", Qty: 2, UnitPrice: 25000}}
	}
	res, err := f.svc.Place(&app.Order{Channel: ch, ExternalID: ext, PaymentMethod: app.PayMarketplace, ShippingFee: 9000,
		Buyer: app.Buyer{Name: buyer, Phone: "0812-1111-2222", Address: app.Address{Street: "Jl. Merdeka 1", City: "Bandung", PostalCode: "40111"}},
		Lines: lines, CreatedAt: clock.Add(-age)}, app.ChannelActor(string(ch)))
	if err != nil {
		f.t.Fatal(err)
	}
	return res.Order
}

func (f *fixture) do(a app.Action, id string, args app.Args) {
	f.t.Helper()
	if _, err := f.svc.Do(app.Command{Action: a, OrderID: id, Args: args}, f.owner); err != nil {
		f.t.Fatal(err)
	}
}

// button finds a button by its text under o.
func button(o fyne.CanvasObject, text string) *widget.Button {
	var found *widget.Button
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if found != nil || o == nil {
			return
		}
		switch w := o.(type) {
		case *widget.Button:
			if w.Text == text {
				found = w
			}
		case *fyne.Container:
			for _, c := range w.Objects {
				walk(c)
			}
		case *widget.Card:
			walk(w.Content)
		case *container.Scroll:
			walk(w.Content)
		}
	}
	walk(o)
	return found
}

func (f *fixture) tab(status app.Status) int {
	for i, t := range onlineTabs {
		if t.statuses[0] == status {
			return i
		}
	}
	f.t.Fatalf("no tab for %s", status)
	return -1
}

func badgeText(p *pill) string {
	if !p.Visible() {
		return ""
	}
	return p.Text
}

func TestAcceptMovesOrderToReadyToShipAndUpdatesBadges(t *testing.T) {
	f := newFixture(t, "Owner")
	o := f.place(app.ChannelTokopedia, "1001", "Budi", time.Hour)
	f.m.Refresh()
	if got := badgeText(f.m.newBadge); got != "1" {
		t.Fatalf("Online badge = %q, want 1", got)
	}
	s := f.m.online
	if got := badgeText(s.counts[f.tab(app.StatusNew)]); got != "1" {
		t.Fatalf("New count = %q, want 1", got)
	}
	s.onTabSelected(f.tab(app.StatusNew))
	if s.list.total != 1 {
		t.Fatalf("New list has %d orders, want 1", s.list.total)
	}
	s.list.list.Select(0)
	accept := button(s.detail.actions, "Accept")
	if accept == nil || accept.Disabled() {
		t.Fatalf("no enabled Accept button for %s", o.Number)
	}
	test.Tap(accept)

	got, err := f.svc.Order(o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != app.StatusReadyToShip {
		t.Fatalf("status after Accept = %s, want ready_to_ship", got.Status)
	}
	if last := got.History[len(got.History)-1]; last.Actor.Staff != "Owner" || last.Actor.Terminal != "Counter" {
		t.Errorf("accept recorded as %+v, want Owner @ Counter", last.Actor)
	}
	if b := badgeText(f.m.newBadge); b != "" {
		t.Errorf("Online badge after accept = %q, want hidden", b)
	}
	if b := badgeText(s.counts[f.tab(app.StatusNew)]); b != "" {
		t.Errorf("New count after accept = %q, want hidden", b)
	}
	if b := badgeText(s.counts[f.tab(app.StatusReadyToShip)]); b != "1" {
		t.Errorf("Ready to Ship count after accept = %q, want 1", b)
	}
	if s.list.total != 0 {
		t.Errorf("New list still has %d orders", s.list.total)
	}
}

func TestExpiringOrderTurnsBadgeRed(t *testing.T) {
	f := newFixture(t, "Owner")
	f.place(app.ChannelTokopedia, "1002", "Sari", 23*time.Hour) // 1 h left of 24
	f.m.Refresh()
	if f.m.newBadge.Fill != "error" {
		t.Errorf("badge colour = %s, want error (red) for an order under 2 h from auto-reject", f.m.newBadge.Fill)
	}
}

func TestBulkPrintLabelsOnThreeOrders(t *testing.T) {
	f := newFixture(t, "Owner")
	for i := range 3 {
		o := f.place(app.ChannelShopee, fmt.Sprintf("SP%d", i), "Buyer", time.Duration(i+1)*time.Hour)
		f.do(app.ActionArrangeDropoff, o.ID, app.Args{Courier: "JNE"})
		f.do(app.ActionAssignCourier, o.ID, app.Args{TrackingID: fmt.Sprintf("JNE00%d", i)})
	}
	f.m.Refresh()
	if got := badgeText(f.m.labelBadge); got != "3" {
		t.Fatalf("awaiting-label badge = %q, want 3", got)
	}
	s := f.m.online
	s.onSelectMode()
	s.onTabSelected(f.tab(app.StatusReadyToShip))
	s.bulk.onSelectAll()
	if len(s.selected) != 3 {
		t.Fatalf("selected %d, want 3", len(s.selected))
	}
	// The selection survives a filter change.
	s.onTabSelected(f.tab(app.StatusNew))
	if len(s.selected) != 3 {
		t.Fatalf("selection lost on filter change: %d", len(s.selected))
	}
	s.bulk.onPrintLabels()
	done := 0
	for _, o := range s.bulk.lastOutcomes {
		if o.Done {
			done++
		} else {
			t.Errorf("%s failed: %s", o.Number, o.Error)
		}
	}
	if done != 3 || len(f.pr.printed) != 3 {
		t.Fatalf("bulk print: %d done, %d printed (%v); want 3 and 3", done, len(f.pr.printed), f.pr.printed)
	}
	for _, p := range f.pr.printed {
		if !strings.HasPrefix(p, "label:") || !strings.HasSuffix(p, ":Owner") {
			t.Errorf("printed %q, want a label by Owner", p)
		}
	}
}

func TestBulkAcceptReportsEachOutcome(t *testing.T) {
	f := newFixture(t, "Owner")
	f.place(app.ChannelTokopedia, "2001", "A", time.Hour)
	f.place(app.ChannelTokopedia, "2002", "B", 2*time.Hour, app.Line{SKU: "SKU-12", Name: "Teh Botol", Qty: 3, UnitPrice: 8000})
	s := f.m.online
	s.onSelectMode()
	s.onTabSelected(f.tab(app.StatusNew))
	s.bulk.onSelectAll()
	s.bulk.onAccept()
	var done, failed []string
	for _, o := range s.bulk.lastOutcomes {
		if o.Done {
			done = append(done, o.Number)
		} else {
			failed = append(failed, o.Error)
		}
	}
	if len(done) != 1 || len(failed) != 1 || !strings.Contains(failed[0], "Not enough stock for SKU-12: 3 wanted, 1 available") {
		t.Fatalf("done %v, failed %v", done, failed)
	}
}

func TestCashierCannotReject(t *testing.T) {
	f := newFixture(t, "")
	// Sign in with the keypad as the cashier.
	si := newSignIn(f.m)
	f.m.Window().SetContent(si.buildUI())
	for _, d := range "0000" {
		si.onDigit(string(d))
	}
	si.onSubmit()
	if f.m.actor.Staff != "Kasir" || f.m.actor.Role != app.RoleCashier {
		t.Fatalf("signed in as %+v, want Kasir the cashier", f.m.actor)
	}
	o := f.place(app.ChannelTokopedia, "3001", "Dewi", time.Hour)
	f.m.Refresh()
	d := f.m.online.detail
	f.m.online.openOrder(o.ID)
	reject := button(d.actions, "Reject")
	if reject == nil {
		t.Fatal("no Reject button")
	}
	if !reject.Disabled() {
		t.Fatal("Reject is enabled for a cashier")
	}
	if !d.why.Visible() || !strings.Contains(d.why.Text, "Only the owner can reject") {
		t.Errorf("explanation = %q", d.why.Text)
	}
	if accept := button(d.actions, "Accept"); accept == nil || accept.Disabled() {
		t.Error("a cashier should be able to accept")
	}
	// Even if the button were reached, the rule refuses it.
	d.run(app.ActionReject, app.Args{Reason: "out of stock"})
	got, _ := f.svc.Order(o.ID)
	if got.Status != app.StatusNew {
		t.Fatalf("cashier rejected the order: status %s", got.Status)
	}
}

func TestWrongPINIsRefused(t *testing.T) {
	f := newFixture(t, "")
	si := newSignIn(f.m)
	f.m.Window().SetContent(si.buildUI())
	for _, d := range "9999" {
		si.onDigit(string(d))
	}
	si.onSubmit()
	if f.m.actor.Staff != "" {
		t.Fatalf("signed in as %+v with a wrong PIN", f.m.actor)
	}
	if si.message.Text != "Wrong PIN, try again" {
		t.Errorf("message = %q", si.message.Text)
	}
}

func TestSyncedOrderShowsWithoutATap(t *testing.T) {
	f := newFixture(t, "Owner")
	s := f.m.online
	s.onTabSelected(f.tab(app.StatusNew))
	if s.list.total != 0 || badgeText(f.m.newBadge) != "" {
		t.Fatal("expected an empty New list")
	}
	before := chimes
	// The sync layer applies a remote order and tells the UI.
	o := f.place(app.ChannelWooCommerce, "WC-77", "Rina", 10*time.Minute)
	f.m.OnNewOrders(1)
	if s.list.total != 1 {
		t.Fatalf("list has %d orders after the sync, want 1", s.list.total)
	}
	if got, ok := s.list.row(0); !ok || got.ID != o.ID {
		t.Fatalf("row 0 = %v, want %s", got, o.Number)
	}
	if badgeText(f.m.newBadge) != "1" {
		t.Errorf("Online badge = %q, want 1", badgeText(f.m.newBadge))
	}
	if !f.m.banner.Visible() || chimes != before+1 {
		t.Errorf("banner %v, chimes %d; want a banner and one chime", f.m.banner.Visible(), chimes-before)
	}
	f.m.prefs.Mute = true
	f.m.OnNewOrders(1)
	if chimes != before+1 {
		t.Error("muted terminal still chimed")
	}
}

func TestInStoreSale(t *testing.T) {
	f := newFixture(t, "Kasir")
	st := f.m.store
	st.refresh()
	if len(st.shown) != 3 {
		t.Fatalf("%d products shown, want 3", len(st.shown))
	}
	bySKU := map[string]*app.Product{}
	for _, p := range st.shown {
		bySKU[p.SKU] = p
	}
	st.add(bySKU["SKU-1"])
	st.add(bySKU["SKU-1"])
	st.add(bySKU["SKU-2"])
	if got := st.total.Text; got != "Rp 68.000" {
		t.Fatalf("total = %q, want Rp 68.000", got)
	}
	st.tendered.SetText("100000")
	if got := st.change.Text; got != "Change: Rp 32.000" {
		t.Fatalf("change = %q", got)
	}
	st.onCharge()
	if page, _ := f.svc.Find(app.Filter{Channels: []app.Channel{app.ChannelInStore}}); page.Total != 0 {
		t.Fatal("a sale went through with no shift open")
	}
	if _, err := st.reg.OpenShift(200000, f.m.actor); err != nil {
		t.Fatal(err)
	}
	st.onCharge()
	page, err := f.svc.Find(app.Filter{Channels: []app.Channel{app.ChannelInStore}})
	if err != nil || page.Total != 1 {
		t.Fatalf("in-store sales = %d (%v), want 1", page.Total, err)
	}
	o := page.Orders[0]
	if o.Paid != 68000 || o.Sale.Change != 32000 || o.PaymentMethod != app.PayCash || o.CreatedBy != "Kasir" || o.Total != 68000 {
		t.Errorf("sale = paid %d change %d, %s, by %s, total %d", o.Paid, o.Sale.Change, o.PaymentMethod, o.CreatedBy, o.Total)
	}
	if len(st.cart) != 0 || badgeText(f.m.salesBadge) != "1" {
		t.Errorf("cart %d lines, sales badge %q", len(st.cart), badgeText(f.m.salesBadge))
	}
}

// TestScannedCashSaleWithChange is a cashier's most common minute: a USB
// scanner types a barcode and Enter with no field focused, the product
// lands in the cart, cash is taken, and the change is shown and stored.
func TestScannedCashSaleWithChange(t *testing.T) {
	f := newFixture(t, "Kasir")
	if err := f.db.PutProducts([]*app.Product{{SKU: "SKU-2", Name: "Roti Bakar", Barcode: "8991234000017", Currency: app.IDR, Price: 18000, OnHand: 20}}); err != nil {
		t.Fatal(err)
	}
	f.m.showScreen(screenStore)
	st := f.m.store
	st.refresh()
	if _, err := st.reg.OpenShift(100000, f.m.actor); err != nil {
		t.Fatal(err)
	}
	c := f.m.win.Canvas()
	for i := 0; i < 2; i++ {
		for _, r := range "8991234000017" {
			c.OnTypedRune()(r)
		}
		c.OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyReturn})
	}
	if len(st.cart) != 1 || st.cart[0].qty != 2 || st.total.Text != "Rp 36.000" {
		t.Fatalf("after two scans: %d lines, total %q", len(st.cart), st.total.Text)
	}
	test.Type(st.tendered, "50000")
	if st.change.Text != "Change: Rp 14.000" {
		t.Fatalf("change shown %q", st.change.Text)
	}
	st.onCharge()
	page, _ := f.svc.Find(app.Filter{Channels: []app.Channel{app.ChannelInStore}})
	if page.Total != 1 || page.Orders[0].Sale.Change != 14000 || page.Orders[0].Total != 36000 {
		t.Fatalf("stored sale: %d sales", page.Total)
	}
	if p, _ := f.db.Products(); stockOf(p, "SKU-2") != 18 {
		t.Fatalf("stock after the sale: %d", stockOf(p, "SKU-2"))
	}
	_, tot, err := st.reg.Totals()
	if err != nil || tot.CashSales != 36000 || tot.Expected != 136000 {
		t.Fatalf("drawer %+v %v", tot, err)
	}
}

func stockOf(ps []*app.Product, sku string) int {
	for _, p := range ps {
		if p.SKU == sku {
			return p.OnHand
		}
	}
	return -1
}

func TestOwnerForceAcceptsShortStock(t *testing.T) {
	f := newFixture(t, "Owner")
	o := f.place(app.ChannelTokopedia, "4001", "Eka", time.Hour, app.Line{SKU: "SKU-12", Name: "Teh Botol", Qty: 3, UnitPrice: 8000})
	f.m.online.openOrder(o.ID)
	d := f.m.online.detail
	test.Tap(button(d.actions, "Accept"))
	if got, _ := f.svc.Order(o.ID); got.Status != app.StatusNew {
		t.Fatalf("accepted without stock: %s", got.Status)
	}
	d.run(app.ActionAccept, app.Args{Force: true}) // what "Force accept" does
	if got, _ := f.svc.Order(o.ID); got.Status != app.StatusReadyToShip {
		t.Fatalf("force accept left %s", got.Status)
	}
}

func TestPortraitPushesDetail(t *testing.T) {
	f := newFixture(t, "Owner")
	o := f.place(app.ChannelTokopedia, "5001", "Fajar", time.Hour)
	f.m.Window().Resize(fyne.NewSize(800, 1280))
	s := f.m.online
	s.onTabSelected(f.tab(app.StatusNew))
	s.openOrder(o.ID)
	if !s.detail.back.Visible() {
		t.Fatal("portrait detail has no Back button")
	}
	s.detail.onBack()
	if s.detail.open() {
		t.Fatal("Back did not close the detail")
	}
}

// seedGolden places a fixed set of orders for the image tests.
func seedGolden(f *fixture) *app.Order {
	f.place(app.ChannelTokopedia, "880001", "Budi Santoso", 30*time.Minute)
	f.place(app.ChannelLazada, "LZ-4410", "Siti Rahma", 22*time.Hour+30*time.Minute,
		app.Line{SKU: "SKU-2", Name: "Roti Bakar", Qty: 1, UnitPrice: 18000})
	f.place(app.ChannelWooCommerce, "WC-310", "Andi Wijaya", 3*time.Hour,
		app.Line{SKU: "SKU-1", Name: "Kopi Susu 250ml", Qty: 1, UnitPrice: 25000},
		app.Line{SKU: "GIFT-9", Name: "Gift wrap", Qty: 1, UnitPrice: 5000})
	sp := f.place(app.ChannelShopee, "SPX-77", "Made Putra", 5*time.Hour)
	f.do(app.ActionArrangeDropoff, sp.ID, app.Args{Courier: "J&T"})
	f.do(app.ActionAssignCourier, sp.ID, app.Args{TrackingID: "JT0012345678"})
	o, _ := f.svc.Order(sp.ID)
	return o
}

func TestMainWindowImage(t *testing.T) {
	f := newFixture(t, "Owner")
	seedGolden(f)
	f.m.Refresh()
	f.m.online.onTabSelected(f.tab(app.StatusNew))
	test.AssertImageMatches(t, "main_window.png", f.m.Window().Canvas().Capture())
}

func TestOrderDetailImage(t *testing.T) {
	f := newFixture(t, "Owner")
	seedGolden(f)
	f.m.Refresh()
	s := f.m.online
	s.onTabSelected(f.tab(app.StatusNew))
	s.search.SetText("WC-310")
	if s.list.total != 1 {
		t.Fatalf("search found %d orders for WC-310", s.list.total)
	}
	s.search.SetText("")
	page, _ := f.svc.Find(app.Filter{Text: "WC-310"})
	s.openOrder(page.Orders[0].ID)
	test.AssertImageMatches(t, "order_detail.png", f.m.Window().Canvas().Capture())
}

func TestBahasaIndonesia(t *testing.T) {
	f := newFixture(t, "Owner")
	t.Cleanup(func() { applyLanguage("en") })
	f.m.setLanguage("id")
	if got := f.m.onlineTab.button.Text; got != "Online" {
		t.Errorf("Online tab = %q", got)
	}
	if got := f.m.storeTab.button.Text; got != "Di Toko" {
		t.Errorf("In Store tab = %q, want Di Toko", got)
	}
	if got := timeLeft(3*time.Hour + 12*time.Minute); got != "sisa 3j 12m" {
		t.Errorf("countdown = %q", got)
	}
	var prefs app.Prefs
	if ok, _ := f.db.GetSetting(app.SettingPrefs, &prefs); !ok || prefs.Language != "id" {
		t.Errorf("language not saved: %+v", prefs)
	}
}

func TestOwnerChangesAcceptWindow(t *testing.T) {
	f := newFixture(t, "Owner")
	f.m.settings.onAcceptWindowChanged(app.ChannelTokopedia, 6)
	if got := f.svc.CurrentPolicy().AcceptWindowFor(app.ChannelTokopedia); got != 6*time.Hour {
		t.Fatalf("policy window = %s", got)
	}
	var pol app.Policy
	if ok, err := f.db.GetSetting(app.SettingPolicy, &pol); !ok || err != nil || pol.AcceptWindowFor(app.ChannelTokopedia) != 6*time.Hour {
		t.Fatalf("policy not saved: %v %v %+v", ok, err, pol)
	}
}

// TestOwnerApprovesADiscountWithTheirOwnKey: a cashier's 20% discount goes
// through only with the owner's PIN, and the journaled sale carries the
// owner's own signature of the approval (the cloud takes approved_by only so).
func TestOwnerApprovesADiscountWithTheirOwnKey(t *testing.T) {
	f := newFixture(t, "Kasir")
	f.svc.Keys.Bind("terminal-token-of-the-counter")
	st := f.m.store
	st.refresh()
	if _, err := st.reg.OpenShift(0, f.m.actor); err != nil {
		t.Fatal(err)
	}
	cart := app.Cart{Lines: []app.CartLine{{SKU: "SKU-1", Name: "Kopi Susu 250ml", Qty: 1, UnitPrice: 25000}},
		Discount: app.Discount{PercentBP: 2000}, Payments: []app.Payment{{Method: app.PayCash, Amount: 20000}}}
	issue, err := cart.Check(st.policy(), f.m.actor.Role, st.product)
	if err != nil || issue.None() {
		t.Fatalf("a cashier's 20%% discount needs no owner: %+v %v", issue, err)
	}
	owner, err := app.SignIn(demoStaff(t), "1234")
	if err != nil {
		t.Fatal(err)
	}
	cart.ApprovedBy = owner.Name
	st.sell(cart, &owner)
	muts, err := f.db.Outbox(0, 10)
	if err != nil || len(muts) == 0 {
		t.Fatalf("nothing journaled (%v)", err)
	}
	last := muts[len(muts)-1]
	if last.Cmd.Action != app.ActionPlace || last.Approval == nil {
		t.Fatalf("the approved sale carries no approval proof: %+v", last)
	}
	if _, ok := f.svc.Keys.Key(owner.Name); ok {
		t.Fatal("the owner's key stayed on the tablet after the sale")
	}
}
