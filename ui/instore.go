package ui

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kasir/pos/app"
)

// cartLine is one product in the cart, with its own discount.
type cartLine struct {
	product  *app.Product
	qty      int
	discount app.Discount
}

// storeScreen is the cashier's screen: products by category, a cart with
// discounts, split payment, and the shift, transactions and report.
type storeScreen struct {
	m        *Main
	reg      *app.Register
	products []*app.Product
	shown    []*app.Product
	category string
	cart     []*cartLine
	discount app.Discount
	payments []app.Payment
	// scanned collects what a barcode scanner types while no field has focus.
	scanned strings.Builder

	search   *widget.Entry
	chips    *fyne.Container
	grid     *widget.GridWrap
	cartList *widget.List
	figures  *widget.Label
	total    *widget.Label
	method   *widget.RadioGroup
	tendered *widget.Entry
	ref      *widget.Entry
	paidList *widget.Label
	change   *widget.Label
	charge   *widget.Button
	shift    *shiftBar
}

func newStoreScreen(m *Main) *storeScreen {
	s := &storeScreen{m: m}
	if m.svc != nil {
		if st, ok := m.svc.Store.(app.ShiftStore); ok {
			s.reg = app.NewRegister(m.svc, st)
			s.reg.Terminal = m.terminal()
		}
	}
	return s
}

var payMethods = []app.PaymentMethod{app.PayCash, app.PayQRIS, app.PayCard, app.PayEWallet}

func (s *storeScreen) buildUI() fyne.CanvasObject {
	s.search = &widget.Entry{PlaceHolder: lang.L("Search or scan a barcode"), OnChanged: s.onSearchChanged, OnSubmitted: s.onScanned}
	s.chips = container.NewHBox()
	s.grid = &widget.GridWrap{
		Length:     func() int { return len(s.shown) },
		CreateItem: func() fyne.CanvasObject { return s.newProductTile() },
		UpdateItem: s.onUpdateTile,
		OnSelected: s.onProductTapped,
	}
	s.grid.ExtendBaseWidget(s.grid)
	s.cartList = &widget.List{
		Length:     func() int { return len(s.cart) },
		CreateItem: s.newCartRow,
		UpdateItem: s.onUpdateCartRow,
	}
	s.cartList.ExtendBaseWidget(s.cartList)
	s.figures = &widget.Label{Alignment: fyne.TextAlignTrailing, SizeName: theme.SizeNameCaptionText}
	s.total = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameSubHeadingText, Alignment: fyne.TextAlignTrailing}
	var labels []string
	for _, p := range payMethods {
		labels = append(labels, lang.L(p.Label()))
	}
	s.method = &widget.RadioGroup{Options: labels, Horizontal: true, OnChanged: func(string) { s.onTenderedChanged(s.tendered.Text) }}
	s.tendered = &widget.Entry{PlaceHolder: lang.L("Amount received"), OnChanged: s.onTenderedChanged}
	s.ref = &widget.Entry{PlaceHolder: lang.L("Reference number")}
	s.paidList = &widget.Label{Wrapping: fyne.TextWrapWord, SizeName: theme.SizeNameCaptionText}
	s.change = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}}
	s.charge = &widget.Button{Text: lang.L("Charge"), Importance: widget.HighImportance, Icon: theme.ConfirmIcon(), OnTapped: s.onCharge}
	s.method.SetSelected(labels[0])
	clear := &widget.Button{Text: lang.L("Clear cart"), Icon: theme.ContentClearIcon(), Importance: widget.LowImportance, OnTapped: s.onClearCart}
	discount := &widget.Button{Text: lang.L("Discount"), Icon: theme.ContentRemoveIcon(), Importance: widget.LowImportance, OnTapped: s.onOrderDiscount}
	split := &widget.Button{Text: lang.L("Add payment"), Icon: theme.ContentAddIcon(), Importance: widget.LowImportance, OnTapped: s.onAddPayment}
	s.shift = newShiftBar(s)

	pay := container.NewVBox(widget.NewSeparator(), s.figures,
		container.NewBorder(nil, nil, bold(lang.L("Total")), nil, s.total),
		s.method, container.NewGridWithColumns(2, s.tendered, s.ref), container.NewBorder(nil, nil, nil, split, s.paidList),
		s.change, sized(s.charge, 0, 56))
	cart := container.NewBorder(container.NewBorder(nil, nil, bold(lang.L("Cart")), container.NewHBox(discount, clear)), pay, nil, nil, s.cartList)
	top := container.NewVBox(s.search, container.NewHScroll(s.chips))
	products := container.NewBorder(top, nil, nil, nil, s.grid)
	body := container.NewHSplit(products, sized(cart, 360, 0))
	body.Offset = 0.6
	s.updateTotal()
	return container.NewBorder(s.shift.buildUI(), nil, nil, nil, body)
}

