package app

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestPickupSlotsAreNeverInThePast(t *testing.T) {
	wib := time.FixedZone("WIB", 7*3600)
	at := func(h, m int) time.Time { return time.Date(2026, 11, 30, h, m, 0, 0, wib) }
	for _, c := range []struct {
		now   time.Time
		first time.Time
	}{
		{at(8, 0), at(9, 0)},
		{at(10, 30), at(11, 0)}, // the walkthrough: 09:00 at 10:30 failed
		{at(10, 45), at(13, 0)}, // too late to book 11:00
		{at(18, 0), at(9, 0).AddDate(0, 0, 1)},
	} {
		slots := NextPickupSlots(c.now.UTC(), wib, 6)
		if len(slots) != 6 || !slots[0].From.Equal(c.first) || slots[0].To.Sub(slots[0].From) != 2*time.Hour {
			t.Errorf("at %s the first slot is %v, want %s", c.now.Format("15:04"), slots[0], c.first.Format("Mon 15:04"))
		}
		for i, s := range slots {
			if !s.From.After(c.now) || (i > 0 && !s.From.After(slots[i-1].From)) {
				t.Errorf("at %s slot %d (%s) is past or out of order", c.now.Format("15:04"), i, s.From)
			}
		}
	}
}

func readyOrder(t *testing.T, tx *memTx) *Order {
	t.Helper()
	seedProducts(t, tx)
	o := mustPlace(t, tx, sampleOrder(ChannelTokopedia))
	return run(t, tx, o.ID, ActionAccept, Args{}, t0)
}

func TestArrangedPickupCanChangeUntilACourierTakesIt(t *testing.T) {
	tx := newMemTx()
	o := readyOrder(t, tx)
	pol := DefaultPolicy()
	pol.ShopAddress = "Jl. Braga 12"
	do := func(a Action, args Args) (*Result, error) {
		return Execute(tx, pol, Command{Action: a, OrderID: o.ID, Args: args}, owner, t0)
	}
	if _, err := do(ActionArrangePickup, Args{PickupFrom: t0.Add(2 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	res, err := do(ActionArrangePickup, Args{PickupFrom: t0.Add(26 * time.Hour)})
	if err != nil || !res.Order.Shipment.PickupFrom.Equal(t0.Add(26*time.Hour)) || !strings.HasPrefix(res.Events[0].Note, "Pickup changed to") {
		t.Fatalf("changing the pickup: %v %+v", err, res)
	}
	if !containsAction(StaffActions(res.Order), ActionCancelShipment) || !containsAction(StaffActions(res.Order), ActionArrangePickup) {
		t.Fatalf("staff cannot change or cancel a searching pickup: %v", StaffActions(res.Order))
	}
	res, err = do(ActionCancelShipment, Args{})
	if err != nil || res.Order.Shipment.State != ShipmentNone || res.Order.Status != StatusReadyToShip || res.Events[0].Note != "Pickup cancelled" {
		t.Fatalf("cancelling the pickup: %v %+v", err, res)
	}
	if _, err := do(ActionCancelShipment, Args{}); !isTransition(err) {
		t.Fatalf("cancelling nothing: %v", err)
	}
	if _, err := do(ActionArrangePickup, Args{PickupFrom: t0.Add(2 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if _, err := do(ActionAssignCourier, Args{TrackingID: "JNE123", Courier: "JNE"}); err != nil {
		t.Fatal(err)
	}
	for _, a := range []Action{ActionCancelShipment, ActionArrangePickup} {
		if _, err := do(a, Args{PickupFrom: t0.Add(3 * time.Hour)}); !isTransition(err) {
			t.Errorf("%s after a courier was assigned: %v", a, err)
		}
	}
}

func TestDropoffNeedsACourier(t *testing.T) {
	tx := newMemTx()
	o := readyOrder(t, tx)
	_, err := Execute(tx, DefaultPolicy(), Command{Action: ActionArrangeDropoff, OrderID: o.ID}, owner, t0)
	var ae *Error
	if !errors.As(err, &ae) || ae.Field != "courier" || !strings.Contains(err.Error(), "is required for a drop-off") {
		t.Fatalf("drop-off without a courier: %v", err)
	}
	if ErrorMessageIn(err, Indonesian) == err.Error() {
		t.Fatal("the refusal is not in Indonesian")
	}
}

func TestShippingRespectsPackingAndDates(t *testing.T) {
	tx := newMemTx()
	o := readyOrder(t, tx)
	pol := DefaultPolicy()
	pol.RequirePacked = true
	ship := func(args Args) (*Result, error) {
		args.Courier, args.TrackingID = "jnt", "JT0001"
		return Execute(tx, pol, Command{Action: ActionShip, OrderID: o.ID, Args: args}, owner, t0.Add(time.Hour))
	}
	if len(o.UnpackedParcels()) != 1 {
		t.Fatalf("unpacked parcels %v", o.UnpackedParcels())
	}
	if _, err := ship(Args{}); !isTransition(err) || !strings.Contains(err.Error(), "verified packed") {
		t.Fatalf("shipping an unpacked parcel where the shop requires packing: %v", err)
	}
	if _, err := ship(Args{ShippedAt: t0.Add(48 * time.Hour)}); err == nil {
		t.Fatal("a shipping date in the future was taken")
	}
	pol.RequirePacked = false
	res, err := ship(Args{ShippedAt: t0.Add(30 * time.Minute), Note: "Dikirim dalam dua kotak"})
	if err != nil {
		t.Fatal(err)
	}
	s := res.Order.Shipment
	if !s.PickedUpAt.Equal(t0.Add(30*time.Minute)) || s.Remark != "Dikirim dalam dua kotak" || s.Courier != "J&T Express" {
		t.Fatalf("shipment %+v", s)
	}
	if n := res.Events[0].NoteIn(Indonesian); !strings.Contains(n, "catatan untuk pembeli: Dikirim dalam dua kotak") {
		t.Fatalf("history note %q", n)
	}
}

func TestReturnedOrderInvoiceReadsRefunded(t *testing.T) {
	tx := newMemTx()
	o := readyOrder(t, tx)
	o = run(t, tx, o.ID, ActionShip, Args{Courier: "JNE", TrackingID: "JNE1"}, t0)
	o = run(t, tx, o.ID, ActionDeliver, Args{}, t0)
	o = run(t, tx, o.ID, ActionComplete, Args{}, t0)
	o = run(t, tx, o.ID, ActionComplain, Args{Reason: "broken"}, t0)
	o = run(t, tx, o.ID, ActionResolve, Args{Resolution: ResolveReturn}, t0)
	if o.Invoice.Status != InvoiceRefunded || o.PaymentStatus != PaymentRefunded {
		t.Fatalf("after a return the invoice is %q, payment %q", o.Invoice.Status, o.PaymentStatus)
	}
}

func containsAction(as []Action, a Action) bool {
	for _, x := range as {
		if x == a {
			return true
		}
	}
	return false
}

func isTransition(err error) bool {
	var te *TransitionError
	return errors.As(err, &te)
}
