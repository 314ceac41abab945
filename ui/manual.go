package ui

import (
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kasir/pos/app"
)

// manualMethods are the payment methods offered for an order taken by
// WhatsApp or social media.
var manualMethods = []app.PaymentMethod{app.PayTransfer, app.PayCOD, app.PayEWallet, app.PayCash}

// manualLine is one line of a manual order: a product from the list, or a
// free-text line (product nil) for something the list does not have.
type manualLine struct {
	product *app.Product
	name    string
	price   app.Money
	qty     int
}

// manualForm takes an order by touch for a buyer who wrote on WhatsApp or
// social media, and places it as an app.ChannelManual order.
type manualForm struct {
	m *Main

	products []*app.Product
	shown    []*app.Product
	lines    []*manualLine
	receipt  string // local path of the transfer receipt image, if any

	name, phone, street, city, postal *widget.Entry
	method                            *widget.Select
	receiptRow                        *fyne.Container
	receiptName                       *widget.Label
	shipping, discount                *widget.Entry
	search                            *widget.Entry
	productList                       *widget.List
	lineBox                           *fyne.Container
	freeName, freePrice               *widget.Entry
	addFree                           *widget.Button
	total                             *widget.Label
	breakdown                         *widget.Label
	message                           *widget.Label
	place                             *widget.Button
	dlg                               *dialog.CustomDialog

	// items are the form rows by field, so a label can say "*" when the
	// payment makes the field required; problems say under a field what is
	// wrong with it; touched fields are checked as staff type.
	items    map[app.ManualField]*widget.FormItem
	labels   map[app.ManualField]string
	problems map[app.ManualField]*widget.Label
	touched  map[app.ManualField]bool
	forms    []*widget.Form
}

func newManualForm(m *Main) *manualForm {
	return &manualForm{m: m, items: map[app.ManualField]*widget.FormItem{}, labels: map[app.ManualField]string{},
		problems: map[app.ManualField]*widget.Label{}, touched: map[app.ManualField]bool{}}
}

// onNewOrder opens the manual order form from the Online toolbar.
func (s *onlineScreen) onNewOrder() {
	if ok, why := s.m.permitted(app.ActionPlace); !ok {
		dialog.ShowInformation(lang.L("New order"), why, s.m.win)
		return
	}
	f := newManualForm(s.m)
	s.manual = f
	f.show()
}

func (f *manualForm) show() {
	f.dlg = dialog.NewCustomWithoutButtons(lang.L("New order"), f.buildUI(), f.m.win)
	cancel := &widget.Button{Text: lang.L("Cancel"), Icon: theme.CancelIcon(), OnTapped: f.dlg.Hide}
	f.dlg.SetButtons([]fyne.CanvasObject{sized(cancel, 140, touchMin), sized(f.place, 180, touchMin)})
	f.dlg.Resize(fyne.NewSize(1120, 740))
	f.dlg.Show()
	f.loadProducts()
}

