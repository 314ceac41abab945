package ui

import (
	"math"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kasir/pos/app"
)

// onlineTab is one sub-tab of the Online screen and the statuses it lists.
type onlineTab struct {
	title    string
	statuses []app.Status
}

// onlineTabs are the Online screen's sub-tabs; Delivered shows inside In
// Delivery, and Returned and Refunded share Returns (the row's tag says which).
var onlineTabs = []onlineTab{
	{"Payment Review", []app.Status{app.StatusPaymentReview}},
	{"New", []app.Status{app.StatusNew}},
	{"Ready to Ship", []app.Status{app.StatusReadyToShip}},
	{"In Delivery", []app.Status{app.StatusInDelivery, app.StatusDelivered}},
	{"Completed", []app.Status{app.StatusCompleted}},
	{"Cancelled", []app.Status{app.StatusCancelled}},
	{"Complained", []app.Status{app.StatusComplained}},
	{"Returns", []app.Status{app.StatusReturned, app.StatusRefunded}},
}

// couriers offered by the courier filter chip.
var couriers = app.CourierLabels()

// orderFilter is what staff chose with the search bar and the chips.
type orderFilter struct {
	text     string
	channel  app.Channel
	courier  string
	label    *bool
	days     int // 0 any time, 1 today, 7, 30
	unlinked bool
}

// selection is what bulk mode remembers of a selected order, across filter changes.
type selection struct {
	Number    string
	CreatedAt time.Time
}

// onlineScreen lists online orders by status with search, filters, bulk
// actions, and the order detail beside the list (landscape) or over it (portrait).
type onlineScreen struct {
	m    *Main
	tab  int
	tabs []*tabButton
	// tabRow holds the sub-tabs and, last, the Export and New order buttons.
	tabRow *fyne.Container
	counts []*pill

	search                                        *widget.Entry
	channelChip, courierChip, labelChip, dateChip *widget.Button
	sortChip, unlinkedChip, exportBtn, syncBtn    *widget.Button
	filter                                        orderFilter
	searchGen                                     int
	// sorts is each sub-tab's sort order, as staff last chose it.
	sorts []app.SortOrder

	list      *orderList
	body      *fyne.Container
	empty     *widget.Label
	detail    *orderDetail
	selectBtn *widget.Button

	selecting bool
	selected  map[string]selection
	bulk      *bulkBar

	newOrderBtn *widget.Button
	manual      *manualForm
}

func newOnlineScreen(m *Main) *onlineScreen {
	s := &onlineScreen{m: m, tab: 1, selected: map[string]selection{}, sorts: make([]app.SortOrder, len(onlineTabs))}
	for i, t := range onlineTabs {
		// The most urgent New order comes first: it is the one that auto-rejects next.
		if t.statuses[0] == app.StatusNew {
			s.sorts[i] = app.SortDeadline
		}
	}
	s.list = newOrderList(s)
	s.detail = newOrderDetail(s)
	s.bulk = newBulkBar(s)
	return s
}

