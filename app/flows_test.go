package app

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func run(t *testing.T, tx *memTx, id string, a Action, args Args, at time.Time) *Order {
	t.Helper()
	res, err := Execute(tx, DefaultPolicy(), Command{Action: a, OrderID: id, Args: args}, owner, at)
	if err != nil {
		t.Fatalf("%s: %v", a, err)
	}
	return res.Order
}

func TestChannelEntryStatuses(t *testing.T) {
	want := map[Channel]Status{
		ChannelTokopedia: StatusNew, ChannelLazada: StatusNew, ChannelWooCommerce: StatusNew,
		ChannelShopee: StatusReadyToShip, ChannelTikTok: StatusReadyToShip, ChannelStore: StatusReadyToShip,
		ChannelManual: StatusReadyToShip, ChannelInStore: StatusCompleted,
	}
	for ch, st := range want {
		tx := newMemTx()
		seedProducts(t, tx)
		o := mustPlace(t, tx, sampleOrder(ch))
		if o.Status != st {
			t.Errorf("%s enters %s, want %s", ch, o.Status, st)
		}
		if st == StatusReadyToShip && stockOf(t, tx, "SKU-1").Allocated != 2 {
			t.Errorf("%s: arriving ready to ship must allocate stock", ch)
		}
		if st == StatusNew && !o.AcceptBy.Equal(t0.Add(24*time.Hour)) {
			t.Errorf("%s: accept deadline %v", ch, o.AcceptBy)
		}
	}
}

func TestAcceptAllocatesAndCreatesInvoice(t *testing.T) {
	tx := newMemTx()
	seedProducts(t, tx)
	o := mustPlace(t, tx, sampleOrder(ChannelTokopedia))
	if o.Lines[1].Linked || !o.Lines[0].Linked {
		t.Fatal("SKU-1 is linked and X-404 is not")
	}
	o = run(t, tx, o.ID, ActionAccept, Args{}, t0)
	if o.Status != StatusReadyToShip || o.Invoice.Status != InvoiceUnpaid || o.DeliveryStatus != DeliveryUnsent {
		t.Fatalf("after accept: %s invoice %s delivery %s", o.Status, o.Invoice.Status, o.DeliveryStatus)
	}
	if p := stockOf(t, tx, "SKU-1"); p.Allocated != 2 || p.OnHand != 10 {
		t.Fatalf("stock after accept %+v", p)
	}
}

func TestLazadaNeedsCreatePackage(t *testing.T) {
	tx := newMemTx()
	seedProducts(t, tx)
	o := mustPlace(t, tx, sampleOrder(ChannelLazada))
	res, err := Execute(tx, DefaultPolicy(), Command{Action: ActionAccept, OrderID: o.ID}, owner, t0)
	if err != nil {
		t.Fatal(err)
	}
	if res.Events[0].Action != ActionCreatePackage {
		t.Fatalf("Lazada history says %s", res.Events[0].Action)
	}
	tx2 := newMemTx()
	seedProducts(t, tx2)
	tk := mustPlace(t, tx2, sampleOrder(ChannelTokopedia))
	if _, err := Execute(tx2, DefaultPolicy(), Command{Action: ActionCreatePackage, OrderID: tk.ID}, owner, t0); err == nil {
		t.Fatal("Tokopedia order took create_package")
	}
}

func TestAcceptShortStockNamesSKUsUnlessForced(t *testing.T) {
	tx := newMemTx()
	seedProducts(t, tx)
	d := sampleOrder(ChannelTokopedia)
	d.Lines = []Line{{SKU: "SKU-2", Name: "Teh", Qty: 5, UnitPrice: 1}, {SKU: "SKU-1", Name: "Kopi", Qty: 11, UnitPrice: 1}}
	o := mustPlace(t, tx, d)
	before := tx.snapshot()
	_, err := Execute(tx, DefaultPolicy(), Command{Action: ActionAccept, OrderID: o.ID}, owner, t0)
	var se *StockError
	if !errors.As(err, &se) || len(se.Shortages) != 2 {
		t.Fatalf("want both SKUs short, got %v", err)
	}
	if msg := err.Error(); msg != "Not enough stock for SKU-1: 11 wanted, 10 available; SKU-2: 5 wanted, 3 available" {
		t.Fatalf("message %q", msg)
	}
	if ErrorCode(err) != EOutOfStock || tx.snapshot() != before {
		t.Fatal("short accept must change nothing")
	}
	o = run(t, tx, o.ID, ActionAccept, Args{Force: true}, t0)
	if stockOf(t, tx, "SKU-2").Allocated != 5 || o.Status != StatusReadyToShip {
		t.Fatal("forced accept must allocate")
	}
}