func (f *manualForm) buildUI() fyne.CanvasObject {
	// Hints read as hints ("e.g. …"), never as a value someone typed.
	f.name = f.entry(app.ManualBuyerName, lang.L("e.g. {{.X}}", map[string]any{"X": lang.L("the name on WhatsApp")}))
	f.phone = f.entry(app.ManualPhone, lang.L("e.g. {{.X}}", map[string]any{"X": "0812 3456 7890"}))
	f.street = f.entry(app.ManualStreet, lang.L("e.g. {{.X}}", map[string]any{"X": "Jl. Braga 12"}))
	f.city = f.entry(app.ManualCity, lang.L("e.g. {{.X}}", map[string]any{"X": "Bandung"}))
	f.postal = f.entry(app.ManualPostalCode, lang.L("e.g. {{.X}}", map[string]any{"X": "40111"}))
	var methods []string
	for _, pm := range manualMethods {
		methods = append(methods, lang.L(pm.Label()))
	}
	f.method = &widget.Select{Options: methods, OnChanged: func(string) { f.onMethodChanged() }}
	f.receiptName = &widget.Label{Text: lang.L("No receipt image"), Truncation: fyne.TextTruncateEllipsis, Importance: widget.MediumImportance}
	choose := &widget.Button{Text: lang.L("Choose image…"), Icon: theme.FileImageIcon(), OnTapped: f.onChooseReceipt}
	clear := &widget.Button{Icon: theme.ContentClearIcon(), Importance: widget.LowImportance, OnTapped: func() { f.setReceipt("") }}
	f.receiptRow = container.NewBorder(nil, nil, sized(choose, 0, touchMin), sized(clear, touchMin, touchMin), f.receiptName)
	f.shipping = f.entry(app.ManualShippingFee, lang.L("e.g. {{.X}}", map[string]any{"X": amountExample(f.m.currency())}))
	f.discount = f.entry(app.ManualDiscount, lang.L("e.g. {{.X}}", map[string]any{"X": "0"}))
	buyer := widget.NewForm(
		f.item(app.ManualBuyerName, lang.L("Buyer name"), f.name),
		f.item(app.ManualPhone, lang.L("Phone"), f.phone),
		f.item(app.ManualStreet, lang.L("Street"), f.street),
		f.item(app.ManualCity, lang.L("City"), f.city),
		f.item(app.ManualPostalCode, lang.L("Postal code"), f.postal),
	)
	pay := widget.NewForm(
		widget.NewFormItem(lang.L("Payment"), f.method),
		widget.NewFormItem(lang.L("Transfer receipt"), f.receiptRow),
		f.item(app.ManualShippingFee, lang.L("Shipping fee"), f.shipping),
		f.item(app.ManualDiscount, lang.L("Discount"), f.discount),
	)
	f.forms = []*widget.Form{buyer, pay}
	f.method.SetSelectedIndex(0)
	left := container.NewVScroll(container.NewVBox(bold(lang.L("Buyer")), buyer, widget.NewSeparator(), bold(lang.L("Payment")), pay))

	f.search = &widget.Entry{PlaceHolder: lang.L("Search products by name or SKU"), OnChanged: f.onSearchChanged}
	f.search.ActionItem = widget.NewIcon(theme.SearchIcon())
	f.productList = &widget.List{
		Length:     func() int { return len(f.shown) },
		CreateItem: f.newProductRow,
		UpdateItem: f.onUpdateProductRow,
		OnSelected: func(i widget.ListItemID) {
			f.productList.UnselectAll()
			if i >= 0 && i < len(f.shown) {
				f.addProduct(f.shown[i])
			}
		},
	}
	f.productList.ExtendBaseWidget(f.productList)
	f.lineBox = container.NewVBox()
	f.freeName = &widget.Entry{PlaceHolder: lang.L("Item not in the list")}
	f.freePrice = &widget.Entry{PlaceHolder: lang.L("Price")}
	f.addFree = &widget.Button{Text: lang.L("Add"), Icon: theme.ContentAddIcon(), OnTapped: f.onAddFree}
	free := container.NewBorder(nil, nil, nil, container.NewHBox(sized(f.freePrice, 130, 0), sized(f.addFree, 0, touchMin)), f.freeName)
	f.total = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameSubHeadingText, Alignment: fyne.TextAlignTrailing}
	f.breakdown = &widget.Label{SizeName: theme.SizeNameCaptionText, Alignment: fyne.TextAlignTrailing, Importance: widget.MediumImportance}
	lines := container.NewVScroll(f.lineBox)
	bottom := container.NewVBox(widget.NewSeparator(), bold(lang.L("Items")), sized(lines, 0, 190), free,
		container.NewBorder(nil, nil, bold(lang.L("Total")), nil, f.total), f.breakdown)
	right := container.NewBorder(f.search, bottom, nil, nil, f.productList)

	f.message = &widget.Label{Wrapping: fyne.TextWrapWord, Importance: widget.DangerImportance}
	f.message.Hide()
	f.place = &widget.Button{Text: lang.L("Place order"), Icon: theme.ConfirmIcon(), Importance: widget.HighImportance, OnTapped: f.onPlace}
	f.renderLines()
	return container.NewBorder(nil, f.message, nil, nil, container.NewGridWithColumns(2, left, right))
}

// loadProducts reads the product list off the UI goroutine.
func (f *manualForm) loadProducts() {
	if f.m.svc == nil {
		return
	}
	load(func() ([]*app.Product, error) { return f.m.svc.Store.Products() }, func(ps []*app.Product, err error) {
		if err != nil {
			f.m.showError(lang.L("Could not load the products"), err)
			return
		}
		f.products = ps
		f.onSearchChanged(f.search.Text)
	})
}

