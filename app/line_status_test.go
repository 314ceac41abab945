package app

import (
	"strings"
	"testing"
	"time"
)

// linePush is one Lazada push: a line known by its id and its status.
func linePush(t *testing.T, tx *memTx, id, line, code string, at time.Time) *Result {
	t.Helper()
	l := Line{ExternalID: line, Name: "Lazada item " + line + " (details pending)", Qty: 1}
	res, err := Ingest(tx, DefaultPolicy(), Incoming{Channel: ChannelLazada, ExternalID: id, ChannelStatus: code, Line: &l, UpdatedAt: at}, at)
	if err != nil {
		t.Fatalf("push %s %s: %v", line, code, err)
	}
	return res
}

// lazadaDetails is what GetOrder and GetOrderItems say, each item with its status.
func lazadaDetails(code string, items ...Line) *Order {
	o := &Order{Number: "260422900198363", Currency: IDR, PaymentMethod: PayMarketplace, PaymentStatus: PaymentPaid, ShippingFee: 9000,
		Buyer: Buyer{Name: "Budi Santoso", Phone: "0812345678", Address: Address{Street: "Jl. Merdeka 1", City: "Bandung"}}, Lines: items}
	for _, l := range items {
		if !cancelsLine(ChannelLazada, l.ChannelStatus) {
			o.Total += l.UnitPrice * Money(l.Qty)
		}
	}
	o.Total += o.ShippingFee
	o.Paid = o.Total
	return o
}

func kopi(code string) Line {
	return Line{SKU: "SKU-1", Name: "Kopi Gayo 250g", Qty: 1, UnitPrice: 85000, ExternalID: "L1", ChannelStatus: code}
}

func teh(code string) Line {
	return Line{SKU: "SKU-2", Name: "Teh Tarik", Qty: 1, UnitPrice: 25000, ExternalID: "L2", ChannelStatus: code}
}

func details(t *testing.T, tx *memTx, code string, at time.Time, items ...Line) *Result {
	t.Helper()
	res, err := Ingest(tx, DefaultPolicy(), Incoming{Channel: ChannelLazada, ExternalID: "LZ-1", ChannelStatus: code, Order: lazadaDetails(code, items...)}, at)
	if err != nil {
		t.Fatalf("details: %v", err)
	}
	return res
}

// otherHolds allocates a piece of each product to another order, so that a
// release made twice shows.
func otherHolds(t *testing.T, tx *memTx) {
	t.Helper()
	o := sampleOrder(ChannelManual)
	o.Lines = []Line{{SKU: "SKU-1", Name: "Kopi", Qty: 2, UnitPrice: 85000}, {SKU: "SKU-2", Name: "Teh", Qty: 1, UnitPrice: 25000}}
	mustPlace(t, tx, o)
}

