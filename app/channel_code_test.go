package app

import (
	"strings"
	"testing"
	"time"
)

func ingest(t *testing.T, tx *memTx, in Incoming, now time.Time) *Order {
	t.Helper()
	if _, err := Ingest(tx, DefaultPolicy(), in, now); err != nil {
		t.Fatalf("ingest %s: %v", in.ChannelStatus, err)
	}
	o, err := tx.OrderByExternalID(in.Channel, in.ExternalID)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func TestLatePushNeverMovesTheOrderBack(t *testing.T) {
	tx := newMemTx()
	seedProducts(t, tx)
	d := sampleOrder(ChannelShopee)
	d.Lines = d.Lines[:1]
	// The cancel request (update_time 10:05) arrives first; the older
	// READY_TO_SHIP (10:00) arrives after it and must not end the request.
	ingest(t, tx, Incoming{Channel: ChannelShopee, ExternalID: "S1", ChannelStatus: "READY_TO_SHIP", Order: d, UpdatedAt: t0}, t0)
	o := ingest(t, tx, Incoming{Channel: ChannelShopee, ExternalID: "S1", ChannelStatus: "IN_CANCEL", UpdatedAt: t0.Add(5 * time.Minute)}, t0.Add(time.Minute))
	if o.CancelRequest == nil || !o.ChannelUpdatedAt.Equal(t0.Add(5*time.Minute)) {
		t.Fatalf("IN_CANCEL: %+v at %s", o.CancelRequest, o.ChannelUpdatedAt)
	}
	v := o.Version
	o = ingest(t, tx, Incoming{Channel: ChannelShopee, ExternalID: "S1", ChannelStatus: "PROCESSED", UpdatedAt: t0.Add(2 * time.Minute)}, t0.Add(2*time.Minute))
	if o.ChannelStatus != "IN_CANCEL" || o.Version != v {
		t.Fatalf("a push older than the newest applied moved the order to %s (version %d→%d)", o.ChannelStatus, v, o.Version)
	}
	// A stale fetch still fills in what the order lacks, once.
	o = ingest(t, tx, Incoming{Channel: ChannelShopee, ExternalID: "S1", ChannelStatus: "READY_TO_SHIP",
		Order: &Order{Shipment: Shipment{Courier: "SPX Express", TrackingID: "SPXID0123456789"}, ChannelUpdatedAt: t0}}, t0.Add(3*time.Minute))
	if o.ChannelStatus != "IN_CANCEL" || o.Shipment.TrackingID != "SPXID0123456789" {
		t.Fatalf("stale fetch: status %s tracking %q", o.ChannelStatus, o.Shipment.TrackingID)
	}
	if p := stockOf(t, tx, "SKU-1"); p.Allocated != 2 {
		t.Fatalf("stock moved %d times", p.Allocated)
	}
	// A newer push moves it on.
	o = ingest(t, tx, Incoming{Channel: ChannelShopee, ExternalID: "S1", ChannelStatus: "CANCELLED", UpdatedAt: t0.Add(9 * time.Minute)}, t0.Add(4*time.Minute))
	if o.Status != StatusCancelled {
		t.Fatalf("newer push: %s", o.Status)
	}
}

func TestPushesWithoutUpdateTimeKeepArrivalOrder(t *testing.T) {
	tx := newMemTx()
	ingest(t, tx, Incoming{Channel: ChannelShopee, ExternalID: "S2", ChannelStatus: "READY_TO_SHIP", UpdatedAt: t0}, t0)
	o := ingest(t, tx, Incoming{Channel: ChannelShopee, ExternalID: "S2", ChannelStatus: "SHIPPED"}, t0.Add(time.Minute))
	if o.Status != StatusInDelivery || !o.ChannelUpdatedAt.Equal(t0) {
		t.Fatalf("%s %s", o.Status, o.ChannelUpdatedAt)
	}
}

func TestShopeeCancelRequestHoldsShipment(t *testing.T) {
	tx := newMemTx()
	seedProducts(t, tx)
	d := sampleOrder(ChannelShopee)
	d.Lines = d.Lines[:1]
	ingest(t, tx, Incoming{Channel: ChannelShopee, ExternalID: "S3", ChannelStatus: "READY_TO_SHIP", Order: d, UpdatedAt: t0}, t0)
	o := ingest(t, tx, Incoming{Channel: ChannelShopee, ExternalID: "S3", ChannelStatus: "IN_CANCEL", UpdatedAt: t0.Add(time.Minute)}, t0)
	for _, a := range StaffActions(o) {
		if a == ActionArrangePickup || a == ActionArrangeDropoff || a == ActionShip {
			t.Fatalf("%s offered while the buyer's cancel request waits", a)
		}
	}
	_, err := Execute(tx, DefaultPolicy(), Command{Action: ActionArrangePickup, OrderID: o.ID,
		Args: Args{PickupFrom: t0.Add(3 * time.Hour), PickupAddress: "Jl. Braga 5"}}, owner, t0)
	if err == nil || !strings.Contains(err.Error(), "approve or decline") {
		t.Fatalf("arranging a held shipment: %v", err)
	}
	if _, err := Execute(tx, DefaultPolicy(), Command{Action: ActionDeclineCancel, OrderID: o.ID}, owner, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := Execute(tx, DefaultPolicy(), Command{Action: ActionArrangePickup, OrderID: o.ID,
		Args: Args{PickupFrom: t0.Add(3 * time.Hour), PickupAddress: "Jl. Braga 5"}}, owner, t0); err != nil {
		t.Fatalf("declined, the shipment is free: %v", err)
	}
	// A web store's cancel request does not hold anything: the rule is Shopee's.
	if ShipmentHeld(&Order{Channel: ChannelStore, CancelRequest: &CancelRequest{}}) {
		t.Fatal("held a web store order")
	}
}

func TestShopeeCancelWithdrawsThePickup(t *testing.T) {
	tx := newMemTx()
	seedProducts(t, tx)
	d := sampleOrder(ChannelShopee)
	d.Lines = d.Lines[:1]
	o := ingest(t, tx, Incoming{Channel: ChannelShopee, ExternalID: "S4", ChannelStatus: "READY_TO_SHIP", Order: d, UpdatedAt: t0}, t0)
	if _, err := Execute(tx, DefaultPolicy(), Command{Action: ActionArrangePickup, OrderID: o.ID,
		Args: Args{PickupFrom: t0.Add(3 * time.Hour), PickupAddress: "Jl. Braga 5"}}, owner, t0); err != nil {
		t.Fatal(err)
	}
	o = ingest(t, tx, Incoming{Channel: ChannelShopee, ExternalID: "S4", ChannelStatus: "PROCESSED",
		Order: &Order{Shipment: Shipment{Courier: "SPX Express", TrackingID: "SPXID555"}}, UpdatedAt: t0.Add(time.Minute)}, t0)
	if o.Shipment.State != ShipmentAssigned || o.Shipment.TrackingID != "SPXID555" || o.Shipment.Courier == "" {
		t.Fatalf("tracking from the push: %+v", o.Shipment)
	}
	o = ingest(t, tx, Incoming{Channel: ChannelShopee, ExternalID: "S4", ChannelStatus: "CANCELLED", UpdatedAt: t0.Add(2 * time.Minute)}, t0)
	if o.Status != StatusCancelled || o.Shipment.State != ShipmentNone {
		t.Fatalf("cancelled with the pickup still open: %s %+v", o.Status, o.Shipment)
	}
	if p := stockOf(t, tx, "SKU-1"); p.Allocated != 0 {
		t.Fatalf("allocation kept: %d", p.Allocated)
	}
}

func TestDetailsOfAShopeeOrderPlacedFromAStatusPushMoveStockOnce(t *testing.T) {
	tx := newMemTx()
	seedProducts(t, tx)
	o := ingest(t, tx, Incoming{Channel: ChannelShopee, ExternalID: "S5", ChannelStatus: "READY_TO_SHIP", UpdatedAt: t0}, t0)
	if !o.DetailsPending || o.Status != StatusReadyToShip {
		t.Fatalf("%+v", o)
	}
	d := sampleOrder(ChannelShopee)
	d.Lines = d.Lines[:1]
	d.Total, d.ShipBy = 170000, t0.Add(48*time.Hour)
	for i := 0; i < 2; i++ { // fetched twice: the second changes nothing
		o = ingest(t, tx, Incoming{Channel: ChannelShopee, ExternalID: "S5", ChannelStatus: "READY_TO_SHIP", Order: d}, t0)
	}
	if o.DetailsPending || len(o.Lines) != 1 || !o.Lines[0].Linked || !o.ShipBy.Equal(t0.Add(48*time.Hour)) || o.Total != 170000 {
		t.Fatalf("details: %+v", o)
	}
	if p := stockOf(t, tx, "SKU-1"); p.Allocated != 2 || p.OnHand != 10 {
		t.Fatalf("allocated %d on hand %d", p.Allocated, p.OnHand)
	}
	o = ingest(t, tx, Incoming{Channel: ChannelShopee, ExternalID: "S5", ChannelStatus: "SHIPPED", UpdatedAt: t0.Add(time.Hour)}, t0)
	if p := stockOf(t, tx, "SKU-1"); o.Status != StatusInDelivery || p.Allocated != 0 || p.OnHand != 8 {
		t.Fatalf("%s allocated %d on hand %d", o.Status, p.Allocated, p.OnHand)
	}
	// Details first learnt after the parcel left take the goods off the shelf then.
	ingest(t, tx, Incoming{Channel: ChannelShopee, ExternalID: "S6", ChannelStatus: "SHIPPED", UpdatedAt: t0}, t0)
	o = ingest(t, tx, Incoming{Channel: ChannelShopee, ExternalID: "S6", ChannelStatus: "SHIPPED", Order: d}, t0)
	if p := stockOf(t, tx, "SKU-1"); len(o.Lines) != 1 || p.OnHand != 6 || p.Allocated != 0 {
		t.Fatalf("late details: %d lines, on hand %d allocated %d", len(o.Lines), p.OnHand, p.Allocated)
	}
}
