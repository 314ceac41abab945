package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
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

// orderRow is one line of the order list.
type orderRow struct {
	widget.BaseWidget
	s        *onlineScreen
	order    *app.Order
	check    *widget.Check
	channel  *pill
	number   *widget.Label
	buyer    *widget.Label
	shipping *widget.Label
	total    *widget.Label
	deadline *widget.Label
	printed  *pill
}

func newOrderRow(s *onlineScreen) *orderRow {
	r := &orderRow{s: s}
	r.check = &widget.Check{OnChanged: r.onChecked}
	r.channel = newChannelBadge()
	r.number = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis}
	r.buyer = &widget.Label{Truncation: fyne.TextTruncateEllipsis}
	r.shipping = &widget.Label{Truncation: fyne.TextTruncateEllipsis, SizeName: theme.SizeNameCaptionText}
	r.total = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Alignment: fyne.TextAlignTrailing}
	r.deadline = &widget.Label{Alignment: fyne.TextAlignTrailing, SizeName: theme.SizeNameCaptionText}
	r.printed = newPill("", theme.ColorNameSuccess, theme.ColorNameForegroundOnSuccess)
	r.ExtendBaseWidget(r)
	return r
}

func (r *orderRow) CreateRenderer() fyne.WidgetRenderer {
	left := container.NewHBox(r.check, container.NewCenter(r.channel))
	right := container.NewVBox(r.total, r.deadline, container.NewHBox(spacer(), r.printed))
	mid := container.NewVBox(r.number, r.buyer, r.shipping)
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, left, right, mid))
}

func (r *orderRow) setLoading() {
	r.order = nil
	r.number.SetText(lang.L("Loading…"))
	r.buyer.SetText("")
	r.shipping.SetText("")
	r.total.SetText("")
	r.deadline.SetText("")
	r.printed.Hide()
	r.check.Hide()
}

func (r *orderRow) set(o *app.Order) {
	r.order = o
	setChannelBadge(r.channel, o.Channel)
	r.number.SetText(o.Number)
	buyer := o.Buyer.Name
	if o.DetailsPending && buyer == "" {
		buyer = lang.L("Details pending from {{.Channel}}", map[string]any{"Channel": o.Channel.Label()})
	}
	r.buyer.SetText(buyer + " · " + itemCount(o.ItemCount()))
	ship := ""
	if o.Shipment.Courier != "" || o.Shipment.TrackingID != "" {
		ship = o.Shipment.Courier
		if o.Shipment.TrackingID != "" {
			ship += " · " + o.Shipment.TrackingID
		}
	} else if o.Shipment.State != app.ShipmentNone {
		ship = shipmentLabel(o.Shipment.State)
	}
	r.shipping.SetText(ship)
	if o.DetailsPending && o.Total == 0 {
		r.total.SetText("—")
	} else {
		r.total.SetText(o.Currency.Format(o.Total))
	}

	r.deadline.Importance = widget.MediumImportance
	switch {
	case o.Status == app.StatusNew && !o.AcceptBy.IsZero():
		left := o.AcceptBy.Sub(r.s.m.now())
		r.deadline.SetText(timeLeft(left))
		if left < r.s.m.svc.CurrentPolicy().ExpiringWithin {
			r.deadline.Importance = widget.DangerImportance
		}
	case o.Status == app.StatusDelivered:
		r.deadline.SetText(lang.L("Delivered"))
	case o.CancelRequest != nil:
		r.deadline.Importance = widget.WarningImportance
		r.deadline.SetText(lang.L("Cancel requested"))
	default:
		r.deadline.SetText(o.CreatedAt.Local().Format("02 Jan 15:04"))
	}
	r.deadline.Refresh()

	switch {
	case o.LabelPrinted():
		r.printed.Text, r.printed.Fill, r.printed.Ink = "✓ "+lang.L("Label printed"), theme.ColorNameSuccess, theme.ColorNameForegroundOnSuccess
		r.printed.Show()
	case o.AwaitingLabel():
		// Only an order with a tracking ID can have its label printed; the badge counts the same.
		r.printed.Text, r.printed.Fill, r.printed.Ink = lang.L("No label"), theme.ColorNameWarning, theme.ColorNameForegroundOnWarning
		r.printed.Show()
	default:
		r.printed.Hide()
	}
	r.printed.Refresh()

	if r.s.selecting {
		_, on := r.s.selected[o.ID]
		r.check.OnChanged = nil
		r.check.SetChecked(on)
		r.check.OnChanged = r.onChecked
		r.check.Show()
	} else {
		r.check.Hide()
	}
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