func (f *manualForm) onSearchChanged(q string) {
	q = strings.ToLower(strings.TrimSpace(q))
	f.shown = f.shown[:0]
	for _, p := range f.products {
		if q == "" || strings.Contains(strings.ToLower(p.Name), q) || strings.Contains(strings.ToLower(p.SKU), q) {
			f.shown = append(f.shown, p)
		}
	}
	f.productList.Refresh()
}

func (f *manualForm) newProductRow() fyne.CanvasObject {
	name := &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis}
	info := &widget.Label{SizeName: theme.SizeNameCaptionText, Truncation: fyne.TextTruncateEllipsis}
	add := &widget.Button{Icon: theme.ContentAddIcon(), Importance: widget.HighImportance}
	return container.NewBorder(nil, nil, nil, sized(add, touchMin, touchMin), container.NewVBox(name, info))
}

func (f *manualForm) onUpdateProductRow(i widget.ListItemID, obj fyne.CanvasObject) {
	p := f.shown[i]
	row := obj.(*fyne.Container)
	text := row.Objects[0].(*fyne.Container)
	text.Objects[0].(*widget.Label).SetText(p.Name)
	text.Objects[1].(*widget.Label).SetText(p.SKU + " · " + f.m.currency().Format(p.Price) + " · " +
		lang.L("{{.N}} in stock", map[string]any{"N": p.Available()}))
	row.Objects[1].(*fyne.Container).Objects[1].(*widget.Button).OnTapped = func() { f.addProduct(p) }
}

// addProduct puts one more of a listed product on the order.
func (f *manualForm) addProduct(p *app.Product) {
	for _, l := range f.lines {
		if l.product != nil && l.product.SKU == p.SKU {
			f.onQty(l, +1)
			return
		}
	}
	if err := app.CheckStock(p, 1); err != nil {
		f.showProblem(err)
		return
	}
	f.lines = append(f.lines, &manualLine{product: p, name: p.Name, price: p.Price, qty: 1})
	f.renderLines()
}

// onAddFree adds the free-text line typed under the product list.
func (f *manualForm) onAddFree() {
	name := strings.TrimSpace(f.freeName.Text)
	if name == "" {
		f.showProblem(app.FieldError("Item name", "is required"))
		return
	}
	price, err := app.ParseTypedAmount(f.m.currency(), f.freePrice.Text)
	if err != nil || strings.TrimSpace(f.freePrice.Text) == "" {
		f.showProblem(app.FieldError("Item price", "must be an amount such as %s", amountExample(f.m.currency())))
		return
	}
	f.lines = append(f.lines, &manualLine{name: name, price: price, qty: 1})
	f.freeName.SetText("")
	f.freePrice.SetText("")
	f.renderLines()
}

func (f *manualForm) onQty(l *manualLine, delta int) {
	if delta > 0 {
		if err := app.CheckStock(l.product, l.qty+delta); err != nil {
			f.showProblem(err)
			return
		}
	}
	f.message.Hide()
	l.qty += delta
	if l.qty <= 0 {
		for i, x := range f.lines {
			if x == l {
				f.lines = append(f.lines[:i], f.lines[i+1:]...)
				break
			}
		}
	}
	f.renderLines()
}

// renderLines redraws the order's lines with their +/− buttons and the total.
func (f *manualForm) renderLines() {
	cur := f.m.currency()
	f.lineBox.Objects = nil
	for _, l := range f.lines {
		name := l.name
		if l.product != nil {
			name += " (" + l.product.SKU + ")"
		}
		minus := &widget.Button{Icon: theme.ContentRemoveIcon(), OnTapped: func() { f.onQty(l, -1) }}
		plus := &widget.Button{Icon: theme.ContentAddIcon(), OnTapped: func() { f.onQty(l, +1) }}
		qty := &widget.Label{Text: strconv.Itoa(l.qty), Alignment: fyne.TextAlignCenter}
		controls := container.NewHBox(sized(minus, touchMin, touchMin), sized(qty, 32, 0), sized(plus, touchMin, touchMin))
		info := container.NewVBox(&widget.Label{Text: name, Truncation: fyne.TextTruncateEllipsis},
			caption(cur.Format(app.Money(l.qty)*l.price)))
		f.lineBox.Add(container.NewBorder(nil, nil, nil, controls, info))
	}
	if len(f.lines) == 0 {
		f.lineBox.Add(caption(lang.L("Tap a product to add it")))
	}
	f.lineBox.Refresh()
	f.changed()
}