func (s *onlineScreen) buildUI() fyne.CanvasObject {
	var row []fyne.CanvasObject
	for i, t := range onlineTabs {
		c := newCountBadge(theme.ColorNameDisabledButton, theme.ColorNameForeground)
		b := newTabButton(lang.L(t.title), nil, func() { s.onTabSelected(i) }, c)
		b.setMinHeight(touchMin)
		s.tabs, s.counts = append(s.tabs, b), append(s.counts, c)
		row = append(row, b.content)
	}
	s.search = &widget.Entry{PlaceHolder: lang.L("Search or scan an order"), OnChanged: s.onSearchChanged, OnSubmitted: s.onSearchSubmitted}
	s.search.ActionItem = widget.NewIcon(theme.SearchIcon())
	s.channelChip = &widget.Button{OnTapped: s.onChannelChip}
	s.courierChip = &widget.Button{OnTapped: s.onCourierChip}
	s.labelChip = &widget.Button{OnTapped: s.onLabelChip}
	s.dateChip = &widget.Button{OnTapped: s.onDateChip}
	s.sortChip = &widget.Button{OnTapped: s.onSortChip}
	s.unlinkedChip = &widget.Button{OnTapped: s.onUnlinkedChip}
	s.selectBtn = &widget.Button{Text: lang.L("Select"), Icon: theme.CheckButtonCheckedIcon(), OnTapped: s.onSelectMode}
	s.showChips()
	// The sort and Select sit beside the search, so that the filter chips
	// fit the list pane of a landscape tablet without scrolling.
	searchRow := container.NewBorder(nil, nil, nil, container.NewHBox(sized(s.sortChip, 0, touchMin), sized(s.selectBtn, selectWidth, touchMin)),
		container.NewVBox(spacer(), s.search, spacer()))
	chips := container.NewHScroll(container.NewHBox(sized(s.channelChip, 0, touchMin), sized(s.courierChip, 0, touchMin),
		sized(s.labelChip, 0, touchMin), sized(s.dateChip, 0, touchMin), sized(s.unlinkedChip, 0, touchMin)))
	s.newOrderBtn = &widget.Button{Text: lang.L("New order"), Icon: theme.ContentAddIcon(), Importance: widget.HighImportance, OnTapped: s.onNewOrder}
	s.empty = &widget.Label{Text: lang.L("No orders here"), Alignment: fyne.TextAlignCenter, Importance: widget.MediumImportance}
	listPane := container.NewBorder(container.NewVBox(searchRow, chips), s.bulk.buildUI(), nil, nil,
		container.NewStack(s.list.list, container.NewCenter(s.empty)))
	s.list.onLoaded = s.onListLoaded
	s.body = container.New(&masterDetail{s: s}, listPane, s.detail.buildUI())
	body := s.body
	s.tabs[s.tab].setSelected(true)
	s.applyFilter()
	s.onActorChanged()
	s.exportBtn = &widget.Button{Text: lang.L("Export") + " ▾", Icon: theme.DownloadIcon(), OnTapped: s.bulk.onExportMenu}
	buttons := container.NewHBox(sized(s.exportBtn, 0, touchMin), sized(s.newOrderBtn, 0, touchMin))
	if s.m.d.Accounts != nil {
		s.syncBtn = &widget.Button{Text: lang.L("Sync now") + " ▾", Icon: theme.ViewRefreshIcon(), OnTapped: s.onSyncMenu}
		buttons.Objects = append([]fyne.CanvasObject{sized(s.syncBtn, 0, touchMin)}, buttons.Objects...)
		s.onActorChanged()
	}
	s.tabRow = container.New(&toolbarLayout{s: s}, append(row, buttons)...)
	toolbar := s.tabRow
	return container.NewBorder(toolbar, nil, nil, nil, body)
}

// setCounts shows the per-status counts on the sub-tabs.
func (s *onlineScreen) setCounts(b app.Badges) {
	for i, t := range onlineTabs {
		n := 0
		for _, st := range t.statuses {
			n += b.ByStatus[st]
		}
		urgent := t.statuses[0] == app.StatusNew && b.Expiring > 0
		normal := fyne.ThemeColorName(theme.ColorNameDisabledButton)
		if t.statuses[0] == app.StatusNew || t.statuses[0] == app.StatusPaymentReview {
			normal = theme.ColorNamePrimary
		}
		s.counts[i].setCount(n, urgent, normal)
		if normal == theme.ColorNameDisabledButton {
			s.counts[i].Ink = theme.ColorNameForeground
			s.counts[i].Refresh()
		}
	}
	s.tabRow.Refresh()
}

// refresh reloads the list and the open order (after a sync or an action).
func (s *onlineScreen) refresh() {
	s.list.reload()
	s.detail.reload()
}

func (s *onlineScreen) onActorChanged() {
	if s.syncBtn != nil {
		// Reconciling asks the cloud in the owner's name: only the owner may.
		if s.m.actor.Role == app.RoleOwner {
			s.syncBtn.Enable()
		} else {
			s.syncBtn.Disable()
		}
	}
	if s.newOrderBtn != nil {
		// A role that may not place orders sees the button disabled; tapping
		// it is refused with the reason anyway.
		if ok, _ := s.m.permitted(app.ActionPlace); ok || s.m.actor.Role == "" {
			s.newOrderBtn.Enable()
		} else {
			s.newOrderBtn.Disable()
		}
	}
	s.detail.reload()
}

