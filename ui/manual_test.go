package ui

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/sync/client"
	"github.com/kasir/pos/sync/wire"
)

// walk calls fn for every object under o, looking inside containers, cards and scrolls.
func walk(o fyne.CanvasObject, fn func(fyne.CanvasObject)) {
	if o == nil {
		return
	}
	fn(o)
	switch w := o.(type) {
	case *fyne.Container:
		for _, c := range w.Objects {
			walk(c, fn)
		}
	case *widget.Card:
		walk(w.Content, fn)
	case *container.Scroll:
		walk(w.Content, fn)
	case *widget.Form:
		for _, it := range w.Items {
			walk(it.Widget, fn)
		}
	}
}

// labelWith finds a label whose text contains s.
func labelWith(o fyne.CanvasObject, s string) *widget.Label {
	var found *widget.Label
	walk(o, func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok && found == nil && l.Visible() && strings.Contains(l.Text, s) {
			found = l
		}
	})
	return found
}

func checkWith(o fyne.CanvasObject, text string) *widget.Check {
	var found *widget.Check
	walk(o, func(o fyne.CanvasObject) {
		if c, ok := o.(*widget.Check); ok && found == nil && c.Text == text {
			found = c
		}
	})
	return found
}

func images(o fyne.CanvasObject) []*canvas.Image {
	var out []*canvas.Image
	walk(o, func(o fyne.CanvasObject) {
		if i, ok := o.(*canvas.Image); ok {
			out = append(out, i)
		}
	})
	return out
}

