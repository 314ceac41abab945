package ui

import (
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kasir/pos/app"
)

// cartLine is one product in the cart.
type cartLine struct {
	product *app.Product
	qty     int
}

// storeScreen is the cashier's screen: products, the cart, payment, and today's sales.
type storeScreen struct {
	m        *Main
	products []*app.Product
	shown    []*app.Product
	cart     []*cartLine

	search   *widget.Entry
	grid     *widget.GridWrap
	cartList *widget.List
	total    *widget.Label
	method   *widget.RadioGroup
	tendered *widget.Entry
	change   *widget.Label
	charge   *widget.Button
	sales    []*app.Order
	salesBtn *widget.Button
}

func newStoreScreen(m *Main) *storeScreen { return &storeScreen{m: m} }

var payMethods = []app.PaymentMethod{app.PayCash, app.PayCard, app.PayEWallet}

func (s *storeScreen) buildUI() fyne.CanvasObject {
	s.search = &widget.Entry{PlaceHolder: lang.L("Search products by name, SKU or barcode"), OnChanged: s.onSearchChanged}
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
	s.total = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameSubHeadingText, Alignment: fyne.TextAlignTrailing}
	var labels []string
	for _, p := range payMethods {
		labels = append(labels, lang.L(p.Label()))
	}
	s.method = &widget.RadioGroup{Options: labels, Horizontal: true, OnChanged: func(string) { s.onTenderedChanged(s.tendered.Text) }}
	s.tendered = &widget.Entry{PlaceHolder: lang.L("Cash received"), OnChanged: s.onTenderedChanged}
	s.change = &widget.Label{}
	s.charge = &widget.Button{Text: lang.L("Charge"), Importance: widget.HighImportance, Icon: theme.ConfirmIcon(), OnTapped: s.onCharge}
	s.salesBtn = &widget.Button{Text: lang.L("Today's sales"), Icon: theme.HistoryIcon(), OnTapped: s.onShowSales}
	s.method.SetSelected(labels[0])
	clear := &widget.Button{Text: lang.L("Clear cart"), Icon: theme.ContentClearIcon(), Importance: widget.LowImportance, OnTapped: s.onClearCart}

	pay := container.NewVBox(widget.NewSeparator(),
		container.NewBorder(nil, nil, bold(lang.L("Total")), nil, s.total),
		s.method, s.tendered, s.change, sized(s.charge, 0, 56))
	cart := container.NewBorder(container.NewBorder(nil, nil, bold(lang.L("Cart")), clear), pay, nil, nil, s.cartList)
	products := container.NewBorder(container.NewBorder(nil, nil, nil, s.salesBtn, s.search), nil, nil, nil, s.grid)
	split := container.NewHSplit(products, sized(cart, 340, 0))
	split.Offset = 0.62
	s.updateTotal()
	return split
}

// refresh reloads the products and today's sales in the background.
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
		s.onSearchChanged(s.search.Text)
	})
	now := s.m.now().Local()
	f := app.Filter{Channels: []app.Channel{app.ChannelInStore}, From: time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location()), Limit: 200}
	load(func() (app.Page, error) { return s.m.svc.Find(f) }, func(p app.Page, err error) {
		if err != nil {
			fyne.LogError("today's sales", err)
			return
		}
		s.sales = p.Orders
		s.m.salesBadge.setCount(p.Total, false, theme.ColorNameSuccess)
		s.m.storeTab.content.Refresh()
		s.m.tabBar.Refresh()
		s.salesBtn.SetText(lang.L("Today's sales") + " (" + s.m.currency().Format(sum(p.Orders)) + ")")
	})
}

func sum(os []*app.Order) app.Money {
	var m app.Money
	for _, o := range os {
		m += o.Total
	}
	return m
}

