package app

import (
	"testing"
	"time"
)

// TestPushedCancelRequestOpensOnce: a platform's own cancellation push
// (TikTok's, which names no status) opens the buyer's request on a Ready
// to Ship order once; an unknown order or one already asked is untouched.
func TestPushedCancelRequestOpensOnce(t *testing.T) {
	tx := newMemTx()
	seedProducts(t, tx)
	if r, err := Ingest(tx, DefaultPolicy(), Incoming{Channel: ChannelTikTok, ExternalID: "5764", CancelRequested: true}, t0); err != nil || r != nil {
		t.Fatalf("an unknown order: %+v %v", r, err)
	}
	if _, err := tx.OrderByExternalID(ChannelTikTok, "5764"); ErrorCode(err) != ENotFound {
		t.Fatalf("a cancel request created an order: %v", err)
	}
	d := sampleOrder(ChannelTikTok)
	d.Lines = d.Lines[:1]
	o := ingest(t, tx, Incoming{Channel: ChannelTikTok, ExternalID: "5764", ChannelStatus: "AWAITING_SHIPMENT", Order: d}, t0)
	v := o.Version
	o = ingest(t, tx, Incoming{Channel: ChannelTikTok, ExternalID: "5764", CancelRequested: true}, t0.Add(time.Minute))
	if o.CancelRequest == nil || o.Version != v+1 || o.Status != StatusReadyToShip || o.ChannelStatus != "AWAITING_SHIPMENT" {
		t.Fatalf("request %+v, version %d, status %s/%s", o.CancelRequest, o.Version, o.Status, o.ChannelStatus)
	}
	o = ingest(t, tx, Incoming{Channel: ChannelTikTok, ExternalID: "5764", CancelRequested: true}, t0.Add(2*time.Minute))
	if o.Version != v+1 {
		t.Fatal("a repeated request changed the order")
	}
	if _, err := Execute(tx, DefaultPolicy(), Command{Action: ActionApproveCancel, OrderID: o.ID}, owner, t0); err != nil {
		t.Fatal(err)
	}
	o, _ = tx.OrderByExternalID(ChannelTikTok, "5764")
	if o.Status != StatusCancelled || o.CancelReason != CancelBuyerRequest {
		t.Fatalf("%s %s", o.Status, o.CancelReason)
	}
}

// TestStatusPushThenDetailsFillsAShippableOrder: a TikTok order first
// known from its AWAITING_SHIPMENT push (Ready to Ship, past acceptance)
// takes the fetched details' lines, and its stock is held once.
func TestStatusPushThenDetailsFillsAShippableOrder(t *testing.T) {
	tx := newMemTx()
	seedProducts(t, tx)
	o := ingest(t, tx, Incoming{Channel: ChannelTikTok, ExternalID: "5765", ChannelStatus: "AWAITING_SHIPMENT"}, t0)
	if !o.DetailsPending || o.Status != StatusReadyToShip {
		t.Fatalf("%s pending %v", o.Status, o.DetailsPending)
	}
	d := sampleOrder(ChannelTikTok)
	d.Lines = d.Lines[:1]
	before, _ := tx.Product(d.Lines[0].SKU)
	o = ingest(t, tx, Incoming{Channel: ChannelTikTok, ExternalID: "5765", ChannelStatus: "AWAITING_SHIPMENT", Order: d}, t0.Add(time.Second))
	after, _ := tx.Product(d.Lines[0].SKU)
	if len(o.Lines) != 1 || o.DetailsPending || !o.Lines[0].Linked {
		t.Fatalf("lines %+v pending %v", o.Lines, o.DetailsPending)
	}
	if after.Allocated != before.Allocated+o.Lines[0].Qty {
		t.Fatalf("allocated %d → %d for %d", before.Allocated, after.Allocated, o.Lines[0].Qty)
	}
	ingest(t, tx, Incoming{Channel: ChannelTikTok, ExternalID: "5765", ChannelStatus: "AWAITING_SHIPMENT", Order: d}, t0.Add(2*time.Second))
	again, _ := tx.Product(d.Lines[0].SKU)
	if again.Allocated != after.Allocated {
		t.Fatal("a repeated fetch moved stock again")
	}
}
