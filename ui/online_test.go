package ui

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kasir/pos/app"
)

// widgetPlaces maps every visible widget on the window to its absolute
// position and size, leaving out the objects under skip.
func widgetPlaces(t *testing.T, win fyne.Window, skip fyne.CanvasObject) map[fyne.CanvasObject]place {
	t.Helper()
	win.Canvas().Capture() // lay everything out
	hidden := map[fyne.CanvasObject]bool{}
	for _, o := range test.LaidOutObjects(skip) {
		hidden[o] = true
	}
	d := fyne.CurrentApp().Driver()
	out := map[fyne.CanvasObject]place{}
	for _, o := range test.LaidOutObjects(win.Content()) {
		if _, ok := o.(fyne.Widget); !ok || hidden[o] || !o.Visible() {
			continue
		}
		out[o] = place{d.AbsolutePositionForObject(o), o.Size()}
	}
	return out
}

// place is where a widget is drawn.
type place struct {
	pos  fyne.Position
	size fyne.Size
}

func TestBannerMovesNoWidget(t *testing.T) {
	for _, size := range []fyne.Size{{Width: 1280, Height: 800}, {Width: 800, Height: 1280}} {
		f := newFixture(t, "Owner")
		f.m.Window().Resize(size)
		o := f.place(app.ChannelTokopedia, "7001", "Budi", time.Hour)
		f.m.Refresh()
		f.m.online.onTabSelected(f.tab(app.StatusNew))
		f.m.online.openOrder(o.ID)
		before := widgetPlaces(t, f.m.Window(), f.m.toast)
		if len(before) < 20 {
			t.Fatalf("only %d widgets found", len(before))
		}
		f.m.OnNewOrders(2)
		if !f.m.banner.Visible() {
			t.Fatal("no banner")
		}
		after := widgetPlaces(t, f.m.Window(), f.m.toast)
		moved := 0
		for w, p := range before {
			if q, ok := after[w]; ok && q != p {
				moved++
				t.Errorf("%v: %T moved from %v to %v when the banner showed", size, w, p, q)
			}
		}
		if moved == 0 && len(after) != len(before) {
			t.Errorf("%v: %d widgets before the banner, %d after", size, len(before), len(after))
		}
		// A tap on the banner's text lands on the banner, not on what is beneath.
		pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(f.m.bannerText).Add(fyne.NewPos(5, 5))
		under, _ := findTappable(f.m.Window(), pos)
		if _, ok := under.(*tapShield); !ok {
			t.Errorf("%v: a tap on the banner text reaches %T", size, under)
		}
	}
}

