package ui

import (
	"errors"
	"image"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kasir/pos/app"
)

// onAction asks for whatever the action needs, then runs it.
func (d *orderDetail) onAction(a app.Action) {
	o := d.order
	if o == nil {
		return
	}
	switch a {
	case app.ActionReject:
		d.askReason(a, lang.L("Reject order {{.N}}", map[string]any{"N": o.Number}), lang.L("Reason (the buyer sees it)"), "")
	case app.ActionCancel:
		d.askReason(a, lang.L("Cancel order {{.N}}", map[string]any{"N": o.Number}), lang.L("Reason"), "")
	case app.ActionDenyPayment:
		d.askReason(a, lang.L("Deny the payment receipt"), lang.L("Message for the buyer"), "")
	case app.ActionComplain:
		d.askReason(a, lang.L("Record a complaint"), lang.L("What the buyer reported"), "")
	case app.ActionDeclineCancel:
		d.askReason(a, lang.L("Decline the cancel request"), lang.L("Reason (optional)"), "")
	case app.ActionArrangePickup, app.ActionArrangeDropoff:
		d.askArrange(a)
	case app.ActionShip:
		d.askShip(shipDraft{})
	case app.ActionSplitParcel:
		d.askSplit()
	case app.ActionVerifyPacked:
		d.askVerify()
	case app.ActionResolve:
		d.askResolve()
	case app.ActionBookAgain:
		askYesNo(lang.L("Book again"), lang.L("Book again"), lang.L("Not yet"), say(app.BookAgainQuestion(o.Shipment)),
			func(ok bool) {
				if ok {
					d.run(a, app.Args{})
				}
			}, d.m.win)
	case app.ActionApproveCancel:
		askYesNo(lang.L("Approve cancel"), lang.L("Yes"), lang.L("No"),
			lang.L("Cancel order {{.N}} as the buyer asked? Allocated stock is released.", map[string]any{"N": o.Number}),
			func(ok bool) {
				if ok {
					d.run(a, app.Args{})
				}
			}, d.m.win)
	default:
		d.run(a, app.Args{})
	}
}

// run applies the action in the background and shows the result; on short
// stock the owner may force the acceptance.
func (d *orderDetail) run(a app.Action, args app.Args) { d.runOr(a, args, nil) }

// runOr is run for a command typed into a dialog: when app refuses it,
// again reopens the dialog with what staff typed, so nothing is lost.
func (d *orderDetail) runOr(a app.Action, args app.Args, again func()) {
	o := d.order
	if o == nil {
		return
	}
	cmd := app.Command{Action: a, OrderID: o.ID, Args: args}
	d.m.do(cmd, again, func(res *app.Result) {
		if res != nil && len(res.Warnings) > 0 {
			warnings := make([]string, len(res.Warnings))
			for i, w := range res.Warnings {
				warnings[i] = say(w)
			}
			d.m.showBanner(strings.Join(warnings, "; "))
		}
	}, func() { d.run(a, withForce(args)) })
}

func withForce(a app.Args) app.Args { a.Force = true; return a }

// do runs one command off the UI goroutine and refreshes everything after.
// force, when not nil, is offered to the owner on OUT_OF_STOCK.
// again, when not nil, reopens the dialog the command came from after a refusal.
func (m *Main) do(cmd app.Command, again func(), done func(*app.Result), force func()) {
	actor := m.actor
	load(func() (*app.Result, error) { return m.svc.Do(cmd, actor) }, func(res *app.Result, err error) {
		if err != nil {
			if app.ErrorCode(err) == app.EOutOfStock && force != nil && actor.Role == app.RoleOwner {
				confirmWith(lang.L("Not enough stock"), lang.L("Force accept"), lang.L("Keep the order"),
					sized(&widget.Label{Text: errorText(err) + "\n\n" + lang.L("Force accept anyway? Stock goes short and you must restock or cancel."), Wrapping: fyne.TextWrapWord}, 400, 0),
					func(ok bool) {
						if ok {
							force()
						}
					}, m.win)
				return
			}
			title := lang.L("Could not {{.A}}", map[string]any{"A": say(app.Text("%s", cmd.Action))})
			if again == nil || app.ErrorCode(err) == app.EInternal {
				m.showError(title, err)
			} else {
				showMessage(title, errorText(err), m.win).SetOnClosed(again)
			}
			m.refresh()
			return
		}
		if done != nil {
			done(res)
		}
		m.refresh()
	})
}

