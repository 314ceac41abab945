package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kasir/pos/app"
)

// reportScreen is the shop's profit report: In Store and every online
// channel side by side, a bar per day, best sellers, payment methods and
// stock. `pos report` and the back office print the same app.Report.
type reportScreen struct {
	m *Main
	// days is the chip chosen: 1, 7, 30 or 90 days, thisMonth, or custom (rng).
	days  int
	rng   app.ReportRange
	rep   *app.Report
	chips *fyne.Container
	body  *fyne.Container
	dlg   *dialog.CustomDialog
}

func newReportScreen(m *Main) *reportScreen { return &reportScreen{m: m, days: 1} }

func (r *reportScreen) show() {
	r.chips = container.NewHBox()
	r.body = container.NewVBox()
	r.drawChips()
	export := &widget.Button{Text: lang.L("Export CSV"), Icon: theme.DownloadIcon(), OnTapped: r.onExport}
	closeBtn := &widget.Button{Text: lang.L("Close"), OnTapped: func() { r.dlg.Hide() }}
	top := container.NewBorder(nil, nil, nil, sized(export, 0, touchMin), container.NewHScroll(r.chips))
	content := container.NewBorder(top, container.NewCenter(sized(closeBtn, 160, touchMin)), nil, nil, container.NewVScroll(r.body))
	r.dlg = dialog.NewCustomWithoutButtons(lang.L("Report"), content, r.m.win)
	r.dlg.Resize(r.m.win.Canvas().Size().Subtract(fyne.NewSize(40, 40)))
	r.dlg.Show()
	r.load()
}

// The report's chips besides a number of days.
const (
	thisMonth = -1
	custom    = -2
)

func (r *reportScreen) drawChips() {
	days := []int{1, 7, 30, 90, thisMonth, custom}
	labels := make([]string, len(days))
	chosen := 0
	for i, d := range days {
		labels[i] = reportDaysLabel(d)
		if d == r.days {
			chosen = i
		}
	}
	fillChips(r.chips, labels, chosen, func(i int) {
		if days[i] == custom {
			r.askDates()
			return
		}
		r.days = days[i]
		r.drawChips()
		r.load()
	})
}

func reportDaysLabel(d int) string {
	switch d {
	case 1:
		return lang.L("Today")
	case thisMonth:
		return lang.L("This month")
	case custom:
		return lang.L("Choose dates…")
	}
	return exportDaysLabel(d)
}

// askDates asks for a first and last day; what was typed stays until it reads.
func (r *reportScreen) askDates() {
	today := r.m.now().In(r.m.zone())
	from := &widget.Entry{Text: today.AddDate(0, 0, -6).Format(dateLayout), Validator: validDate("from")}
	to := &widget.Entry{Text: today.Format(dateLayout), Validator: validDate("to")}
	fd := newFormDialog(lang.L("Report"), lang.L("Apply"), lang.L("Cancel"), []*widget.FormItem{
		{Text: lang.L("First day"), Widget: from, HintText: lang.L("e.g. 2026-09-01")},
		{Text: lang.L("Last day"), Widget: to},
	}, func() error {
		rng, err := app.ParseReportRange(from.Text, to.Text, r.m.zone())
		if err != nil {
			return err
		}
		r.days, r.rng = custom, rng
		r.drawChips()
		r.load()
		return nil
	}, r.m.win)
	fd.dlg.Resize(fyne.NewSize(440, 0))
	fd.dlg.Show()
}

// reportRange is the chosen chip's days in the shop's zone.
func (r *reportScreen) reportRange() app.ReportRange {
	now := r.m.now()
	switch r.days {
	case custom:
		return r.rng
	case thisMonth:
		d := now.In(r.m.zone()).Day()
		return app.LastDays(d, now, r.m.zone())
	}
	return app.LastDays(r.days, now, r.m.zone())
}

func (r *reportScreen) load() {
	reg := r.m.store.reg
	if reg == nil {
		return
	}
	rng := r.reportRange()
	load(func() (*app.Report, error) { return reg.Report(rng) }, func(rep *app.Report, err error) {
		if err != nil {
			r.m.showError(lang.L("Report"), err)
			return
		}
		r.rep = rep
		r.draw()
	})
}

