package ui

import (
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kasir/pos/app"
)

// transactions lists In Store sales and online orders side by side for a
// day or a range, as Qashier's register does; a sale opens its detail with
// reprint, refund and void.
type transactions struct {
	m      *Main
	days   int
	search *widget.Entry
	store  []*app.Order
	online []*app.Order
	sLists *widget.List
	oLists *widget.List
	dlg    *dialog.CustomDialog
	chips  *fyne.Container
}

func newTransactions(m *Main) *transactions { return &transactions{m: m, days: 1} }

func (t *transactions) show() {
	t.search = &widget.Entry{PlaceHolder: lang.L("Number, buyer, SKU or product"), OnChanged: func(string) { t.load() }}
	t.chips = container.NewHBox()
	t.sLists = t.newList(func() []*app.Order { return t.store }, t.openSale)
	t.oLists = t.newList(func() []*app.Order { return t.online }, func(o *app.Order) {
		t.dlg.Hide()
		t.m.showScreen(screenOnline)
		t.m.online.openOrder(o.ID)
	})
	t.drawChips()
	cols := container.NewGridWithColumns(2,
		container.NewBorder(bold(lang.L("In Store")), nil, nil, nil, t.sLists),
		container.NewBorder(bold(lang.L("Online")), nil, nil, nil, t.oLists))
	closeBtn := &widget.Button{Text: lang.L("Close"), OnTapped: func() { t.dlg.Hide() }}
	body := container.NewBorder(container.NewVBox(t.search, t.chips), container.NewCenter(sized(closeBtn, 160, touchMin)), nil, nil, cols)
	t.dlg = dialog.NewCustomWithoutButtons(lang.L("Transactions"), body, t.m.win)
	t.dlg.Resize(t.m.win.Canvas().Size().Subtract(fyne.NewSize(40, 40)))
	t.dlg.Show()
	t.load()
}

func (t *transactions) drawChips() {
	days := []int{1, 7, 30}
	labels := make([]string, len(days))
	chosen := 0
	for i, d := range days {
		labels[i] = exportDaysLabel(d)
		if d == t.days {
			chosen = i
		}
	}
	fillChips(t.chips, labels, chosen, func(i int) {
		t.days = days[i]
		t.drawChips()
		t.load()
	})
}

// fillChips puts one 44 px chip per label in box, the chosen one
// highlighted; tapping one calls pick with its index.
func fillChips(box *fyne.Container, labels []string, chosen int, pick func(i int)) {
	box.Objects = nil
	for i, l := range labels {
		imp := widget.LowImportance
		if i == chosen {
			imp = widget.HighImportance
		}
		box.Add(sized(&widget.Button{Text: l, Importance: imp, OnTapped: func() { pick(i) }}, 0, touchMin))
	}
	box.Refresh()
}

func (t *transactions) newList(rows func() []*app.Order, open func(*app.Order)) *widget.List {
	l := &widget.List{
		Length: func() int { return len(rows()) },
		CreateItem: func() fyne.CanvasObject {
			return container.NewBorder(nil, nil, nil, &widget.Label{Alignment: fyne.TextAlignTrailing},
				container.NewVBox(&widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis},
					&widget.Label{SizeName: theme.SizeNameCaptionText, Truncation: fyne.TextTruncateEllipsis}))
		},
		UpdateItem: func(i widget.ListItemID, obj fyne.CanvasObject) {
			o := rows()[i]
			c := obj.(*fyne.Container)
			info := c.Objects[0].(*fyne.Container)
			info.Objects[0].(*widget.Label).SetText(o.CreatedAt.In(t.m.zone()).Format("02 Jan 15:04") + "  " + o.Number)
			info.Objects[1].(*widget.Label).SetText(saleState(o))
			c.Objects[1].(*widget.Label).SetText(o.Currency.Format(o.Total))
		},
	}
	l.OnSelected = func(i widget.ListItemID) {
		l.UnselectAll()
		if i >= 0 && i < len(rows()) {
			open(rows()[i])
		}
	}
	l.ExtendBaseWidget(l)
	return l
}