func (s *onlineScreen) onTabSelected(i int) {
	s.tab = i
	if onlineTabs[i].statuses[0] == app.StatusCancelled {
		s.m.sawAllCancels()
	}
	if s.filter.text != "" {
		// A sub-tab shows its own orders: leave the search across every status.
		s.searchGen++
		s.filter.text = ""
		s.search.OnChanged = nil
		s.search.SetText("")
		s.search.OnChanged = s.onSearchChanged
	}
	s.applyFilter()
}

// searchingAll reports whether the list shows a search across every status
// rather than one sub-tab.
func (s *onlineScreen) searchingAll() bool { return s.filter.text != "" }

// searchDelay waits for a pause in typing before searching, so a fast typist
// does not start a store scan per keystroke; tests set it to zero.
var searchDelay = 250 * time.Millisecond

func (s *onlineScreen) onSearchChanged(text string) {
	s.searchGen++
	gen, q := s.searchGen, strings.TrimSpace(text)
	if searchDelay <= 0 || q == "" {
		s.filter.text = q
		s.applyFilter()
		return
	}
	time.AfterFunc(searchDelay, func() {
		fyne.Do(func() {
			if gen == s.searchGen {
				s.filter.text = q
				s.applyFilter()
			}
		})
	})
}

// onSearchSubmitted is Enter in the search field, which is what a barcode
// scanner sends after a tracking ID or an order number: the order it names
// opens at once, and the text is selected so the next scan replaces it.
func (s *onlineScreen) onSearchSubmitted(text string) {
	q := strings.TrimSpace(text)
	s.searchGen++
	s.filter.text = q
	s.applyFilter()
	if q == "" || s.m.svc == nil {
		return
	}
	f := s.appFilter()
	f.Limit = 20
	load(func() (app.Page, error) { return s.m.svc.Find(f) }, func(p app.Page, err error) {
		if err != nil {
			s.m.showError(lang.L("Could not load orders"), err)
			return
		}
		var found *app.Order
		for _, o := range p.Orders {
			if o.HasReference(q) {
				found = o
				break
			}
		}
		if found == nil && p.Total == 1 {
			found = p.Orders[0]
		}
		if found != nil {
			s.openOrder(found.ID)
		}
		s.search.TypedShortcut(&fyne.ShortcutSelectAll{})
	})
}

// appFilter turns the screen's choices into the service's filter. A search
// looks in every status: an order is found wherever it is.
func (s *onlineScreen) appFilter() app.Filter {
	f := app.Filter{Statuses: onlineTabs[s.tab].statuses, Courier: s.filter.courier, LabelPrinted: s.filter.label, Text: s.filter.text,
		Online: true, Unlinked: s.filter.unlinked, Sort: s.sorts[s.tab]}
	if s.searchingAll() {
		f.Statuses = nil
	}
	if s.filter.channel != "" {
		f.Channels = []app.Channel{s.filter.channel}
	}
	if s.filter.days > 0 {
		f.From = app.LastDays(s.filter.days, s.m.now(), s.m.zone()).From
	}
	return f
}

func (s *onlineScreen) applyFilter() {
	for i, t := range s.tabs {
		t.setSelected(i == s.tab && !s.searchingAll())
	}
	if s.searchingAll() {
		s.empty.SetText(lang.L("No order matches in any status"))
	} else {
		s.empty.SetText(lang.L("No orders here"))
	}
	s.showChips()
	s.list.list.UnselectAll()
	scrollToTop(s.list.list)
	s.list.setFilter(s.appFilter())
}

func (s *onlineScreen) onListLoaded() {
	if s.list.total == 0 {
		s.empty.Show()
	} else {
		s.empty.Hide()
	}
}

// openOrder shows the order in the detail and highlights its row, if the list has it.
func (s *onlineScreen) openOrder(id string) {
	s.detail.show(id)
	s.list.showSelection()
}