func lazadaOrder(t *testing.T, tx *memTx) *Order {
	t.Helper()
	o, err := tx.OrderByExternalID(ChannelLazada, "LZ-1")
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func allocated(t *testing.T, tx *memTx) (kopi, teh int) {
	t.Helper()
	return stockOf(t, tx, "SKU-1").Allocated, stockOf(t, tx, "SKU-2").Allocated
}

// Issue 12, item 8: a push cancelling one line cancelled the whole order.
func TestLazadaCancelledLineCancelsOnlyThatLine(t *testing.T) {
	tx := newMemTx()
	seedProducts(t, tx)
	otherHolds(t, tx)
	linePush(t, tx, "LZ-1", "L1", "pending", t0)
	linePush(t, tx, "LZ-1", "L2", "pending", t0)
	details(t, tx, "pending", t0.Add(time.Minute), kopi("pending"), teh("pending"))
	o := lazadaOrder(t, tx)
	if o.DetailsPending || len(o.Lines) != 2 || !o.Lines[0].Linked || o.Lines[1].SKU != "SKU-2" || o.Total != 119000 {
		t.Fatalf("details did not fill the pushed lines: %+v", o)
	}
	run(t, tx, o.ID, ActionAccept, Args{}, t0.Add(2*time.Minute))
	if k, te := allocated(t, tx); k != 3 || te != 2 {
		t.Fatalf("after accept: allocated %d, %d", k, te)
	}

	res := linePush(t, tx, "LZ-1", "L2", "canceled", t0.Add(3*time.Minute))
	o = res.Order
	if o.Status != StatusReadyToShip || !o.Lines[1].Cancelled || o.Lines[0].Cancelled || o.Total != 94000 {
		t.Fatalf("one line cancelled: %s, lines %+v, total %d", o.Status, o.Lines, o.Total)
	}
	if k, te := allocated(t, tx); k != 3 || te != 1 {
		t.Fatalf("the cancelled line's stock goes back, the other stays: %d, %d", k, te)
	}
	if n := res.Events[0].Note; !strings.Contains(n, "cancelled SKU-2; the rest of the order goes on") {
		t.Fatalf("history says %q", n)
	}
	if len(o.Parcels) != 1 || len(o.Parcels[0].Items) != 1 || o.Parcels[0].Items[0].SKU != "SKU-1" {
		t.Fatalf("the parcel still holds the cancelled line: %+v", o.Parcels)
	}
	if res := linePush(t, tx, "LZ-1", "L2", "canceled", t0.Add(3*time.Minute)); res != nil {
		t.Fatalf("a redelivered line cancel changed the order: %+v", res.Order)
	}

	res = linePush(t, tx, "LZ-1", "L1", "canceled", t0.Add(4*time.Minute))
	if res.Order.Status != StatusCancelled || !res.Order.Lines[0].Cancelled {
		t.Fatalf("every line cancelled: %s", res.Order.Status)
	}
	if k, te := allocated(t, tx); k != 2 || te != 1 {
		t.Fatalf("each line's stock goes back once: %d, %d", k, te)
	}
}

// Issue 12, item 8: a Lazada line that arrived after accept was silently dropped.
func TestLazadaLineAfterAcceptIsAdded(t *testing.T) {
	tx := newMemTx()
	seedProducts(t, tx)
	linePush(t, tx, "LZ-1", "L1", "pending", t0)
	details(t, tx, "pending", t0, kopi("pending"))
	o := lazadaOrder(t, tx)
	run(t, tx, o.ID, ActionAccept, Args{}, t0.Add(time.Minute))

	res := linePush(t, tx, "LZ-1", "L2", "pending", t0.Add(2*time.Minute))
	if res == nil || len(res.Order.Lines) != 2 || res.Order.Status != StatusReadyToShip {
		t.Fatalf("the line was dropped: %+v", res)
	}
	if !strings.Contains(res.Events[0].Note, "added") {
		t.Fatalf("history says %q", res.Events[0].Note)
	}
	if k, te := allocated(t, tx); k != 1 || te != 0 {
		t.Fatalf("a line known only by id moves no stock: %d, %d", k, te)
	}
	// The details describe it: its stock is allocated now, once.
	details(t, tx, "packed", t0.Add(3*time.Minute), kopi("packed"), teh("packed"))
	o = lazadaOrder(t, tx)
	if o.Lines[1].SKU != "SKU-2" || !o.Lines[1].Linked || o.Total != 119000 {
		t.Fatalf("the late line was not described: %+v total %d", o.Lines, o.Total)
	}
	if k, te := allocated(t, tx); k != 1 || te != 1 {
		t.Fatalf("allocated %d, %d", k, te)
	}
	if res, err := Ingest(tx, DefaultPolicy(), Incoming{Channel: ChannelLazada, ExternalID: "LZ-1", ChannelStatus: "packed",
		Order: lazadaDetails("packed", kopi("packed"), teh("packed"))}, t0.Add(4*time.Minute)); err != nil || res != nil {
		t.Fatalf("the same details again changed the order: %v %v", res, err)
	}
	if k, te := allocated(t, tx); k != 1 || te != 1 {
		t.Fatalf("allocated twice: %d, %d", k, te)
	}
	// Shipping takes the late line's goods off the shelf too.
	run(t, tx, o.ID, ActionShip, Args{Courier: "J&T", TrackingID: "JT123456789"}, t0.Add(5*time.Minute))
	if p := stockOf(t, tx, "SKU-2"); p.OnHand != 2 || p.Allocated != 0 {
		t.Fatalf("SKU-2 after shipping %+v", p)
	}
}

// Stock moves once whatever order the pushes and the fetch arrive in: here
// the shop accepts before the details, then a line is cancelled.
func TestLazadaStockMovesOnceWhenAcceptedBeforeDetails(t *testing.T) {
	tx := newMemTx()
	seedProducts(t, tx)
	otherHolds(t, tx)
	linePush(t, tx, "LZ-1", "L1", "pending", t0)
	linePush(t, tx, "LZ-1", "L2", "pending", t0)
	o := lazadaOrder(t, tx)
	run(t, tx, o.ID, ActionAccept, Args{}, t0.Add(time.Minute))
	if k, te := allocated(t, tx); k != 2 || te != 1 {
		t.Fatalf("placeholders moved stock: %d, %d", k, te)
	}
	// The fetch answers after Lazada already cancelled the second item.
	details(t, tx, "packed", t0.Add(2*time.Minute), kopi("packed"), teh("canceled"))
	o = lazadaOrder(t, tx)
	if o.Status != StatusReadyToShip || !o.Lines[1].Cancelled || o.Lines[0].Cancelled || o.DetailsPending {
		t.Fatalf("%s %+v", o.Status, o.Lines)
	}
	if k, te := allocated(t, tx); k != 3 || te != 1 {
		t.Fatalf("allocated %d, %d", k, te)
	}
	// The late push of that cancel changes nothing more.
	if res := linePush(t, tx, "LZ-1", "L2", "canceled", t0.Add(90*time.Second)); res != nil {
		t.Fatalf("changed: %+v", res.Order)
	}
	if k, te := allocated(t, tx); k != 3 || te != 1 {
		t.Fatalf("allocated %d, %d", k, te)
	}
	// A staff cancel of the rest gives back only the live line's stock.
	run(t, tx, o.ID, ActionCancel, Args{Reason: "supplier ran out"}, t0.Add(3*time.Minute))
	if k, te := allocated(t, tx); k != 2 || te != 1 {
		t.Fatalf("after cancel: %d, %d", k, te)
	}
}

// Before acceptance a cancelled line holds no stock to give back; the
// order goes on, and is cancelled once its last line is.
func TestLazadaLinesCancelledBeforeAccept(t *testing.T) {
	tx := newMemTx()
	seedProducts(t, tx)
	details(t, tx, "pending", t0, kopi("pending"), teh("pending"))
	res := linePush(t, tx, "LZ-1", "L1", "canceled", t0.Add(time.Minute))
	if res.Order.Status != StatusNew || !res.Order.Lines[0].Cancelled || res.Order.ItemCount() != 1 || res.Order.Total != 34000 {
		t.Fatalf("%s %+v total %d", res.Order.Status, res.Order.Lines, res.Order.Total)
	}
	o := run(t, tx, res.Order.ID, ActionAccept, Args{}, t0.Add(2*time.Minute))
	if k, te := allocated(t, tx); k != 0 || te != 1 || o.Status != StatusReadyToShip {
		t.Fatalf("accept allocates only the live line: %d, %d", k, te)
	}
	if res := linePush(t, tx, "LZ-1", "L2", "canceled", t0.Add(3*time.Minute)); res.Order.Status != StatusCancelled {
		t.Fatalf("%s", res.Order.Status)
	}
	if k, te := allocated(t, tx); k != 0 || te != 0 {
		t.Fatalf("%d, %d", k, te)
	}
}

// Other channels keep whole-order statuses: their lines carry none.
func TestLineStatusesAreLazadasOnly(t *testing.T) {
	if !ChannelLazada.LineStatuses() || ChannelTokopedia.LineStatuses() || ChannelShopee.LineStatuses() {
		t.Fatal("only Lazada's statuses are per line")
	}
	tx := newMemTx()
	seedProducts(t, tx)
	l := Line{SKU: "SKU-1", Name: "Kopi", Qty: 1, UnitPrice: 85000, ExternalID: "T1"}
	if _, err := Ingest(tx, DefaultPolicy(), Incoming{Channel: ChannelTokopedia, ExternalID: "99", ChannelStatus: "220", Line: &l}, t0); err != nil {
		t.Fatal(err)
	}
	res, err := Ingest(tx, DefaultPolicy(), Incoming{Channel: ChannelTokopedia, ExternalID: "99", ChannelStatus: "10", Line: &l}, t0)
	if err != nil || res.Order.Status != StatusCancelled || res.Order.Lines[0].Cancelled || res.Order.Lines[0].ChannelStatus != "" {
		t.Fatalf("%v %+v", err, res.Order)
	}
}

// Lazada gives the tracking number only in the order's details: a
// "packed" push makes an order without one fetch them again, once; the
// fetched details set courier and tracking ID.
func TestLazadaPackedPushFetchesTheTrackingNumber(t *testing.T) {
	tx := newMemTx()
	seedProducts(t, tx)
	details(t, tx, "pending", t0, kopi("pending"))
	o := lazadaOrder(t, tx)
	run(t, tx, o.ID, ActionAccept, Args{}, t0.Add(time.Minute))
	res := linePush(t, tx, "LZ-1", "L1", "packed", t0.Add(2*time.Minute))
	if !res.Order.DetailsPending {
		t.Fatal("a packed order without a tracking number must fetch its details")
	}
	// Fetched before Lazada has a number: no fetch again until the next push.
	res = details(t, tx, "packed", t0.Add(3*time.Minute), kopi("packed"))
	if res.Order.DetailsPending {
		t.Fatal("fetched details without a number must not fetch again")
	}
	res = linePush(t, tx, "LZ-1", "L1", "ready_to_ship", t0.Add(4*time.Minute))
	if !res.Order.DetailsPending {
		t.Fatal("the next push fetches again")
	}
	d := lazadaDetails("ready_to_ship", kopi("ready_to_ship"))
	d.Shipment = Shipment{TrackingID: "LXID00000001", Courier: "LEX ID"}
	res, err := Ingest(tx, DefaultPolicy(), Incoming{Channel: ChannelLazada, ExternalID: "LZ-1", ChannelStatus: "ready_to_ship", Order: d}, t0.Add(5*time.Minute))
	if err != nil || res.Order.DetailsPending || res.Order.Shipment.TrackingID != "LXID00000001" || res.Order.Shipment.Courier == "" {
		t.Fatalf("%v %+v", err, res.Order.Shipment)
	}
	if res := linePush(t, tx, "LZ-1", "L1", "ready_to_ship", t0.Add(6*time.Minute)); res != nil && res.Order.DetailsPending {
		t.Fatal("an order with its number does not fetch again")
	}
	// Lazada's number came before the shop arranged the handover: the shop
	// still arranges it, and the arrangement keeps Lazada's number.
	o = run(t, tx, o.ID, ActionArrangeDropoff, Args{Courier: "LEX ID"}, t0.Add(7*time.Minute))
	if o.Shipment.TrackingID != "LXID00000001" || o.Shipment.Method != ShipDropoff {
		t.Fatalf("arranging lost the platform's number: %+v", o.Shipment)
	}
}

// The first push the cloud hears of an order may be one line's cancel
// (the earlier pushes lost): the order waits for its details, which say
// whether every line is cancelled.
func TestLazadaFirstPushALineCancel(t *testing.T) {
	tx := newMemTx()
	seedProducts(t, tx)
	res := linePush(t, tx, "LZ-1", "L2", "canceled", t0)
	if res.Order.Status == StatusCancelled || !res.Order.DetailsPending || !res.Order.Lines[0].Cancelled {
		t.Fatalf("one line's cancel cancelled an order nobody has seen: %s %+v", res.Order.Status, res.Order.Lines)
	}
	details(t, tx, "pending", t0.Add(time.Minute), kopi("pending"), teh("canceled"))
	o := lazadaOrder(t, tx)
	// The cancelled line came first; the details describe it too.
	if o.Status != StatusNew || o.DetailsPending || len(o.Lines) != 2 || !o.Lines[0].Cancelled || o.Lines[0].SKU != "SKU-2" ||
		o.Lines[1].Cancelled || o.Total != 94000 {
		t.Fatalf("%s %+v total %d", o.Status, o.Lines, o.Total)
	}
	// Where every line is cancelled, the details cancel the order.
	tx2 := newMemTx()
	seedProducts(t, tx2)
	linePush(t, tx2, "LZ-1", "L1", "canceled", t0)
	res2, err := Ingest(tx2, DefaultPolicy(), Incoming{Channel: ChannelLazada, ExternalID: "LZ-1", ChannelStatus: "canceled",
		Order: lazadaDetails("canceled", kopi("canceled"))}, t0.Add(time.Minute))
	if err != nil || res2.Order.Status != StatusCancelled {
		t.Fatalf("%v %+v", err, res2)
	}
}