// onShown hands the window's keyboard to the scanner while the tab shows:
// a USB scanner types the barcode and Enter into whatever has focus, and
// with no field focused the canvas gets it.
func (s *storeScreen) onShown() {
	c := s.m.win.Canvas()
	c.SetOnTypedRune(func(r rune) { s.scanned.WriteRune(r) })
	c.SetOnTypedKey(func(k *fyne.KeyEvent) {
		if k.Name == fyne.KeyReturn || k.Name == fyne.KeyEnter {
			code := s.scanned.String()
			s.scanned.Reset()
			s.onScanned(code)
		}
	})
}

// refresh reloads the products, the shift and today's sales in the background.
func (s *storeScreen) refresh() {
	if s.m.svc == nil {
		return
	}
	load(func() ([]*app.Product, error) { return s.m.svc.Store.Products() }, func(ps []*app.Product, err error) {
		if err != nil {
			fyne.LogError("products", err)
			return
		}
		s.products = ps
		s.refreshChips()
		s.onSearchChanged(s.search.Text)
	})
	s.shift.refresh()
	r := app.LastDays(1, s.m.now(), s.m.zone())
	f := app.Filter{Channels: []app.Channel{app.ChannelInStore}, From: r.From, To: r.End(), Limit: 1}
	load(func() (app.Page, error) { return s.m.svc.Find(f) }, func(p app.Page, err error) {
		if err != nil {
			fyne.LogError("today's sales", err)
			return
		}
		s.m.salesBadge.setCount(p.Total, false, theme.ColorNameSuccess)
		s.m.storeTab.content.Refresh()
		s.m.tabBar.Refresh()
	})
}

// refreshChips offers one chip per category, and All.
func (s *storeScreen) refreshChips() {
	seen := map[string]bool{}
	cats := []string{""}
	for _, p := range s.products {
		if c := strings.TrimSpace(p.Category); c != "" && !seen[c] {
			seen[c] = true
			cats = append(cats, c)
		}
	}
	labels := make([]string, len(cats))
	chosen := 0
	for i, c := range cats {
		labels[i] = c
		if c == s.category {
			chosen = i
		}
	}
	labels[0] = lang.L("All")
	fillChips(s.chips, labels, chosen, func(i int) {
		s.category = cats[i]
		s.refreshChips()
		s.onSearchChanged(s.search.Text)
	})
}

func (s *storeScreen) onSearchChanged(q string) {
	q = strings.ToLower(strings.TrimSpace(q))
	s.shown = s.shown[:0]
	for _, p := range s.products {
		if s.category != "" && p.Category != s.category {
			continue
		}
		if q == "" || strings.Contains(strings.ToLower(p.Name), q) || strings.Contains(strings.ToLower(p.SKU), q) || p.Barcode == q {
			s.shown = append(s.shown, p)
		}
	}
	s.grid.Refresh()
}

// onScanned adds the product whose barcode (or SKU) was scanned or typed
// with Enter; anything else stays a search.
func (s *storeScreen) onScanned(code string) {
	code = strings.TrimSpace(code)
	if code == "" {
		return
	}
	for _, p := range s.products {
		if p.Barcode == code || strings.EqualFold(p.SKU, code) {
			s.add(p)
			s.search.SetText("")
			return
		}
	}
	s.m.showBanner(lang.L("No product has the barcode {{.C}}", map[string]any{"C": code}))
}

func (s *storeScreen) newProductTile() fyne.CanvasObject {
	name := &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord, Truncation: fyne.TextTruncateEllipsis}
	price := &widget.Label{}
	stock := caption("")
	return sized(container.NewVBox(name, price, stock), 170, 110)
}