// askReason asks for a reason in a dialog; the reason is required except
// when declining a cancel request.
func (d *orderDetail) askReason(a app.Action, title, hint, typed string) {
	e := &widget.Entry{Text: typed, PlaceHolder: hint, MultiLine: true, Wrapping: fyne.TextWrapWord}
	if a != app.ActionDeclineCancel {
		// An empty reason keeps the dialog open, saying why.
		e.Validator = func(s string) error {
			if strings.TrimSpace(s) == "" {
				return errors.New(say(app.FieldError("Reason", "is required").Text()))
			}
			return nil
		}
	}
	items := []*widget.FormItem{{Text: lang.L("Reason"), Widget: e}}
	if a == app.ActionReject {
		quick := &widget.Select{Options: []string{lang.L("Out of stock"), lang.L("Buyer asked to cancel"), lang.L("Cannot ship to this address")},
			PlaceHolder: lang.L("Common reasons"), OnChanged: func(s string) { e.SetText(s) }}
		items = append([]*widget.FormItem{{Text: "", Widget: quick}}, items...)
	}
	askForm(title, lang.L("Confirm"), items, fyne.NewSize(480, 320), func() (func(), error) {
		r := strings.TrimSpace(e.Text)
		if r == "" && a != app.ActionDeclineCancel {
			return nil, app.FieldError("Reason", "is required")
		}
		return func() { d.runOr(a, app.Args{Reason: r}, func() { d.askReason(a, title, hint, e.Text) }) }, nil
	}, d.m.win)
}

// askForm shows a form dialog with 44 px buttons. decide checks what was
// typed: an error keeps the dialog open with the draft, saying why; else the
// work it returns runs once the dialog is gone (closing a dialog closes every
// dialog above it, so a refusal or question shown earlier would vanish).
func askForm(title, confirm string, items []*widget.FormItem, size fyne.Size, decide func() (func(), error), win fyne.Window) {
	var next func()
	fd := newFormDialog(title, confirm, lang.L("Back"), items, func() error {
		work, err := decide()
		if err != nil {
			return err
		}
		next = work
		return nil
	}, win)
	fd.dlg.SetOnClosed(func() {
		if next != nil {
			next()
		}
	})
	if size.Width > 0 {
		fd.dlg.Resize(size)
	}
	fd.dlg.Show()
}

// askPickup asks for the pickup slot, place and courier.
func (m *Main) askPickup(then func(app.Args)) { m.askPickupFrom(app.Args{}, then) }

// askPickupFrom asks for the pickup with what staff typed before: the slot
// offered first is the next one still open, never one already begun.
func (m *Main) askPickupFrom(typed app.Args, then func(app.Args)) {
	pol := m.svc.CurrentPolicy()
	slots := app.NextPickupSlots(m.now(), pol.Zone(), 10)
	var labels []string
	chosen := 0
	for i, sl := range slots {
		labels = append(labels, sl.From.Format("Mon 02 Jan 15:04")+"–"+sl.To.Format("15:04"))
		if sl.From.Equal(typed.PickupFrom) {
			chosen = i
		}
	}
	slot := &widget.Select{Options: labels}
	if len(labels) > 0 {
		slot.SetSelectedIndex(chosen)
	}
	addr := typed.PickupAddress
	if addr == "" {
		addr = pol.ShopAddress
	}
	place := &widget.Entry{Text: addr, PlaceHolder: lang.L("Pickup address")}
	courier := &widget.Select{Options: couriers, PlaceHolder: lang.L("Any courier")}
	if typed.Courier != "" {
		courier.SetSelected(app.CourierName(typed.Courier))
	}
	items := []*widget.FormItem{
		{Text: lang.L("Time"), Widget: slot}, {Text: lang.L("Place"), Widget: place}, {Text: lang.L("Courier"), Widget: courier},
	}
	askForm(lang.L("Arrange pickup"), lang.L("Arrange"), items, fyne.NewSize(480, 340), func() (func(), error) {
		if slot.SelectedIndex() < 0 {
			return nil, nil
		}
		sl := slots[slot.SelectedIndex()]
		args := app.Args{PickupFrom: sl.From, PickupTo: sl.To, PickupAddress: strings.TrimSpace(place.Text), Courier: courier.Selected}
		return func() { then(args) }, nil
	}, m.win)
}

