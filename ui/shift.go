package ui

import (
	"fmt"
	"sort"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kasir/pos/app"
)

// CounterPrinting prints the counter's own documents; the print station
// implements it beside Printing. Without it the buttons say no printer is set up.
type CounterPrinting interface {
	// PrintRefund queues the receipt of refund i (0-based) of a sale.
	PrintRefund(o *app.Order, i int, actor app.Actor) (string, error)
	// PrintShiftReport queues the shift's X (open) or Z (closed) report.
	PrintShiftReport(s *app.Shift, t app.CashTotals, actor app.Actor) (string, error)
}

// shiftBar is the strip above the register: the shift's state and the
// counter's other screens (cash moves, transactions, report).
type shiftBar struct {
	s      *storeScreen
	state  *widget.Label
	open   *widget.Button
	cash   *widget.Button
	x      *widget.Button
	close  *widget.Button
	report *widget.Button
	sales  *widget.Button
	cur    *app.Shift
}

func newShiftBar(s *storeScreen) *shiftBar { return &shiftBar{s: s} }

func (b *shiftBar) buildUI() fyne.CanvasObject {
	b.state = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis}
	b.open = &widget.Button{Text: lang.L("Open shift"), Icon: theme.LoginIcon(), Importance: widget.HighImportance, OnTapped: b.onOpen}
	b.cash = &widget.Button{Text: lang.L("Cash in/out"), Icon: theme.StorageIcon(), OnTapped: b.onCash}
	b.x = &widget.Button{Text: lang.L("Shift so far"), Icon: theme.InfoIcon(), OnTapped: b.onX}
	b.close = &widget.Button{Text: lang.L("Close shift"), Icon: theme.LogoutIcon(), OnTapped: b.onClose}
	b.sales = &widget.Button{Text: lang.L("Transactions"), Icon: theme.HistoryIcon(), OnTapped: func() { newTransactions(b.s.m).show() }}
	b.report = &widget.Button{Text: lang.L("Report"), Icon: theme.DocumentIcon(), OnTapped: func() { newReportScreen(b.s.m).show() }}
	buttons := container.NewHBox()
	for _, btn := range []*widget.Button{b.open, b.cash, b.x, b.close, b.sales, b.report} {
		buttons.Add(sized(btn, 0, touchMin))
	}
	b.show(nil)
	return container.NewBorder(nil, nil, nil, buttons, b.state)
}

// refresh reads the open shift in the background.
func (b *shiftBar) refresh() {
	if b.s.reg == nil {
		return
	}
	load(b.s.reg.Shift, func(sh *app.Shift, err error) {
		if err != nil {
			fyne.LogError("shift", err)
			return
		}
		b.show(sh)
	})
}

func (b *shiftBar) show(sh *app.Shift) {
	b.cur = sh
	if sh == nil {
		b.state.SetText(lang.L("No shift open: open one to sell"))
		b.state.Importance = widget.WarningImportance
		b.open.Show()
		b.cash.Hide()
		b.x.Hide()
		b.close.Hide()
	} else {
		b.state.SetText(lang.L("Shift open since {{.T}} · {{.S}}", map[string]any{"T": sh.OpenedAt.In(b.s.m.zone()).Format("15:04"), "S": sh.OpenedBy}))
		b.state.Importance = widget.MediumImportance
		b.open.Hide()
		b.cash.Show()
		b.x.Show()
		b.close.Show()
	}
	b.state.Refresh()
}

func (b *shiftBar) money(e *widget.Entry, field string) (app.Money, error) {
	m, err := parseAmount(b.s.m.currency(), e.Text)
	if err != nil {
		return 0, app.FieldError(field, "%q is not an amount", e.Text)
	}
	return m, nil
}

func (b *shiftBar) onOpen() {
	float := &widget.Entry{}
	fd := newFormDialog(lang.L("Open shift"), lang.L("Open"), lang.L("Cancel"), []*widget.FormItem{
		{Text: lang.L("Cash float"), Widget: float, HintText: lang.L("The cash in the drawer now")},
	}, func() error {
		f, err := b.money(float, "float")
		if err != nil {
			return err
		}
		sh, err := b.s.reg.OpenShift(f, b.s.m.actor)
		if err != nil {
			return err
		}
		b.show(sh)
		return nil
	}, b.s.m.win)
	fd.dlg.Resize(fyne.NewSize(420, 0))
	fd.dlg.Show()
}

func (b *shiftBar) onCash() {
	dir := &widget.RadioGroup{Options: []string{lang.L("Cash in"), lang.L("Cash out")}, Horizontal: true}
	dir.SetSelected(lang.L("Cash out"))
	amount := &widget.Entry{}
	reason := &widget.Entry{PlaceHolder: lang.L("e.g. change from the bank, bought ice")}
	fd := newFormDialog(lang.L("Cash in/out"), lang.L("Record"), lang.L("Cancel"), []*widget.FormItem{
		{Text: "", Widget: dir}, {Text: lang.L("Amount"), Widget: amount}, {Text: lang.L("Reason"), Widget: reason},
	}, func() error {
		a, err := b.money(amount, "amount")
		if err != nil {
			return err
		}
		sh, err := b.s.reg.MoveCash(dir.Selected == lang.L("Cash in"), a, reason.Text, b.s.m.actor)
		if err != nil {
			return err
		}
		b.show(sh)
		return nil
	}, b.s.m.win)
	fd.dlg.Resize(fyne.NewSize(460, 0))
	fd.dlg.Show()
}