// receiptPNG writes a small transfer-receipt picture and returns its bytes.
func receiptPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, 60, 120))
	for y := range 120 {
		for x := range 60 {
			img.Set(x, y, color.NRGBA{0x20, 0x80, uint8(2 * y), 0xff})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func openManualForm(t *testing.T, f *fixture) *manualForm {
	t.Helper()
	s := f.m.online
	if s.newOrderBtn == nil || s.newOrderBtn.Disabled() {
		t.Fatal("no enabled New order button in the Online toolbar")
	}
	test.Tap(s.newOrderBtn)
	if s.manual == nil || s.manual.dlg == nil {
		t.Fatal("New order did not open the form")
	}
	return s.manual
}

func TestManualOrderByTouch(t *testing.T) {
	f := newFixture(t, "Kasir")
	mf := openManualForm(t, f)

	// Every validation error names its field.
	test.Tap(mf.place)
	if !mf.message.Visible() || !strings.HasPrefix(mf.message.Text, "Buyer name ") {
		t.Fatalf("empty form: message %q, want it to name the buyer name", mf.message.Text)
	}
	test.Type(mf.name, "Bu Rina (WA)")
	test.Tap(mf.place)
	if !strings.HasPrefix(mf.message.Text, "Add at least one product") {
		t.Fatalf("no lines: message %q", mf.message.Text)
	}
	mf.phone.SetText("0812 abc")
	mf.search.SetText("roti")
	if len(mf.shown) != 1 || mf.shown[0].SKU != "SKU-2" {
		t.Fatalf("search roti shows %d products", len(mf.shown))
	}
	mf.productList.Select(0) // tap the row: one Roti Bakar
	mf.search.SetText("sku-1")
	if len(mf.shown) != 2 { // SKU-1 and SKU-12
		t.Fatalf("search sku-1 shows %d products", len(mf.shown))
	}
	for _, p := range mf.shown {
		if p.SKU == "SKU-1" {
			mf.addProduct(p)
			mf.addProduct(p)
			mf.addProduct(p)
		}
	}
	// − on the Kopi line: 3 → 2.
	minus := mf.lineBox.Objects[1].(*fyne.Container).Objects[1].(*fyne.Container).Objects[0].(*fyne.Container).Objects[1].(*widget.Button)
	test.Tap(minus)
	mf.freePrice.SetText("5000")
	test.Tap(mf.addFree)
	if !strings.HasPrefix(mf.message.Text, "Item name ") {
		t.Fatalf("free line without a name: message %q", mf.message.Text)
	}
	mf.freeName.SetText("Gift wrap")
	mf.freePrice.SetText("5.000")
	mf.onAddFree()
	if len(mf.lines) != 3 {
		t.Fatalf("%d lines, want 3", len(mf.lines))
	}
	test.Tap(mf.place)
	if !strings.HasPrefix(mf.message.Text, "Phone ") {
		t.Fatalf("bad phone: message %q", mf.message.Text)
	}
	mf.phone.SetText("0812-3456-7890")
	mf.shipping.SetText("ongkir")
	test.Tap(mf.place)
	if !strings.HasPrefix(mf.message.Text, "Shipping fee ") {
		t.Fatalf("bad shipping fee: message %q", mf.message.Text)
	}
	mf.shipping.SetText("9.000")
	mf.discount.SetText("2000")
	// 2 × 25.000 + 18.000 + 5.000 + 9.000 − 2.000
	if got := mf.total.Text; got != "Rp 80.000" {
		t.Fatalf("running total %q, want Rp 80.000", got)
	}
	mf.street.SetText("Jl. Dago 12")
	mf.city.SetText("Bandung")
	mf.postal.SetText("40135")
	mf.method.SetSelectedIndex(1) // Cash on delivery
	if mf.receiptRow.Visible() {
		t.Error("receipt picker shown for cash on delivery")
	}
	test.Tap(mf.place)
	if mf.message.Visible() {
		t.Fatalf("place failed: %s", mf.message.Text)
	}

	page, err := f.svc.Find(app.Filter{Channels: []app.Channel{app.ChannelManual}})
	if err != nil || page.Total != 1 {
		t.Fatalf("manual orders = %d (%v), want 1", page.Total, err)
	}
	o := page.Orders[0]
	if o.Status != app.StatusReadyToShip || o.PaymentMethod != app.PayCOD || o.Total != 80000 || o.CreatedBy != "Kasir" {
		t.Errorf("order = %s, %s, total %d, by %s", o.Status, o.PaymentMethod, o.Total, o.CreatedBy)
	}
	if o.Buyer.Name != "Bu Rina (WA)" || o.Buyer.Address.City != "Bandung" || o.Buyer.Address.PostalCode != "40135" {
		t.Errorf("buyer = %+v", o.Buyer)
	}
	if len(o.Lines) != 3 || o.Lines[1].SKU != "SKU-1" || o.Lines[1].Qty != 2 || !o.Lines[1].Linked || o.Lines[2].Linked || o.Lines[2].UnitPrice != 5000 {
		t.Errorf("lines = %+v", o.Lines)
	}
	// The form closed and the new order is selected on its tab.
	s := f.m.online
	if s.tab != f.tab(app.StatusReadyToShip) || s.detail.order == nil || s.detail.order.ID != o.ID {
		t.Fatalf("after placing: tab %d, detail %v", s.tab, s.detail.order)
	}
	if f.m.current != screenOnline || !f.m.banner.Visible() {
		t.Error("no Online screen or banner after placing")
	}
}

func TestManualTransferWithReceiptGoesToPaymentReview(t *testing.T) {
	f := newFixture(t, "Owner")
	path := filepath.Join(t.TempDir(), "bukti.png")
	if err := os.WriteFile(path, receiptPNG(t), 0o644); err != nil {
		t.Fatal(err)
	}
	mf := openManualForm(t, f)
	mf.name.SetText("Pak Joko")
	mf.addProduct(&app.Product{SKU: "SKU-2", Name: "Roti Bakar", Price: 18000, OnHand: 10})
	if mf.payMethod() != app.PayTransfer || !mf.receiptRow.Visible() {
		t.Fatal("transfer with a receipt picker is not the default")
	}
	test.Tap(button(mf.receiptRow, "Choose image…"))
	if f.m.Window().Canvas().Overlays().Top() == nil {
		t.Error("Choose image… opened no file dialog")
	}
	mf.setReceipt(path) // what the file dialog hands back
	if mf.receiptName.Text != "bukti.png" {
		t.Errorf("receipt shown as %q", mf.receiptName.Text)
	}
	test.Tap(mf.place)
	if mf.message.Visible() {
		t.Fatalf("place failed: %s", mf.message.Text)
	}
	o := f.m.online.detail.order
	if o == nil || o.Status != app.StatusPaymentReview || o.PaymentReceipt == nil || o.PaymentReceipt.ImageURL != path {
		t.Fatalf("order = %+v", o)
	}
	imgs := images(f.m.online.detail.content)
	if len(imgs) != 1 || imgs[0].File != path || imgs[0].FillMode != canvas.ImageFillContain || imgs[0].MinSize().Height > receiptMaxHeight {
		t.Fatalf("receipt images in the detail: %+v", imgs)
	}
	if labelWith(f.m.online.detail.content, "No receipt image") != nil {
		t.Error("receipt image and 'No receipt image' both shown")
	}
}

func TestManualOrderShowsPlaceErrors(t *testing.T) {
	f := newFixture(t, "Owner")
	mf := openManualForm(t, f)
	mf.name.SetText("Dina")
	mf.method.SetSelectedIndex(3) // cash: ready to ship at once, so stock is allocated
	mf.addProduct(mf.products[len(mf.products)-1])
	var topi *manualLine
	for _, p := range mf.products {
		if p.SKU == "SKU-12" { // 1 in stock
			mf.addProduct(p)
			mf.addProduct(p) // refused when added, not at Place
			topi = mf.lines[len(mf.lines)-1]
		}
	}
	if topi == nil || topi.qty != 1 || !strings.Contains(mf.message.Text, "Only 1 of") || !strings.Contains(mf.message.Text, "in stock; 2 asked") {
		t.Fatalf("a second of 1 in stock: qty %v, message %q", topi, mf.message.Text)
	}
	mf.discount.SetText("999999")
	if p := mf.problems[app.ManualDiscount]; !p.Visible() || !strings.HasPrefix(p.Text, "Discount cannot be more") {
		t.Fatalf("the discount is not checked as it is typed: %q", p.Text)
	}
	test.Tap(mf.place)
	if !strings.HasPrefix(mf.message.Text, "Discount ") {
		t.Fatalf("discount above the total: %q", mf.message.Text)
	}
	if page, _ := f.svc.Find(app.Filter{Channels: []app.Channel{app.ChannelManual}}); page.Total != 0 {
		t.Fatal("an order was placed with a discount above its total")
	}
	if mf.name.Text != "Dina" || len(mf.lines) != 2 || mf.discount.Text != "999999" {
		t.Fatal("the refused form lost what was typed")
	}
	mf.discount.SetText("")
	test.Tap(mf.place)
	if mf.message.Visible() {
		t.Fatalf("place failed: %s", mf.message.Text)
	}
}

func TestManualFormChecksAsYouType(t *testing.T) {
	f := newFixture(t, "Owner")
	mf := openManualForm(t, f)
	for _, e := range []*widget.Entry{mf.name, mf.phone, mf.street, mf.city, mf.postal, mf.shipping, mf.discount} {
		if !strings.HasPrefix(e.PlaceHolder, "e.g. ") {
			t.Errorf("hint %q does not read as a hint", e.PlaceHolder)
		}
	}
	if mf.problems[app.ManualPhone].Visible() {
		t.Fatal("an untouched field shows a problem")
	}
	test.Type(mf.phone, "0812")
	if p := mf.problems[app.ManualPhone]; !p.Visible() || p.Text != "Phone must have 8 to 15 digits, not 4" {
		t.Fatalf("short phone as typed: %q", p.Text)
	}
	test.Type(mf.phone, "34567890")
	if mf.problems[app.ManualPhone].Visible() {
		t.Fatalf("a good phone still shows %q", mf.problems[app.ManualPhone].Text)
	}
	test.Type(mf.postal, "4011")
	if p := mf.problems[app.ManualPostalCode]; !p.Visible() || !strings.Contains(p.Text, "5 digits") {
		t.Fatalf("short postcode as typed: %q", p.Text)
	}
	mf.postal.SetText("40111")

	// Cash on delivery makes phone and address required, marked and checked.
	if strings.HasSuffix(mf.items[app.ManualStreet].Text, "*") || !strings.HasSuffix(mf.items[app.ManualBuyerName].Text, "*") {
		t.Fatal("required marks for a transfer")
	}
	mf.method.SetSelectedIndex(1) // Cash on delivery
	for _, fld := range []app.ManualField{app.ManualPhone, app.ManualStreet, app.ManualCity} {
		if !strings.HasSuffix(mf.items[fld].Text, " *") {
			t.Errorf("%s is not marked required for cash on delivery: %q", fld, mf.items[fld].Text)
		}
	}
	mf.name.SetText("Pak Budi")
	mf.phone.SetText("")
	mf.addProduct(&app.Product{SKU: "SKU-2", Name: "Roti Bakar", Price: 2500000, OnHand: 5})
	test.Tap(mf.place)
	if !strings.HasPrefix(mf.message.Text, "Phone is required for cash on delivery") || !mf.problems[app.ManualStreet].Visible() || !mf.problems[app.ManualCity].Visible() {
		t.Fatalf("a COD order without phone and address: %q", mf.message.Text)
	}
	if page, _ := f.svc.Find(app.Filter{Channels: []app.Channel{app.ChannelManual}}); page.Total != 0 {
		t.Fatal("a COD order was placed without phone and address")
	}

	// The same rules speak the staff's language.
	staffLang = app.Indonesian
	defer func() { staffLang = app.English }()
	mf.check(app.ManualPhone)
	if p := mf.problems[app.ManualPhone].Text; p != "Telepon wajib diisi untuk bayar di tempat (COD)" {
		t.Fatalf("in Indonesian: %q", p)
	}
}

func TestPackerCannotOpenNewOrder(t *testing.T) {
	f := newFixture(t, "Owner")
	f.m.actor = app.Actor{Staff: "Pak Pack", Role: app.RolePacker, Terminal: "Counter"}
	f.m.online.onActorChanged()
	allowed := app.Permit(app.RolePacker, app.ActionPlace) == nil
	if got := !f.m.online.newOrderBtn.Disabled(); got != allowed {
		t.Fatalf("New order enabled = %v for a packer, want %v", got, allowed)
	}
	if !allowed {
		f.m.online.onNewOrder() // reached anyway: refused with the reason
		if f.m.online.manual != nil {
			t.Fatal("the form opened for a packer")
		}
	}
}

func TestAutoPrintMyReceipts(t *testing.T) {
	f := newFixture(t, "")
	stored := app.Printing{Shop: app.PrintShop{Name: "Toko Kopi", Address: "Jl. Braga", Footer: "Terima kasih"},
		Printers:        []app.PrinterSetup{{Name: "Counter", URL: "file:///tmp/p.bin", Profile: "custom-58", Receipts: true}},
		Profiles:        []app.PrinterProfile{{Name: "custom-58", WidthDots: 384, CharsPerLine: 32, CodePage: "PC437"}},
		AutoPrintLabels: true, AutoPrintReceiptsFor: []string{"Owner"}}
	if err := app.SaveSetting(f.db, stored); err != nil {
		t.Fatal(err)
	}
	// The screen writes the setting as app.SaveSetting does (and so as
	// `pos settings set printing` does), byte for byte.
	check := func(who ...string) {
		t.Helper()
		want := stored
		want.AutoPrintReceiptsFor = who
		wantRaw, _ := json.Marshal(want)
		var raw json.RawMessage
		if _, err := f.db.GetSetting(app.SettingPrinting, &raw); err != nil {
			t.Fatal(err)
		}
		if string(raw) != string(wantRaw) {
			t.Fatalf("stored %s\nwant   %s", raw, wantRaw)
		}
	}
	const text = "Print my in-store receipts automatically"

	// The cashier sets it for themself on the Settings screen.
	f.m.signedIn(f.staff["Kasir"])
	f.m.showScreen(screenSettings)
	c := checkWith(f.m.settings.root, text)
	if c == nil || c.Checked {
		t.Fatalf("cashier's check = %v, want present and off", c)
	}
	c.SetChecked(true)
	check("Owner", "Kasir")

	// The owner's Printers card shows the owner's own choice.
	f.m.signedIn(f.staff["Owner"])
	f.m.showScreen(screenSettings)
	c = checkWith(f.m.settings.root, text)
	if c == nil || !c.Checked {
		t.Fatalf("owner's check = %v, want present and on", c)
	}
	c.SetChecked(false)
	check("Kasir")
}

// A printing setup stored by an older version that no longer holds does
// not stop the screens: Settings shows the defaults, and saving writes a
// setup that holds.
func TestPrintingSetAsideShowsTheDefaults(t *testing.T) {
	f := newFixture(t, "Owner")
	if err := f.db.PutSetting(app.SettingPrinting, map[string]any{"printers": []map[string]any{{"url": "lpt1", "profile": "80mm"}}}); err != nil {
		t.Fatal(err)
	}
	f.m.showScreen(screenSettings)
	if pd := f.m.loadPrinting(); len(pd.Printers) != 0 || pd.Shop.Name != "Toko Kasir" {
		t.Fatalf("a setup that no longer holds was used: %+v", pd)
	}
	st := f.m.settings
	st.printerName.SetText("Counter")
	st.printerURL.SetText("usb://")
	test.Tap(st.addPrinter)
	if st.printerURL.Text != "usb://" {
		t.Errorf("a refused printer lost what was typed: %q", st.printerURL.Text)
	}
	var raw map[string]any
	_, _ = f.db.GetSetting(app.SettingPrinting, &raw)
	if ps, _ := raw["printers"].([]any); len(ps) != 1 || ps[0].(map[string]any)["url"] != "lpt1" {
		t.Fatalf("a refused printer was stored: %v", raw)
	}
	// The window tells staff of each setting set aside when the terminal opened.
	p := app.DefaultPrinting()
	setAside, _ := app.LoadSetting(f.db, &p)
	f.m.OnSettingSetAside(app.MessageOf(setAside))
	fyne.DoAndWait(func() {})
	if want := "The saved printing setting no longer holds"; !f.m.banner.Visible() || !strings.HasPrefix(f.m.bannerText.Text, want) {
		t.Errorf("banner %q", f.m.bannerText.Text)
	}
}

// A refusal the cloud sends as key and arguments reads in the terminal's
// language: an Indonesian terminal shows no English.
func TestCloudRefusalReadsInIndonesian(t *testing.T) {
	f := newFixture(t, "Owner")
	t.Cleanup(func() { applyLanguage("en") })
	f.m.setLanguage("id")
	o := f.place(app.ChannelTokopedia, "9002", "Wati", time.Hour)
	f.do(app.ActionAccept, o.ID, app.Args{})
	cur, _ := f.svc.Order(o.ID)
	// The cloud's own refusal: the same rule book, refusing a second accept.
	err := app.Errorf(app.EAlreadyAccepted, "Order %s is %s: cannot %s", cur.Number, cur.Status, app.ActionAccept)
	raw, _ := json.Marshal(wire.Result{Type: wire.TypeResult, Status: wire.StatusRejected, Code: app.ErrorCode(err),
		Message: app.ErrorMessage(err), Text: ptr(app.MessageOf(err))})
	var got wire.Result
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	rej := client.Rejection{Number: cur.Number, Code: got.Code, Message: got.Message, Text: *got.Text}
	f.m.OnRejected(rej.Number, rej.Reason())
	f.m.Window().Canvas().Capture()
	want := "Pesanan TOK-9002: Pesanan TOK-9002 berstatus Siap Kirim: tidak bisa terima — pesanan menampilkan versi dari cloud"
	if f.m.bannerText.Text != want {
		t.Fatalf("banner %q, want %q", f.m.bannerText.Text, want)
	}
	// An older cloud sends English text only: it is shown as sent, not lost.
	f.m.OnRejected(cur.Number, client.Rejection{Message: "already accepted on another terminal"}.Reason())
	f.m.Window().Canvas().Capture()
	if !strings.Contains(f.m.bannerText.Text, "already accepted on another terminal") {
		t.Fatalf("old cloud's text lost: %q", f.m.bannerText.Text)
	}
}

func ptr[T any](v T) *T { return &v }

func TestOnRejectedRaisesDangerBanner(t *testing.T) {
	f := newFixture(t, "Owner")
	f.m.showBanner("Queued on Counter printer")
	o := f.place(app.ChannelTokopedia, "9001", "Wati", time.Hour)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // the sync layer calls it from its own goroutine
		defer wg.Done()
		f.m.OnRejected(o.Number, app.Verbatim("already accepted on another terminal"))
	}()
	wg.Wait()
	want := "Order TOK-9001: already accepted on another terminal — the order shows the cloud's version"
	if !f.m.banner.Visible() || f.m.bannerText.Text != want {
		t.Fatalf("banner %v %q, want %q", f.m.banner.Visible(), f.m.bannerText.Text, want)
	}
	if f.m.bannerText.Importance != widget.DangerImportance {
		t.Errorf("banner importance %v, want danger", f.m.bannerText.Importance)
	}
	if badgeText(f.m.newBadge) != "1" {
		t.Error("OnRejected did not refresh the badges")
	}
	f.m.OnRejected("TOK-9001", app.Message{})
	if got := f.m.bannerText.Text; !strings.Contains(got, "TOK-9001: the cloud refused the change") {
		t.Errorf("banner without a message = %q", got)
	}
	f.m.showBanner("Shop settings saved")
	if f.m.bannerText.Importance == widget.DangerImportance {
		t.Error("the next ordinary banner kept the danger style")
	}
}

func TestDetailsPendingNotice(t *testing.T) {
	f := newFixture(t, "Owner")
	res, err := f.svc.Place(&app.Order{Channel: app.ChannelShopee, ExternalID: "SP-PUSH-1", DetailsPending: true,
		PaymentMethod: app.PayMarketplace}, app.ChannelActor("shopee"))
	if err != nil {
		t.Fatal(err)
	}
	f.m.online.openOrder(res.Order.ID)
	d := f.m.online.detail
	want := "Details pending from Shopee: the buyer and items arrive when the channel sends them"
	l := labelWith(d.content, want)
	if l == nil || l.Text != want {
		t.Fatalf("no notice %q in the detail", want)
	}
	if _, ok := d.content.Objects[0].(*widget.Card); !ok || labelWith(d.content.Objects[0], want) == nil {
		t.Error("the notice is not the first card")
	}
	// An order with its details has no notice.
	o := f.place(app.ChannelTokopedia, "9101", "Ani", time.Hour)
	f.m.online.openOrder(o.ID)
	if labelWith(d.content, "Details pending") != nil {
		t.Error("notice shown on a complete order")
	}
}

func TestPaymentReviewReceiptImage(t *testing.T) {
	f := newFixture(t, "Owner")
	pngData := receiptPNG(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/bukti.png" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "image/png")
		_, _ = w.Write(pngData)
	}))
	defer srv.Close()
	placeReview := func(ext, url string) *app.Order {
		o := &app.Order{Channel: app.ChannelWooCommerce, ExternalID: ext, PaymentMethod: app.PayTransfer, Buyer: app.Buyer{Name: "Rudi"},
			Lines: []app.Line{{SKU: "SKU-1", Name: "Kopi Susu 250ml", Qty: 1, UnitPrice: 25000}}}
		if url != "" {
			o.PaymentReceipt = &app.PaymentReceipt{ImageURL: url, UploadedAt: clock}
		}
		res, err := f.svc.Place(o, app.ChannelActor("woocommerce"))
		if err != nil {
			t.Fatal(err)
		}
		if res.Order.Status != app.StatusPaymentReview {
			t.Fatalf("%s placed as %s", ext, res.Order.Status)
		}
		return res.Order
	}
	d := f.m.online.detail
	for _, tc := range []struct {
		ext, url string
		image    bool
	}{
		{"WC-1", srv.URL + "/bukti.png", true},
		{"WC-2", srv.URL + "/missing.png", false},
		{"WC-3", filepath.Join(t.TempDir(), "nothing.jpg"), false},
		{"WC-4", "", false},
	} {
		o := placeReview(tc.ext, tc.url)
		d.show(o.ID)
		imgs := images(d.content)
		none := labelWith(d.content, "No receipt image")
		if tc.image {
			if len(imgs) != 1 || imgs[0].Resource == nil || imgs[0].FillMode != canvas.ImageFillContain || imgs[0].MinSize().Height > receiptMaxHeight || none != nil {
				t.Errorf("%s: images %+v, placeholder %v; want the receipt", tc.url, imgs, none != nil)
			}
		} else if len(imgs) != 0 || none == nil {
			t.Errorf("%q: %d images, placeholder %v; want No receipt image", tc.url, len(imgs), none != nil)
		}
	}
}

