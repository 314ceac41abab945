package ui

import (
	"bytes"
	"fmt"
	"image"
	_ "image/jpeg" // receipt photos
	_ "image/png"
	"os"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kasir/pos/app"
)

// orderDetail shows one order in full with the actions staff may take on it.
type orderDetail struct {
	s *onlineScreen
	m *Main

	id     string
	order  *app.Order
	pushed bool

	back    *widget.Button
	title   *widget.Label
	actions *fyne.Container
	why     *widget.Label
	content *fyne.Container
	hint    *widget.Label
	scroll  *container.Scroll
}

func newOrderDetail(s *onlineScreen) *orderDetail { return &orderDetail{s: s, m: s.m} }

func (d *orderDetail) buildUI() fyne.CanvasObject {
	d.back = &widget.Button{Text: lang.L("Back"), Icon: theme.NavigateBackIcon(), Importance: widget.LowImportance, OnTapped: d.onBack}
	d.back.Hide()
	d.title = bold("")
	d.actions = container.NewGridWithColumns(3)
	d.why = &widget.Label{Wrapping: fyne.TextWrapWord, Importance: widget.WarningImportance}
	d.why.Hide()
	d.content = container.NewVBox()
	d.hint = &widget.Label{Text: lang.L("Choose an order to see its details"), Alignment: fyne.TextAlignCenter, Importance: widget.MediumImportance}
	d.scroll = container.NewVScroll(container.NewVBox(d.actions, d.why, d.content))
	d.scroll.Hide()
	return container.NewBorder(container.NewHBox(d.back, d.title), nil, nil, nil,
		container.NewStack(container.NewCenter(d.hint), d.scroll))
}

func (d *orderDetail) open() bool { return d.id != "" }

// setPushed says whether the detail covers the list (portrait) and so needs a Back button.
func (d *orderDetail) setPushed(on bool) {
	d.pushed = on
	if on && d.open() {
		d.back.Show()
	} else {
		d.back.Hide()
	}
}

func (d *orderDetail) onBack() {
	d.id, d.order = "", nil
	d.scroll.Hide()
	d.hint.Show()
	d.title.SetText("")
	d.s.list.list.UnselectAll()
	d.s.body.Refresh()
}

// show loads the order in the background and renders it.
func (d *orderDetail) show(id string) {
	d.id = id
	d.m.sawCancel(id)
	d.reload()
	d.s.body.Refresh()
}

func (d *orderDetail) reload() {
	if d.id == "" || d.m.svc == nil {
		return
	}
	id := d.id
	load(func() (*app.Order, error) { return d.m.svc.Order(id) }, func(o *app.Order, err error) {
		if id != d.id {
			return
		}
		if err != nil {
			d.m.showError(lang.L("Could not open the order"), err)
			return
		}
		d.render(o)
	})
}

func (d *orderDetail) render(o *app.Order) {
	d.order = o
	d.title.SetText(o.Number + " · " + lang.L(o.Status.Label()))
	d.hint.Hide()
	d.scroll.Show()
	d.renderActions(o)
	d.content.Objects = nil
	if o.DetailsPending {
		d.content.Add(pendingCard(o))
	}
	d.content.Objects = append(d.content.Objects,
		d.summaryCard(o), d.itemsCard(o), d.buyerCard(o), d.paymentCard(o),
		d.parcelsCard(o), d.shipmentCard(o))
	if c := d.requestCard(o); c != nil {
		d.content.Add(c)
	}
	if c := d.noticesCard(o); c != nil {
		d.content.Add(c) // ui/notices.go
	}
	d.content.Add(d.historyCard(o))
	d.content.Refresh()
	d.scroll.ScrollToTop()
}

