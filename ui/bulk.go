package ui

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kasir/pos/app"
)

// bulkLimit is the most orders one bulk action takes (the service refuses more).
const bulkLimit = 100

// bulkBar is the action bar of bulk mode: what is selected and what to do with it.
type bulkBar struct {
	s    *onlineScreen
	m    *Main
	root *fyne.Container

	// lastOutcomes is the result of the last bulk action, for tests and the result list.
	lastOutcomes []app.Outcome
	// lastExport is the file the last export wrote.
	lastExport exportResult
	// datesDialog is the open "export these days" dialog.
	datesDialog *formDialog
}

func newBulkBar(s *onlineScreen) *bulkBar { return &bulkBar{s: s, m: s.m} }

func (b *bulkBar) buildUI() fyne.CanvasObject {
	btn := func(text string, icon fyne.Resource, f func()) fyne.CanvasObject {
		return sized(&widget.Button{Text: text, Icon: icon, OnTapped: f}, 0, touchMin)
	}
	// Three columns fit the list pane of a landscape tablet, so every action stays in reach.
	actions := container.NewGridWithColumns(3,
		btn(lang.L("Select all"), theme.CheckButtonCheckedIcon(), b.onSelectAll),
		btn(lang.L("Clear"), theme.ContentClearIcon(), b.onClear),
		btn(lang.L("Accept"), theme.ConfirmIcon(), b.onAccept),
		btn(lang.L("Arrange pickup"), theme.MailSendIcon(), b.onPickup),
		btn(lang.L("Print labels"), theme.DocumentPrintIcon(), b.onPrintLabels),
		btn(lang.L("Export"), theme.DownloadIcon(), b.onExport),
	)
	// How many are selected shows on the Select button, so the bar is two rows high.
	b.root = container.NewVBox(widget.NewSeparator(), actions)
	b.root.Hide()
	b.update()
	return b.root
}

func (b *bulkBar) show() { b.root.Show(); b.update() }
func (b *bulkBar) hide() { b.root.Hide() }

func (b *bulkBar) update() {
	b.s.showSelectButton()
}

// ids lists the selection in a stable order (oldest first).
func (b *bulkBar) ids() []string {
	ids := make([]string, 0, len(b.s.selected))
	for id := range b.s.selected {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		a, c := b.s.selected[ids[i]], b.s.selected[ids[j]]
		if !a.CreatedAt.Equal(c.CreatedAt) {
			return a.CreatedAt.Before(c.CreatedAt)
		}
		return ids[i] < ids[j]
	})
	return ids
}

// onSelectAll adds the first orders of the current view, up to the bulk limit.
func (b *bulkBar) onSelectAll() {
	f := b.s.appFilter()
	f.Limit = bulkLimit
	load(func() (app.Page, error) { return b.m.svc.Find(f) }, func(p app.Page, err error) {
		if err != nil {
			b.m.showError(lang.L("Could not select"), err)
			return
		}
		for _, o := range p.Orders {
			if len(b.s.selected) >= bulkLimit {
				break
			}
			b.s.selected[o.ID] = selection{Number: o.Number, CreatedAt: o.CreatedAt}
		}
		if p.Total > len(p.Orders) || len(b.s.selected) >= bulkLimit {
			b.m.showBanner(lang.L("A bulk action takes at most {{.N}} orders; the first {{.N}} are selected", map[string]any{"N": bulkLimit}))
		}
		b.update()
		b.s.list.list.Refresh()
	})
}

func (b *bulkBar) onClear() {
	b.s.selected = map[string]selection{}
	b.update()
	b.s.list.list.Refresh()
}

func (b *bulkBar) checkSelection() bool {
	n := len(b.s.selected)
	if n == 0 {
		showMessage(lang.L("Nothing selected"), lang.L("Tick the orders first"), b.m.win)
		return false
	}
	if n > bulkLimit {
		showMessage(lang.L("Too many orders"), lang.L("A bulk action takes at most {{.N}} orders", map[string]any{"N": bulkLimit}), b.m.win)
		return false
	}
	return true
}