// changed recomputes the running total; amounts not yet valid count as zero.
func (f *manualForm) changed() {
	if f.total == nil {
		return
	}
	cur := f.m.currency()
	var sub app.Money
	for _, l := range f.lines {
		sub += app.Money(l.qty) * l.price
	}
	ship, _ := app.ParseTypedAmount(cur, f.shipping.Text)
	disc, _ := app.ParseTypedAmount(cur, f.discount.Text)
	if f.touched[app.ManualDiscount] {
		f.check(app.ManualDiscount)
	}
	f.total.SetText(cur.Format(sub + ship - disc))
	f.breakdown.SetText(lang.L("Subtotal {{.S}} + shipping {{.F}} − discount {{.D}}",
		map[string]any{"S": cur.Format(sub), "F": cur.Format(ship), "D": cur.Format(disc)}))
}

func (f *manualForm) payMethod() app.PaymentMethod {
	if i := f.method.SelectedIndex(); i >= 0 {
		return manualMethods[i]
	}
	return app.PayTransfer
}

// onMethodChanged shows the receipt picker for a bank transfer only, and
// marks the fields cash on delivery makes required.
func (f *manualForm) onMethodChanged() {
	if f.receiptRow == nil {
		return
	}
	f.markRequired()
	if f.payMethod() == app.PayTransfer {
		f.receiptRow.Show()
	} else {
		f.receiptRow.Hide()
	}
}

// onChooseReceipt asks for the buyer's transfer receipt image.
func (f *manualForm) onChooseReceipt() {
	fd := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			f.m.showError(lang.L("Could not open the image"), err)
			return
		}
		if r == nil {
			return // cancelled
		}
		f.receiptChosen(r)
	}, f.m.win)
	fd.SetFilter(storage.NewExtensionFileFilter([]string{".png", ".jpg", ".jpeg"}))
	fd.SetTitleText(lang.L("Transfer receipt"))
	// No Resize: before Show, and when the OS draws its own picker, the
	// dialog has no window to size and Fyne 2.8 dereferences nil.
	fd.Show()
}

// receiptChosen keeps the path of a local file; an image from elsewhere (an
// Android content:// URI) is copied into the app's storage first so the
// path stays readable.
func (f *manualForm) receiptChosen(r fyne.URIReadCloser) {
	u := r.URI()
	if u.Scheme() == "file" {
		r.Close()
		f.setReceipt(u.Path())
		return
	}
	name := u.Name()
	load(func() (string, error) {
		defer r.Close()
		return copyReceipt(r, name)
	}, func(path string, err error) {
		if err != nil {
			f.m.showError(lang.L("Could not open the image"), err)
			return
		}
		f.setReceipt(path)
	})
}