// draw lays the report out: the channel table, the chart and the lists.
func (r *reportScreen) draw() {
	rep, cur := r.rep, r.rep.Currency
	r.body.Objects = nil
	heads := []string{lang.L("Channel"), lang.L("Orders"), lang.L("Sales"), lang.L("Cost"), lang.L("Gross profit"), lang.L("Margin"), lang.L("Refunds")}
	table := container.NewGridWithColumns(len(heads))
	for _, h := range heads {
		table.Add(&widget.Label{Text: h, TextStyle: fyne.TextStyle{Bold: true}})
	}
	row := func(name string, f app.Figures, strong bool) {
		for i, v := range []string{name, strconv.Itoa(f.Orders), cur.Format(f.Sales), cur.Format(f.Cost), cur.Format(f.GrossProfit), f.Margin(), cur.Format(f.Refunds)} {
			align := fyne.TextAlignTrailing
			if i == 0 {
				align = fyne.TextAlignLeading
			}
			table.Add(&widget.Label{Text: v, Alignment: align, TextStyle: fyne.TextStyle{Bold: strong}})
		}
	}
	for _, ch := range app.Channels {
		if f := rep.Channels[ch]; f != nil {
			row(lang.L(ch.Label()), *f, false)
		}
	}
	row(lang.L("Total"), rep.Total, true)
	r.body.Add(table)
	r.body.Add(widget.NewSeparator())
	r.body.Add(bold(lang.L("Sales per day")))
	r.body.Add(newDayChart(rep.Days, cur))
	lists := container.NewGridWithColumns(3)
	best := container.NewVBox(bold(lang.L("Best sellers")))
	for _, b := range rep.BestSellers {
		best.Add(container.NewBorder(nil, nil, nil, &widget.Label{Text: strconv.Itoa(b.Qty)}, &widget.Label{Text: b.Name, Truncation: fyne.TextTruncateEllipsis}))
	}
	pay := container.NewVBox(bold(lang.L("Payment methods")))
	for _, p := range rep.PaymentMethods {
		pay.Add(container.NewBorder(nil, nil, nil, &widget.Label{Text: cur.Format(p.Amount)}, &widget.Label{Text: fmt.Sprintf("%s (%d)", lang.L(p.Method.Label()), p.Count)}))
	}
	stock := container.NewVBox(bold(lang.L("Stock")), &widget.Label{Text: lang.L("Stock value {{.A}}", map[string]any{"A": cur.Format(rep.StockValue)})})
	for _, p := range rep.BelowReorder {
		stock.Add(&widget.Label{Text: lang.L("{{.P}}: {{.N}} left, reorder at {{.R}}", map[string]any{"P": p.Name, "N": p.OnHand, "R": p.ReorderLevel}),
			Importance: widget.WarningImportance, Wrapping: fyne.TextWrapWord})
	}
	lists.Add(best)
	lists.Add(pay)
	lists.Add(stock)
	r.body.Add(lists)
	r.body.Refresh()
}

// newDayChart draws a bar per day, scaled to the best day, with the day's
// sales under the tallest bars' labels.
func newDayChart(days []app.Day, cur app.Currency) fyne.CanvasObject {
	var top app.Money
	for _, d := range days {
		top = max(top, d.Sales)
	}
	const h = 160
	bars := container.NewGridWithColumns(max(len(days), 1))
	// Bars keep a readable width whether the range is a day or 90 of them.
	w := min(max(float32(900)/float32(max(len(days), 1))-4, 3), 40)
	for _, d := range days {
		frac := float32(0)
		if top > 0 && d.Sales > 0 {
			frac = float32(d.Sales) / float32(top)
		}
		bar := canvas.NewRectangle(theme.Color(theme.ColorNamePrimary))
		bar.CornerRadius = 2
		bar.SetMinSize(fyne.NewSize(w, h*frac))
		tip := d.Date[5:]
		if len(days) > 14 {
			tip = d.Date[8:]
		}
		label := &widget.Label{Text: tip, Alignment: fyne.TextAlignCenter, SizeName: theme.SizeNameCaptionText}
		if len(days) > 31 && d.Date[8:] != "01" && d.Date[8:] != "15" {
			label.Text = ""
		}
		bars.Add(container.NewBorder(nil, label, nil, nil, container.NewCenter(container.NewVBox(layoutSpacer(h*(1-frac)), bar))))
	}
	caption := &widget.Label{Text: lang.L("Best day {{.A}}", map[string]any{"A": cur.Format(top)}), SizeName: theme.SizeNameCaptionText}
	return container.NewBorder(caption, nil, nil, nil, bars)
}

func layoutSpacer(h float32) fyne.CanvasObject {
	r := canvas.NewRectangle(nil)
	r.SetMinSize(fyne.NewSize(1, h))
	return r
}

// onExport writes every table of the report as CSV to the export folder.
func (r *reportScreen) onExport() {
	if r.rep == nil {
		return
	}
	dir, err := r.m.online.bulk.exportDir()
	if err != nil {
		r.m.showError(lang.L("Export CSV"), err)
		return
	}
	path := filepath.Join(dir, fmt.Sprintf("report-%s-%s.csv", r.rep.From, r.rep.To))
	f, err := os.Create(path)
	if err == nil {
		err = r.rep.WriteCSV(f)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		r.m.showError(lang.L("Export CSV"), err)
		return
	}
	showMessage(lang.L("Export CSV"), lang.L("Saved in {{.P}}", map[string]any{"P": path}), r.m.win)
}