// shipDraft is what staff typed in the Mark shipped dialog.
type shipDraft struct {
	courier, tracking, remark string
	daysAgo                   int
}

// askShip is manual shipping: courier, tracking ID, the day it left and a
// remark for the buyer. An unpacked parcel is asked about first.
func (d *orderDetail) askShip(typed shipDraft) {
	courier := &widget.SelectEntry{}
	courier.SetOptions(couriers)
	courier.PlaceHolder = lang.L("Courier")
	courier.SetText(typed.courier)
	courier.Validator = func(s string) error {
		if strings.TrimSpace(s) == "" {
			return errors.New(say(app.FieldError("Courier", "is required").Text()))
		}
		return nil
	}
	tracking := &widget.Entry{Text: typed.tracking, PlaceHolder: lang.L("Tracking number")}
	tracking.Validator = func(s string) error {
		if err := app.ValidateTrackingID(s); err != nil {
			return errors.New(errorText(err))
		}
		return nil
	}
	days := []string{lang.L("Today"), lang.L("Yesterday"), lang.L("2 days ago"), lang.L("3 days ago")}
	when := &widget.Select{Options: days}
	when.SetSelectedIndex(typed.daysAgo)
	remark := &widget.Entry{Text: typed.remark, PlaceHolder: lang.L("Note for the buyer (optional)"), MultiLine: true, Wrapping: fyne.TextWrapWord}
	askForm(lang.L("Mark shipped"), lang.L("Shipped"),
		[]*widget.FormItem{{Text: lang.L("Courier"), Widget: courier}, {Text: lang.L("Tracking"), Widget: tracking},
			{Text: lang.L("Shipped on"), Widget: when}, {Text: lang.L("Remark"), Widget: remark}}, fyne.NewSize(460, 420),
		func() (func(), error) {
			draft := shipDraft{courier: courier.Text, tracking: strings.TrimSpace(tracking.Text), remark: remark.Text, daysAgo: max(when.SelectedIndex(), 0)}
			return func() { d.confirmUnpacked(func() { d.ship(draft) }, func() { d.askShip(draft) }) }, nil
		}, d.m.win)
}

// ship marks the order shipped as the dialog says; a refusal brings the dialog back.
func (d *orderDetail) ship(draft shipDraft) {
	args := app.Args{Courier: draft.courier, TrackingID: draft.tracking, Note: strings.TrimSpace(draft.remark)}
	if draft.daysAgo > 0 {
		// The parcel left that day; the time of day is kept from now.
		args.ShippedAt = d.m.now().AddDate(0, 0, -draft.daysAgo)
	}
	d.runOr(app.ActionShip, args, func() { d.askShip(draft) })
}

// confirmUnpacked asks before an order ships with a parcel nobody verified
// packed; back returns to the dialog. Where the shop requires packing, app refuses instead.
func (d *orderDetail) confirmUnpacked(then, back func()) {
	o := d.order
	if o == nil {
		return
	}
	unpacked := o.UnpackedParcels()
	if len(unpacked) == 0 || d.m.svc.CurrentPolicy().RequirePacked {
		then()
		return
	}
	nums := make([]string, len(unpacked))
	for i, n := range unpacked {
		nums[i] = strconv.Itoa(n)
	}
	askYesNo(lang.L("Not verified packed"), lang.L("Yes"), lang.L("No"),
		lang.L("Parcel {{.P}} of {{.N}} is not verified packed. Ship it anyway?", map[string]any{"P": strings.Join(nums, ", "), "N": len(o.Parcels)}),
		func(ok bool) {
			if ok {
				then()
			} else {
				back()
			}
		}, d.m.win)
}

