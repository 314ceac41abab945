package app

import (
	"strings"
	"testing"
	"time"
)

func record(state BookingState, ref string) Command {
	return Command{Action: ActionRecordBooking, Args: Args{Booking: &BookingRecord{Provider: ProviderShipper, Reference: ref, State: state, Message: "Shipper unreachable: timeout"}}}
}

// TestSendingIsClaimedOnce: the claim before a create succeeds only on a
// booking waiting to be sent, so a second claim (a restarted cloud) fails.
func TestSendingIsClaimedOnce(t *testing.T) {
	tx, o := bookedOrder(t, shipperPolicy())
	o = runProvider(t, tx, o, record(BookingSending, "W-1001"))
	if o.Shipment.Booking != BookingSending || !strings.Contains(lastNote(o), "sending the order (reference W-1001)") {
		t.Fatalf("claim: %+v %q", o.Shipment, lastNote(o))
	}
	c := record(BookingSending, "W-1001")
	c.OrderID = o.ID
	if _, err := Execute(tx, shipperPolicy(), c, ChannelActor("shipper"), t0.Add(time.Hour)); ErrorCode(err) != EConflict {
		t.Fatalf("second claim: %v", err)
	}
}

// TestLostAnswerWaitsForThePushOrStaff: a create whose answer was lost
// shows "may have been made", offers Book again, and is recognised when the
// provider's push names our reference.
func TestLostAnswerWaitsForThePushOrStaff(t *testing.T) {
	tx, o := bookedOrder(t, shipperPolicy())
	o = runProvider(t, tx, o, record(BookingSending, "W-1001"))
	o = runProvider(t, tx, o, record(BookingUncertain, "W-1001"))
	want := "Booking with Shipper may have been made: the answer was lost. Check Shipper's dashboard, then Book again or wait"
	if o.Shipment.Booking != BookingUncertain || !strings.Contains(lastNote(o), want) {
		t.Fatalf("uncertain: %+v %q", o.Shipment, lastNote(o))
	}
	if n := BookingNotice(o.Shipment); !strings.Contains(n.String(), "may have been made") || !strings.Contains(n.In(Indonesian), "mungkin sudah dibuat") {
		t.Fatalf("notice %q / %q", n.String(), n.In(Indonesian))
	}
	if acts := StaffActions(o); len(acts) == 0 || acts[0] != ActionBookAgain {
		t.Fatalf("staff actions %v", acts)
	}
	// The push carries our external id and Shipper's order id: recognised.
	c := shipperStatus(1000, "Paket sedang dipersiapkan")
	c.Args.ProviderStatus.OrderID, c.Args.ProviderStatus.Reference = "26SHP9", "W-1001"
	o = runProvider(t, tx, o, c)
	if o.Shipment.Booking != BookingBooked || o.Shipment.ProviderOrderID != "26SHP9" || !strings.Contains(lastNote(o), "recognised by our reference W-1001") {
		t.Fatalf("recognised: %+v %q", o.Shipment, lastNote(o))
	}
	for _, a := range StaffActions(o) {
		if a == ActionBookAgain {
			t.Fatal("Book again offered for a booking that was recognised")
		}
	}
}

