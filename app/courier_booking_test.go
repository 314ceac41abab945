package app

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

func bookedOrder(t *testing.T, pol Policy) (*memTx, *Order) {
	t.Helper()
	tx := newMemTx()
	seedProducts(t, tx)
	draft := sampleOrder(ChannelStore)
	draft.Number = "W-1001"
	draft.Status = StatusReadyToShip
	o := mustPlace(t, tx, draft)
	rate := &ShipmentRate{Courier: "jne", CourierName: "JNE", Service: "Regular", ServiceName: "REG", Price: 18000, RateID: "11"}
	res, err := Execute(tx, pol, Command{Action: ActionArrangePickup, OrderID: o.ID, Args: Args{PickupFrom: t0.Add(3 * time.Hour),
		PickupAddress: "Toko Ayu, Jl. Braga 5", Rate: rate}}, owner, t0)
	if err != nil {
		t.Fatal(err)
	}
	return tx, res.Order
}

func shipperPolicy() Policy {
	p := DefaultPolicy()
	p.CourierProvider = ProviderShipper
	return p
}

func TestArrangeWithTheShopsProviderKeepsRateAndReference(t *testing.T) {
	_, o := bookedOrder(t, shipperPolicy())
	s := o.Shipment
	if s.Provider != ProviderShipper || s.Reference != "W-1001" || s.Booking != BookingPending || s.Rate == nil || s.Rate.RateID != "11" || s.Courier != "JNE" {
		t.Fatalf("shipment %+v", s)
	}
	if s.State != ShipmentSearching {
		t.Fatalf("state %s", s.State)
	}
}

func TestArrangeWithAProviderNeedsARateAndNoMarketplace(t *testing.T) {
	tx := newMemTx()
	seedProducts(t, tx)
	for _, ch := range []Channel{ChannelStore, ChannelTokopedia} {
		d := sampleOrder(ch)
		d.Status = StatusReadyToShip
		o := mustPlace(t, tx, d)
		_, err := Execute(tx, DefaultPolicy(), Command{Action: ActionArrangeDropoff, OrderID: o.ID, Args: Args{Provider: ProviderBiteship}}, owner, t0)
		if err == nil {
			t.Fatalf("%s: arranged with Biteship and no rate", ch)
		}
		// The shop's default never applies to a marketplace order.
		res, err := Execute(tx, shipperPolicy(), Command{Action: ActionArrangeDropoff, OrderID: o.ID, Args: Args{Courier: "JNE"}}, owner, t0)
		if ch == ChannelTokopedia && (err != nil || res.Order.Shipment.Provider.Books()) {
			t.Fatalf("marketplace order: %v %+v", err, res)
		}
	}
}

func runProvider(t *testing.T, tx *memTx, o *Order, cmd Command) *Order {
	t.Helper()
	cmd.OrderID = o.ID
	res, err := Execute(tx, shipperPolicy(), cmd, ChannelActor("shipper"), t0.Add(time.Hour))
	if err != nil {
		t.Fatalf("%s: %v", cmd.Action, err)
	}
	o2 := *res.Order
	o2.History = res.Events
	return &o2
}

func lastNote(o *Order) string {
	if len(o.History) == 0 {
		return ""
	}
	return o.History[len(o.History)-1].Note
}

func shipperStatus(code int, text string) Command {
	return Command{Action: ActionProviderStatus, Args: Args{ProviderStatus: &ProviderStatus{Provider: ProviderShipper,
		Code: strconv.Itoa(code), Text: text, Stage: ShipperStage(code)}}}
}