func (b *bulkBar) onAccept() {
	if b.checkSelection() {
		b.runCommand(lang.L("Accepting"), app.Command{Action: app.ActionAccept})
	}
}

func (b *bulkBar) onPickup() {
	if b.checkSelection() {
		b.m.askPickup(func(args app.Args) {
			b.runCommand(lang.L("Arranging pickup"), app.Command{Action: app.ActionArrangePickup, Args: args})
		})
	}
}

// progress is a dialog with a bar that the background work moves.
type progress struct {
	dlg *dialog.CustomDialog
	bar *widget.ProgressBar
}

func (b *bulkBar) newProgress(title string, total int) *progress {
	p := &progress{bar: &widget.ProgressBar{Max: float64(total)}}
	p.dlg = dialog.NewCustomWithoutButtons(title, sized(p.bar, 320, 0), b.m.win)
	p.dlg.Show()
	return p
}

// runCommand applies one command to every selected order through svc.Bulk.
func (b *bulkBar) runCommand(title string, tmpl app.Command) {
	ids, actor := b.ids(), b.m.actor
	p := b.newProgress(title, len(ids))
	load(func() ([]app.Outcome, error) {
		return b.m.svc.Bulk(context.Background(), ids, tmpl, actor, func(done, total int, _ app.Outcome) {
			fyne.Do(func() { p.bar.SetValue(float64(done)) })
		})
	}, func(out []app.Outcome, err error) {
		p.dlg.Hide()
		b.finish(title, out, err)
	})
}

// onPrintLabels prints a label for each selected order, one at a time.
func (b *bulkBar) onPrintLabels() {
	if !b.checkSelection() {
		return
	}
	if b.m.d.Printing == nil {
		showMessage(lang.L("Print labels"), lang.L("No printer set up — Settings » Printers"), b.m.win)
		return
	}
	ids, actor := b.ids(), b.m.actor
	p := b.newProgress(lang.L("Printing labels"), len(ids))
	load(func() ([]app.Outcome, error) {
		out := make([]app.Outcome, 0, len(ids))
		for i, id := range ids {
			oc := app.Outcome{OrderID: id, Number: b.s.selected[id].Number}
			o, err := b.m.svc.Order(id)
			if err == nil {
				oc.Number = o.Number
				if o.Shipment.TrackingID == "" {
					err = app.Errorf(app.EInvalid, "No tracking ID yet: arrange the shipment first")
				} else {
					_, err = b.m.printDoc(app.DocLabel, o, actor)
				}
			}
			if err != nil {
				oc.Code, oc.Error = app.ErrorCode(err), errorText(err)
			} else {
				oc.Done = true
			}
			out = append(out, oc)
			fyne.Do(func() { p.bar.SetValue(float64(i + 1)) })
		}
		return out, nil
	}, func(out []app.Outcome, err error) {
		p.dlg.Hide()
		b.finish(lang.L("Print labels"), out, err)
	})
}

// finish shows what was done and what failed, with each reason.
func (b *bulkBar) finish(title string, out []app.Outcome, err error) {
	b.lastOutcomes = out
	b.m.refresh()
	if err != nil && len(out) == 0 {
		b.m.showError(title, err)
		return
	}
	done := 0
	for _, o := range out {
		if o.Done {
			done++
		}
	}
	list := container.NewVBox()
	for _, o := range out {
		name := o.Number
		if name == "" {
			name = o.OrderID
		}
		if o.Done {
			list.Add(&widget.Label{Text: "✓ " + name, Importance: widget.SuccessImportance})
		} else {
			list.Add(&widget.Label{Text: "✗ " + name + ": " + o.Error, Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord})
		}
	}
	summary := bold(lang.L("{{.Done}} done, {{.Failed}} failed", map[string]any{"Done": done, "Failed": len(out) - done}))
	if err != nil {
		list.Add(&widget.Label{Text: errorText(err), Importance: widget.DangerImportance})
	}
	var dlg *dialog.CustomDialog
	closeBtn := &widget.Button{Text: lang.L("Close"), Importance: widget.HighImportance, OnTapped: func() { dlg.Hide() }}
	dlg = dialog.NewCustomWithoutButtons(title, container.NewBorder(summary, container.NewCenter(sized(closeBtn, 160, touchMin)), nil, nil,
		container.NewVScroll(list)), b.m.win)
	dlg.Resize(fyne.NewSize(520, 420))
	dlg.Show()
}

