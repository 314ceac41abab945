package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kasir/pos/app"
)

// Paging of the virtualized order list: rows are fetched from the store a
// page at a time and at most cachePages pages are kept, so a 100,000-order
// list costs a few hundred rows of memory.
const (
	pageSize   = 50
	cachePages = 8
)

// orderList is a widget.List over svc.Find: its length is the filter's
// total, and rows come from a small cache of pages loaded in the background.
type orderList struct {
	s    *onlineScreen
	list *widget.List

	filter   app.Filter
	gen      int
	total    int
	pages    map[int][]*app.Order
	pending  map[int]bool
	updating bool
	// onLoaded is told when the first page of a new filter arrived.
	onLoaded func()
}

func newOrderList(s *onlineScreen) *orderList {
	l := &orderList{s: s, pages: map[int][]*app.Order{}, pending: map[int]bool{}}
	l.list = &widget.List{
		Length:     func() int { return l.total },
		CreateItem: func() fyne.CanvasObject { return newOrderRow(s) },
		UpdateItem: l.onUpdateItem,
		OnSelected: l.onSelected,
	}
	l.list.ExtendBaseWidget(l.list)
	return l
}

// setFilter starts over with a new filter; the list updates when page 0 arrives.
func (l *orderList) setFilter(f app.Filter) {
	l.filter = f
	l.reload()
}

// reload drops the cache and fetches the first page again, keeping the scroll position's data fresh.
func (l *orderList) reload() {
	l.gen++
	l.pages = map[int][]*app.Order{}
	l.pending = map[int]bool{}
	l.request(0)
}

func (l *orderList) request(p int) {
	if l.pending[p] || l.s.m.svc == nil {
		return
	}
	l.pending[p] = true
	gen, f := l.gen, l.filter
	f.Offset, f.Limit = p*pageSize, pageSize
	load(func() (app.Page, error) { return l.s.m.svc.Find(f) }, func(page app.Page, err error) {
		if gen != l.gen {
			return
		}
		delete(l.pending, p)
		if err != nil {
			l.s.m.showError(lang.L("Could not load orders"), err)
			return
		}
		l.store(p, page.Orders)
		changed := l.total != page.Total
		l.total = page.Total
		if !l.updating {
			l.list.Refresh()
			l.showSelection()
		} else {
			if changed {
				defer l.list.Refresh()
			}
			defer l.showSelection()
		}
		if p == 0 && l.onLoaded != nil {
			l.onLoaded()
		}
	})
}

// showSelection highlights the row of the order the detail shows, or no row
// when the loaded pages do not have it (it moved to another tab, or its
// page is not loaded yet), so the list and the detail never disagree: a
// highlight left on an index would mark whichever order slid into it.
func (l *orderList) showSelection() {
	id := l.s.detail.id
	for p, rows := range l.pages {
		for i, o := range rows {
			if id != "" && o.ID == id {
				l.list.OnSelected = nil // the detail already shows it
				l.list.Select(p*pageSize + i)
				l.list.OnSelected = l.onSelected
				return
			}
		}
	}
	l.list.UnselectAll()
}

// store keeps page p and evicts the pages farthest from it.
func (l *orderList) store(p int, orders []*app.Order) {
	l.pages[p] = orders
	for len(l.pages) > cachePages {
		far, dist := -1, -1
		for q := range l.pages {
			if d := abs(q - p); d > dist {
				far, dist = q, d
			}
		}
		delete(l.pages, far)
	}
}

func abs(i int) int {
	if i < 0 {
		return -i
	}
	return i
}

// row returns the order at index i, requesting its page when it is not cached.
func (l *orderList) row(i int) (*app.Order, bool) {
	p := i / pageSize
	if rows, ok := l.pages[p]; ok {
		if i%pageSize < len(rows) {
			return rows[i%pageSize], true
		}
		return nil, false
	}
	l.request(p)
	if rows, ok := l.pages[p]; ok && i%pageSize < len(rows) {
		return rows[i%pageSize], true
	}
	return nil, false
}

func (l *orderList) onUpdateItem(i widget.ListItemID, obj fyne.CanvasObject) {
	l.updating = true
	defer func() { l.updating = false }()
	row := obj.(*orderRow)
	o, ok := l.row(i)
	if !ok {
		row.setLoading()
		return
	}
	row.set(o)
}