// copyReceipt writes a receipt image into the app's storage and returns its path.
func copyReceipt(r io.Reader, name string) (string, error) {
	dir := filepath.Join(os.TempDir(), "kasir-receipts")
	if a := fyne.CurrentApp(); a != nil && a.Storage() != nil && a.Storage().RootURI() != nil {
		dir = filepath.Join(a.Storage().RootURI().Path(), "receipts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	out, err := os.CreateTemp(dir, "receipt-*-"+filepath.Base(name))
	if err != nil {
		return "", err
	}
	if _, err := io.Copy(out, io.LimitReader(r, 16<<20)); err != nil {
		out.Close()
		return "", err
	}
	return out.Name(), out.Close()
}

// setReceipt attaches (or with "" removes) the transfer receipt image.
func (f *manualForm) setReceipt(path string) {
	f.receipt = strings.TrimSpace(path)
	if f.receipt == "" {
		f.receiptName.SetText(lang.L("No receipt image"))
		return
	}
	f.receiptName.SetText(filepath.Base(f.receipt))
}

// showProblem says in plain words what is wrong, naming the field.
func (f *manualForm) showProblem(err error) {
	if app.ErrorCode(err) == app.EInternal {
		fyne.LogError("new order", err)
	}
	f.message.SetText(errorText(err))
	f.message.Show()
}

// draft is the form as typed, for app's manual-order rules.
func (f *manualForm) draft() app.ManualOrder {
	d := app.ManualOrder{Channel: app.ChannelManual, BuyerName: f.name.Text, Phone: f.phone.Text,
		Street: f.street.Text, City: f.city.Text, PostalCode: f.postal.Text, Payment: f.payMethod(),
		ShippingFee: f.shipping.Text, Discount: f.discount.Text}
	for _, l := range f.lines {
		line := app.Line{Name: l.name, Qty: l.qty, UnitPrice: l.price}
		if l.product != nil {
			line.SKU = l.product.SKU
		}
		d.Lines = append(d.Lines, line)
	}
	return d
}

// order builds the order from the form, or an error naming the field at
// fault; every field's problem is shown under it.
func (f *manualForm) order() (*app.Order, error) {
	d := f.draft()
	for _, fld := range app.ManualFields {
		f.touched[fld] = true
		f.check(fld)
	}
	o, err := d.Build(f.m.currency())
	if err != nil {
		return nil, err
	}
	if o.PaymentMethod == app.PayTransfer && f.receipt != "" {
		o.PaymentReceipt = &app.PaymentReceipt{ImageURL: f.receipt, UploadedAt: f.m.now()}
	}
	return o, nil
}

// entry is a form entry for a field, checked as staff type once they have typed in it.
func (f *manualForm) entry(fld app.ManualField, hint string) *widget.Entry {
	return &widget.Entry{PlaceHolder: hint, OnChanged: func(string) {
		f.touched[fld] = true
		f.check(fld)
		f.changed()
	}}
}

// item is a form row for a field, with the line under it that says what is wrong.
func (f *manualForm) item(fld app.ManualField, label string, e *widget.Entry) *widget.FormItem {
	problem := &widget.Label{Importance: widget.DangerImportance, SizeName: theme.SizeNameCaptionText, Wrapping: fyne.TextWrapWord}
	problem.Hide()
	f.problems[fld], f.labels[fld] = problem, label
	it := widget.NewFormItem(label, container.NewVBox(e, problem))
	f.items[fld] = it
	if (app.ManualOrder{}).Required(fld) {
		it.Text = label + " *"
	}
	return it
}

// markRequired puts "*" on the fields the chosen payment makes required.
func (f *manualForm) markRequired() {
	d := f.draft()
	for fld, it := range f.items {
		text := f.labels[fld]
		if d.Required(fld) {
			text += " *"
		}
		it.Text = text
		if f.touched[fld] {
			f.check(fld)
		}
	}
	for _, form := range f.forms {
		form.Refresh()
	}
}

// check shows under a field what app's rules say is wrong with it, or nothing.
func (f *manualForm) check(fld app.ManualField) {
	problem := f.problems[fld]
	if problem == nil || f.name == nil {
		return
	}
	if err := f.draft().CheckField(fld, f.m.currency()); err != nil {
		problem.SetText(errorText(err))
		problem.Show()
		return
	}
	problem.Hide()
}

// onPlace validates the form and places the order off the UI goroutine; on
// success the form closes and the new order is selected.
func (f *manualForm) onPlace() {
	o, err := f.order()
	if err != nil {
		f.showProblem(err)
		return
	}
	f.message.Hide()
	f.place.Disable()
	actor := f.m.actor
	load(func() (*app.Result, error) { return f.m.svc.Place(o, actor) }, func(res *app.Result, err error) {
		f.place.Enable()
		if err != nil {
			f.showProblem(err)
			return
		}
		f.dlg.Hide()
		f.m.orderPlaced(res.Order)
	})
}

// orderPlaced shows the Online screen on the new order's tab with it selected.
func (m *Main) orderPlaced(o *app.Order) {
	m.showScreen(screenOnline)
	s := m.online
	s.filter = orderFilter{}
	s.search.OnChanged = nil
	s.search.SetText("")
	s.search.OnChanged = s.onSearchChanged
	tab := s.tab
	for i, t := range onlineTabs {
		for _, st := range t.statuses {
			if st == o.Status {
				tab = i
			}
		}
	}
	s.onTabSelected(tab)
	s.openOrder(o.ID)
	m.refreshBadges()
	m.showBanner(lang.L("Order {{.N}} placed", map[string]any{"N": o.Number}))
}

// amountExample is an amount written the way the shop's currency is typed.
func amountExample(cur app.Currency) string {
	if cur.Decimals() > 0 {
		return "12.50"
	}
	return "15000"
}

// parseAmount reads an amount staff typed ("15.000" or "15000" in rupiah), by app's rule.
func parseAmount(cur app.Currency, text string) (app.Money, error) {
	return app.ParseTypedAmount(cur, text)
}