// saleState is a row's second line: who, how paid, and what happened since.
func saleState(o *app.Order) string {
	parts := []string{lang.L(o.PaymentMethod.Label())}
	if o.Channel != app.ChannelInStore {
		parts = []string{lang.L(o.Channel.Label()), lang.L(o.Status.Label())}
	} else if o.CreatedBy != "" {
		parts = append(parts, o.CreatedBy)
	}
	switch {
	case o.Status == app.StatusCancelled:
		parts = append(parts, lang.L("voided"))
	case len(o.Refunds) > 0:
		parts = append(parts, lang.L("refunded {{.A}}", map[string]any{"A": o.Currency.Format(o.RefundedAmount())}))
	}
	return strings.Join(parts, " · ")
}

func (t *transactions) load() {
	if t.m.svc == nil {
		return
	}
	r := app.LastDays(t.days, t.m.now(), t.m.zone())
	text := strings.TrimSpace(t.search.Text)
	type pages struct{ store, online app.Page }
	load(func() (pages, error) {
		s, err := t.m.svc.Find(app.Filter{Channels: []app.Channel{app.ChannelInStore}, From: r.From, To: r.End(), Text: text, Limit: 500})
		if err != nil {
			return pages{}, err
		}
		o, err := t.m.svc.Find(app.Filter{Online: true, From: r.From, To: r.End(), Text: text, Limit: 500})
		return pages{s, o}, err
	}, func(p pages, err error) {
		if err != nil {
			t.m.showError(lang.L("Transactions"), err)
			return
		}
		t.store, t.online = p.store.Orders, p.online.Orders
		t.sLists.Refresh()
		t.oLists.Refresh()
	})
}

// openSale shows a sale with its lines, payments and refunds, and the
// actions its state allows.
func (t *transactions) openSale(o *app.Order) {
	full, err := t.m.svc.Order(o.ID)
	if err == nil {
		o = full
	}
	cur := o.Currency
	box := container.NewVBox(bold(o.Number+" · "+o.CreatedAt.In(t.m.zone()).Format("02 Jan 2006 15:04")), caption(saleState(o)))
	for i, l := range o.Lines {
		text := fmt.Sprintf("%d × %s", l.Qty, l.Name)
		if n := o.Refunded(i); n > 0 {
			text += "  " + lang.L("({{.N}} refunded)", map[string]any{"N": n})
		}
		box.Add(container.NewBorder(nil, nil, nil, &widget.Label{Text: cur.Format(l.Amount())}, &widget.Label{Text: text, Wrapping: fyne.TextWrapWord}))
	}
	box.Add(widget.NewSeparator())
	box.Add(container.NewBorder(nil, nil, bold(lang.L("Total")), bold(cur.Format(o.Total))))
	for _, p := range o.Payments {
		line := lang.L(p.Method.Label()) + " " + cur.Format(p.Amount)
		if p.Ref != "" {
			line += " (" + p.Ref + ")"
		}
		box.Add(caption(line))
	}
	for _, r := range o.Refunds {
		box.Add(caption(lang.L("Refunded {{.A}} on {{.T}} by {{.B}}: {{.R}}", map[string]any{"A": cur.Format(r.Amount),
			"T": r.At.In(t.m.zone()).Format("02 Jan 15:04"), "B": r.By, "R": r.Reason})))
	}
	var dlg *dialog.CustomDialog
	reprint := &widget.Button{Text: lang.L("Reprint"), Icon: theme.DocumentPrintIcon(), OnTapped: func() {
		t.m.printWithPreview(app.DocReceipt, o)
	}}
	refund := &widget.Button{Text: lang.L("Refund"), Icon: theme.ContentUndoIcon(), OnTapped: func() {
		dlg.Hide()
		t.askRefund(o)
	}}
	void := &widget.Button{Text: lang.L("Void"), Icon: theme.DeleteIcon(), Importance: widget.DangerImportance, OnTapped: func() {
		dlg.Hide()
		t.askVoid(o)
	}}
	if o.Status != app.StatusCompleted || o.PaymentStatus == app.PaymentRefunded {
		refund.Disable()
		void.Disable()
	}
	if len(o.Refunds) > 0 {
		void.Disable()
	}
	closeBtn := &widget.Button{Text: lang.L("Close"), OnTapped: func() { dlg.Hide() }}
	buttons := container.NewGridWithColumns(4, sized(reprint, 0, touchMin), sized(refund, 0, touchMin), sized(void, 0, touchMin), sized(closeBtn, 0, touchMin))
	dlg = dialog.NewCustomWithoutButtons(lang.L("Sale"), container.NewBorder(nil, buttons, nil, nil, container.NewVScroll(box)), t.m.win)
	dlg.Resize(fyne.NewSize(560, 560))
	dlg.Show()
}