func TestTouchTargetsOnOnline(t *testing.T) {
	f := newFixture(t, "Owner")
	s := f.m.online
	f.m.Window().Resize(fyne.NewSize(1280, 800))
	f.m.Window().Canvas().Capture() // lay everything out
	for _, b := range []*widget.Button{s.channelChip, s.courierChip, s.labelChip, s.dateChip, s.selectBtn, s.newOrderBtn} {
		if h := b.Size().Height; h < touchMin {
			t.Errorf("%q is %.0f px high, want at least %d", b.Text, h, touchMin)
		}
	}
	for _, tb := range s.tabs {
		if h := tb.button.Size().Height; h < touchMin {
			t.Errorf("sub-tab %q is %.0f px high, want at least %d", tb.button.Text, h, touchMin)
		}
	}
	if w := s.body.Objects[0].Size().Width; w < 560 || w > 590 {
		t.Errorf("list pane is %.0f px wide at 1280×800, want about 575", w)
	}
}

// TestEveryStringHasIndonesian keeps id.json valid and complete for every
// literal passed to lang.L in the package.
func TestEveryStringHasIndonesian(t *testing.T) {
	data, err := os.ReadFile("../assets/translations/id.json")
	if err != nil {
		t.Fatal(err)
	}
	var id map[string]string
	if err := json.Unmarshal(data, &id); err != nil {
		t.Fatalf("id.json is not valid JSON: %v", err)
	}
	files, _ := filepath.Glob("*.go")
	re := regexp.MustCompile(`lang\.L\(("(?:[^"\\]|\\.)*")`)
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(src), -1) {
			key, err := strconv.Unquote(m[1])
			if err != nil {
				t.Fatalf("%s: %s: %v", name, m[1], err)
			}
			if strings.TrimSpace(id[key]) == "" {
				t.Errorf("%s: no Indonesian for %q", name, key)
			}
		}
	}
}

func TestManualOrderFormImage(t *testing.T) {
	f := newFixture(t, "Owner")
	mf := openManualForm(t, f)
	mf.name.SetText("Bu Rina")
	mf.phone.SetText("0812-3456-7890")
	mf.city.SetText("Bandung")
	for _, p := range mf.products {
		mf.addProduct(p)
	}
	mf.freeName.SetText("Gift wrap")
	mf.freePrice.SetText("5000")
	mf.onAddFree()
	mf.shipping.SetText("9000")
	test.AssertImageMatches(t, "manual_order.png", f.m.Window().Canvas().Capture())
}
