package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/kasir/pos/app"
)

// topButton finds a button by its text in the dialog on top.
func topButton(f *fixture, text string) *widget.Button {
	var found *widget.Button
	drawn(f.m.Window().Canvas().Overlays().Top(), func(o fyne.CanvasObject) bool {
		if b, ok := o.(*widget.Button); ok && b.Text == text {
			found = b
			return true
		}
		return false
	})
	return found
}

// topEntryWith reports whether the dialog on top holds an entry reading text.
func topEntryWith(f *fixture, text string) bool {
	return drawn(f.m.Window().Canvas().Overlays().Top(), func(o fyne.CanvasObject) bool {
		e, ok := o.(*widget.Entry)
		return ok && e.Text == text
	})
}

// topSelect finds the first select in the dialog on top.
func topSelect(f *fixture) *widget.Select {
	var found *widget.Select
	drawn(f.m.Window().Canvas().Overlays().Top(), func(o fyne.CanvasObject) bool {
		if s, ok := o.(*widget.Select); ok {
			found = s
			return true
		}
		return false
	})
	return found
}

func readyToShip(f *fixture) *app.Order {
	o := f.place(app.ChannelTokopedia, "T-500", "Rina", 0)
	f.do(app.ActionAccept, o.ID, app.Args{})
	f.m.Refresh()
	f.m.online.openOrder(o.ID)
	return o
}

func TestPickupOffersTheNextOpenSlot(t *testing.T) {
	f := newFixture(t, "Owner")
	readyToShip(f)
	f.m.online.detail.onAction(app.ActionArrangePickup)
	f.m.Window().Canvas().Capture()
	slot := topSelect(f)
	want := app.NextPickupSlots(clock, f.m.svc.CurrentPolicy().Zone(), 1)[0]
	if slot == nil || slot.SelectedIndex() != 0 || slot.Selected != want.From.Format("Mon 02 Jan 15:04")+"–"+want.To.Format("15:04") {
		t.Fatalf("the pickup dialog offers %v first, want %s", slot, want.From)
	}
	test.Tap(topButton(f, "Arrange"))
	o := f.m.online.detail.order
	if o.Shipment.State != app.ShipmentSearching || !o.Shipment.PickupFrom.Equal(want.From) {
		t.Fatalf("after Arrange: %+v", o.Shipment)
	}
	if button(f.m.online.detail.actions, "Change pickup") == nil || button(f.m.online.detail.actions, "Cancel pickup") == nil {
		t.Fatal("an arranged pickup offers no change or cancel")
	}
	test.Tap(button(f.m.online.detail.actions, "Cancel pickup"))
	if s := f.m.online.detail.order.Shipment; s.State != app.ShipmentNone {
		t.Fatalf("after Cancel pickup: %+v", s)
	}
}

func TestRefusedDialogsKeepTheDraft(t *testing.T) {
	f := newFixture(t, "Owner")
	o := readyToShip(f)
	d := f.m.online.detail

	// A reason dialog confirmed empty stays open, saying why, with its 44 px buttons.
	d.onAction(app.ActionCancel)
	f.m.Window().Canvas().Capture()
	confirm := topButton(f, "Confirm")
	if confirm == nil || confirm.Size().Height < touchMin {
		t.Fatalf("Confirm of the reason dialog: %v", confirm)
	}
	test.Tap(confirm)
	f.m.Window().Canvas().Capture()
	said := drawn(f.m.Window().Canvas().Overlays().Top(), func(o fyne.CanvasObject) bool {
		l, ok := o.(*widget.Label)
		return ok && l.Visible() && strings.Contains(l.Text, "Reason is required")
	})
	if topButton(f, "Confirm") == nil || !said {
		t.Fatal("an empty reason closed the dialog or said nothing")
	}
	if got, _ := f.svc.Order(o.ID); got.Status != app.StatusReadyToShip {
		t.Fatalf("an empty reason cancelled the order: %s", got.Status)
	}
	f.m.Window().Canvas().Overlays().Top().Hide()
	f.m.Window().Canvas().Overlays().Remove(f.m.Window().Canvas().Overlays().Top())

	// app refuses a drop-off with no courier; the dialog comes back as typed.
	d.onAction(app.ActionArrangeDropoff)
	f.m.arranging.service.SetText("REG")
	f.m.Window().Canvas().Capture()
	test.Tap(topButton(f, "Arrange"))
	f.m.Window().Canvas().Capture()
	ok := topButton(f, "OK")
	if ok == nil {
		t.Fatal("the refusal is not shown")
	}
	test.Tap(ok)
	f.m.Window().Canvas().Capture()
	if !topEntryWith(f, "REG") || topButton(f, "Arrange") == nil {
		t.Fatal("after the refusal the drop-off dialog did not come back with the service typed")
	}
	if got, _ := f.svc.Order(o.ID); got.Shipment.State != app.ShipmentNone {
		t.Fatalf("a refused drop-off changed the order: %+v", got.Shipment)
	}
}