func (s *storeScreen) onUpdateTile(i widget.GridWrapItemID, obj fyne.CanvasObject) {
	p := s.shown[i]
	box := obj.(*fyne.Container).Objects[1].(*fyne.Container)
	box.Objects[0].(*widget.Label).SetText(p.Name)
	box.Objects[1].(*widget.Label).SetText(s.m.currency().Format(p.Price))
	stock := box.Objects[2].(*widget.Label)
	stock.SetText(lang.L("{{.N}} in stock", map[string]any{"N": p.Available()}))
	stock.Importance = widget.LowImportance
	if p.Available() <= 0 {
		stock.Importance = widget.DangerImportance
	}
	stock.Refresh()
}

func (s *storeScreen) onProductTapped(i widget.GridWrapItemID) {
	s.grid.UnselectAll()
	if i < 0 || i >= len(s.shown) {
		return
	}
	s.add(s.shown[i])
}

// add puts one more of the product in the cart.
func (s *storeScreen) add(p *app.Product) {
	for _, l := range s.cart {
		if l.product.SKU == p.SKU {
			l.qty++
			s.cartChanged()
			return
		}
	}
	s.cart = append(s.cart, &cartLine{product: p, qty: 1})
	s.cartChanged()
}

func (s *storeScreen) newCartRow() fyne.CanvasObject {
	name := &widget.Button{Alignment: widget.ButtonAlignLeading, Importance: widget.LowImportance}
	amount := &widget.Label{Alignment: fyne.TextAlignTrailing, SizeName: theme.SizeNameCaptionText}
	qty := &widget.Label{Alignment: fyne.TextAlignCenter}
	minus := &widget.Button{Icon: theme.ContentRemoveIcon()}
	plus := &widget.Button{Icon: theme.ContentAddIcon()}
	controls := container.NewHBox(sized(minus, touchMin, touchMin), sized(qty, 32, 0), sized(plus, touchMin, touchMin))
	return container.NewBorder(nil, nil, nil, controls, container.NewVBox(name, amount))
}

func (s *storeScreen) onUpdateCartRow(i widget.ListItemID, obj fyne.CanvasObject) {
	l := s.cart[i]
	row := obj.(*fyne.Container)
	info := row.Objects[0].(*fyne.Container)
	controls := row.Objects[1].(*fyne.Container)
	cur := s.m.currency()
	name := info.Objects[0].(*widget.Button)
	name.SetText(l.product.Name)
	name.OnTapped = func() { s.onLineDiscount(l) }
	gross := app.Money(l.qty) * l.product.Price
	text := cur.Format(gross)
	if off := l.discount.Of(gross); off > 0 {
		text = lang.L("{{.A}} less {{.D}}", map[string]any{"A": cur.Format(gross), "D": cur.Format(off)})
	}
	info.Objects[1].(*widget.Label).SetText(text)
	controls.Objects[1].(*fyne.Container).Objects[1].(*widget.Label).SetText(strconv.Itoa(l.qty))
	controls.Objects[0].(*fyne.Container).Objects[1].(*widget.Button).OnTapped = func() { s.onQty(l, -1) }
	controls.Objects[2].(*fyne.Container).Objects[1].(*widget.Button).OnTapped = func() { s.onQty(l, +1) }
}

func (s *storeScreen) onQty(l *cartLine, delta int) {
	l.qty += delta
	if l.qty <= 0 {
		for i, c := range s.cart {
			if c == l {
				s.cart = append(s.cart[:i], s.cart[i+1:]...)
				break
			}
		}
	}
	s.cartChanged()
}

// onLineDiscount asks for a line's discount, as an amount or a percentage.
func (s *storeScreen) onLineDiscount(l *cartLine) {
	s.askDiscount(lang.L("Discount on {{.P}}", map[string]any{"P": l.product.Name}), l.discount, func(d app.Discount) {
		l.discount = d
		s.cartChanged()
	})
}

func (s *storeScreen) onOrderDiscount() {
	s.askDiscount(lang.L("Discount on the whole sale"), s.discount, func(d app.Discount) {
		s.discount = d
		s.cartChanged()
	})
}