// exportKind is what an export covers: the ticked orders, or a period.
type exportKind struct {
	// days is the number of last days, or 0 for the selection or a custom period.
	days     int
	selected bool
	from, to time.Time
}

// onExportMenu offers every export: exactly the ticked orders, or the
// orders of a period (today, 7, 30, 90 days, or dates staff type).
func (b *bulkBar) onExportMenu() {
	n := len(b.s.selected)
	sel := fyne.NewMenuItem(lang.L("Selected orders ({{.N}})", map[string]any{"N": n}), func() { b.onExport() })
	sel.Disabled = n == 0
	items := []*fyne.MenuItem{sel, fyne.NewMenuItemSeparator()}
	for _, d := range []int{1, 7, 30, 90} {
		items = append(items, fyne.NewMenuItem(exportDaysLabel(d), func() { b.export(exportKind{days: d}) }))
	}
	items = append(items, fyne.NewMenuItem(lang.L("Choose dates…"), b.askExportDates))
	b.s.popupChoices(b.s.exportBtn, items)
}

func exportDaysLabel(d int) string {
	switch d {
	case 1:
		return lang.L("Today's orders")
	case 7:
		return lang.L("Last 7 days")
	case 30:
		return lang.L("Last 30 days")
	}
	return lang.L("Last 90 days")
}

// onExport exports exactly the ticked orders.
func (b *bulkBar) onExport() {
	if len(b.s.selected) == 0 {
		showMessage(lang.L("Nothing selected"), lang.L("Tick the orders first"), b.m.win)
		return
	}
	b.export(exportKind{selected: true})
}

// askExportDates asks for a first and last day; the dialog refuses a date
// it cannot read and keeps what was typed until it can.
func (b *bulkBar) askExportDates() {
	today := b.m.now().Local()
	from := &widget.Entry{Text: today.AddDate(0, 0, -29).Format(dateLayout), Validator: validDate("from")}
	to := &widget.Entry{Text: today.Format(dateLayout), Validator: validDate("to")}
	items := []*widget.FormItem{
		{Text: lang.L("First day"), Widget: from, HintText: lang.L("e.g. 2026-09-01")},
		{Text: lang.L("Last day"), Widget: to},
	}
	fd := newFormDialog(lang.L("Export orders of these days"), lang.L("Export"), lang.L("Cancel"), items, func() error {
		f, _ := time.ParseInLocation(dateLayout, strings.TrimSpace(from.Text), b.m.zone())
		t, _ := time.ParseInLocation(dateLayout, strings.TrimSpace(to.Text), b.m.zone())
		if t.Before(f) {
			return app.FieldError("to", "is before the first day")
		}
		b.export(exportKind{from: f, to: t.AddDate(0, 0, 1)})
		return nil
	}, b.m.win)
	b.datesDialog = fd
	fd.dlg.Resize(fyne.NewSize(440, 0))
	fd.dlg.Show()
}

// dateLayout is how staff type a day.
const dateLayout = "2006-01-02"

func validDate(field string) fyne.StringValidator {
	return func(s string) error {
		if _, err := time.ParseInLocation(dateLayout, strings.TrimSpace(s), time.Local); err != nil {
			return app.FieldError(field, "is not a date like 2026-09-01")
		}
		return nil
	}
}