func TestMarkShippedAsksAboutAnUnpackedParcel(t *testing.T) {
	f := newFixture(t, "Owner")
	o := readyToShip(f)
	d := f.m.online.detail
	d.askShip(shipDraft{courier: "J&T", tracking: "JT0009", remark: "Dua kotak"})
	f.m.Window().Canvas().Capture()
	test.Tap(topButton(f, "Shipped"))
	f.m.Window().Canvas().Capture()
	if topButton(f, "No") == nil {
		t.Fatal("shipping an unpacked parcel was not asked about")
	}
	test.Tap(topButton(f, "No"))
	f.m.Window().Canvas().Capture()
	if !topEntryWith(f, "JT0009") {
		t.Fatal("saying no lost the tracking number typed")
	}
	test.Tap(topButton(f, "Shipped"))
	f.m.Window().Canvas().Capture()
	test.Tap(topButton(f, "Yes"))
	got, _ := f.svc.Order(o.ID)
	if got.Status != app.StatusInDelivery || got.Shipment.Remark != "Dua kotak" || got.Shipment.Courier != "J&T Express" {
		t.Fatalf("after shipping: %s %+v", got.Status, got.Shipment)
	}
	f.m.online.openOrder(o.ID)
	if labelWith(f.m.online.detail.content, "Dua kotak") == nil {
		t.Error("the detail does not show the remark for the buyer")
	}
}

func TestBuyerCancelFromAChannelShowsABanner(t *testing.T) {
	f := newFixture(t, "Owner")
	o := readyToShip(f)
	f.do(app.ActionRequestCancel, o.ID, app.Args{Reason: "salah ukuran"})
	got, _ := f.svc.Order(o.ID)
	f.m.OnOrdersChanged([]*app.Order{got})
	want := "The buyer asked to cancel order " + o.Number + " on Tokopedia: approve or decline it"
	if !f.m.banner.Visible() || f.m.bannerText.Text != want {
		t.Fatalf("banner %v %q, want %q", f.m.banner.Visible(), f.m.bannerText.Text, want)
	}
	f.m.onBannerClosed()
	f.m.OnOrdersChanged([]*app.Order{got})
	if f.m.banner.Visible() {
		t.Fatal("the same cancel request alerted twice")
	}
}

// A buyer's cancel from a channel shows on the Online tab as a count: an open
// cancel request until staff approve or decline it, a cancelled order until
// staff open it.
func TestBuyerCancelShowsABadgeUntilHandled(t *testing.T) {
	f := newFixture(t, "Owner")
	req := readyToShip(f)
	f.do(app.ActionRequestCancel, req.ID, app.Args{Reason: "salah ukuran"})
	gone := f.place(app.ChannelTokopedia, "BC-1", "Rina", 0)
	if _, err := f.svc.Do(app.Command{Action: app.ActionBuyerCancel, OrderID: gone.ID, Args: app.Args{Reason: "berubah pikiran"}}, app.ChannelActor("tokopedia")); err != nil {
		t.Fatal(err)
	}
	a, _ := f.svc.Order(req.ID)
	b, _ := f.svc.Order(gone.ID)
	f.m.OnOrdersChanged([]*app.Order{a, b})
	f.m.Refresh()
	if got := badgeText(f.m.cancelBadge); got != "2" {
		t.Fatalf("cancel badge = %q, want 2", got)
	}
	f.m.online.openOrder(gone.ID)
	if got := badgeText(f.m.cancelBadge); got != "1" {
		t.Fatalf("cancel badge after opening the cancelled order = %q, want 1", got)
	}
	f.m.online.openOrder(req.ID)
	if got := badgeText(f.m.cancelBadge); got != "1" {
		t.Fatalf("opening a cancel request cleared it before staff decided: %q", got)
	}
	f.do(app.ActionDeclineCancel, req.ID, app.Args{})
	f.m.Refresh()
	if got := badgeText(f.m.cancelBadge); got != "" {
		t.Fatalf("cancel badge after declining = %q, want hidden", got)
	}
}