// askRefund asks which pieces of each line go back, why and where; the
// owner allows it.
func (t *transactions) askRefund(o *app.Order) {
	qtys := make([]*widget.Entry, len(o.Lines))
	var items []*widget.FormItem
	for i, l := range o.Lines {
		left := l.Qty - o.Refunded(i)
		qtys[i] = &widget.Entry{PlaceHolder: "0"}
		items = append(items, &widget.FormItem{Text: l.Name, Widget: qtys[i],
			HintText: lang.L("up to {{.N}}", map[string]any{"N": left})})
	}
	reason := &widget.Entry{PlaceHolder: lang.L("e.g. wrong size, damaged")}
	restock := &widget.RadioGroup{Options: []string{lang.L("Back on the shelf"), lang.L("Damaged")}, Horizontal: true}
	restock.SetSelected(lang.L("Back on the shelf"))
	items = append(items, &widget.FormItem{Text: lang.L("Reason"), Widget: reason}, &widget.FormItem{Text: lang.L("Goods go"), Widget: restock})
	fd := newFormDialog(lang.L("Refund {{.N}}", map[string]any{"N": o.Number}), lang.L("Refund"), lang.L("Cancel"), items, func() error {
		var lines []app.RefundLine
		for i, e := range qtys {
			txt := strings.TrimSpace(e.Text)
			if txt == "" || txt == "0" {
				continue
			}
			q, err := strconv.Atoi(txt)
			if err != nil {
				return app.FieldError("quantity", "%q is not a whole number", txt)
			}
			lines = append(lines, app.RefundLine{Line: i + 1, Qty: q})
		}
		if len(lines) == 0 {
			return app.FieldError("lines", "choose at least one line to refund")
		}
		where := app.RestockShelf
		if restock.Selected == lang.L("Damaged") {
			where = app.RestockDamaged
		}
		reg := t.m.store.reg
		var done *app.Order
		t.m.asOwner(lang.L("Refund on {{.N}}", map[string]any{"N": o.Number}), func(actor app.Actor) error {
			var err error
			done, err = reg.Refund(o.ID, lines, where, "", reason.Text, actor)
			return err
		}, func(err error) {
			if err != nil {
				t.m.showError(lang.L("Refund"), err)
				return
			}
			t.load()
			t.m.store.refresh()
			t.offerRefundReceipt(done)
		})
		return nil
	}, t.m.win)
	fd.dlg.Resize(fyne.NewSize(520, 0))
	fd.dlg.Show()
}

// offerRefundReceipt says what was refunded and offers its receipt.
func (t *transactions) offerRefundReceipt(o *app.Order) {
	i := len(o.Refunds) - 1
	r := o.Refunds[i]
	msg := lang.L("Refunded {{.A}} in {{.M}}.", map[string]any{"A": o.Currency.Format(r.Amount), "M": lang.L(r.Method.Label())})
	askYesNo(lang.L("Refund"), lang.L("Print receipt"), lang.L("Done"), msg, func(ok bool) {
		if !ok {
			return
		}
		cp, has := t.m.d.Printing.(CounterPrinting)
		if !has {
			t.m.showError(lang.L("Print receipt"), app.Errorf(app.EInvalid, "No printer is set up for receipts: add one in Settings » Printers"))
			return
		}
		if msg, err := cp.PrintRefund(o, i, t.m.actor); err != nil {
			t.m.showError(lang.L("Print receipt"), err)
		} else {
			t.m.showBanner(msg)
		}
	}, t.m.win)
}

func (t *transactions) askVoid(o *app.Order) {
	reason := &widget.Entry{PlaceHolder: lang.L("e.g. rung up twice")}
	fd := newFormDialog(lang.L("Void {{.N}}", map[string]any{"N": o.Number}), lang.L("Void"), lang.L("Cancel"),
		[]*widget.FormItem{{Text: lang.L("Reason"), Widget: reason}}, func() error {
			if _, err := t.m.store.reg.Void(o.ID, reason.Text, t.m.actor); err != nil {
				return err
			}
			t.load()
			t.m.store.refresh()
			t.m.showBanner(lang.L("Sale {{.N}} voided; its stock is back", map[string]any{"N": o.Number}))
			return nil
		}, t.m.win)
	fd.dlg.Resize(fyne.NewSize(440, 0))
	fd.dlg.Show()
}