func (l *orderList) onSelected(i widget.ListItemID) {
	if o, ok := l.row(i); ok {
		l.s.openOrder(o.ID)
	}
}

// orderRow is one row of the order list, two lines high so that ten or
// more fit a landscape tablet: number, buyer and total on the first line;
// status (while searching every status), items, courier and tracking ID,
// the label and unlinked marks, and the deadline or date on the second.
type orderRow struct {
	widget.BaseWidget
	s     *onlineScreen
	order *app.Order

	check    *widget.Check
	channel  *pill
	number   *canvas.Text
	buyer    *canvas.Text
	total    *canvas.Text
	status   *pill
	info     *canvas.Text
	unlinked *pill
	printed  *pill
	deadline *canvas.Text

	// The texts a narrow row shortens with an ellipsis.
	buyerText, infoText string
	// deadlineInk is the theme colour of the deadline: urgent or not.
	deadlineInk fyne.ThemeColorName
}

func newOrderRow(s *onlineScreen) *orderRow {
	r := &orderRow{s: s, deadlineInk: theme.ColorNamePlaceHolder}
	r.check = &widget.Check{OnChanged: r.onChecked}
	r.channel = newChannelBadge()
	r.number = &canvas.Text{TextStyle: fyne.TextStyle{Bold: true}}
	r.buyer = &canvas.Text{}
	r.total = &canvas.Text{TextStyle: fyne.TextStyle{Bold: true}, Alignment: fyne.TextAlignTrailing}
	r.status = newPill("", theme.ColorNameDisabledButton, theme.ColorNameForeground)
	r.info = &canvas.Text{}
	r.unlinked = newPill("", theme.ColorNameWarning, theme.ColorNameForegroundOnWarning)
	r.printed = newPill("", theme.ColorNameSuccess, theme.ColorNameForegroundOnSuccess)
	r.deadline = &canvas.Text{Alignment: fyne.TextAlignTrailing}
	r.ExtendBaseWidget(r)
	return r
}

func (r *orderRow) CreateRenderer() fyne.WidgetRenderer {
	return &orderRowRenderer{r: r, objs: []fyne.CanvasObject{r.check, r.channel, r.number, r.buyer, r.total,
		r.status, r.info, r.unlinked, r.printed, r.deadline}}
}

// orderRowRenderer lays a row out by hand: two text lines without the
// padding a Label adds, and a 44 px check box in Select mode.
type orderRowRenderer struct {
	r    *orderRow
	objs []fyne.CanvasObject
}

func (rr *orderRowRenderer) Destroy()                     {}
func (rr *orderRowRenderer) Objects() []fyne.CanvasObject { return rr.objs }

// lineHeights are the heights of the row's first and second line.
func (rr *orderRowRenderer) lineHeights() (float32, float32) {
	r := rr.r
	h1 := fyne.MeasureText("Ag", r.number.TextSize, r.number.TextStyle).Height
	h2 := max(fyne.MeasureText("Ag", r.info.TextSize, r.info.TextStyle).Height, r.printed.MinSize().Height)
	return h1, h2
}

func (rr *orderRowRenderer) MinSize() fyne.Size {
	h1, h2 := rr.lineHeights()
	pad := theme.Padding()
	return fyne.NewSize(200, max(touchMin, h1+h2+3*pad))
}