// The detail's dialogs have 44 px buttons; a quantity typed wrong keeps the
// dialog open with what was typed, and resolving a complaint by a return
// moves the order to Returned.
func TestActionDialogsKeepTheDraftAndResolveAReturn(t *testing.T) {
	f := newFixture(t, "Owner")
	o := readyToShip(f)
	d := f.m.online.detail
	d.askSplit()
	f.m.Window().Canvas().Capture()
	var qty *widget.Entry
	drawn(f.m.Window().Canvas().Overlays().Top(), func(c fyne.CanvasObject) bool {
		if e, ok := c.(*widget.Entry); ok {
			qty = e
			return true
		}
		return false
	})
	if qty == nil {
		t.Fatal("no quantity entry")
	}
	qty.SetText("dua")
	move := topButton(f, "Move")
	if move == nil || move.Size().Height < touchMin {
		t.Fatalf("Move button: %v", move)
	}
	test.Tap(move)
	f.m.Window().Canvas().Capture()
	if !topEntryWith(f, "dua") || topButton(f, "Move") == nil {
		t.Fatal("a wrong quantity closed the split dialog or lost what was typed")
	}
	f.m.Window().Canvas().Overlays().Top().Hide()

	f.do(app.ActionShip, o.ID, app.Args{Courier: "JNE", TrackingID: "JNE0077"})
	f.do(app.ActionDeliver, o.ID, app.Args{})
	f.do(app.ActionComplain, o.ID, app.Args{Reason: "rusak"})
	f.m.Refresh()
	f.m.online.openOrder(o.ID)
	d.onAction(app.ActionResolve)
	f.m.Window().Canvas().Capture()
	resolve := topButton(f, "Resolve")
	if resolve == nil || resolve.Size().Height < touchMin {
		t.Fatalf("Resolve button: %v", resolve)
	}
	test.Tap(resolve)
	deadline := time.Now().Add(5 * time.Second)
	for {
		got, _ := f.svc.Order(o.ID)
		if got.Status == app.StatusReturned && got.Invoice.Status == app.InvoiceRefunded {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after resolving by return: %s, invoice %s", got.Status, got.Invoice.Status)
		}
		time.Sleep(10 * time.Millisecond)
	}
	f.m.Refresh()
	f.m.online.openOrder(o.ID)
	if labelWith(f.m.online.detail.content, "· refunded") == nil {
		t.Error("the detail's invoice does not read refunded")
	}
}

// TestBookAgainAfterALostAnswer: a Shipper booking whose answer was lost is
// shown in words on the order, and "Book again" asks staff to check
// Shipper's dashboard first; confirming books under the next reference.
func TestBookAgainAfterALostAnswer(t *testing.T) {
	f := newFixture(t, "Owner")
	o := f.place(app.ChannelStore, "W-600", "Rina", 0)
	if o.Status == app.StatusNew {
		f.do(app.ActionAccept, o.ID, app.Args{})
	}
	cur, _ := f.svc.Order(o.ID)
	cur.Shipment = app.Shipment{Method: app.ShipPickup, State: app.ShipmentSearching, Provider: app.ProviderShipper, Reference: cur.Number,
		Bookings: 1, Booking: app.BookingUncertain, Courier: "JNE", Service: "REG", Rate: &app.ShipmentRate{Courier: "jne", Service: "Regular", Price: 9000, RateID: "11"}}
	if err := f.db.Update(func(tx app.Tx) error { return tx.PutOrder(cur) }); err != nil {
		t.Fatal(err)
	}
	f.m.online.openOrder(o.ID)
	d := f.m.online.detail
	if labelWith(d.content, "Booking with Shipper may have been made: the answer was lost") == nil {
		t.Fatal("the lost answer is not shown on the order")
	}
	b := button(d.actions, "Book again")
	if b == nil {
		t.Fatal("no Book again button")
	}
	test.Tap(b)
	f.m.Window().Canvas().Capture()
	if !drawn(f.m.Window().Canvas().Overlays().Top(), func(o fyne.CanvasObject) bool {
		l, ok := o.(*widget.Label)
		return ok && strings.Contains(l.Text, "Shipper's dashboard shows no order with reference "+cur.Number)
	}) {
		t.Fatal("Book again did not ask staff to check Shipper's dashboard")
	}
	test.Tap(topButton(f, "Book again"))
	got, _ := f.svc.Order(o.ID)
	if got.Shipment.Reference != cur.Number+"-2" || got.Shipment.Booking != app.BookingPending || len(got.Shipment.Withdrawn) != 1 || !got.Shipment.Withdrawn[0].MayExist {
		t.Fatalf("after Book again: %+v", got.Shipment)
	}
}