// askDiscount reads "5000" as an amount and "10%" as a percentage.
func (s *storeScreen) askDiscount(title string, cur app.Discount, done func(app.Discount)) {
	e := &widget.Entry{PlaceHolder: lang.L("e.g. 5000 or 10%"), Text: cur.Typed(s.m.currency())}
	fd := newFormDialog(title, lang.L("Apply"), lang.L("Cancel"), []*widget.FormItem{{Text: lang.L("Discount"), Widget: e,
		HintText: lang.L("An amount, or a percentage; empty removes it")}}, func() error {
		d, err := app.ParseDiscount(s.m.currency(), e.Text)
		if err != nil {
			return err
		}
		done(d)
		return nil
	}, s.m.win)
	fd.dlg.Resize(fyne.NewSize(420, 0))
	fd.dlg.Show()
}

func (s *storeScreen) onClearCart() {
	s.cart, s.payments, s.discount = nil, nil, app.Discount{}
	s.tendered.SetText("")
	s.ref.SetText("")
	s.cartChanged()
}

func (s *storeScreen) cartChanged() {
	s.cartList.Refresh()
	s.updateTotal()
}

// basket is the cart as app reads it, with the payments taken so far.
func (s *storeScreen) basket() app.Cart {
	c := app.Cart{Discount: s.discount, Payments: append([]app.Payment(nil), s.payments...)}
	for _, l := range s.cart {
		c.Lines = append(c.Lines, app.CartLine{SKU: l.product.SKU, Name: l.product.Name, Qty: l.qty, UnitPrice: l.product.Price, Discount: l.discount})
	}
	return c
}

func (s *storeScreen) policy() app.Policy {
	if s.m.svc == nil {
		return app.DefaultPolicy()
	}
	return s.m.svc.CurrentPolicy()
}

func (s *storeScreen) updateTotal() {
	cur := s.m.currency()
	t, err := s.basket().Totals(s.policy().Tax)
	if err != nil {
		s.figures.SetText(errorText(err))
	} else {
		parts := []string{lang.L("Subtotal {{.A}}", map[string]any{"A": cur.Format(t.Subtotal)})}
		if off := t.LineDiscounts + t.OrderDiscount; off > 0 {
			parts = append(parts, lang.L("Discount {{.A}}", map[string]any{"A": cur.Format(-off)}))
		}
		if t.Tax > 0 && t.TaxIncluded {
			parts = append(parts, lang.L("incl. PPN {{.A}}", map[string]any{"A": cur.Format(t.Tax)}))
		} else if t.Tax > 0 {
			parts = append(parts, lang.L("PPN {{.A}}", map[string]any{"A": cur.Format(t.Tax)}))
		}
		s.figures.SetText(strings.Join(parts, " · "))
	}
	s.total.SetText(cur.Format(t.Total))
	var paid []string
	for _, p := range s.payments {
		paid = append(paid, lang.L(p.Method.Label())+" "+cur.Format(p.Amount))
	}
	s.paidList.SetText(strings.Join(paid, " + "))
	s.onTenderedChanged(s.tendered.Text)
	if len(s.cart) == 0 {
		s.charge.Disable()
	} else {
		s.charge.Enable()
	}
}

func (s *storeScreen) payMethod() app.PaymentMethod {
	for i, p := range payMethods {
		if lang.L(p.Label()) == s.method.Selected {
			return payMethods[i]
		}
	}
	return app.PayCash
}

// pending is the payment typed but not yet added: the amount received, or
// what is still due when no amount was typed.
func (s *storeScreen) pending() (app.Payment, bool, error) {
	m := s.payMethod()
	text := strings.TrimSpace(s.tendered.Text)
	p := app.Payment{Method: m, Ref: strings.TrimSpace(s.ref.Text)}
	if text == "" {
		t, err := s.basket().Totals(s.policy().Tax)
		if err != nil || t.Due == 0 {
			return p, false, err
		}
		p.Amount = t.Due
		return p, true, nil
	}
	amt, err := parseAmount(s.m.currency(), text)
	if err != nil {
		return p, false, app.FieldError("amount received", "%q is not an amount", text)
	}
	p.Amount = amt
	return p, amt > 0, nil
}