// onClose asks for the counted cash, closes the shift and shows the Z report.
func (b *shiftBar) onClose() {
	_, tot, err := b.s.reg.Totals()
	if err != nil {
		b.s.m.showError(lang.L("Close shift"), err)
		return
	}
	counted := &widget.Entry{}
	fd := newFormDialog(lang.L("Close shift"), lang.L("Close shift"), lang.L("Cancel"), []*widget.FormItem{
		{Text: lang.L("Sales"), Widget: &widget.Label{Text: fmt.Sprint(tot.Sales)}},
		{Text: lang.L("Counted cash"), Widget: counted, HintText: lang.L("Count the drawer before you look at what is expected")},
	}, func() error {
		n, err := b.money(counted, "counted cash")
		if err != nil {
			return err
		}
		sh, t, err := b.s.reg.CloseShift(n, b.s.m.actor)
		if err != nil {
			return err
		}
		b.show(nil)
		b.showTotals(lang.L("Shift closed"), sh, t)
		return nil
	}, b.s.m.win)
	fd.dlg.Resize(fyne.NewSize(460, 0))
	fd.dlg.Show()
}

// onX shows the open shift's figures so far (the X report).
func (b *shiftBar) onX() {
	sh, t, err := b.s.reg.Totals()
	if err != nil {
		b.s.m.showError(lang.L("Shift so far"), err)
		return
	}
	b.showTotals(lang.L("Shift so far"), sh, t)
}

// showTotals shows a shift's drawer figures with a button to print them.
func (b *shiftBar) showTotals(title string, sh *app.Shift, t app.CashTotals) {
	cur := b.s.m.currency()
	rows := [][2]string{
		{lang.L("Float"), cur.Format(t.Float)}, {lang.L("Cash sales"), cur.Format(t.CashSales)},
		{lang.L("Cash refunds"), cur.Format(-t.CashRefunds)}, {lang.L("Cash in"), cur.Format(t.CashIn)},
		{lang.L("Cash out"), cur.Format(-t.CashOut)}, {lang.L("Expected cash"), cur.Format(t.Expected)},
	}
	if !sh.Open() {
		rows = append(rows, [2]string{lang.L("Counted cash"), cur.Format(t.Counted)}, [2]string{lang.L("Difference"), cur.Format(t.Difference)})
	}
	methods := make([]app.PaymentMethod, 0, len(t.ByMethod))
	for m := range t.ByMethod {
		methods = append(methods, m)
	}
	sort.Slice(methods, func(i, j int) bool { return methods[i] < methods[j] })
	for _, m := range methods {
		rows = append(rows, [2]string{lang.L(m.Label()), cur.Format(t.ByMethod[m])})
	}
	grid := container.NewGridWithColumns(2)
	for _, r := range rows {
		grid.Add(&widget.Label{Text: r[0]})
		grid.Add(&widget.Label{Text: r[1], Alignment: fyne.TextAlignTrailing, TextStyle: fyne.TextStyle{Bold: r[0] == lang.L("Difference") || r[0] == lang.L("Expected cash")}})
	}
	print := &widget.Button{Text: lang.L("Print report"), Icon: theme.DocumentPrintIcon(), OnTapped: func() {
		cp, ok := b.s.m.d.Printing.(CounterPrinting)
		if !ok {
			b.s.m.showError(lang.L("Print report"), app.Errorf(app.EInvalid, "No printer is set up for receipts: add one in Settings » Printers"))
			return
		}
		msg, err := cp.PrintShiftReport(sh, t, b.s.m.actor)
		if err != nil {
			b.s.m.showError(lang.L("Print report"), err)
			return
		}
		b.s.m.showBanner(msg)
	}}
	showMessageWith(title, container.NewVBox(grid, sized(print, 0, touchMin)), b.s.m.win)
}

// showMessageWith shows content in a dialog whose OK is a 44 px touch target.
func showMessageWith(title string, content fyne.CanvasObject, win fyne.Window) *dialog.CustomDialog {
	var dlg *dialog.CustomDialog
	ok := &widget.Button{Text: lang.L("OK"), Importance: widget.HighImportance, OnTapped: func() { dlg.Hide() }}
	dlg = dialog.NewCustomWithoutButtons(title, container.NewBorder(nil, container.NewCenter(sized(ok, 160, touchMin)), nil, nil,
		sized(content, 420, 0)), win)
	dlg.Show()
	return dlg
}

// askYesNo shows a message with two 44 px buttons; done gets whether the
// first (yes) was tapped.
func askYesNo(title, yes, no, message string, done func(bool), win fyne.Window) *dialog.CustomDialog {
	var dlg *dialog.CustomDialog
	answer := func(ok bool) func() {
		return func() {
			dlg.Hide()
			done(ok)
		}
	}
	yesBtn := &widget.Button{Text: yes, Icon: theme.ConfirmIcon(), Importance: widget.HighImportance, OnTapped: answer(true)}
	noBtn := &widget.Button{Text: no, Icon: theme.CancelIcon(), OnTapped: answer(false)}
	body := &widget.Label{Text: message, TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord}
	buttons := container.NewGridWithColumns(2, sized(noBtn, 0, touchMin), sized(yesBtn, 0, touchMin))
	dlg = dialog.NewCustomWithoutButtons(title, container.NewBorder(nil, buttons, nil, nil, sized(body, 380, 0)), win)
	dlg.Show()
	return dlg
}