func (rr *orderRowRenderer) Layout(size fyne.Size) {
	r := rr.r
	pad := theme.Padding()
	x := pad
	if r.check.Visible() {
		r.check.Resize(fyne.NewSize(touchMin, touchMin))
		r.check.Move(fyne.NewPos(x, (size.Height-touchMin)/2))
		x += touchMin
	}
	cs := r.channel.MinSize()
	r.channel.Resize(cs)
	r.channel.Move(fyne.NewPos(x, (size.Height-cs.Height)/2))
	x += cs.Width + 2*pad
	right := size.Width - pad
	h1, h2 := rr.lineHeights()
	y1 := (size.Height - h1 - h2 - pad) / 2
	y2 := y1 + h1 + pad

	// First line: number, buyer, total.
	tw := r.total.MinSize().Width
	r.total.Resize(fyne.NewSize(tw, h1))
	r.total.Move(fyne.NewPos(right-tw, y1))
	nw := r.number.MinSize().Width
	r.number.Resize(fyne.NewSize(nw, h1))
	r.number.Move(fyne.NewPos(x, y1))
	bx := x + nw + 2*pad
	bw := max(right-tw-2*pad-bx, 0)
	r.buyer.Text = fitText(r.buyerText, bw, r.buyer.TextSize, r.buyer.TextStyle)
	r.buyer.Resize(fyne.NewSize(bw, h1))
	r.buyer.Move(fyne.NewPos(bx, y1))

	// Second line: status, info … marks, deadline.
	end := right
	place := func(o fyne.CanvasObject, w, h float32) {
		o.Resize(fyne.NewSize(w, h))
		o.Move(fyne.NewPos(end-w, y2+(h2-h)/2))
		end -= w + pad
	}
	dw := r.deadline.MinSize().Width
	place(r.deadline, dw, r.deadline.MinSize().Height)
	for _, p := range []*pill{r.printed, r.unlinked} {
		if p.Visible() {
			ps := p.MinSize()
			place(p, ps.Width, ps.Height)
		}
	}
	ix := x
	if r.status.Visible() {
		ss := r.status.MinSize()
		r.status.Resize(ss)
		r.status.Move(fyne.NewPos(x, y2+(h2-ss.Height)/2))
		ix += ss.Width + pad
	}
	iw := max(end-pad-ix, 0)
	r.info.Text = fitText(r.infoText, iw, r.info.TextSize, r.info.TextStyle)
	r.info.Resize(fyne.NewSize(iw, r.info.MinSize().Height))
	r.info.Move(fyne.NewPos(ix, y2+(h2-r.info.MinSize().Height)/2))
}

func (rr *orderRowRenderer) Refresh() {
	r := rr.r
	th := r.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	body, small := th.Size(theme.SizeNameText), th.Size(theme.SizeNameCaptionText)+1
	for _, t := range []*canvas.Text{r.number, r.buyer, r.total} {
		t.TextSize, t.Color = body, th.Color(theme.ColorNameForeground, v)
	}
	r.info.TextSize, r.info.Color = small, th.Color(theme.ColorNamePlaceHolder, v)
	r.deadline.TextSize, r.deadline.Color = small, th.Color(r.deadlineInk, v)
	rr.Layout(r.Size())
	for _, o := range rr.objs {
		o.Refresh()
	}
}