func TestProviderStatusesMoveForwardOnly(t *testing.T) {
	tx, o := bookedOrder(t, shipperPolicy())
	o = runProvider(t, tx, o, Command{Action: ActionRecordBooking, Args: Args{Booking: &BookingRecord{Provider: ProviderShipper, Reference: "W-1001", State: BookingBooked, OrderID: "26SHP1"}}})
	if o.Shipment.ProviderOrderID != "26SHP1" || o.Shipment.Booking != BookingBooked {
		t.Fatalf("booking %+v", o.Shipment)
	}
	c := shipperStatus(1010, "Tunggu Penjemputan")
	c.Args.ProviderStatus.Driver = Driver{Name: "Agus", Phone: "0812999", Plate: "D 1234 AB"}
	c.Args.ProviderStatus.AWB = "JNE0001112223"
	o = runProvider(t, tx, o, c)
	if o.Shipment.State != ShipmentAssigned || o.Shipment.AWB != "JNE0001112223" || o.Shipment.TrackingID != "JNE0001112223" || o.Shipment.Driver.Plate != "D 1234 AB" {
		t.Fatalf("assigned %+v", o.Shipment)
	}
	o = runProvider(t, tx, o, shipperStatus(1020, "Sedang Dijemput"))
	if o.Shipment.State != ShipmentHeading {
		t.Fatalf("heading %s", o.Shipment.State)
	}
	o = runProvider(t, tx, o, shipperStatus(1050, "Sampai di HUB"))
	if o.Status != StatusInDelivery || o.Shipment.State != ShipmentPickedUp {
		t.Fatalf("picked up %s %s", o.Status, o.Shipment.State)
	}
	// A late "driver assigned" is recorded and changes nothing.
	o = runProvider(t, tx, o, shipperStatus(1010, "Tunggu Penjemputan"))
	if o.Status != StatusInDelivery || o.Shipment.State != ShipmentPickedUp || !strings.Contains(lastNote(o), "kept") || !strings.Contains(lastNote(o), "1010") {
		t.Fatalf("late status moved the shipment: %s %s %q", o.Status, o.Shipment.State, lastNote(o))
	}
	o = runProvider(t, tx, o, shipperStatus(2000, "Paket diterima"))
	if o.Status != StatusDelivered || o.Shipment.State != ShipmentDelivered {
		t.Fatalf("delivered %s %s", o.Status, o.Shipment.State)
	}
	o = runProvider(t, tx, o, shipperStatus(1370, "Gagal Kirim"))
	if o.Status != StatusDelivered || o.Shipment.State != ShipmentDelivered {
		t.Fatalf("a failure after delivery moved it back: %s %s", o.Status, o.Shipment.State)
	}
}

func TestRefusedBookingStaysReadyToShipAndCanBeArrangedAgain(t *testing.T) {
	tx, o := bookedOrder(t, shipperPolicy())
	o = runProvider(t, tx, o, Command{Action: ActionRecordBooking, Args: Args{Booking: &BookingRecord{Provider: ProviderShipper, Reference: "W-1001",
		State: BookingRefused, Message: "destination area is out of coverage", Code: "42220"}}})
	if o.Status != StatusReadyToShip || o.Shipment.State != ShipmentFailed || !strings.Contains(lastNote(o), "out of coverage (code 42220)") {
		t.Fatalf("refused: %s %s %q", o.Status, o.Shipment.State, lastNote(o))
	}
	rate := &ShipmentRate{Courier: "sicepat", Service: "REG", Price: 17000, RateID: "21"}
	res, err := Execute(tx, shipperPolicy(), Command{Action: ActionArrangeDropoff, OrderID: o.ID, Args: Args{Rate: rate}}, owner, t0)
	if err != nil {
		t.Fatal(err)
	}
	if res.Order.Shipment.Reference != "W-1001-2" {
		t.Fatalf("second booking's reference %q", res.Order.Shipment.Reference)
	}
}

// TestShipperStagesFollowShippersList checks every code of Shipper's list of
// external statuses (https://logistics-docs.shipper.id/docs/shipper-external-status).
func TestShipperStagesFollowShippersList(t *testing.T) {
	for code, want := range map[int]CourierStage{
		999: StageCancelled, 1000: StageSearching, 1001: StageSearching, 1010: StageAssigned, 1020: StageHeading,
		1030: StageHeading, 1040: StagePickedUp, 1050: StagePickedUp, 1060: StagePickedUp, 1160: StagePickedUp,
		1170: StagePickedUp, 1180: StagePickedUp, 1190: StagePickedUp, 1310: StageInfo, 1320: StageInfo, 1330: StageInfo,
		1340: StageReturned, 1370: StageFailed, 1380: StageFailed, 1410: StageReturned, 1420: StageReturned,
		2000: StageDelivered, 0: StageInfo, 5000: StageInfo,
	} {
		if got := ShipperStage(code); got != want {
			t.Errorf("Shipper %d: %q, want %q", code, got, want)
		}
	}
}

func TestBiteshipStages(t *testing.T) {
	for name, want := range map[string]CourierStage{"confirmed": StageSearching, "allocated": StageAssigned, "picking_up": StageHeading,
		"picked": StagePickedUp, "dropping_off": StagePickedUp, "delivered": StageDelivered, "courier_not_found": StageFailed,
		"returned": StageReturned, "cancelled": StageCancelled, "on_hold": StageInfo,
		"pickingUp": StageHeading, "droppingOff": StagePickedUp, "courierNotFound": StageFailed, "returnInTransit": StageReturned,
		"scheduled": StageSearching, "rejected": StageFailed, "disposed": StageCancelled, "onHold": StageInfo} {
		if got := BiteshipStage(name); got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
}