func (s *storeScreen) onSearchChanged(q string) {
	q = strings.ToLower(strings.TrimSpace(q))
	s.shown = s.shown[:0]
	for _, p := range s.products {
		if q == "" || strings.Contains(strings.ToLower(p.Name), q) || strings.Contains(strings.ToLower(p.SKU), q) || p.Barcode == q {
			s.shown = append(s.shown, p)
		}
	}
	s.grid.Refresh()
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
	box.Objects[2].(*widget.Label).SetText(lang.L("{{.N}} in stock", map[string]any{"N": p.Available()}))
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
	name := &widget.Label{Truncation: fyne.TextTruncateEllipsis}
	amount := &widget.Label{Alignment: fyne.TextAlignTrailing}
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
	info.Objects[0].(*widget.Label).SetText(l.product.Name)
	info.Objects[1].(*widget.Label).SetText(s.m.currency().Format(app.Money(l.qty) * l.product.Price))
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

func (s *storeScreen) onClearCart() {
	s.cart = nil
	s.tendered.SetText("")
	s.cartChanged()
}

func (s *storeScreen) cartChanged() {
	s.cartList.Refresh()
	s.updateTotal()
}

func (s *storeScreen) cartTotal() app.Money {
	var t app.Money
	for _, l := range s.cart {
		t += app.Money(l.qty) * l.product.Price
	}
	return t
}

func (s *storeScreen) updateTotal() {
	s.total.SetText(s.m.currency().Format(s.cartTotal()))
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

// onTenderedChanged shows the change to give for a cash payment.
func (s *storeScreen) onTenderedChanged(text string) {
	if s.payMethod() != app.PayCash {
		s.tendered.Hide()
		s.change.SetText("")
		return
	}
	s.tendered.Show()
	paid, err := s.m.currency().ParseMoney(strings.ReplaceAll(text, ".", ""))
	if s.m.currency().Decimals() > 0 {
		paid, err = s.m.currency().ParseMoney(strings.ReplaceAll(text, ",", ""))
	}
	switch {
	case strings.TrimSpace(text) == "":
		s.change.SetText("")
	case err != nil:
		s.change.SetText(lang.L("Enter the amount received"))
	case paid < s.cartTotal():
		s.change.SetText(lang.L("{{.A}} short", map[string]any{"A": s.m.currency().Format(s.cartTotal() - paid)}))
	default:
		s.change.SetText(lang.L("Change: {{.A}}", map[string]any{"A": s.m.currency().Format(paid - s.cartTotal())}))
	}
}

// onCharge records the sale as an in-store order and offers the receipt.
func (s *storeScreen) onCharge() {
	if len(s.cart) == 0 {
		return
	}
	cur, total, method := s.m.currency(), s.cartTotal(), s.payMethod()
	paid := total
	if method == app.PayCash && strings.TrimSpace(s.tendered.Text) != "" {
		text := strings.ReplaceAll(s.tendered.Text, ".", "")
		if cur.Decimals() > 0 {
			text = strings.ReplaceAll(s.tendered.Text, ",", "")
		}
		p, err := cur.ParseMoney(text)
		if err != nil || p < total {
			dialog.ShowInformation(lang.L("Charge"), lang.L("The cash received is less than the total"), s.m.win)
			return
		}
		paid = p
	}
	o := &app.Order{Channel: app.ChannelInStore, Currency: cur, PaymentMethod: method, Paid: paid, Buyer: app.Buyer{Name: lang.L("Walk-in customer")}}
	for _, l := range s.cart {
		o.Lines = append(o.Lines, app.Line{SKU: l.product.SKU, Name: l.product.Name, Qty: l.qty, UnitPrice: l.product.Price})
	}
	actor := s.m.actor
	s.charge.Disable()
	load(func() (*app.Result, error) { return s.m.svc.Place(o, actor) }, func(res *app.Result, err error) {
		s.charge.Enable()
		if err != nil {
			s.m.showError(lang.L("Could not record the sale"), err)
			return
		}
		change := paid - total
		s.onClearCart()
		s.refresh()
		msg := lang.L("Sale {{.N}} recorded.", map[string]any{"N": res.Order.Number})
		if method == app.PayCash {
			msg += "\n" + lang.L("Change: {{.A}}", map[string]any{"A": cur.Format(change)})
		}
		printLabel := lang.L("Print receipt")
		if s.m.loadPrinting().autoReceipts(actor.Staff) {
			// The printing layer prints it on its own (auto_print_receipts_for).
			msg += "\n" + lang.L("The receipt prints automatically")
			printLabel = lang.L("Print another copy")
		}
		dialog.ShowCustomConfirm(lang.L("Paid"), printLabel, lang.L("Done"),
			&widget.Label{Text: msg, TextStyle: fyne.TextStyle{Bold: true}}, func(ok bool) {
				if ok {
					s.m.printWithPreview(app.DocReceipt, res.Order)
				}
			}, s.m.win)
	})
}

func (s *storeScreen) onShowSales() {
	list := &widget.List{
		Length: func() int { return len(s.sales) },
		CreateItem: func() fyne.CanvasObject {
			return container.NewBorder(nil, nil, nil, &widget.Label{}, &widget.Label{})
		},
		UpdateItem: func(i widget.ListItemID, obj fyne.CanvasObject) {
			o := s.sales[i]
			c := obj.(*fyne.Container)
			c.Objects[0].(*widget.Label).SetText(o.CreatedAt.Local().Format("15:04") + "  " + o.Number + " · " + lang.L(o.PaymentMethod.Label()) + " · " + o.CreatedBy)
			c.Objects[1].(*widget.Label).SetText(o.Currency.Format(o.Total))
		},
	}
	list.OnSelected = func(i widget.ListItemID) {
		list.UnselectAll()
		s.m.printWithPreview(app.DocReceipt, s.sales[i])
	}
	dlg := dialog.NewCustom(lang.L("Today's sales"), lang.L("Close"), list, s.m.win)
	dlg.Resize(fyne.NewSize(560, 480))
	dlg.Show()
}