// askSplit moves a quantity of one SKU into another (or a new) parcel.
func (d *orderDetail) askSplit() {
	o := d.order
	var skus []string
	for _, l := range o.Lines {
		if l.SKU != "" && !contains(skus, l.SKU) {
			skus = append(skus, l.SKU)
		}
	}
	sku := &widget.Select{Options: skus}
	if len(skus) > 0 {
		sku.SetSelectedIndex(0)
	}
	qty := &widget.Entry{Text: "1"}
	var parcels []string
	for i := 1; i <= len(o.Parcels); i++ {
		parcels = append(parcels, lang.L("Parcel {{.K}}", map[string]any{"K": i}))
	}
	parcels = append(parcels, lang.L("New parcel"))
	into := &widget.Select{Options: parcels}
	into.SetSelectedIndex(len(parcels) - 1)
	askForm(lang.L("Split into parcels"), lang.L("Move"),
		[]*widget.FormItem{{Text: lang.L("SKU"), Widget: sku}, {Text: lang.L("Quantity"), Widget: qty}, {Text: lang.L("Into"), Widget: into}}, fyne.Size{},
		func() (func(), error) {
			n, err := strconv.Atoi(strings.TrimSpace(qty.Text))
			if err != nil {
				return nil, app.FieldError("Quantity", "must be a whole number")
			}
			args := app.Args{SKU: sku.Selected, Qty: n, Parcel: into.SelectedIndex() + 1}
			return func() { d.run(app.ActionSplitParcel, args) }, nil
		}, d.m.win)
}

func (d *orderDetail) askVerify() {
	o := d.order
	opts, nums := []string{lang.L("All parcels")}, []int{0}
	for i, p := range o.Parcels {
		if !p.Packed {
			opts = append(opts, lang.L("Parcel {{.K}}", map[string]any{"K": i + 1}))
			nums = append(nums, i+1)
		}
	}
	which := &widget.Select{Options: opts}
	which.SetSelectedIndex(0)
	weight := &widget.Entry{PlaceHolder: lang.L("grams (optional)")}
	askForm(lang.L("Verify packed"), lang.L("Packed"),
		[]*widget.FormItem{{Text: lang.L("Parcel"), Widget: which}, {Text: lang.L("Weight"), Widget: weight}}, fyne.Size{},
		func() (func(), error) {
			args := app.Args{}
			if i := which.SelectedIndex(); i > 0 {
				args.Parcel = nums[i]
			}
			if w := strings.TrimSpace(weight.Text); w != "" {
				g, err := strconv.Atoi(w)
				if err != nil || g <= 0 {
					// A weight typed wrong is said, not silently dropped.
					return nil, app.FieldError("Weight", "must be a whole number")
				}
				args.WeightGrams = g
			}
			return func() { d.run(app.ActionVerifyPacked, args) }, nil
		}, d.m.win)
}

func (d *orderDetail) askResolve() {
	labels := []string{lang.L("Accept the return (stock back, refund)"), lang.L("Refund without return"), lang.L("Reject the complaint")}
	values := []app.Resolution{app.ResolveReturn, app.ResolveRefund, app.ResolveReject}
	how := &widget.RadioGroup{Options: labels}
	how.SetSelected(labels[0])
	note := &widget.Entry{PlaceHolder: lang.L("Note (optional)")}
	askForm(lang.L("Resolve the complaint"), lang.L("Resolve"),
		[]*widget.FormItem{{Text: "", Widget: how}, {Text: lang.L("Note"), Widget: note}}, fyne.Size{},
		func() (func(), error) {
			for i, l := range labels {
				if l == how.Selected {
					args := app.Args{Resolution: values[i], Reason: note.Text}
					return func() { d.run(app.ActionResolve, args) }, nil
				}
			}
			return nil, nil
		}, d.m.win)
}

// onPrint previews the document and prints it when staff confirm.
func (d *orderDetail) onPrint(doc app.Document) {
	d.m.printWithPreview(doc, d.order)
}