func TestRejectNeedsReasonAndAutoReject(t *testing.T) {
	tx := newMemTx()
	seedProducts(t, tx)
	o := mustPlace(t, tx, sampleOrder(ChannelTokopedia))
	if _, err := Execute(tx, DefaultPolicy(), Command{Action: ActionReject, OrderID: o.ID}, owner, t0); ErrorCode(err) != EInvalid || !strings.Contains(err.Error(), "reason") {
		t.Fatalf("reject without reason: %v", err)
	}
	if _, err := Execute(tx, DefaultPolicy(), Command{Action: ActionAutoReject, OrderID: o.ID}, SystemActor, t0.Add(23*time.Hour)); err == nil {
		t.Fatal("auto-reject before the deadline")
	}
	res, err := Execute(tx, DefaultPolicy(), Command{Action: ActionAutoReject, OrderID: o.ID}, SystemActor, t0.Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if res.Order.Status != StatusCancelled || res.Order.CancelReason != CancelAutoReject || res.Events[0].Note != AutoRejectReason {
		t.Fatalf("auto-reject gave %+v / %q", res.Order.Status, res.Events[0].Note)
	}
}

func TestAcceptWindowPerChannel(t *testing.T) {
	tx := newMemTx()
	seedProducts(t, tx)
	pol := DefaultPolicy()
	pol.AcceptWindow = map[Channel]time.Duration{ChannelTokopedia: 6 * time.Hour}
	res, err := Execute(tx, pol, Command{Action: ActionPlace, Args: Args{Order: sampleOrder(ChannelTokopedia)}}, owner, t0)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Order.AcceptBy.Equal(t0.Add(6 * time.Hour)) {
		t.Fatalf("deadline %v", res.Order.AcceptBy)
	}
}

func TestPaymentReview(t *testing.T) {
	tx := newMemTx()
	seedProducts(t, tx)
	d := sampleOrder(ChannelManual)
	d.PaymentMethod = PayTransfer
	d.PaymentReceipt = &PaymentReceipt{ImageURL: "receipts/wa-1.jpg", UploadedAt: t0}
	o := mustPlace(t, tx, d)
	if o.Status != StatusPaymentReview {
		t.Fatalf("transfer order enters %s", o.Status)
	}
	o = run(t, tx, o.ID, ActionDenyPayment, Args{Reason: "amount does not match"}, t0)
	if o.Status != StatusPaymentReview || o.PaymentReceipt.Message != "amount does not match" {
		t.Fatal("deny keeps the order and tells the buyer")
	}
	o = run(t, tx, o.ID, ActionAcceptPayment, Args{}, t0)
	if o.Status != StatusReadyToShip || o.PaymentStatus != PaymentPaid || stockOf(t, tx, "SKU-1").Allocated != 2 {
		t.Fatalf("manual order after receipt: %s %s", o.Status, o.PaymentStatus)
	}
	d = sampleOrder(ChannelWooCommerce)
	d.PaymentMethod = PayTransfer
	w := mustPlace(t, tx, d)
	w = run(t, tx, w.ID, ActionAcceptPayment, Args{}, t0)
	if w.Status != StatusNew || w.AcceptBy.IsZero() {
		t.Fatalf("WooCommerce after receipt: %s", w.Status)
	}
}

func TestPickupFlowToCompletion(t *testing.T) {
	tx := newMemTx()
	seedProducts(t, tx)
	o := mustPlace(t, tx, sampleOrder(ChannelTokopedia))
	id := o.ID
	run(t, tx, id, ActionAccept, Args{}, t0)
	if _, err := Execute(tx, DefaultPolicy(), Command{Action: ActionArrangePickup, OrderID: id, Args: Args{PickupFrom: t0.Add(-time.Hour), PickupAddress: "x"}}, owner, t0); ErrorCode(err) != EInvalid || !strings.Contains(err.Error(), "past") {
		t.Fatalf("pickup in the past: %v", err)
	}
	o = run(t, tx, id, ActionArrangePickup, Args{PickupFrom: t0.Add(2 * time.Hour), PickupTo: t0.Add(4 * time.Hour), PickupAddress: "Jl. Braga 5"}, t0)
	if o.Shipment.State != ShipmentSearching {
		t.Fatal(o.Shipment.State)
	}
	cmd, err := CourierCommand(id, CourierUpdate{Kind: CourierAssigned, Courier: "JNE", TrackingID: ""})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Execute(tx, DefaultPolicy(), cmd, ChannelActor("logistics"), t0); ErrorCode(err) != EInvalid {
		t.Fatalf("empty tracking ID: %v", err)
	}
	for _, u := range []CourierUpdate{
		{Kind: CourierAssigned, Courier: "JNE", Service: "REG", TrackingID: "JNE0099887766", PickupDeadline: t0.Add(5 * time.Hour)},
		{Kind: CourierHeading},
		{Kind: CourierPickedUp},
		{Kind: CourierDelivered},
	} {
		cmd, err := CourierCommand(id, u)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Execute(tx, DefaultPolicy(), cmd, ChannelActor("logistics"), t0.Add(time.Hour)); err != nil {
			t.Fatalf("%s: %v", u.Kind, err)
		}
	}
	o, _ = tx.Order(id)
	if o.Status != StatusDelivered || o.Shipment.TrackingID != "JNE0099887766" || o.Invoice.Status != InvoiceSent || o.DeliveryStatus != DeliveryDelivered {
		t.Fatalf("after delivery: %s %s %s", o.Status, o.Invoice.Status, o.DeliveryStatus)
	}
	if p := stockOf(t, tx, "SKU-1"); p.OnHand != 8 || p.Allocated != 0 {
		t.Fatalf("shipping deducts on hand and releases allocation: %+v", p)
	}
	if _, err := Execute(tx, DefaultPolicy(), Command{Action: ActionComplete, OrderID: id}, SystemActor, t0.Add(2*time.Hour)); err == nil {
		t.Fatal("system completed before the confirm window")
	}
	res, err := Execute(tx, DefaultPolicy(), Command{Action: ActionComplete, OrderID: id}, SystemActor, t0.Add(60*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if res.Order.Status != StatusCompleted || res.Order.PaymentStatus != PaymentPaid || res.Order.Invoice.Status != InvoicePaid {
		t.Fatalf("completed: %+v", res.Order.Invoice)
	}
}

func TestManualShipQashierPath(t *testing.T) {
	tx := newMemTx()
	seedProducts(t, tx)
	o := mustPlace(t, tx, sampleOrder(ChannelManual))
	if _, err := Execute(tx, DefaultPolicy(), Command{Action: ActionShip, OrderID: o.ID, Args: Args{Courier: "J&T"}}, owner, t0); ErrorCode(err) != EInvalid {
		t.Fatalf("ship without tracking: %v", err)
	}
	res, err := Execute(tx, DefaultPolicy(), Command{Action: ActionShip, OrderID: o.ID, Args: Args{Courier: "J&T", TrackingID: "JT123"}}, owner, t0)
	if err != nil {
		t.Fatal(err)
	}
	if res.Order.Status != StatusInDelivery || strings.Contains(res.Events[0].Note, "notified") || !strings.Contains(res.Events[0].Note, "tracking JT123") {
		t.Fatalf("%+v %q", res.Order.Shipment, res.Events[0].Note)
	}
}

func TestParcels(t *testing.T) {
	tx := newMemTx()
	seedProducts(t, tx)
	o := mustPlace(t, tx, sampleOrder(ChannelShopee))
	if len(o.Parcels) != 1 || o.Parcels[0].Qty() != 3 {
		t.Fatal("every order starts as one parcel")
	}
	if _, err := Execute(tx, DefaultPolicy(), Command{Action: ActionSplitParcel, OrderID: o.ID, Args: Args{SKU: "SKU-1", Qty: 3, Parcel: 2}}, owner, t0); ErrorCode(err) != EInvalid || !strings.Contains(err.Error(), "more than the 2") {
		t.Fatalf("qty above the line: %v", err)
	}
	o = run(t, tx, o.ID, ActionSplitParcel, Args{SKU: "SKU-1", Qty: 1, Parcel: 2}, t0)
	if len(o.Parcels) != 2 || o.Parcels[0].Qty() != 2 || o.Parcels[1].Qty() != 1 {
		t.Fatalf("split: %+v", o.Parcels)
	}
	o = run(t, tx, o.ID, ActionVerifyPacked, Args{Parcel: 2, WeightGrams: 300}, t0)
	if !o.Parcels[1].Packed || o.Parcels[1].WeightGrams != 300 || o.Parcels[1].PackedBy != "Ayu" {
		t.Fatal("verify packed")
	}
	if _, err := Execute(tx, DefaultPolicy(), Command{Action: ActionSplitParcel, OrderID: o.ID, Args: Args{SKU: "SKU-1", Qty: 1, Parcel: 2}}, owner, t0); err == nil {
		t.Fatal("a packed parcel is locked")
	}
	o = run(t, tx, o.ID, ActionSetParcel, Args{Parcel: 1, WeightGrams: 900, LengthCm: 20, WidthCm: 15, HeightCm: 10}, t0)
	if o.Parcels[0].WeightGrams != 900 || o.Parcels[0].HeightCm != 10 {
		t.Fatal("set parcel")
	}
	res, _ := Execute(tx, DefaultPolicy(), Command{Action: ActionVerifyPacked, OrderID: o.ID}, owner, t0)
	if res.Events[0].Kind != KindPack {
		t.Fatal("packing goes to the pick-and-pack history")
	}
}

func TestCancelRequestAndSellerCancel(t *testing.T) {
	tx := newMemTx()
	seedProducts(t, tx)
	o := mustPlace(t, tx, sampleOrder(ChannelShopee))
	run(t, tx, o.ID, ActionRequestCancel, Args{Reason: "wrong size"}, t0)
	o = run(t, tx, o.ID, ActionDeclineCancel, Args{}, t0)
	if o.Status != StatusReadyToShip || o.CancelRequest != nil {
		t.Fatal("decline keeps the order")
	}
	run(t, tx, o.ID, ActionRequestCancel, Args{Reason: "wrong size"}, t0)
	o = run(t, tx, o.ID, ActionApproveCancel, Args{}, t0)
	if o.Status != StatusCancelled || o.CancelReason != CancelBuyerRequest || o.Invoice.Status != InvoiceVoid {
		t.Fatalf("approve: %s %s %s", o.Status, o.CancelReason, o.Invoice.Status)
	}
	if stockOf(t, tx, "SKU-1").Allocated != 0 {
		t.Fatal("cancelling releases allocated stock")
	}
	s := mustPlace(t, tx, sampleOrder(ChannelStore))
	s = run(t, tx, s.ID, ActionCancel, Args{Reason: "buyer unreachable"}, t0)
	if s.Invoice.Status != InvoiceVoid || stockOf(t, tx, "SKU-1").Allocated != 0 {
		t.Fatal("seller cancel voids the invoice")
	}
}

func TestComplaintResolutions(t *testing.T) {
	for _, r := range []Resolution{ResolveReturn, ResolveRefund, ResolveReject} {
		tx := newMemTx()
		seedProducts(t, tx)
		d := sampleOrder(ChannelTokopedia)
		d.Status = StatusCompleted
		o := mustPlace(t, tx, d)
		if stockOf(t, tx, "SKU-1").OnHand != 8 {
			t.Fatal("an order placed as completed has shipped")
		}
		run(t, tx, o.ID, ActionComplain, Args{Reason: "broken jar"}, t0)
		o = run(t, tx, o.ID, ActionResolve, Args{Resolution: r}, t0)
		wantStock, wantPay, wantStatus, wantInvoice := 8, PaymentRefunded, StatusRefunded, InvoiceRefunded
		switch r {
		case ResolveReturn:
			wantStock, wantStatus = 10, StatusReturned
		case ResolveReject:
			wantPay, wantStatus, wantInvoice = PaymentPaid, StatusCompleted, InvoicePaid
		}
		if o.Status != wantStatus || stockOf(t, tx, "SKU-1").OnHand != wantStock || o.PaymentStatus != wantPay || o.Invoice.Status != wantInvoice {
			t.Errorf("%s: status %s stock %d payment %s invoice %s", r, o.Status, stockOf(t, tx, "SKU-1").OnHand, o.PaymentStatus, o.Invoice.Status)
		}
		if o.Counted().IsZero() {
			t.Errorf("%s: the sale is no longer counted", r)
		}
		refunds := o.allRefunds()
		if r == ResolveReject && len(refunds) != 0 || r != ResolveReject && (len(refunds) != 1 || !refunds[0].At.Equal(o.Complaint.ResolvedAt)) {
			t.Errorf("%s: refunds %+v", r, refunds)
		}
		if r != ResolveReject && Allowed(o.Status, ActionComplain) {
			t.Errorf("%s: a returned or refunded order takes a new complaint", r)
		}
	}
}

// A channel reporting its own return lands the order in Returned, with the
// stock back and the invoice refunded; a late older status never moves it back.
func TestChannelReturnLandsInReturned(t *testing.T) {
	tx := newMemTx()
	seedProducts(t, tx)
	pol := DefaultPolicy()
	if _, err := Ingest(tx, pol, Incoming{Channel: ChannelLazada, ExternalID: "LZ-R", ChannelStatus: "delivered", Order: sampleOrder(ChannelLazada)}, t0); err != nil {
		t.Fatal(err)
	}
	before := stockOf(t, tx, "SKU-1").OnHand
	res, err := Ingest(tx, pol, Incoming{Channel: ChannelLazada, ExternalID: "LZ-R", ChannelStatus: "returned"}, t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	o := res.Order
	if o.Status != StatusReturned || o.Invoice.Status != InvoiceRefunded || o.PaymentStatus != PaymentRefunded || stockOf(t, tx, "SKU-1").OnHand <= before {
		t.Fatalf("status %s invoice %s payment %s stock %d→%d", o.Status, o.Invoice.Status, o.PaymentStatus, before, stockOf(t, tx, "SKU-1").OnHand)
	}
	if o.Counted().IsZero() || len(o.allRefunds()) != 1 {
		t.Fatalf("the sale and its refund are both counted: %v %+v", o.Counted(), o.allRefunds())
	}
	res, err = Ingest(tx, pol, Incoming{Channel: ChannelLazada, ExternalID: "LZ-R", ChannelStatus: "confirmed"}, t0.Add(2*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if res.Order.Status != StatusReturned {
		t.Fatalf("a late 'confirmed' moved a returned order to %s", res.Order.Status)
	}
	if st, _ := StatusFromChannel(ChannelWooCommerce, "refunded"); st != StatusRefunded {
		t.Fatalf("WooCommerce refunded is %s", st)
	}
}

func TestIngestMergesLazadaLinesAndDedupes(t *testing.T) {
	tx := newMemTx()
	seedProducts(t, tx)
	pol := DefaultPolicy()
	for i, l := range []Line{{SKU: "SKU-1", Name: "Kopi", Qty: 1, UnitPrice: 85000, ExternalID: "L1"}, {SKU: "SKU-2", Name: "Teh", Qty: 2, UnitPrice: 25000, ExternalID: "L2"}} {
		l := l
		for dup := 0; dup < 2; dup++ {
			if _, err := Ingest(tx, pol, Incoming{Channel: ChannelLazada, ExternalID: "LZ-9", ChannelStatus: "pending", Line: &l}, t0); err != nil {
				t.Fatalf("push %d: %v", i, err)
			}
		}
	}
	if len(tx.orders) != 1 {
		t.Fatalf("%d orders from one Lazada order", len(tx.orders))
	}
	o, _ := tx.OrderByExternalID(ChannelLazada, "LZ-9")
	if len(o.Lines) != 2 || !o.DetailsPending || o.Status != StatusNew || o.ID != "lazada:LZ-9" {
		t.Fatalf("merged: %d lines, pending %v, %s", len(o.Lines), o.DetailsPending, o.Status)
	}
	res, err := Ingest(tx, pol, Incoming{Channel: ChannelLazada, ExternalID: "LZ-9", ChannelStatus: "pending"}, t0)
	if err != nil || res != nil {
		t.Fatalf("a repeated status push must change nothing: %v %v", res, err)
	}
	if _, err := Ingest(tx, pol, Incoming{Channel: ChannelLazada, ExternalID: "LZ-9", ChannelStatus: "bogus"}, t0); err == nil || !strings.Contains(err.Error(), `"bogus"`) {
		t.Fatalf("unknown code must be quoted: %v", err)
	}
	if _, err := Ingest(tx, pol, Incoming{Channel: ChannelLazada, ExternalID: "LZ-9", ChannelStatus: "shipped"}, t0); err != nil {
		t.Fatal(err)
	}
	res, err = Ingest(tx, pol, Incoming{Channel: ChannelLazada, ExternalID: "LZ-9", ChannelStatus: "pending"}, t0)
	if err != nil || res.Order.Status != StatusInDelivery {
		t.Fatalf("a late push must not move the order back: %v", err)
	}
}

func TestShopeeStatusOnlyPushCreatesPendingOrder(t *testing.T) {
	tx := newMemTx()
	res, err := Ingest(tx, DefaultPolicy(), Incoming{Channel: ChannelShopee, ExternalID: "2411230ABC", ChannelStatus: "READY_TO_SHIP"}, t0)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Order.DetailsPending || res.Order.Status != StatusReadyToShip {
		t.Fatalf("%+v", res.Order)
	}
	res, err = Ingest(tx, DefaultPolicy(), Incoming{Channel: ChannelShopee, ExternalID: "2411230ABC", ChannelStatus: "IN_CANCEL"}, t0)
	if err != nil || res.Order.CancelRequest == nil {
		t.Fatalf("IN_CANCEL is a buyer's cancel request: %v", err)
	}
}

func TestChannelStatusMapsBothWays(t *testing.T) {
	for ch := range channelStatuses {
		for _, st := range Statuses {
			code, err := StatusToChannel(ch, st)
			if err != nil {
				t.Fatalf("%s has no code for %s", ch, st)
			}
			if _, err := StatusFromChannel(ch, code); err != nil {
				t.Fatalf("%s code %q does not map back: %v", ch, code, err)
			}
		}
	}
	if st, err := StatusFromChannel(ChannelTokopedia, "400"); err != nil || st != StatusReadyToShip {
		t.Fatal(st, err)
	}
	if _, err := StatusFromChannel(ChannelTokopedia, "999"); err == nil || !strings.Contains(err.Error(), `"999"`) {
		t.Fatalf("unknown code: %v", err)
	}
}

func TestOrderValidation(t *testing.T) {
	tx := newMemTx()
	cases := map[string]func(o *Order){
		"lines":               func(o *Order) { o.Lines = nil },
		"lines[0].qty":        func(o *Order) { o.Lines[0].Qty = -1 },
		"lines[1].unit_price": func(o *Order) { o.Lines[1].UnitPrice = -5 },
		"currency":            func(o *Order) { o.Currency = "XXX" },
		"channel":             func(o *Order) { o.Channel = "ebay" },
	}
	for field, mutate := range cases {
		o := sampleOrder(ChannelManual)
		mutate(o)
		_, err := Execute(tx, DefaultPolicy(), Command{Action: ActionPlace, Args: Args{Order: o}}, owner, t0)
		var ae *Error
		if ErrorCode(err) != EInvalid || !errors.As(err, &ae) || string(ae.Field) != field {
			t.Errorf("%s: %v", field, err)
		}
	}
	if len(tx.orders) != 0 {
		t.Fatal("a bad order was written")
	}
}

func TestMoney(t *testing.T) {
	if got := IDR.Format(125000); got != "Rp 125.000" {
		t.Fatal(got)
	}
	if got := SGD.Format(1250); got != "S$ 12.50" {
		t.Fatal(got)
	}
	if got := MYR.Format(-5); got != "-RM 0.05" {
		t.Fatal(got)
	}
	if m, err := SGD.ParseMoney("12.5"); err != nil || m != 1250 {
		t.Fatal(m, err)
	}
	if _, err := IDR.ParseMoney("12.5"); err == nil {
		t.Fatal("IDR has no decimals")
	}
	if _, err := ParseCurrency("EUR"); err == nil {
		t.Fatal("unknown currency")
	}
}

func TestParseProducts(t *testing.T) {
	ps, err := ParseProducts(strings.NewReader("\uFEFFsku,name,price,on_hand\nA-1,Kopi,85000,10\nA-2,\"Teh, tarik\",25000,3\n"), IDR)
	if err != nil || len(ps) != 2 || ps[1].Name != "Teh, tarik" || ps[0].Price != 85000 {
		t.Fatalf("%v %+v", err, ps)
	}
	for in, want := range map[string]string{
		"sku,name,price\nA,Kopi,abc\n":       "line 2, column price",
		"sku,name,on_hand\nA,Kopi,1\nB,,2\n": "line 3, column name",
		"sku,name,on_hand\nA,Kopi,-1\n":      "line 2, column on_hand",
		"sku,name\nA,Kopi\nA,Kopi again\n":   "line 3, column sku",
		"name,price\nKopi,1\n":               "\"sku\" column is missing",
		"sku,name,colour\nA,Kopi,red\n":      "unknown column",
	} {
		if _, err := ParseProducts(strings.NewReader(in), IDR); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: got %v, want %q", in, err, want)
		}
	}
}
