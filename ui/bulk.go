package ui

import (
	"context"
	"fmt"
	"io"
	"sort"
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
	s     *onlineScreen
	m     *Main
	root  *fyne.Container
	count *widget.Label

	// lastOutcomes is the result of the last bulk action, for tests and the result list.
	lastOutcomes []app.Outcome
}

func newBulkBar(s *onlineScreen) *bulkBar { return &bulkBar{s: s, m: s.m} }

func (b *bulkBar) buildUI() fyne.CanvasObject {
	b.count = bold("")
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
	b.root = container.NewVBox(widget.NewSeparator(), b.count, actions)
	b.root.Hide()
	b.update()
	return b.root
}

func (b *bulkBar) show() { b.root.Show(); b.update() }
func (b *bulkBar) hide() { b.root.Hide() }

func (b *bulkBar) update() {
	b.count.SetText(lang.L("{{.N}} selected", map[string]any{"N": len(b.s.selected)}))
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
		dialog.ShowInformation(lang.L("Nothing selected"), lang.L("Tick the orders first"), b.m.win)
		return false
	}
	if n > bulkLimit {
		dialog.ShowInformation(lang.L("Too many orders"), lang.L("A bulk action takes at most {{.N}} orders", map[string]any{"N": bulkLimit}), b.m.win)
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
		dialog.ShowInformation(lang.L("Print labels"), lang.L("No printer set up — Settings » Printers"), b.m.win)
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
					err = app.Errorf(app.EInvalid, "%s", lang.L("no tracking ID yet: arrange the shipment first"))
				} else {
					_, err = b.m.printDoc(app.DocLabel, o, actor)
				}
			}
			if err != nil {
				oc.Code, oc.Error = app.ErrorCode(err), app.ErrorMessage(err)
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
		list.Add(&widget.Label{Text: app.ErrorMessage(err), Importance: widget.DangerImportance})
	}
	dlg := dialog.NewCustom(title, lang.L("Close"), container.NewBorder(summary, nil, nil, nil, container.NewVScroll(list)), b.m.win)
	dlg.Resize(fyne.NewSize(520, 420))
	dlg.Show()
}

// exportRange is the time range an export covers: the date filter when set,
// else the span of the selected orders.
func (b *bulkBar) exportRange() (time.Time, time.Time) {
	f := b.s.appFilter()
	to := b.m.now().Add(time.Second)
	if !f.From.IsZero() {
		return f.From, to
	}
	var from, last time.Time
	for _, sel := range b.s.selected {
		if from.IsZero() || sel.CreatedAt.Before(from) {
			from = sel.CreatedAt
		}
		if sel.CreatedAt.After(last) {
			last = sel.CreatedAt
		}
	}
	if from.IsZero() {
		return time.Time{}, to
	}
	return from, last.Add(time.Nanosecond)
}

// onExport writes svc.ExportCSV for the range to a file staff choose.
func (b *bulkBar) onExport() {
	from, to := b.exportRange()
	name := fmt.Sprintf("orders-%s.csv", b.m.now().Local().Format("20060102-1504"))
	dlg := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			b.m.showError(lang.L("Export"), err)
			return
		}
		if w == nil {
			return
		}
		b.export(w, from, to)
	}, b.m.win)
	dlg.SetFileName(name)
	dlg.SetFilter(storage.NewExtensionFileFilter([]string{".csv"}))
	dlg.Show()
}

func (b *bulkBar) export(w io.WriteCloser, from, to time.Time) {
	load(func() (int, error) {
		n, err := b.m.svc.ExportCSV(w, from, to)
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		return n, err
	}, func(n int, err error) {
		if err != nil {
			b.m.showError(lang.L("Export"), err)
			return
		}
		b.m.showBanner(lang.L("Exported {{.N}} orders", map[string]any{"N": n}))
	})
}