// findTappable is the tappable widget a tap at pos reaches: the last one
// drawn there, as the driver picks it.
func findTappable(win fyne.Window, pos fyne.Position) (fyne.CanvasObject, bool) {
	var found fyne.CanvasObject
	var walk func(o fyne.CanvasObject, at fyne.Position)
	walk = func(o fyne.CanvasObject, at fyne.Position) {
		if o == nil || !o.Visible() {
			return
		}
		at = at.Add(o.Position())
		s := o.Size()
		if pos.X < at.X || pos.Y < at.Y || pos.X >= at.X+s.Width || pos.Y >= at.Y+s.Height {
			return
		}
		if _, ok := o.(fyne.Tappable); ok {
			found = o
		}
		switch w := o.(type) {
		case *fyne.Container:
			for _, c := range w.Objects {
				walk(c, at)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(w).Objects() {
				walk(c, at)
			}
		}
	}
	walk(win.Content(), fyne.Position{})
	return found, found != nil
}

// highlighted is the row the list marks as selected, or -1.
func highlighted(l *orderList) int {
	sel := reflect.ValueOf(l.list).Elem().FieldByName("selected")
	if sel.Len() == 0 {
		return -1
	}
	return int(sel.Index(0).Int())
}

// rowIndex is where the list shows the order, or -1.
func rowIndex(l *orderList, id string) int {
	for i := 0; i < l.total; i++ {
		if o, ok := l.row(i); ok && o.ID == id {
			return i
		}
	}
	return -1
}

func TestSelectionFollowsTheOrder(t *testing.T) {
	f := newFixture(t, "Owner")
	for i := range 4 {
		f.place(app.ChannelTokopedia, fmt.Sprintf("800%d", i), "Buyer", time.Duration(i+1)*time.Hour)
	}
	review := &app.Order{Channel: app.ChannelWooCommerce, ExternalID: "WC-9", PaymentMethod: app.PayTransfer, Buyer: app.Buyer{Name: "Rudi"},
		Lines: []app.Line{{SKU: "SKU-1", Name: "Kopi Susu 250ml", Qty: 1, UnitPrice: 25000}}, PaymentReceipt: &app.PaymentReceipt{ImageURL: "bukti.png", UploadedAt: clock}}
	res, err := f.svc.Place(review, app.ChannelActor("woocommerce"))
	if err != nil || res.Order.Status != app.StatusPaymentReview {
		t.Fatalf("payment review order: %v %v", err, res)
	}
	f.m.Refresh()
	s := f.m.online
	l := s.list
	check := func(step string) {
		t.Helper()
		h := highlighted(l)
		switch want := rowIndex(l, s.detail.id); {
		case h != want:
			t.Errorf("%s: row %d highlighted, the detail's order is at row %d", step, h, want)
		case h >= 0:
			// Tapping any other row opens it; the highlighted one is the open order.
			other := (h + 1) % l.total
			if o, _ := l.row(other); o != nil {
				l.list.Select(other)
				if s.detail.id != o.ID {
					t.Errorf("%s: tapping row %d left the detail on %s", step, other, s.detail.id)
				}
				l.list.Select(h)
			}
		}
	}
	s.onTabSelected(f.tab(app.StatusNew))
	l.list.Select(1)
	picked := s.detail.id
	check("opened")
	test.Tap(button(s.detail.actions, "Accept"))
	if s.detail.id != picked || s.detail.order.Status != app.StatusReadyToShip {
		t.Fatalf("after accept the detail shows %s (%v), want %s ready to ship", s.detail.id, s.detail.order.Status, picked)
	}
	check("accepted")
	if h := highlighted(l); h != -1 {
		t.Errorf("after accept row %d of New is highlighted, the order left New", h)
	}
	// Tapping the row now at the accepted one's place opens that order.
	if o, ok := l.row(1); ok {
		l.list.Select(1)
		if s.detail.id != o.ID {
			t.Errorf("tapping row 1 after accept opened %s, want %s", s.detail.id, o.ID)
		}
	}
	s.detail.run(app.ActionReject, app.Args{Reason: "out of stock"})
	check("rejected")
	// The order moves between tabs and stays selected where it went.
	s.openOrder(picked)
	s.onTabSelected(f.tab(app.StatusReadyToShip))
	check("followed to Ready to Ship")
	if highlighted(l) != rowIndex(l, picked) || highlighted(l) < 0 {
		t.Errorf("the accepted order is not highlighted in Ready to Ship")
	}
	s.onTabSelected(f.tab(app.StatusPaymentReview))
	l.list.Select(0)
	if s.detail.id != res.Order.ID {
		t.Fatalf("payment review row opened %s", s.detail.id)
	}
	s.detail.run(app.ActionAcceptPayment, app.Args{})
	if s.detail.order.Status != app.StatusNew {
		t.Errorf("after the payment decision the detail shows %v", s.detail.order.Status)
	}
	check("payment accepted")
}

func TestSearchFindsAnOrderInEveryStatus(t *testing.T) {
	f := newFixture(t, "Owner")
	fresh := f.place(app.ChannelTokopedia, "9001", "Wulan Sari", time.Hour)
	shipped := f.place(app.ChannelShopee, "9002", "Agus Salim", 2*time.Hour)
	f.do(app.ActionArrangeDropoff, shipped.ID, app.Args{Courier: "JNE"})
	f.do(app.ActionAssignCourier, shipped.ID, app.Args{TrackingID: "JNE77001122"})
	gone := f.place(app.ChannelLazada, "9003", "Rina Wati", 3*time.Hour)
	f.do(app.ActionReject, gone.ID, app.Args{Reason: "out of stock"})
	f.m.Refresh()
	s := f.m.online
	s.onTabSelected(f.tab(app.StatusCompleted)) // the wrong tab for all three
	for _, tc := range []struct{ text, want string }{
		{"Wulan", fresh.ID}, {shipped.Number, shipped.ID}, {"JNE77001122", shipped.ID}, {"jne770", shipped.ID},
		{"Rina", gone.ID}, {"0812-1111", ""}, {"SKU-1", ""},
	} {
		s.search.SetText(tc.text)
		if tc.want == "" {
			if s.list.total != 3 {
				t.Errorf("search %q found %d orders, want all 3", tc.text, s.list.total)
			}
			continue
		}
		if s.list.total != 1 {
			t.Errorf("search %q on Completed found %d orders, want 1", tc.text, s.list.total)
			continue
		}
		if o, _ := s.list.row(0); o.ID != tc.want {
			t.Errorf("search %q found %s, want %s", tc.text, o.ID, tc.want)
		}
		if s.empty.Visible() {
			t.Errorf("search %q says %q", tc.text, s.empty.Text)
		}
	}
	// Each result says which status it is in.
	s.search.SetText("Rina")
	r := newOrderRow(s)
	o, _ := s.list.row(0)
	r.set(o)
	if !r.status.Visible() || r.status.Text != "Cancelled" {
		t.Errorf("a search result's status tag is %v %q, want Cancelled", r.status.Visible(), r.status.Text)
	}
	s.search.SetText("nobody-like-this")
	if !s.empty.Visible() || s.empty.Text != "No order matches in any status" {
		t.Errorf("no match says %v %q", s.empty.Visible(), s.empty.Text)
	}
	// Choosing a sub-tab leaves the search and lists that tab.
	s.onTabSelected(f.tab(app.StatusNew))
	if s.search.Text != "" || s.list.total != 1 {
		t.Errorf("New after a search: text %q, %d orders", s.search.Text, s.list.total)
	}
}

func TestScannerOpensTheOrder(t *testing.T) {
	f := newFixture(t, "Kasir")
	a := f.place(app.ChannelShopee, "SCAN-1", "Dewi", time.Hour)
	f.do(app.ActionArrangeDropoff, a.ID, app.Args{Courier: "J&T"})
	f.do(app.ActionAssignCourier, a.ID, app.Args{TrackingID: "JP1234567890"})
	b := f.place(app.ChannelTokopedia, "12", "Bayu", 2*time.Hour)
	f.place(app.ChannelTokopedia, "123", "Citra", 3*time.Hour) // its number starts with b's
	f.m.Refresh()
	s := f.m.online
	s.onTabSelected(f.tab(app.StatusCompleted))
	for _, tc := range []struct{ scan, want string }{{"JP1234567890", a.ID}, {b.Number, b.ID}, {strings.ToLower(a.Number), a.ID}} {
		test.Type(s.search, tc.scan)
		s.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		if s.detail.id != tc.want {
			t.Logf("text %q, %d orders", s.search.Text, s.list.total)
			t.Errorf("scanning %q opened %q, want %s", tc.scan, s.detail.id, tc.want)
		}
		if s.search.SelectedText() != s.search.Text {
			t.Errorf("after the scan of %q the text is not selected for the next scan", tc.scan)
		}
		// The next scan replaces the selected text.
	}
}

// drawn reports whether an object under o, inside widgets too, satisfies is.
func drawn(o fyne.CanvasObject, is func(fyne.CanvasObject) bool) bool {
	if o == nil {
		return false
	}
	if is(o) {
		return true
	}
	var children []fyne.CanvasObject
	switch w := o.(type) {
	case *fyne.Container:
		children = w.Objects
	case fyne.Widget:
		children = test.WidgetRenderer(w).Objects()
	}
	for _, c := range children {
		if drawn(c, is) {
			return true
		}
	}
	return false
}

// exportedNumbers reads the order numbers of the last export's file.
func exportedNumbers(t *testing.T, b *bulkBar) []string {
	t.Helper()
	data, err := os.ReadFile(b.lastExport.path)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF")))).ReadAll()
	if err != nil || len(rows) == 0 || rows[0][0] != "order_number" {
		t.Fatalf("export file: %v %v", rows, err)
	}
	var out []string
	for _, r := range rows[1:] {
		out = append(out, r[0])
	}
	return out
}

func TestExportIsExactlyTheSelectionOrARange(t *testing.T) {
	f := newFixture(t, "Owner")
	dir := t.TempDir()
	f.m.d.ExportDir = dir
	var orders []*app.Order
	for i := range 7 {
		orders = append(orders, f.place(app.ChannelTokopedia, fmt.Sprintf("EX%d", i), "Buyer", time.Duration(i+1)*time.Hour))
	}
	for i, days := range []int{10, 80, 89, 91, 120} {
		orders = append(orders, f.place(app.ChannelShopee, fmt.Sprintf("OLD%d", i), "Buyer", time.Duration(days)*24*time.Hour))
	}
	f.m.Refresh()
	s := f.m.online
	s.onTabSelected(f.tab(app.StatusNew))
	s.onSelectMode()
	want := map[string]bool{}
	for _, i := range []int{0, 2, 3, 5, 6} { // 5 ticked, 2 created between them left out
		s.setSelected(orders[i], true)
		want[orders[i].Number] = true
	}
	s.bulk.onExport()
	got := exportedNumbers(t, s.bulk)
	if len(got) != 5 || s.bulk.lastExport.n != 5 {
		t.Errorf("5 selected exported %d orders (%v)", len(got), got)
	}
	for _, n := range got {
		if !want[n] {
			t.Errorf("%s was exported but not selected", n)
		}
	}
	if filepath.Dir(s.bulk.lastExport.path) != dir {
		t.Errorf("export went to %s, want the export folder %s", s.bulk.lastExport.path, dir)
	}
	top := f.m.Window().Canvas().Overlays().Top()
	if !drawn(top, func(o fyne.CanvasObject) bool {
		l, ok := o.(*widget.Label)
		return ok && l.Text == s.bulk.lastExport.path
	}) {
		t.Error("the export does not say where the file went")
	}
	if !drawn(top, func(o fyne.CanvasObject) bool { b, ok := o.(*widget.Button); return ok && b.Text == "Open folder" }) {
		t.Error("the export does not offer to open its folder")
	}

	// The last 90 days: today and the 89 days before it.
	s.bulk.export(exportKind{days: 90})
	from := app.LastDays(90, clock, f.m.zone()).From
	inRange := 0
	for _, o := range orders {
		if !o.CreatedAt.Before(from) {
			inRange++
		}
	}
	got = exportedNumbers(t, s.bulk)
	if len(got) != inRange || inRange != 10 {
		t.Errorf("90-day export has %d orders, %d were placed in those days (want 10)", len(got), inRange)
	}
	for _, n := range got {
		if strings.HasPrefix(n, "SHO-OLD3") || strings.HasPrefix(n, "SHO-OLD4") {
			t.Errorf("90-day export has %s, older than 90 days", n)
		}
	}
}

// rowsOnScreen counts the order rows wholly inside the list's visible area.
func rowsOnScreen(s *onlineScreen) int {
	// The desktop driver lays out again when a part (the bulk bar) shows;
	// the test canvas waits to be told.
	s.m.Window().Content().Refresh()
	s.m.Window().Canvas().Capture()
	d := fyne.CurrentApp().Driver()
	top := d.AbsolutePositionForObject(s.list.list).Y
	bottom := top + s.list.list.Size().Height
	n := 0
	drawn(s.list.list, func(o fyne.CanvasObject) bool {
		r, ok := o.(*orderRow)
		if !ok || !r.Visible() || r.order == nil {
			return false
		}
		y := d.AbsolutePositionForObject(r).Y
		if y >= top && y+r.Size().Height <= bottom+0.5 {
			n++
		}
		return false
	})
	return n
}

func TestTenRowsFitALandscapeTablet(t *testing.T) {
	f := newFixture(t, "Owner")
	for i := range 40 {
		o := f.place(app.ChannelTokopedia, fmt.Sprintf("R%02d", i), "Buyer with a rather long name", time.Duration(i+1)*time.Minute,
			app.Line{SKU: "SKU-1", Name: "Kopi Susu 250ml", Qty: 1, UnitPrice: 25000}, app.Line{SKU: "X-9", Name: "Free item", Qty: 1, UnitPrice: 1000})
		if i%2 == 0 {
			f.do(app.ActionAccept, o.ID, app.Args{})
			f.do(app.ActionArrangeDropoff, o.ID, app.Args{Courier: "JNE"})
			f.do(app.ActionAssignCourier, o.ID, app.Args{TrackingID: fmt.Sprintf("JNE000111%02d", i)})
		}
	}
	f.m.Refresh()
	s := f.m.online
	for _, st := range []app.Status{app.StatusNew, app.StatusReadyToShip} {
		s.onTabSelected(f.tab(st))
		n := rowsOnScreen(s)
		t.Logf("%s: %d rows", st, n)
		if n < 10 {
			t.Errorf("%s: %d rows on screen at 1280×800, want at least 10", st, n)
		}
	}
	s.onSelectMode()
	n := rowsOnScreen(s)
	t.Logf("Select mode: %d rows", n)
	if n < 10 {
		t.Errorf("Select mode: %d rows on screen at 1280×800, want at least 10", n)
	}
	for _, o := range []string{"R01", "R03"} {
		p, _ := f.svc.Find(app.Filter{Text: o})
		s.setSelected(p.Orders[0], true)
	}
	if s.selectBtn.Text != "2 selected" {
		t.Errorf("the Select button says %q with 2 selected", s.selectBtn.Text)
	}
	r := newOrderRow(s)
	if h := r.MinSize().Height; h < touchMin {
		t.Errorf("a row is %.0f px high, want a %d px touch target", h, touchMin)
	}
	o, _ := s.list.row(0)
	r.set(o)
	r.Resize(fyne.NewSize(575, r.MinSize().Height))
	if c := r.check.Size(); c.Width < touchMin || c.Height < touchMin {
		t.Errorf("the check box is %v, want %d×%d", c, touchMin, touchMin)
	}
	if !r.unlinked.Visible() || !r.printed.Visible() {
		t.Errorf("the row does not mark its unlinked line (%v) or its label (%v)", r.unlinked.Visible(), r.printed.Visible())
	}
}

// TestNewPrinterShowsAtOnce adds a printer in Settings with the settings
// written in the background, as on a tablet: it is listed before the write ends.
func TestNewPrinterShowsAtOnce(t *testing.T) {
	f := newFixture(t, "Owner")
	var queued []func()
	background = func(fn func()) { queued = append(queued, fn) }
	defer func() { background = func(fn func()) { fn() } }()
	f.m.showScreen(screenSettings)
	st := f.m.settings
	st.printerName.SetText("Back room")
	st.printerURL.SetText("not an address")
	test.Tap(st.addPrinter)
	if st.printerName.Text != "Back room" || st.printerURL.Text != "not an address" {
		t.Errorf("a refused printer lost what was typed: %q %q", st.printerName.Text, st.printerURL.Text)
	}
	st.printerURL.SetText("tcp://192.168.1.77:9100")
	test.Tap(st.addPrinter)
	if !drawn(st.printerList, func(o fyne.CanvasObject) bool {
		l, ok := o.(*widget.Label)
		return ok && l.Text == "Back room · tcp://192.168.1.77:9100"
	}) {
		t.Error("the new printer is not listed until the setting is written")
	}
	for _, fn := range queued {
		fn()
	}
	f.m.settings.onShown()
	if pd := f.m.loadPrinting(); len(pd.Printers) != 1 || pd.Printers[0].Name != "Back room" || !pd.Printers[0].Labels {
		t.Errorf("saved printers %+v", pd.Printers)
	}
}

// TestDatesDialogKeepsWhatWasTyped refuses an unreadable date and a last day
// before the first, and keeps the dialog open with the dates as typed.
func TestDatesDialogKeepsWhatWasTyped(t *testing.T) {
	f := newFixture(t, "Owner")
	f.m.d.ExportDir = t.TempDir()
	b := f.m.online.bulk
	b.askExportDates()
	fd := b.datesDialog
	from := fd.form.Items[0].Widget.(*widget.Entry)
	to := fd.form.Items[1].Widget.(*widget.Entry)
	from.SetText("")
	to.SetText("2026-11-20")
	test.Tap(fd.confirm)
	if !fd.why.Visible() || to.Text != "2026-11-20" || b.lastExport.path != "" {
		t.Errorf("an empty first day: reason shown %v, last day %q, exported %q", fd.why.Visible(), to.Text, b.lastExport.path)
	}
	from.SetText("2026-11-21")
	test.Tap(fd.confirm)
	if !fd.why.Visible() || from.Text != "2026-11-21" || b.lastExport.path != "" {
		t.Errorf("last day before the first: reason %q, exported %q", fd.why.Text, b.lastExport.path)
	}
	to.SetText("2026-11-23")
	test.Tap(fd.confirm)
	if b.lastExport.path == "" {
		t.Error("valid dates did not export")
	}
	if h := fd.confirm.Size().Height; h < touchMin {
		t.Errorf("the dialog's Export button is %.0f px high, want %d", h, touchMin)
	}
}

func TestPortraitShowsEverySubTab(t *testing.T) {
	f := newFixture(t, "Owner")
	// An order in every status, so that every sub-tab carries its count.
	var all []*app.Order
	for i, st := range []app.Status{app.StatusPaymentReview, app.StatusNew, app.StatusReadyToShip, app.StatusInDelivery,
		app.StatusCompleted, app.StatusCancelled, app.StatusComplained} {
		for k := 0; k < 12; k++ {
			all = append(all, &app.Order{ID: fmt.Sprintf("tokopedia:P%d-%d", i, k), Channel: app.ChannelTokopedia, ExternalID: fmt.Sprintf("P%d-%d", i, k),
				Number: fmt.Sprintf("TOK-P%d-%d", i, k), Status: st, Currency: app.IDR, CreatedAt: clock.Add(-time.Hour), UpdatedAt: clock.Add(-time.Hour), Version: 1,
				Lines: []app.Line{{SKU: "SKU-1", Name: "Kopi Susu 250ml", Qty: 1, UnitPrice: 25000, Linked: true}}, Total: 25000})
		}
	}
	if err := f.db.InsertOrders(all); err != nil {
		t.Fatal(err)
	}
	f.m.Refresh()
	for _, size := range []fyne.Size{{Width: 800, Height: 1280}, {Width: 1280, Height: 800}} {
		f.m.Window().Resize(size)
		f.m.Window().Canvas().Capture()
		d := fyne.CurrentApp().Driver()
		left, right := float32(0), size.Width
		for _, tb := range f.m.online.tabs {
			p := d.AbsolutePositionForObject(tb.button)
			if p.X < left || p.X+tb.button.Size().Width > right || tb.button.Size().Height < touchMin {
				t.Errorf("%v: sub-tab %q at x %.0f, %v: not wholly in sight", size, tb.button.Text, p.X, tb.button.Size())
			}
		}
		for _, b := range []*widget.Button{f.m.online.exportBtn, f.m.online.newOrderBtn} {
			p := d.AbsolutePositionForObject(b)
			if p.X+b.Size().Width > size.Width || b.Size().Height < touchMin {
				t.Errorf("%v: %q at %v, %v", size, b.Text, p, b.Size())
			}
		}
	}
}

// luminance is the relative luminance of a colour (WCAG).
func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		x := float64(v) / 0xffff
		if x <= 0.03928 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

func contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

// TestChannelBadgesReadOnBothThemes: every channel pill stands out from the
// background (by its fill or its edge) and its letters from its fill.
func TestChannelBadgesReadOnBothThemes(t *testing.T) {
	for _, v := range []fyne.ThemeVariant{theme.VariantDark, theme.VariantLight} {
		bg := theme.DefaultTheme().Color(theme.ColorNameBackground, v)
		for ch, look := range channelLook {
			edge := contrast(look.fill, bg)
			if look.stroke != nil {
				edge = max(edge, contrast(look.stroke, bg))
			}
			if edge < 3 {
				t.Errorf("variant %d: the %s pill is lost on the background (contrast %.1f)", v, ch, edge)
			}
			if c := contrast(color.White, look.fill); c < 3 {
				t.Errorf("the %s pill's letters are hard to read (contrast %.1f)", ch, c)
			}
		}
	}
}

// TestHitAreas: the message dialog's OK, the banner's close, the list's
// check box and the new chips are 44 px touch targets.
func TestHitAreas(t *testing.T) {
	f := newFixture(t, "Owner")
	f.m.showError("Export", app.FieldError("to", "is before the first day"))
	f.m.Window().Canvas().Capture()
	var ok *widget.Button
	drawn(f.m.Window().Canvas().Overlays().Top(), func(o fyne.CanvasObject) bool {
		if b, is := o.(*widget.Button); is && b.Text == "OK" {
			ok = b
		}
		return false
	})
	if ok == nil || ok.Size().Height < touchMin || ok.Size().Width < touchMin {
		t.Errorf("the message's OK is %v", ok)
	} else {
		test.Tap(ok)
	}
	f.m.showBanner("hello")
	f.m.Window().Canvas().Capture()
	var closeBtn *widget.Button
	drawn(f.m.banner, func(o fyne.CanvasObject) bool {
		if b, is := o.(*widget.Button); is && b.Text == "" {
			closeBtn = b
		}
		return false
	})
	if closeBtn == nil || closeBtn.Size().Height < touchMin || closeBtn.Size().Width < touchMin {
		t.Errorf("the banner's close is %v", closeBtn)
	}
	for _, b := range []*widget.Button{f.m.online.sortChip, f.m.online.unlinkedChip, f.m.online.exportBtn} {
		if b.Size().Height < touchMin {
			t.Errorf("%q is %.0f px high", b.Text, b.Size().Height)
		}
	}
}

// TestSettingsFitPortrait: on a portrait tablet the settings cards stack in
// one column, inside the window; on a landscape one they sit two abreast.
func TestSettingsFitPortrait(t *testing.T) {
	f := newFixture(t, "Owner")
	f.m.showScreen(screenSettings)
	for _, tc := range []struct {
		size fyne.Size
		cols int
	}{{fyne.NewSize(800, 1280), 1}, {fyne.NewSize(1280, 800), 2}} {
		f.m.Window().Resize(tc.size)
		f.m.Window().Content().Refresh()
		f.m.Window().Canvas().Capture()
		xs := map[float32]bool{}
		d := fyne.CurrentApp().Driver()
		drawn(f.m.settings.root, func(o fyne.CanvasObject) bool {
			if c, ok := o.(*widget.Card); ok {
				p := d.AbsolutePositionForObject(c)
				xs[p.X] = true
				if p.X+c.Size().Width > tc.size.Width+0.5 {
					t.Errorf("%v: card %q ends at %.0f, past the window", tc.size, c.Title, p.X+c.Size().Width)
				}
			}
			return false
		})
		if len(xs) != tc.cols {
			t.Errorf("%v: cards in %d columns, want %d", tc.size, len(xs), tc.cols)
		}
	}
}

// A complaint resolved by a return or a refund leaves Completed for Returns,
// counted on its sub-tab; a rejected complaint goes back to Completed.
func TestReturnedOrderLeavesCompleted(t *testing.T) {
	f := newFixture(t, "Owner")
	ids := map[app.Resolution]string{}
	for i, r := range []app.Resolution{app.ResolveReturn, app.ResolveRefund, app.ResolveReject} {
		o := f.place(app.ChannelTokopedia, fmt.Sprintf("R%d", i), "Budi", time.Hour)
		f.do(app.ActionAccept, o.ID, app.Args{})
		f.do(app.ActionShip, o.ID, app.Args{Courier: "JNE", TrackingID: fmt.Sprintf("JNE00%d", i)})
		f.do(app.ActionDeliver, o.ID, app.Args{})
		f.do(app.ActionComplain, o.ID, app.Args{Reason: "rusak"})
		f.do(app.ActionResolve, o.ID, app.Args{Resolution: r})
		ids[r] = o.ID
	}
	f.m.Refresh()
	s := f.m.online
	returns := f.tab(app.StatusReturned)
	if len(onlineTabs[returns].statuses) != 2 || onlineTabs[returns].statuses[1] != app.StatusRefunded {
		t.Fatal("Returned and Refunded share the Returns sub-tab")
	}
	if got := badgeText(s.counts[returns]); got != "2" {
		t.Fatalf("Returns count = %q, want 2", got)
	}
	if got := badgeText(s.counts[f.tab(app.StatusCompleted)]); got != "1" {
		t.Fatalf("Completed count = %q, want 1 (the rejected complaint)", got)
	}
	s.onTabSelected(returns)
	if s.list.total != 2 {
		t.Fatalf("Returns lists %d orders, want 2", s.list.total)
	}
	for r, want := range map[app.Resolution]app.Status{app.ResolveReturn: app.StatusReturned, app.ResolveRefund: app.StatusRefunded, app.ResolveReject: app.StatusCompleted} {
		o, err := f.svc.Order(ids[r])
		if err != nil {
			t.Fatal(err)
		}
		wantInvoice := app.InvoiceRefunded
		if r == app.ResolveReject {
			wantInvoice = app.InvoicePaid
		}
		if o.Status != want || o.Invoice.Status != wantInvoice {
			t.Errorf("%s: status %s invoice %s, want %s %s", r, o.Status, o.Invoice.Status, want, wantInvoice)
		}
	}
}