// fitText shortens s with an ellipsis until it fits w.
func fitText(s string, w, size float32, style fyne.TextStyle) string {
	if s == "" || fyne.MeasureText(s, size, style).Width <= w {
		return s
	}
	runes := []rune(s)
	lo, hi := 0, len(runes) // the longest prefix that fits is in [lo, hi)
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if fyne.MeasureText(string(runes[:mid])+"…", size, style).Width <= w {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	if lo == 0 {
		return ""
	}
	return string(runes[:lo]) + "…"
}

func (r *orderRow) setLoading() {
	r.order = nil
	r.number.Text = lang.L("Loading…")
	r.buyerText, r.infoText, r.total.Text, r.deadline.Text = "", "", "", ""
	r.status.Hide()
	r.printed.Hide()
	r.unlinked.Hide()
	r.check.Hide()
	r.Refresh()
}

func (r *orderRow) set(o *app.Order) {
	r.order = o
	setChannelBadge(r.channel, o.Channel)
	r.number.Text = o.Number
	buyer := o.Buyer.Name
	if o.DetailsPending && buyer == "" {
		buyer = lang.L("Details pending from {{.Channel}}", map[string]any{"Channel": o.Channel.Label()})
	}
	r.buyerText = buyer
	info := []string{itemCount(o.ItemCount())}
	if o.Shipment.Courier != "" {
		info = append(info, app.CourierName(o.Shipment.Courier))
	} else if o.Shipment.State != app.ShipmentNone {
		info = append(info, shipmentLabel(o.Shipment.State))
	}
	if o.Shipment.TrackingID != "" {
		info = append(info, o.Shipment.TrackingID)
	}
	r.infoText = strings.Join(info, " · ")
	if o.DetailsPending && o.Total == 0 {
		r.total.Text = "—"
	} else {
		r.total.Text = o.Currency.Format(o.Total)
	}

	// While a search lists every status, each row says which one it is in.
	if r.s.searchingAll() {
		r.status.Text = lang.L(o.Status.Label())
		r.status.Fill, r.status.Ink = statusLook(o.Status)
		r.status.Show()
	} else {
		r.status.Hide()
	}

	r.deadlineInk = theme.ColorNamePlaceHolder
	switch {
	case o.Status == app.StatusNew && !o.AcceptBy.IsZero():
		left := o.AcceptBy.Sub(r.s.m.now())
		r.deadline.Text = timeLeft(left)
		r.deadlineInk = theme.ColorNameForeground
		if left < r.s.m.svc.CurrentPolicy().ExpiringWithin {
			r.deadlineInk = theme.ColorNameError
		}
	case o.Status == app.StatusDelivered:
		r.deadline.Text = lang.L("Delivered")
	case o.CancelRequest != nil:
		r.deadlineInk = theme.ColorNameWarning
		r.deadline.Text = lang.L("Cancel requested")
	default:
		r.deadline.Text = o.CreatedAt.Local().Format("02 Jan 15:04")
	}

	switch {
	case o.LabelPrinted():
		r.printed.Text, r.printed.Fill, r.printed.Ink = "✓ "+lang.L("Label"), theme.ColorNameSuccess, theme.ColorNameForegroundOnSuccess
		r.printed.Show()
	case o.AwaitingLabel():
		// Only an order with a tracking ID can have its label printed; the badge counts the same.
		r.printed.Text, r.printed.Fill, r.printed.Ink = lang.L("No label"), theme.ColorNameWarning, theme.ColorNameForegroundOnWarning
		r.printed.Show()
	default:
		r.printed.Hide()
	}
	if n := o.UnlinkedLines(); n > 0 {
		r.unlinked.Text = lang.L("Unlinked")
		r.unlinked.Show()
	} else {
		r.unlinked.Hide()
	}

	if r.s.selecting {
		_, on := r.s.selected[o.ID]
		r.check.OnChanged = nil
		r.check.SetChecked(on)
		r.check.OnChanged = r.onChecked
		r.check.Show()
	} else {
		r.check.Hide()
	}
	r.Refresh()
}

// statusLook is the fill and ink of a status tag.
func statusLook(s app.Status) (fyne.ThemeColorName, fyne.ThemeColorName) {
	switch s {
	case app.StatusNew, app.StatusPaymentReview:
		return theme.ColorNamePrimary, theme.ColorNameForegroundOnPrimary
	case app.StatusCancelled, app.StatusComplained, app.StatusReturned, app.StatusRefunded:
		return theme.ColorNameError, theme.ColorNameForegroundOnError
	case app.StatusCompleted, app.StatusDelivered:
		return theme.ColorNameSuccess, theme.ColorNameForegroundOnSuccess
	}
	return theme.ColorNameDisabledButton, theme.ColorNameForeground
}

func (r *orderRow) onChecked(on bool) {
	if r.order != nil {
		r.s.setSelected(r.order, on)
	}
}

func shipmentLabel(s app.ShipmentState) string {
	switch s {
	case app.ShipmentSearching:
		return lang.L("Searching courier")
	case app.ShipmentAssigned:
		return lang.L("Courier assigned")
	case app.ShipmentHeading:
		return lang.L("Courier heading to pickup")
	case app.ShipmentAwaitingDropoff:
		return lang.L("Awaiting drop-off")
	case app.ShipmentPickedUp:
		return lang.L("Picked up")
	case app.ShipmentDelivered:
		return lang.L("Delivered")
	case app.ShipmentFailed:
		return lang.L("Pickup failed")
	}
	return fmt.Sprint(s)
}

// itemCount is "1 item" or "3 items".
func itemCount(n int) string {
	if n == 1 {
		return lang.L("1 item")
	}
	return lang.L("{{.N}} items", map[string]any{"N": n})
}