// printWithPreview shows Printing.Preview in a dialog with a Print button.
func (m *Main) printWithPreview(doc app.Document, o *app.Order) {
	if m.d.Printing == nil {
		showMessage(printTitle(doc), lang.L("No printer set up — Settings » Printers"), m.win)
		return
	}
	m.previewThenPrint(printTitle(doc)+" · "+o.Number, func() (image.Image, error) { return m.d.Printing.Preview(doc, o) },
		func() { m.print(doc, o) }, doc == app.DocLabel && app.BillSource(o) != "")
}

// previewThenPrint shows a preview in a dialog whose Print button calls
// print. A platform's airway bill that cannot be fetched now (bill) is
// still printed when staff ask: the queue waits for it, and the order says why.
func (m *Main) previewThenPrint(title string, preview func() (image.Image, error), print func(), bill bool) {
	load(preview, func(img image.Image, err error) {
		if err != nil && bill && app.ErrorCode(err) == app.EBillWaiting {
			msg := &widget.Label{Text: errorText(err), Wrapping: fyne.TextWrapWord}
			confirmWith(title, lang.L("Print it when it arrives"), lang.L("Close"), msg, func(ok bool) {
				if ok {
					print()
				}
			}, m.win)
			return
		}
		if err != nil {
			m.showError(lang.L("Could not preview"), err)
			return
		}
		ci := canvas.NewImageFromImage(img)
		ci.FillMode = canvas.ImageFillContain
		ci.ScaleMode = canvas.ImageScalePixels
		b := img.Bounds()
		w := float32(min(b.Dx(), 420))
		h := min(float32(b.Dy())*w/float32(max(b.Dx(), 1)), 560)
		ci.SetMinSize(fyne.NewSize(w, h))
		confirmWith(title, lang.L("Print"), lang.L("Close"), ci, func(ok bool) {
			if ok {
				print()
			}
		}, m.win)
	})
}

// addBillActions offers, beside the label of an order whose parcel carries
// a platform's airway bill, the register's own label, and says why the
// bill queued for it has not printed yet.
func (d *orderDetail) addBillActions(o *app.Order) {
	bp, ok := d.m.d.Printing.(BillPrinting)
	if !ok || app.BillSource(o) == "" {
		return
	}
	d.actions.Add(sized(&widget.Button{Text: lang.L("Print our label"), Icon: theme.DocumentPrintIcon(), OnTapped: func() { d.m.printOwnLabel(bp, o) }}, 0, touchMin))
	if err := bp.BillWait(o.ID); err != nil {
		d.actions.Add(&widget.Label{Text: errorText(err), Wrapping: fyne.TextWrapWord, Importance: widget.WarningImportance})
	}
}

// printOwnLabel previews the register's own label and prints it when staff confirm.
func (m *Main) printOwnLabel(bp BillPrinting, o *app.Order) {
	actor := m.actor
	m.previewThenPrint(lang.L("Print our label")+" · "+o.Number, func() (image.Image, error) { return bp.PreviewOwnLabel(o) }, func() {
		load(func() (string, error) { return bp.PrintOwnLabel(o, actor) }, func(msg string, err error) {
			if err != nil {
				m.showError(lang.L("Could not print"), err)
				return
			}
			m.showBanner(msg)
			m.refresh()
		})
	}, false)
}

// print queues the document in the background and reports where it went.
func (m *Main) print(doc app.Document, o *app.Order) {
	actor := m.actor
	load(func() (string, error) { return m.printDoc(doc, o, actor) }, func(msg string, err error) {
		if err != nil {
			m.showError(lang.L("Could not print"), err)
			return
		}
		m.showBanner(msg)
		m.refresh()
	})
}

// printDoc queues the document; the printing layer records the print on the
// order once the printer confirms it. It does I/O: call it off the UI goroutine.
func (m *Main) printDoc(doc app.Document, o *app.Order, actor app.Actor) (string, error) {
	if m.d.Printing == nil {
		return "", app.Errorf(app.EInvalid, "No printer set up — Settings » Printers")
	}
	return m.d.Printing.Print(doc, o, actor)
}