// exportDir is where exports go: Deps.ExportDir, or a folder staff find
// in their Documents.
func (b *bulkBar) exportDir() (string, error) {
	dir := b.m.d.ExportDir
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		dir = filepath.Join(home, "Kasir exports")
		if st, err := os.Stat(filepath.Join(home, "Documents")); err == nil && st.IsDir() {
			dir = filepath.Join(home, "Documents", "Kasir exports")
		}
	}
	return dir, os.MkdirAll(dir, 0o755)
}

// exportResult is the file an export wrote and how many orders it holds.
type exportResult struct {
	path string
	n    int
}

// export writes the CSV in the background to a new file in the export
// folder (whole or not at all), then says where it went.
func (b *bulkBar) export(k exportKind) {
	now := b.m.now().Local()
	name := "orders-selected-" + strconv.Itoa(len(b.s.selected))
	switch {
	case k.days > 0:
		r := app.LastDays(k.days, now, b.m.zone())
		k.from, k.to = r.From, r.End()
		name = fmt.Sprintf("orders-%d-days", k.days)
		if k.days == 1 {
			name = "orders-today"
		}
	case !k.selected:
		name = "orders-" + k.from.Format("20060102") + "-" + k.to.AddDate(0, 0, -1).Format("20060102")
	}
	name += "-" + now.Format("20060102-150405") + ".csv"
	ids := b.ids()
	svc := b.m.svc
	wait := dialog.NewCustomWithoutButtons(lang.L("Exporting…"), sized(widget.NewProgressBarInfinite(), 320, 0), b.m.win)
	wait.Show()
	load(func() (exportResult, error) {
		dir, err := b.exportDir()
		if err != nil {
			return exportResult{}, err
		}
		tmp, err := os.CreateTemp(dir, ".export-*.csv")
		if err != nil {
			return exportResult{}, err
		}
		defer os.Remove(tmp.Name())
		var n int
		if k.selected {
			n, err = svc.ExportOrdersCSV(tmp, ids)
		} else {
			n, err = svc.ExportCSV(tmp, k.from, k.to)
		}
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return exportResult{}, err
		}
		path := filepath.Join(dir, name)
		return exportResult{path: path, n: n}, os.Rename(tmp.Name(), path)
	}, func(r exportResult, err error) {
		wait.Hide()
		if err != nil {
			b.m.showError(lang.L("Export"), err)
			return
		}
		b.lastExport = r
		b.showExported(r)
	})
}

// showExported says how many orders went to which file, and offers to open its folder.
func (b *bulkBar) showExported(r exportResult) {
	where := &widget.Label{Text: r.path, Wrapping: fyne.TextWrapBreak, Selectable: true}
	var dlg *dialog.CustomDialog
	open := &widget.Button{Text: lang.L("Open folder"), Icon: theme.FolderOpenIcon(), Importance: widget.HighImportance, OnTapped: func() {
		u := storage.NewFileURI(filepath.Dir(r.path))
		if err := fyne.CurrentApp().OpenURL(&url.URL{Scheme: u.Scheme(), Path: u.Path()}); err != nil {
			b.m.showError(lang.L("Open folder"), err)
			return
		}
		dlg.Hide()
	}}
	closeBtn := &widget.Button{Text: lang.L("Close"), OnTapped: func() { dlg.Hide() }}
	content := container.NewVBox(bold(lang.L("Exported {{.N}} orders to", map[string]any{"N": r.n})), where)
	dlg = dialog.NewCustomWithoutButtons(lang.L("Export"), container.NewBorder(nil,
		container.NewGridWithColumns(2, sized(closeBtn, 0, touchMin), sized(open, 0, touchMin)), nil, nil, content), b.m.win)
	dlg.Resize(fyne.NewSize(520, 0))
	dlg.Show()
}