// onTenderedChanged shows what is still due, or the change to give.
func (s *storeScreen) onTenderedChanged(string) {
	if s.payMethod() == app.PayCash {
		s.ref.Hide()
	} else {
		s.ref.Show()
	}
	cart := s.basket()
	p, ok, err := s.pending()
	if err != nil {
		s.change.SetText(errorText(err))
		return
	}
	if ok && strings.TrimSpace(s.tendered.Text) != "" {
		cart.Payments = append(cart.Payments, p)
	}
	t, err := cart.Totals(s.policy().Tax)
	cur := s.m.currency()
	switch {
	case err != nil:
		s.change.SetText(errorText(err))
	case len(s.cart) == 0:
		s.change.SetText("")
	case t.Due > 0 && t.Tendered > 0:
		s.change.SetText(lang.L("{{.A}} still due", map[string]any{"A": cur.Format(t.Due)}))
	case t.Change > 0:
		s.change.SetText(lang.L("Change: {{.A}}", map[string]any{"A": cur.Format(t.Change)}))
	default:
		s.change.SetText("")
	}
}

// onAddPayment keeps the typed payment and leaves the rest due for another
// method: a split payment.
func (s *storeScreen) onAddPayment() {
	p, ok, err := s.pending()
	if err != nil {
		s.m.showError(lang.L("Add payment"), err)
		return
	}
	if !ok {
		return
	}
	if p.Method != app.PayCash && p.Ref == "" {
		s.m.showError(lang.L("Add payment"), app.FieldError("reference", "a %s payment needs its reference number", p.Method.Label()))
		return
	}
	s.payments = append(s.payments, p)
	s.tendered.SetText("")
	s.ref.SetText("")
	s.updateTotal()
}

// onCharge rings the cart up in the open shift. What the cashier may not do
// alone (a discount above the cap, stock below zero) asks for the owner's PIN.
func (s *storeScreen) onCharge() {
	if len(s.cart) == 0 {
		return
	}
	if s.reg == nil {
		s.m.showError(lang.L("Charge"), app.Errorf(app.EInternal, "the register has no store"))
		return
	}
	cart := s.basket()
	if p, ok, err := s.pending(); err != nil {
		s.m.showError(lang.L("Charge"), err)
		return
	} else if ok {
		cart.Payments = append(cart.Payments, p)
	}
	issue, err := cart.Check(s.policy(), s.m.actor.Role, s.product)
	if err != nil {
		s.m.showError(lang.L("Charge"), err)
		return
	}
	if issue.None() || s.m.actor.Role == app.RoleOwner {
		s.sell(cart, nil)
		return
	}
	s.m.askOwner(errorText(issue.Error()), func(owner app.Staff) {
		cart.ApprovedBy = owner.Name
		s.sell(cart, &owner)
	})
}

func (s *storeScreen) product(sku string) *app.Product {
	for _, p := range s.products {
		if p.SKU == sku {
			return p
		}
	}
	return nil
}

// sell rings the cart up; an approving owner's key signs their approval
// (the cloud takes approved_by only with it) and is forgotten afterwards.
func (s *storeScreen) sell(cart app.Cart, approver *app.Staff) {
	actor, cur := s.m.actor, s.m.currency()
	s.charge.Disable()
	type sold struct {
		o *app.Order
		t app.SaleTotals
	}
	load(func() (sold, error) {
		if approver != nil && s.m.svc != nil && approver.Name != actor.Staff {
			s.m.svc.Keys.Remember(*approver)
			defer s.m.svc.Keys.Forget(approver.Name)
		}
		o, t, err := s.reg.Sell(cart, actor)
		return sold{o, t}, err
	}, func(r sold, err error) {
		s.charge.Enable()
		if err != nil {
			s.m.showError(lang.L("Could not record the sale"), err)
			return
		}
		s.onClearCart()
		s.refresh()
		msg := lang.L("Sale {{.N}} recorded.", map[string]any{"N": r.o.Number})
		if r.t.Change > 0 {
			msg += "\n" + lang.L("Change: {{.A}}", map[string]any{"A": cur.Format(r.t.Change)})
		}
		printLabel := lang.L("Print receipt")
		if s.m.loadPrinting().AutoReceipts(actor.Staff) {
			// The printing layer prints it on its own (auto_print_receipts_for).
			msg += "\n" + lang.L("The receipt prints automatically")
			printLabel = lang.L("Print another copy")
		}
		askYesNo(lang.L("Paid"), printLabel, lang.L("Done"), msg, func(ok bool) {
			if ok {
				s.m.printWithPreview(app.DocReceipt, r.o)
			}
		}, s.m.win)
	})
}