// showChips writes each chip's current value and highlights the active ones.
func (s *onlineScreen) showChips() {
	chip := func(b *widget.Button, active bool, text string) {
		b.SetText(text + " ▾")
		if active {
			b.Importance = widget.HighImportance
		} else {
			b.Importance = widget.MediumImportance
		}
		b.Refresh()
	}
	f := s.filter
	if f.channel == "" {
		chip(s.channelChip, false, lang.L("All channels"))
	} else {
		chip(s.channelChip, true, f.channel.Label())
	}
	if f.courier == "" {
		chip(s.courierChip, false, lang.L("All couriers"))
	} else {
		chip(s.courierChip, true, f.courier)
	}
	switch {
	case f.label == nil:
		chip(s.labelChip, false, lang.L("Label: any"))
	case *f.label:
		chip(s.labelChip, true, lang.L("Label printed"))
	default:
		chip(s.labelChip, true, lang.L("Label not printed"))
	}
	chip(s.dateChip, f.days > 0, dateLabel(f.days))
	chip(s.sortChip, false, sortLabel(s.sorts[s.tab]))
	s.unlinkedChip.SetText(lang.L("Unlinked"))
	s.unlinkedChip.Importance = widget.MediumImportance
	if f.unlinked {
		s.unlinkedChip.Importance = widget.HighImportance
	}
	s.unlinkedChip.Refresh()
}

func sortLabel(o app.SortOrder) string {
	switch o {
	case app.SortOldest:
		return lang.L("Oldest first")
	case app.SortDeadline:
		return lang.L("Deadline first")
	}
	return lang.L("Newest first")
}

func dateLabel(days int) string {
	switch days {
	case 1:
		return lang.L("Today")
	case 7:
		return lang.L("Last 7 days")
	case 30:
		return lang.L("Last 30 days")
	}
	return lang.L("Any time")
}

// popupChoices shows a menu under a chip.
func (s *onlineScreen) popupChoices(under *widget.Button, items []*fyne.MenuItem) {
	c := s.m.win.Canvas()
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(under).Add(fyne.NewPos(0, under.Size().Height))
	widget.ShowPopUpMenuAtPosition(fyne.NewMenu("", items...), c, pos)
}

func (s *onlineScreen) onChannelChip() {
	items := []*fyne.MenuItem{fyne.NewMenuItem(lang.L("All channels"), func() { s.filter.channel = ""; s.applyFilter() })}
	for _, ch := range app.Channels {
		if !ch.Online() {
			continue
		}
		items = append(items, fyne.NewMenuItem(ch.Label(), func() { s.filter.channel = ch; s.applyFilter() }))
	}
	s.popupChoices(s.channelChip, items)
}

func (s *onlineScreen) onCourierChip() {
	items := []*fyne.MenuItem{fyne.NewMenuItem(lang.L("All couriers"), func() { s.filter.courier = ""; s.applyFilter() })}
	for _, c := range couriers {
		items = append(items, fyne.NewMenuItem(c, func() { s.filter.courier = c; s.applyFilter() }))
	}
	s.popupChoices(s.courierChip, items)
}

func (s *onlineScreen) onLabelChip() {
	yes, no := true, false
	s.popupChoices(s.labelChip, []*fyne.MenuItem{
		fyne.NewMenuItem(lang.L("Label: any"), func() { s.filter.label = nil; s.applyFilter() }),
		fyne.NewMenuItem(lang.L("Label printed"), func() { s.filter.label = &yes; s.applyFilter() }),
		fyne.NewMenuItem(lang.L("Label not printed"), func() { s.filter.label = &no; s.applyFilter() }),
	})
}

func (s *onlineScreen) onDateChip() {
	var items []*fyne.MenuItem
	for _, d := range []int{0, 1, 7, 30} {
		items = append(items, fyne.NewMenuItem(dateLabel(d), func() { s.filter.days = d; s.applyFilter() }))
	}
	s.popupChoices(s.dateChip, items)
}

// selectWidth fits "100 selected" on the Select button, so that ticking
// orders never changes its width and moves the chips beside it.
const selectWidth = 150

func (s *onlineScreen) onSortChip() {
	var items []*fyne.MenuItem
	for _, o := range []app.SortOrder{app.SortDeadline, app.SortNewest, app.SortOldest} {
		items = append(items, fyne.NewMenuItem(sortLabel(o), func() { s.sorts[s.tab] = o; s.applyFilter() }))
	}
	s.popupChoices(s.sortChip, items)
}

// onUnlinkedChip keeps only orders with a line not linked to a product, or all again.
func (s *onlineScreen) onUnlinkedChip() {
	s.filter.unlinked = !s.filter.unlinked
	s.applyFilter()
}