// renderActions shows exactly app.StaffActions(o), plus printing; actions
// the signed-in role may not take are disabled with the reason beside them.
func (d *orderDetail) renderActions(o *app.Order) {
	d.actions.Objects = nil
	var reasons []string
	for _, a := range app.StaffActions(o) {
		b := &widget.Button{Text: actionTitle(o, a), OnTapped: func() { d.onAction(a) }}
		switch a {
		case app.ActionAccept, app.ActionCreatePackage, app.ActionAcceptPayment:
			b.Importance = widget.HighImportance
		case app.ActionReject, app.ActionCancel:
			b.Importance = widget.DangerImportance
		}
		if ok, why := d.m.permitted(a); !ok {
			b.Disable()
			if !contains(reasons, why) {
				reasons = append(reasons, why)
			}
		}
		d.actions.Add(sized(b, 0, touchMin))
	}
	docs := []app.Document{app.DocReceipt, app.DocSlip}
	if o.Shipment.TrackingID != "" {
		docs = append([]app.Document{app.DocLabel}, docs...)
	}
	for _, doc := range docs {
		d.actions.Add(sized(&widget.Button{Text: printTitle(doc), Icon: theme.DocumentPrintIcon(), OnTapped: func() { d.onPrint(doc) }}, 0, touchMin))
		if doc == app.DocLabel {
			d.addBillActions(o)
		}
	}
	if b := d.whatsAppButton(o); b != nil {
		d.actions.Add(b) // ui/notices.go
	}
	d.actions.Refresh()
	if len(reasons) > 0 {
		d.why.SetText(strings.Join(reasons, ". ") + ". " + lang.L("Ask the owner to sign in."))
		d.why.Show()
	} else {
		d.why.Hide()
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// actionTitle is the button text for an action.
func actionTitle(o *app.Order, a app.Action) string {
	switch a {
	case app.ActionAcceptPayment:
		return lang.L("Accept payment")
	case app.ActionDenyPayment:
		return lang.L("Deny payment")
	case app.ActionAccept:
		return lang.L("Accept")
	case app.ActionCreatePackage:
		return lang.L("Create package")
	case app.ActionReject:
		return lang.L("Reject")
	case app.ActionArrangePickup:
		if o.Shipment.State == app.ShipmentSearching {
			return lang.L("Change pickup")
		}
		return lang.L("Arrange pickup")
	case app.ActionCancelShipment:
		if o.Shipment.Method == app.ShipDropoff {
			return lang.L("Cancel drop-off")
		}
		return lang.L("Cancel pickup")
	case app.ActionArrangeDropoff:
		return lang.L("Drop off")
	case app.ActionBookAgain:
		return lang.L("Book again")
	case app.ActionShip:
		return lang.L("Mark shipped")
	case app.ActionSplitParcel:
		return lang.L("Split into parcels")
	case app.ActionVerifyPacked:
		return lang.L("Verify packed")
	case app.ActionApproveCancel:
		return lang.L("Approve cancel")
	case app.ActionDeclineCancel:
		return lang.L("Decline cancel")
	case app.ActionPickedUp:
		return lang.L("Picked up")
	case app.ActionDeliver:
		return lang.L("Delivered")
	case app.ActionComplete:
		return lang.L("Complete")
	case app.ActionComplain:
		return lang.L("Complaint")
	case app.ActionResolve:
		return lang.L("Resolve")
	case app.ActionCancel:
		return lang.L("Cancel order")
	}
	return lang.L(a.Label())
}

func printTitle(doc app.Document) string {
	switch doc {
	case app.DocLabel:
		return lang.L("Print label")
	case app.DocReceipt:
		return lang.L("Print receipt")
	}
	return lang.L("Print packing slip")
}

func card(title string, objs ...fyne.CanvasObject) fyne.CanvasObject {
	return widget.NewCard("", title, container.NewVBox(objs...))
}

// pair is a "label: value" row.
func pair(label, value string) fyne.CanvasObject {
	v := &widget.Label{Text: value, Wrapping: fyne.TextWrapWord}
	return container.NewBorder(nil, nil, sized(caption(label), 130, 0), nil, v)
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.Local().Format("02 Jan 2006 15:04")
}

func (d *orderDetail) summaryCard(o *app.Order) fyne.CanvasObject {
	ch := newChannelBadge()
	setChannelBadge(ch, o.Channel)
	st := newPill(lang.L(o.Status.Label()), theme.ColorNamePrimary, theme.ColorNameForegroundOnPrimary)
	top := container.NewHBox(ch, bold(o.Number), st)
	objs := []fyne.CanvasObject{top, pair(lang.L("Channel"), say(app.Text("%s", o.Channel))), pair(lang.L("Placed"), stamp(o.CreatedAt))}
	if o.Status == app.StatusNew && !o.AcceptBy.IsZero() {
		left := o.AcceptBy.Sub(d.m.now())
		l := &widget.Label{Text: timeLeft(left) + " (" + stamp(o.AcceptBy) + ")"}
		if left < d.m.svc.CurrentPolicy().ExpiringWithin {
			l.Importance = widget.DangerImportance
		}
		objs = append(objs, container.NewBorder(nil, nil, sized(caption(lang.L("Accept by")), 130, 0), nil, l))
	}
	if o.Note != "" {
		objs = append(objs, pair(lang.L("Buyer's note"), o.Note))
	}
	return card(lang.L("Order"), objs...)
}

// pendingCard tells staff that the order is known only from a status push.
func pendingCard(o *app.Order) fyne.CanvasObject {
	text := &widget.Label{Text: lang.L("Details pending from {{.Channel}}: the buyer and items arrive when the channel sends them",
		map[string]any{"Channel": say(app.Text("%s", o.Channel))}), Wrapping: fyne.TextWrapWord, Importance: widget.WarningImportance}
	icon := widget.NewIcon(theme.NewWarningThemedResource(theme.WarningIcon()))
	return widget.NewCard("", "", container.NewBorder(nil, nil, container.NewCenter(icon), nil, text))
}

func (d *orderDetail) itemsCard(o *app.Order) fyne.CanvasObject {
	var rows []fyne.CanvasObject
	for _, l := range o.Lines {
		name := fmt.Sprintf("%d × %s", l.Qty, l.Name)
		if l.SKU != "" {
			name += " (" + l.SKU + ")"
		}
		left := container.NewHBox(&widget.Label{Text: name})
		if l.Cancelled {
			left.Add(container.NewCenter(newPill(lang.L(app.StatusCancelled.Label()), theme.ColorNameError, theme.ColorNameForegroundOnError)))
		}
		if !l.Linked {
			left.Add(container.NewCenter(newPill(lang.L("Unlinked"), theme.ColorNameWarning, theme.ColorNameForegroundOnWarning)))
		}
		rows = append(rows, container.NewBorder(nil, nil, left, &widget.Label{Text: o.Currency.Format(l.Amount())}))
	}
	if n := unlinked(o); n > 0 {
		rows = append(rows, &widget.Label{Text: lang.L("Unlinked lines are not in the product list and move no stock"), Wrapping: fyne.TextWrapWord, Importance: widget.WarningImportance})
	}
	return card(lang.L("Items"), rows...)
}

func unlinked(o *app.Order) int {
	n := 0
	for _, l := range o.Lines {
		if !l.Linked {
			n++
		}
	}
	return n
}

func (d *orderDetail) buyerCard(o *app.Order) fyne.CanvasObject {
	b := o.Buyer
	objs := []fyne.CanvasObject{pair(lang.L("Name"), b.Name)}
	if b.Phone != "" {
		objs = append(objs, pair(lang.L("Phone"), b.Phone))
	}
	if b.Email != "" {
		objs = append(objs, pair(lang.L("Email"), b.Email))
	}
	if a := b.Address.String(); a != "" {
		objs = append(objs, pair(lang.L("Ship to"), a))
	}
	return card(lang.L("Buyer"), objs...)
}

func (d *orderDetail) paymentCard(o *app.Order) fyne.CanvasObject {
	c := o.Currency
	objs := []fyne.CanvasObject{
		pair(lang.L("Method"), lang.L(o.PaymentMethod.Label())),
		pair(lang.L("Status"), lang.L(string(o.PaymentStatus))),
		pair(lang.L("Subtotal"), c.Format(o.Subtotal())),
	}
	if o.ShippingFee != 0 {
		objs = append(objs, pair(lang.L("Shipping"), c.Format(o.ShippingFee)))
	}
	if o.Discount != 0 {
		objs = append(objs, pair(lang.L("Discount"), "−"+c.Format(o.Discount)))
	}
	if o.Tax != 0 {
		objs = append(objs, pair(lang.L("Tax"), c.Format(o.Tax)))
	}
	total := bold(c.Format(o.Total))
	objs = append(objs, container.NewBorder(nil, nil, sized(caption(lang.L("Total")), 130, 0), nil, total))
	if o.Invoice.Number != "" {
		objs = append(objs, pair(lang.L("Invoice"), o.Invoice.Number+" · "+lang.L(string(o.Invoice.Status))))
	}
	if o.Status == app.StatusPaymentReview || o.PaymentReceipt != nil {
		objs = append(objs, d.receiptImage(o))
	}
	return card(lang.L("Payment"), objs...)
}

// receiptMaxHeight caps the receipt image in the payment card.
const receiptMaxHeight = 320

// receiptImage shows the buyer's transfer receipt from a readable local file
// or an http(s) URL, loaded in the background, or says that there is none.
func (d *orderDetail) receiptImage(o *app.Order) fyne.CanvasObject {
	placeholder := &widget.Label{Text: lang.L("No receipt image"), Alignment: fyne.TextAlignCenter, Importance: widget.MediumImportance}
	box := container.NewStack(sized(placeholder, 0, 80))
	r := o.PaymentReceipt
	if r == nil || strings.TrimSpace(r.ImageURL) == "" {
		return box
	}
	var out fyne.CanvasObject = box
	if r.Message != "" {
		out = container.NewVBox(box, pair(lang.L("Message for the buyer"), r.Message))
	}
	src := strings.TrimSpace(r.ImageURL)
	placeholder.SetText(lang.L("Loading receipt image…"))
	load(func() (*receiptPicture, error) { return loadReceipt(src) }, func(p *receiptPicture, err error) {
		if err != nil {
			placeholder.SetText(lang.L("No receipt image"))
			return
		}
		ci := p.img
		ci.FillMode = canvas.ImageFillContain
		ci.ScaleMode = canvas.ImageScaleSmooth
		h := min(float32(p.h), receiptMaxHeight)
		w := h * float32(p.w) / float32(max(p.h, 1))
		ci.SetMinSize(fyne.NewSize(min(w, 480), h))
		box.Objects = []fyne.CanvasObject{ci}
		box.Refresh()
	})
	return out
}

// receiptPicture is a receipt image ready to draw, with its pixel size.
type receiptPicture struct {
	img  *canvas.Image
	w, h int
}

// loadReceipt opens a receipt image from a local path (or file:// URI) or an
// http(s) URL, checking that it is a readable image. It does I/O: call it
// off the UI goroutine.
func loadReceipt(src string) (*receiptPicture, error) {
	if strings.HasPrefix(src, "http://") || strings.HasPrefix(src, "https://") {
		u, err := storage.ParseURI(src)
		if err != nil {
			return nil, err
		}
		ci := canvas.NewImageFromURI(u)
		if ci == nil || ci.Resource == nil {
			return nil, fmt.Errorf("receipt image %s could not be downloaded", src)
		}
		cfg, _, err := image.DecodeConfig(bytes.NewReader(ci.Resource.Content()))
		if err != nil {
			return nil, err
		}
		return &receiptPicture{img: ci, w: cfg.Width, h: cfg.Height}, nil
	}
	path := src
	if strings.HasPrefix(src, "file://") {
		u, err := storage.ParseURI(src)
		if err != nil {
			return nil, err
		}
		path = u.Path()
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return nil, fmt.Errorf("receipt image %s is not a file", path)
	}
	cfg, _, err := image.DecodeConfig(f)
	if err != nil {
		return nil, err
	}
	return &receiptPicture{img: canvas.NewImageFromFile(path), w: cfg.Width, h: cfg.Height}, nil
}

func (d *orderDetail) parcelsCard(o *app.Order) fyne.CanvasObject {
	var objs []fyne.CanvasObject
	for i, p := range o.Parcels {
		text := lang.L("Parcel {{.K}} of {{.N}}", map[string]any{"K": i + 1, "N": len(o.Parcels)}) + " · " +
			itemCount(p.Qty())
		if p.WeightGrams > 0 {
			text += fmt.Sprintf(" · %d g", p.WeightGrams)
		}
		row := container.NewHBox(&widget.Label{Text: text})
		if p.Packed {
			row.Add(container.NewCenter(newPill("✓ "+lang.L("Packed"), theme.ColorNameSuccess, theme.ColorNameForegroundOnSuccess)))
			if p.PackedBy != "" {
				row.Add(caption(p.PackedBy + ", " + stamp(p.PackedAt)))
			}
		}
		objs = append(objs, row)
		var items []string
		for _, it := range p.Items {
			items = append(items, fmt.Sprintf("%d × %s", it.Qty, it.SKU))
		}
		if len(items) > 0 {
			objs = append(objs, caption(strings.Join(items, ", ")))
		}
	}
	if len(objs) == 0 {
		objs = append(objs, caption(lang.L("No parcels")))
	}
	return card(lang.L("Parcels"), objs...)
}

func (d *orderDetail) shipmentCard(o *app.Order) fyne.CanvasObject {
	s := o.Shipment
	if s.State == app.ShipmentNone && s.Method == "" {
		return card(lang.L("Shipment"), caption(lang.L("Not arranged yet")))
	}
	objs := []fyne.CanvasObject{pair(lang.L("State"), shipmentLabel(s.State))}
	if s.Method != "" {
		objs = append(objs, pair(lang.L("Method"), lang.L(string(s.Method))))
	}
	if s.Courier != "" {
		c := app.CourierName(s.Courier)
		if s.Service != "" {
			c += " " + s.Service
		}
		objs = append(objs, pair(lang.L("Courier"), c))
	}
	if s.TrackingID != "" {
		objs = append(objs, pair(lang.L("Tracking"), s.TrackingID))
		printed := lang.L("Label not printed")
		if o.LabelPrinted() {
			printed = lang.L("Label printed") + " · " + stamp(o.Prints.LabelAt)
		}
		objs = append(objs, pair(lang.L("Label"), printed))
	}
	if !s.PickupFrom.IsZero() {
		objs = append(objs, pair(lang.L("Pickup"), stamp(s.PickupFrom)+"–"+s.PickupTo.Local().Format("15:04")+" · "+s.PickupAddress))
	}
	if !s.PickupDeadline.IsZero() {
		objs = append(objs, pair(lang.L("Hand over by"), stamp(s.PickupDeadline)))
	}
	if s.Method == app.ShipManual && !s.PickedUpAt.IsZero() {
		objs = append(objs, pair(lang.L("Shipped on"), stamp(s.PickedUpAt)))
	}
	if s.Remark != "" {
		objs = append(objs, pair(lang.L("Remark"), s.Remark))
	}
	if n := app.BookingNotice(s); !n.IsZero() {
		// A booking whose answer was lost says so here, beside Book again.
		objs = append(objs, &widget.Label{Text: say(n), Importance: widget.WarningImportance, Wrapping: fyne.TextWrapWord})
	}
	if s.FailReason != "" {
		objs = append(objs, &widget.Label{Text: s.FailReason, Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord})
	}
	return card(lang.L("Shipment"), objs...)
}

func (d *orderDetail) requestCard(o *app.Order) fyne.CanvasObject {
	switch {
	case o.CancelRequest != nil:
		return card(lang.L("Buyer asked to cancel"), pair(lang.L("Reason"), o.CancelRequest.Reason), pair(lang.L("When"), stamp(o.CancelRequest.At)))
	case o.Complaint != nil:
		objs := []fyne.CanvasObject{pair(lang.L("Reason"), o.Complaint.Reason), pair(lang.L("When"), stamp(o.Complaint.At))}
		if o.Complaint.Resolution != "" {
			objs = append(objs, pair(lang.L("Resolution"), lang.L(string(o.Complaint.Resolution))))
		}
		return card(lang.L("Complaint"), objs...)
	case o.Status == app.StatusCancelled:
		return card(lang.L("Cancelled"), pair(lang.L("Reason"), lang.L(string(o.CancelReason))), pair(lang.L("Note"), o.CancelNote))
	}
	return nil
}

func (d *orderDetail) historyCard(o *app.Order) fyne.CanvasObject {
	var objs []fyne.CanvasObject
	for i := len(o.History) - 1; i >= 0; i-- {
		e := o.History[i]
		head := container.NewBorder(nil, nil, bold(lang.L(e.Action.Label())), caption(stamp(e.At)))
		who := e.Actor.String()
		if e.From != e.To {
			// Fyne's bundled font has no arrow glyph, so the move reads with a Latin-1 "»".
			from := lang.L("placed")
			if e.From != "" {
				from = lang.L(e.From.Label())
			}
			who = from + " » " + lang.L(e.To.Label()) + " · " + who
		}
		objs = append(objs, head, caption(who))
		if note := e.NoteIn(staffLang); note != "" {
			objs = append(objs, &widget.Label{Text: note, Wrapping: fyne.TextWrapWord})
		}
		objs = append(objs, widget.NewSeparator())
	}
	if len(objs) == 0 {
		objs = append(objs, caption(lang.L("No history")))
	}
	return card(lang.L("History"), objs...)
}