// TestBookAgainWithdrawsTheLostBooking: staff book again under the next
// reference; the lost one is watched, and a push naming it gives its order
// id so the cloud cancels it. Packing staff may do it; the history names who.
func TestBookAgainWithdrawsTheLostBooking(t *testing.T) {
	tx, o := bookedOrder(t, shipperPolicy())
	if _, err := Execute(tx, shipperPolicy(), Command{Action: ActionBookAgain, OrderID: o.ID}, owner, t0); err == nil {
		t.Fatal("booked again while the first booking was only pending")
	}
	o = runProvider(t, tx, o, record(BookingSending, "W-1001"))
	o = runProvider(t, tx, o, record(BookingUncertain, "W-1001"))
	packer := Actor{Staff: "Dewi", Role: RolePacker}
	res, err := Execute(tx, shipperPolicy(), Command{Action: ActionBookAgain, OrderID: o.ID}, packer, t0.Add(2*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	s := res.Order.Shipment
	if s.Reference != "W-1001-2" || s.Booking != BookingPending || len(s.Withdrawn) != 1 || !s.Withdrawn[0].MayExist || s.Withdrawn[0].Reference != "W-1001" {
		t.Fatalf("booked again: %+v", s)
	}
	last := res.Events[len(res.Events)-1]
	if last.Actor.Staff != "Dewi" || !strings.Contains(last.Note, "reference W-1001-2") {
		t.Fatalf("history: %+v", last)
	}
	o = res.Order
	c := shipperStatus(1000, "Paket sedang dipersiapkan")
	c.Args.ProviderStatus.OrderID, c.Args.ProviderStatus.Reference = "26SHP7", "W-1001"
	o = runProvider(t, tx, o, c)
	if w := o.Shipment.Withdrawn; len(w) != 1 || w[0].OrderID != "26SHP7" || w[0].MayExist || o.Shipment.Booking != BookingPending || o.Shipment.ProviderOrderID != "" {
		t.Fatalf("replaced booking recognised: %+v", o.Shipment)
	}
	o = runProvider(t, tx, o, Command{Action: ActionRecordBooking, Args: Args{Booking: &BookingRecord{Provider: ProviderShipper, Reference: "W-1001", State: BookingCancelled, OrderID: "26SHP7"}}})
	if len(o.Shipment.Withdrawn) != 0 || !strings.Contains(lastNote(o), "26SHP7 cancelled") {
		t.Fatalf("cancelled: %+v %q", o.Shipment, lastNote(o))
	}
}

// TestWithdrawnKeepsOnlyWhatMayExist: a pending booking was never sent and
// leaves nothing to cancel; one being sent or lost may exist; a cancelled
// shipment keeps its count so no reference is used twice.
func TestWithdrawnKeepsOnlyWhatMayExist(t *testing.T) {
	tx, o := bookedOrder(t, shipperPolicy())
	res, err := Execute(tx, shipperPolicy(), Command{Action: ActionCancelShipment, OrderID: o.ID}, owner, t0)
	if err != nil || len(res.Order.Shipment.Withdrawn) != 0 || res.Order.Shipment.Bookings != 1 {
		t.Fatalf("pending withdrawn: %v %+v", err, res.Order.Shipment)
	}
	rate := &ShipmentRate{Courier: "jne", Service: "Regular", Price: 18000, RateID: "11"}
	res, err = Execute(tx, shipperPolicy(), Command{Action: ActionArrangePickup, OrderID: o.ID, Args: Args{PickupFrom: t0.Add(3 * time.Hour), Rate: rate, PickupAddress: "Toko Ayu"}}, owner, t0)
	if err != nil || res.Order.Shipment.Reference != "W-1001-2" {
		t.Fatalf("re-arranged: %v %+v", err, res.Order.Shipment)
	}
	o = runProvider(t, tx, res.Order, record(BookingSending, "W-1001-2"))
	res, err = Execute(tx, shipperPolicy(), Command{Action: ActionCancelShipment, OrderID: o.ID}, owner, t0)
	if err != nil || len(res.Order.Shipment.Withdrawn) != 1 || !res.Order.Shipment.Withdrawn[0].MayExist {
		t.Fatalf("sending withdrawn: %v %+v", err, res.Order.Shipment)
	}
	// The create's answer arrives after the withdrawal: its order is cancelled.
	o = runProvider(t, tx, res.Order, Command{Action: ActionRecordBooking, Args: Args{Booking: &BookingRecord{Provider: ProviderShipper, Reference: "W-1001-2", State: BookingBooked, OrderID: "26SHP8"}}})
	if w := o.Shipment.Withdrawn; len(w) != 1 || w[0].OrderID != "26SHP8" || !strings.Contains(lastNote(o), "after it was replaced") {
		t.Fatalf("late answer: %+v %q", o.Shipment, lastNote(o))
	}
}

// TestReferencesAreNeverReused: an arrangement with the shop's own courier
// in between keeps the count, so the next Shipper booking gets a new
// reference and a late push for the old one cannot be taken for it.
func TestReferencesAreNeverReused(t *testing.T) {
	tx, o := bookedOrder(t, shipperPolicy())
	pickup := Args{PickupFrom: t0.Add(3 * time.Hour), PickupAddress: "Toko Ayu, Jl. Braga 5"}
	own := pickup
	own.Provider, own.Courier = ProviderLogistics, "JNE"
	res, err := Execute(tx, shipperPolicy(), Command{Action: ActionArrangePickup, OrderID: o.ID, Args: own}, owner, t0)
	if err != nil {
		t.Fatal(err)
	}
	if res.Order.Shipment.Provider != ProviderLogistics {
		t.Fatalf("own courier: %+v", res.Order.Shipment)
	}
	again := pickup
	again.Rate = &ShipmentRate{Courier: "jne", Service: "Regular", Price: 18000, RateID: "11"}
	res, err = Execute(tx, shipperPolicy(), Command{Action: ActionArrangePickup, OrderID: o.ID, Args: again}, owner, t0)
	if err != nil {
		t.Fatal(err)
	}
	if res.Order.Shipment.Reference != "W-1001-2" {
		t.Fatalf("Shipper again: %+v", res.Order.Shipment)
	}
}