// onSelectMode turns bulk selection on or off; the selection survives filter changes.
func (s *onlineScreen) onSelectMode() {
	s.selecting = !s.selecting
	if s.selecting {
		s.bulk.show()
	} else {
		s.bulk.hide()
	}
	s.showSelectButton()
	s.list.list.Refresh()
}

// showSelectButton says "Select", or in bulk mode how many orders are selected.
func (s *onlineScreen) showSelectButton() {
	s.selectBtn.Importance = widget.MediumImportance
	s.selectBtn.Text = lang.L("Select")
	if s.selecting {
		s.selectBtn.Importance = widget.HighImportance
		s.selectBtn.Text = lang.L("{{.N}} selected", map[string]any{"N": len(s.selected)})
	}
	s.selectBtn.Refresh()
}

func (s *onlineScreen) setSelected(o *app.Order, on bool) {
	if on {
		s.selected[o.ID] = selection{Number: o.Number, CreatedAt: o.CreatedAt}
	} else {
		delete(s.selected, o.ID)
	}
	s.bulk.update()
}

// toolbarLayout lays the sub-tabs left to right and wraps them onto more
// rows when the screen is too narrow (a portrait tablet), so that every
// sub-tab stays in sight; its last object, the Export and New order
// buttons, goes at the right of the last row, or on a row of its own.
type toolbarLayout struct{ s *onlineScreen }

// arrange places the objects in width w when place is set, and returns the height they need.
func (l *toolbarLayout) arrange(objs []fyne.CanvasObject, w float32, place bool) float32 {
	pad := theme.Padding()
	tabs, buttons := objs[:len(objs)-1], objs[len(objs)-1]
	bs := buttons.MinSize()
	h := bs.Height
	for _, t := range tabs {
		h = max(h, t.MinSize().Height)
	}
	var x, y float32
	for _, t := range tabs {
		ms := t.MinSize()
		if x > 0 && x+ms.Width > w {
			x, y = 0, y+h+pad
		}
		if place {
			t.Move(fyne.NewPos(x, y+(h-ms.Height)/2))
			t.Resize(ms)
		}
		x += ms.Width + pad
	}
	if x+bs.Width > w {
		y += h + pad
	}
	if place {
		buttons.Move(fyne.NewPos(w-bs.Width, y+(h-bs.Height)/2))
		buttons.Resize(bs)
	}
	return y + h
}

func (l *toolbarLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	l.arrange(objs, size.Width, true)
}

func (l *toolbarLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	// A layout is asked its height before it is told its width: it gets
	// the window's, inside the window's padding.
	w := l.s.m.win.Canvas().Size().Width
	if l.s.m.win.Padded() {
		w -= 2 * theme.Padding()
	}
	if w <= 0 {
		w = math.MaxFloat32 // not sized yet: one row until it is
	}
	return fyne.NewSize(objs[len(objs)-1].MinSize().Width, l.arrange(objs, w, false))
}

// masterDetail lays the list and the order detail side by side on a wide
// screen, and shows one at a time (detail pushed over the list) on a narrow one.
type masterDetail struct{ s *onlineScreen }

func (l *masterDetail) wide(size fyne.Size) bool {
	return size.Width >= 900 && size.Width > size.Height
}

func (l *masterDetail) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	list, detail := objs[0], objs[1]
	if l.wide(size) {
		lw := float32(int(size.Width * 0.45))
		list.Show()
		detail.Show()
		list.Move(fyne.NewPos(0, 0))
		list.Resize(fyne.NewSize(lw, size.Height))
		detail.Move(fyne.NewPos(lw+theme.Padding(), 0))
		detail.Resize(fyne.NewSize(size.Width-lw-theme.Padding(), size.Height))
		l.s.detail.setPushed(false)
		return
	}
	l.s.detail.setPushed(true)
	if l.s.detail.open() {
		list.Hide()
		detail.Show()
	} else {
		list.Show()
		detail.Hide()
	}
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (l *masterDetail) MinSize(objs []fyne.CanvasObject) fyne.Size {
	return objs[0].MinSize().Max(objs[1].MinSize())
}

// scrollToTop scrolls a list back to its start; before the list is first
// drawn it has no scroller, and there is nothing to scroll.
func scrollToTop(l *widget.List) {
	defer func() { _ = recover() }()
	l.ScrollToTop()
}
